// The fake engine's swarm: nodes, services and tasks built from the objects recorded in the lab
// (test/fixtures/lab/*.json) — deep copies with new IDs, names, hostnames, slots, timestamps and
// Version.Index, so every shape is one the real engine sent — and the changes a swarm goes
// through (tasks failing and being replaced, scale, drain, rolling updates), each with the swarm
// events the real engine emits for it. Like the engine, task changes emit no event.

// The recorded objects are bundled into the demo (esbuild inlines JSON): nothing is read from
// disk at run time, so a copied dist/ serves the demo too.
import { EngineError, goTime } from './engine-basics.js';
export { EngineError, goTime } from './engine-basics.js';
import { EngineObjects } from './objects.js';
import { nodeMatches, type ConstraintNode } from '../../operations/constraints.js';
import infoJson from '../../../test/fixtures/lab/info.json' with { type: 'json' };
import nodesJson from '../../../test/fixtures/lab/nodes.json' with { type: 'json' };
import servicesJson from '../../../test/fixtures/lab/services.json' with { type: 'json' };
import tasksJson from '../../../test/fixtures/lab/tasks.json' with { type: 'json' };

export interface ClusterOptions {
  nodes: number;
  services: number;
  /** Replicas of each (replicated) service: running tasks = services × tasksPerService. */
  tasksPerService: number;
  /** Old tasks kept per slot (failed and shut down, alternating), like TaskHistoryRetentionLimit. */
  historyPerTask: number;
  seed: number;
  now?: () => number;
  /**
   * How long a new task is "starting" before it runs (default 0: at once). The demo sets it, so
   * that counts converge over a few seconds as on a real swarm.
   */
  taskStartMs?: number;
  /** Time between two tasks of a rolling update started by a spec change (default 500 ms). */
  updateStepMs?: number;
}

type Labels = Record<string, string>;

export interface EngineNode {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
  Spec: { Labels: Labels; Role: string; Availability: string; [key: string]: unknown };
  Description: { Hostname: string; [key: string]: unknown };
  Status: { State: string; Addr: string; Message?: string };
  ManagerStatus?: { Leader?: boolean; Reachability: string; Addr: string };
  [key: string]: unknown;
}

interface ContainerSpec {
  Image: string;
  TTY?: boolean;
  [key: string]: unknown;
}

interface TaskTemplate {
  ContainerSpec: ContainerSpec;
  ForceUpdate?: number;
  [key: string]: unknown;
}

export interface ServiceSpec {
  Name: string;
  Labels: Labels;
  TaskTemplate: TaskTemplate;
  Mode: {
    Replicated?: { Replicas?: number };
    Global?: object;
    ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface EngineService {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
  Spec: ServiceSpec;
  PreviousSpec?: ServiceSpec;
  Endpoint: unknown;
  UpdateStatus?: { State: string; StartedAt?: string; CompletedAt?: string; Message: string };
  [key: string]: unknown;
}

export interface EngineTask {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
  Labels: Labels;
  Spec: TaskTemplate;
  ServiceID: string;
  Slot?: number;
  NodeID: string;
  Status: {
    Timestamp: string;
    State: string;
    Message: string;
    Err?: string;
    ContainerStatus?: { ContainerID: string; PID: number; ExitCode: number };
    PortStatus: object;
  };
  DesiredState: string;
  [key: string]: unknown;
}

export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: string;
  time: number;
  timeNano: bigint;
}

// ---- fixtures --------------------------------------------------------------------------------

/** A private copy of a recorded fixture (the imported object is shared by every importer). */
function fixture<T>(json: unknown): T {
  return structuredClone(json) as T;
}

interface Templates {
  info: Record<string, unknown>;
  leader: EngineNode;
  manager: EngineNode;
  worker: EngineNode;
  /** Plain replicated service (web), one with a previous spec and a finished update (api),
   *  one with a restart policy (crashy). */
  services: EngineService[];
  /** A global service (agent). */
  global: EngineService;
  running: EngineTask;
  failed: EngineTask;
  shutdown: EngineTask;
}

let templates: Templates | null = null;

function loadTemplates(): Templates {
  if (templates !== null) return templates;
  const nodes = fixture<EngineNode[]>(nodesJson);
  const services = fixture<EngineService[]>(servicesJson);
  const tasks = fixture<EngineTask[]>(tasksJson);
  const find = <T>(list: T[], what: string, test: (item: T) => boolean): T => {
    const found = list.find(test);
    if (found === undefined) throw new Error(`fake engine: no ${what} in the lab fixtures`);
    return found;
  };
  const service = (name: string) => find(services, name, (s) => s.Spec.Name === name);
  templates = {
    info: fixture<Record<string, unknown>>(infoJson),
    leader: find(nodes, 'leader', (n) => n.ManagerStatus?.Leader === true),
    manager: find(
      nodes,
      'manager',
      (n) => n.ManagerStatus !== undefined && !n.ManagerStatus.Leader,
    ),
    worker: find(nodes, 'worker', (n) => n.ManagerStatus === undefined),
    services: [service('web'), service('api'), service('crashy')],
    global: service('agent'),
    running: find(
      tasks,
      'running task',
      (t) => t.Status.State === 'running' && t.Slot !== undefined,
    ),
    failed: find(tasks, 'failed task', (t) => t.Status.State === 'failed'),
    shutdown: find(tasks, 'shut-down task', (t) => t.Status.State === 'shutdown'),
  };
  return templates;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

const templateJson = new WeakMap<object, string>();

/**
 * A fresh copy of a template (which is never changed itself): parsing its JSON once written is
 * several times cheaper than structuredClone, which made 150,000 tasks (5,000 services) take 8 s.
 */
function fromTemplate<T extends object>(template: T): T {
  let json = templateJson.get(template);
  if (json === undefined) {
    json = JSON.stringify(template);
    templateJson.set(template, json);
  }
  return JSON.parse(json) as T;
}

// ---- ids and times ---------------------------------------------------------------------------

/** Small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

const STACK_WORDS = ['shop', 'billing', 'search', 'auth', 'media', 'ledger', 'mail', 'cdn'];
const MORE_WORDS = ['chat', 'feed', 'geo', 'ingest', 'jobs', 'kyc', 'metrics', 'notify'];
const WORDS = [...STACK_WORDS, ...MORE_WORDS, 'orders', 'pay', 'quota', 'recs'];
const APPS = ['web', 'api', 'worker', 'cache', 'db', 'queue', 'cron', 'proxy', 'static', 'events'];
const MORE_APPS = ['index', 'mailer', 'push', 'report', 'export', 'import', 'sync', 'admin'];
const ALL_APPS = [...APPS, ...MORE_APPS, 'gateway', 'scheduler'];

const RUNNING_TASK_STATES = new Set(['running']);
const LIVE_DESIRED = new Set(['running', 'ready', 'accepted']);

// ---- the cluster -----------------------------------------------------------------------------

export interface RollingUpdateOptions {
  /** The new image; default: the current tag's number + 1. */
  image?: string;
  /** Time between two replaced tasks (parallelism 1). */
  stepMs?: number;
}

/** A service of a hand-made swarm (the demo), on top of (or instead of) the generated ones. */
export interface AddServiceOptions {
  name: string;
  /** The stack it belongs to (the com.docker.stack.namespace label); '' for none. */
  stack: string;
  /** More service labels (a service made through the API brings its own). */
  labels?: Labels;
  image: string;
  /** Replicas; null for a global service (one task on every node that takes tasks). */
  replicas: number | null;
  /** An update happened: the previous spec had this image and these environment variables. */
  previous?: { image: string; env: string[] };
  env?: string[];
  /** Placement constraints, as `docker service create --constraint` takes them. */
  constraints?: string[];
  /** Overlay networks (by name) it is attached to: each gives it a VIP. */
  networks?: string[];
  /** Secrets and configs (by name) mounted into its tasks; a config's file is its target. */
  secrets?: string[];
  configs?: Array<{ name: string; target: string }>;
  /** Published ports; `host` mode publishes on the nodes running a task only. */
  ports?: Array<{ published: number; target: number; mode?: 'ingress' | 'host' }>;
  /** Every task exits with `exitCode` this long after it starts, and is restarted after a delay. */
  crashLoop?: { runMs: number; restartDelayMs: number; exitCode: number };
  /**
   * A replicated job (mode replicated-job, `replicas` completions) whose run finished this long
   * ago: every task complete, as `docker service create --mode replicated-job` leaves it.
   */
  finishedJobAgoMs?: number;
}

interface CrashLoop {
  runMs: number;
  restartDelayMs: number;
  exitCode: number;
}

export class FakeCluster {
  readonly nodes: EngineNode[] = [];
  readonly services: EngineService[] = [];
  /** Every task, in creation order. */
  readonly tasks = new Map<string, EngineTask>();
  private readonly serviceById = new Map<string, EngineService>();
  private readonly byService = new Map<string, Set<EngineTask>>();
  private readonly byNode = new Map<string, Set<EngineTask>>();
  private readonly json = new WeakMap<object, string>();
  private readonly rand: () => number;
  private readonly now: () => number;
  private index = 100;
  private placement = 0;
  private lastEventNano = 0n;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly rollouts = new Map<string, ReturnType<typeof setInterval>>();
  private readonly crashLoops = new Map<string, CrashLoop>();
  /** Services with a pending task: a node change retries only these (cheap at full size). */
  private readonly pendingServices = new Set<string>();
  /** Changes at all: cached list bodies are rebuilt when it moves. */
  generation = 0;
  private statusCache: { generation: number; counts: Map<string, number> } | null = null;
  private listCache = new Map<string, { generation: number; body: string }>();
  /** The last events, replayed to an /events request with `since`. */
  readonly eventLog: EngineEvent[] = [];
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  readonly infoTemplate: Record<string, unknown>;
  /** Networks, secrets, configs and the swarm itself. */
  readonly objects: EngineObjects;

  constructor(readonly options: ClusterOptions) {
    const t = loadTemplates();
    this.infoTemplate = t.info;
    this.rand = random(options.seed);
    this.now = options.now ?? Date.now;
    this.objects = new EngineObjects(() => this.id(), this.now, t.leader.Description['TLSInfo']);
    this.generate(t);
  }

  // ---- generation ----

  private id(): string {
    let out = '';
    for (let i = 0; i < 25; i++) out += ID_CHARS[Math.floor(this.rand() * ID_CHARS.length)];
    return out;
  }

  private containerId(): string {
    let out = '';
    for (let i = 0; i < 64; i++) out += '0123456789abcdef'[Math.floor(this.rand() * 16)];
    return out;
  }

  private stamp(ms: number): string {
    return goTime(ms, Math.floor(this.rand() * 1e6));
  }

  private nextIndex(): number {
    this.index += 1;
    return this.index;
  }

  private generate(t: Templates): void {
    const now = this.now();
    const clusterStart = now - 3 * 24 * 3600_000;
    const { nodes, services, tasksPerService, historyPerTask } = this.options;
    const managers = Math.min(3, nodes);
    for (let i = 0; i < nodes; i++) {
      const isManager = i < managers;
      const node = fromTemplate(i === 0 ? t.leader : isManager ? t.manager : t.worker);
      node.ID = this.id();
      node.Version.Index = this.nextIndex();
      node.CreatedAt = this.stamp(clusterStart + i * 1000);
      node.UpdatedAt = this.stamp(clusterStart + i * 1000 + 500);
      const hostname = isManager
        ? `manager-${i + 1}`
        : `worker-${String(i - managers + 1).padStart(3, '0')}`;
      node.Description.Hostname = hostname;
      node.Spec.Labels = { zone: 'abc'[i % 3]! };
      const addr = `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`;
      node.Status = { State: 'ready', Addr: addr };
      if (node.ManagerStatus !== undefined) node.ManagerStatus.Addr = `${addr}:2377`;
      this.nodes.push(node);
      this.byNode.set(node.ID, new Set());
    }

    for (let i = 0; i < services; i++) {
      const round = Math.floor(i / (ALL_APPS.length * WORDS.length));
      const stack = `${WORDS[Math.floor(i / ALL_APPS.length) % WORDS.length]!}${round > 0 ? round : ''}`;
      const name = `${stack}_${ALL_APPS[i % ALL_APPS.length]!}`;
      // Mostly plain services; every 7th has a previous spec (updated once), every 13th restarts.
      const template =
        i % 13 === 5 ? t.services[2]! : i % 7 === 3 ? t.services[1]! : t.services[0]!;
      const service = fromTemplate(template);
      const created = clusterStart + 3600_000 + i * 2000;
      service.ID = this.id();
      service.Version.Index = this.nextIndex();
      service.CreatedAt = this.stamp(created);
      service.UpdatedAt = service.UpdateStatus ? this.stamp(created + 60_000) : service.CreatedAt;
      delete service['ServiceStatus'];
      const image = `registry.local/${stack}/${ALL_APPS[i % ALL_APPS.length]!}:1.${i % 10}`;
      for (const spec of [service.Spec, service.PreviousSpec]) {
        if (spec === undefined) continue;
        spec.Name = name;
        spec.Labels = { ...spec.Labels, 'com.docker.stack.namespace': stack };
        spec.Mode = { Replicated: { Replicas: tasksPerService } };
        spec.TaskTemplate.ContainerSpec.Image = spec === service.Spec ? image : `${image}-rc`;
      }
      if (service.UpdateStatus !== undefined) {
        service.UpdateStatus.StartedAt = this.stamp(created + 30_000);
        service.UpdateStatus.CompletedAt = this.stamp(created + 60_000);
      }
      this.services.push(service);
      this.serviceById.set(service.ID, service);
      this.byService.set(service.ID, new Set());

      for (let slot = 1; slot <= tasksPerService; slot++) {
        // A few tasks restarted minutes ago, so "failed recently" has rows; most are hours old.
        const age =
          this.rand() < 0.01
            ? 120_000 + this.rand() * 600_000
            : 3600_000 + this.rand() * 40 * 3600_000;
        let at = now - age;
        const history: EngineTask[] = [];
        for (let h = 0; h < historyPerTask; h++) {
          at -= 60_000 + this.rand() * 3600_000;
          const old = this.makeTask(service, slot, h % 2 === 0 ? t.failed : t.shutdown, at);
          history.unshift(old);
        }
        for (const old of history) this.add(old);
        this.add(this.makeTask(service, slot, t.running, now - age));
      }
    }
  }

  /** A task of `service` in `slot`, shaped like `template`, created at `createdMs`. */
  private makeTask(
    service: EngineService,
    slot: number | null,
    template: EngineTask,
    createdMs: number,
    nodeId = this.place(),
  ): EngineTask {
    const task = fromTemplate(template);
    task.ID = this.id();
    task.Version.Index = this.nextIndex();
    task.CreatedAt = this.stamp(createdMs);
    task.UpdatedAt = this.stamp(createdMs + 3000);
    task.Spec = taskSpecOf(service);
    task.ServiceID = service.ID;
    if (slot === null) delete task.Slot;
    else task.Slot = slot;
    task.NodeID = nodeId;
    task.Status.Timestamp = this.stamp(createdMs + 2500);
    if (task.Status.ContainerStatus !== undefined) {
      task.Status.ContainerStatus.ContainerID = this.containerId();
      if (task.Status.State === 'running') {
        task.Status.ContainerStatus.PID = 1000 + Math.floor(this.rand() * 60000);
      }
    }
    return task;
  }

  /** Round-robin over nodes that take tasks (ready, active). */
  private place(): string {
    return this.placeFor(null) ?? this.nodes[0]?.ID ?? '';
  }

  /** Round-robin over the nodes that take `service`'s tasks; null when none does. */
  private placeFor(service: EngineService | null, avoid?: string): string | null {
    let fallback: string | null = null;
    for (let tries = 0; tries < this.nodes.length; tries++) {
      const node = this.nodes[this.placement++ % this.nodes.length]!;
      if (!takesTasks(node) || (service !== null && !satisfies(node, service))) continue;
      if (node.ID !== avoid) return node.ID;
      fallback = node.ID;
    }
    return fallback;
  }

  /** What swarmkit's scheduler says of a task no node takes, filter by filter, in its order. */
  private noSuitableNode(service: EngineService): string {
    const unavailable = this.nodes.filter((n) => !takesTasks(n)).length;
    const unsatisfied = this.nodes.filter((n) => takesTasks(n) && !satisfies(n, service)).length;
    const nodes = (n: number): string => `${n} node${n === 1 ? '' : 's'}`;
    const parts = [
      ...(unavailable > 0 ? [`${nodes(unavailable)} not available for new tasks`] : []),
      ...(unsatisfied > 0 ? [`scheduling constraints not satisfied on ${nodes(unsatisfied)}`] : []),
    ];
    return `no suitable node (${parts.join('; ')})`;
  }

  private add(task: EngineTask): void {
    this.tasks.set(task.ID, task);
    this.byService.get(task.ServiceID)?.add(task);
    this.byNode.get(task.NodeID)?.add(task);
    this.generation += 1;
  }

  private remove(task: EngineTask): void {
    this.tasks.delete(task.ID);
    this.byService.get(task.ServiceID)?.delete(task);
    this.byNode.get(task.NodeID)?.delete(task);
    this.generation += 1;
  }

  /** A changed object: new Version.Index and UpdatedAt, its cached JSON dropped. */
  private touch(object: { Version: { Index: number }; UpdatedAt: string }): void {
    object.Version.Index = this.nextIndex();
    object.UpdatedAt = goTime(this.now(), Math.floor(this.rand() * 1e6));
    this.json.delete(object);
    this.generation += 1;
  }

  // ---- reads ----

  /** One object as the engine's compact JSON (cached until it changes). */
  toJson(object: object): string {
    let text = this.json.get(object);
    if (text === undefined) {
      text = JSON.stringify(object);
      this.json.set(object, text);
    }
    return text;
  }

  tasksOf(serviceId: string): EngineTask[] {
    return [...(this.byService.get(serviceId) ?? [])];
  }

  tasksOn(nodeId: string): EngineTask[] {
    return [...(this.byNode.get(nodeId) ?? [])];
  }

  /** A list body, cached per key until anything changes. */
  cachedList(key: string, build: () => string): string {
    const hit = this.listCache.get(key);
    if (hit !== undefined && hit.generation === this.generation) return hit.body;
    const body = build();
    if (this.listCache.size > 64) this.listCache.clear();
    this.listCache.set(key, { generation: this.generation, body });
    return body;
  }

  /** ServiceStatus as the engine computes it for `status=true`. */
  serviceStatus(service: EngineService): {
    RunningTasks: number;
    DesiredTasks: number;
    CompletedTasks: number;
  } {
    if (this.statusCache?.generation !== this.generation) {
      const down = new Set(this.nodes.filter((n) => n.Status.State !== 'ready').map((n) => n.ID));
      const counts = new Map<string, number>();
      for (const task of this.tasks.values()) {
        if (
          task.DesiredState === 'running' &&
          RUNNING_TASK_STATES.has(task.Status.State) &&
          !down.has(task.NodeID)
        ) {
          counts.set(task.ServiceID, (counts.get(task.ServiceID) ?? 0) + 1);
        }
      }
      this.statusCache = { generation: this.generation, counts };
    }
    const mode = service.Spec.Mode;
    if (mode.ReplicatedJob !== undefined) {
      // As a 20.10 manager answers: DesiredTasks stays MaxConcurrent after the run completed.
      let completed = 0;
      for (const task of this.byService.get(service.ID) ?? []) {
        if (task.Status.State === 'complete') completed += 1;
      }
      return {
        RunningTasks: this.statusCache.counts.get(service.ID) ?? 0,
        DesiredTasks: mode.ReplicatedJob.MaxConcurrent ?? 1,
        CompletedTasks: completed,
      };
    }
    const desired =
      mode.Replicated !== undefined
        ? (mode.Replicated.Replicas ?? 1)
        : this.nodes.filter((n) => n.Spec.Availability === 'active' && n.Status.State === 'ready')
            .length;
    return {
      RunningTasks: this.statusCache.counts.get(service.ID) ?? 0,
      DesiredTasks: desired,
      CompletedTasks: 0,
    };
  }

  /** The service as in GET /services?status=true: its JSON with ServiceStatus last. */
  serviceJsonWithStatus(service: EngineService): string {
    const base = this.toJson(service);
    return `${base.slice(0, -1)},"ServiceStatus":${JSON.stringify(this.serviceStatus(service))}}`;
  }

  /** The engine's lookup: full ID, then name, then a unique ID prefix. */
  findService(ref: string): EngineService {
    const found =
      this.serviceById.get(ref) ??
      this.services.find((s) => s.Spec.Name === ref) ??
      unique(this.services.filter((s) => s.ID.startsWith(ref)));
    if (found === undefined || ref === '') throw new EngineError(404, `service ${ref} not found`);
    return found;
  }

  findNode(ref: string): EngineNode {
    const leader = this.nodes[0];
    const found =
      (ref === 'self' ? leader : undefined) ??
      this.nodes.find((n) => n.ID === ref) ??
      this.nodes.find((n) => n.Description.Hostname === ref) ??
      unique(this.nodes.filter((n) => n.ID.startsWith(ref)));
    if (found === undefined || ref === '') throw new EngineError(404, `node ${ref} not found`);
    return found;
  }

  findTask(ref: string): EngineTask {
    const found =
      this.tasks.get(ref) ?? unique([...this.tasks.values()].filter((t) => t.ID.startsWith(ref)));
    if (found === undefined || ref === '') throw new EngineError(404, `task ${ref} not found`);
    return found;
  }

  /** `name.slot` (or `name.nodeId`), the name the engine's `name` filter matches. */
  taskName(task: EngineTask): string {
    const service = this.serviceById.get(task.ServiceID);
    return `${service?.Spec.Name ?? task.ServiceID}.${task.Slot ?? task.NodeID}`;
  }

  // ---- events ----

  /** Open /events streams (tests wait for theirs before changing anything). */
  get eventListeners(): number {
    return this.listeners.size;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(type: string, action: string, id: string, attributes: Record<string, string>): void {
    let timeNano =
      BigInt(Math.floor(this.now())) * 1_000_000n + BigInt(Math.floor(this.rand() * 1e6));
    if (timeNano <= this.lastEventNano) timeNano = this.lastEventNano + 1n;
    this.lastEventNano = timeNano;
    const event: EngineEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'swarm',
      time: Number(timeNano / 1_000_000_000n),
      timeNano,
    };
    this.eventLog.push(event);
    // moby keeps the last 256 events for `since`; a few more do no harm.
    if (this.eventLog.length > 1024) this.eventLog.shift();
    for (const listener of this.listeners) listener(event);
  }

  private serviceEvent(service: EngineService, attributes: Record<string, string> = {}): void {
    this.emit('service', 'update', service.ID, { name: service.Spec.Name, ...attributes });
  }

  private nodeEvent(node: EngineNode, attributes: Record<string, string> = {}): void {
    this.emit('node', 'update', node.ID, { name: node.Description.Hostname, ...attributes });
  }

  // ---- changes ----

  private later(ms: number, run: () => void): void {
    if (ms <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  /**
   * A new task for `slot` (null: a global service's task, on `onNode`); running at once, or after
   * `startMs` in "starting"; "pending" with the scheduler's reason when no node takes it.
   */
  private startTask(
    service: EngineService,
    slot: number | null,
    startMs: number,
    avoid?: string,
    onNode?: string,
  ): EngineTask {
    const constrained = (service.Spec.TaskTemplate['Placement'] as Placement | undefined)
      ?.Constraints?.length;
    let nodeId: string | null;
    if (onNode !== undefined) nodeId = onNode;
    else if (constrained) nodeId = this.placeFor(service, avoid);
    else {
      // Unconstrained services keep the generated swarm's placement (and its seeded IDs).
      nodeId = this.place();
      if (nodeId === avoid && this.nodes.length > 1) nodeId = this.place();
    }
    const task = this.makeTask(service, slot, loadTemplates().running, this.now(), nodeId ?? '');
    task.UpdatedAt = task.CreatedAt;
    task.Status.Timestamp = task.CreatedAt;
    if (nodeId === null) {
      this.makePending(task, service);
    } else if (startMs > 0) {
      this.makeStarting(task, startMs);
    } else {
      this.crashLater(task);
    }
    this.add(task);
    return task;
  }

  private makePending(task: EngineTask, service: EngineService): void {
    // The engine leaves NodeID out (omitempty) until the task is assigned.
    delete (task as Partial<EngineTask>).NodeID;
    task.Status.State = 'pending';
    task.Status.Message = 'pending task scheduling';
    task.Status.Err = this.noSuitableNode(service);
    delete task.Status.ContainerStatus;
    this.pendingServices.add(service.ID);
  }

  private makeStarting(task: EngineTask, startMs: number): void {
    task.Status.State = 'starting';
    task.Status.Message = 'starting';
    delete task.Status.Err;
    delete task.Status.ContainerStatus;
    this.later(startMs, () => {
      if (!this.tasks.has(task.ID) || task.DesiredState !== 'running') return;
      task.Status.State = 'running';
      task.Status.Message = 'started';
      task.Status.Timestamp = goTime(this.now());
      task.Status.ContainerStatus = {
        ContainerID: this.containerId(),
        PID: 1000 + Math.floor(this.rand() * 60000),
        ExitCode: 0,
      };
      this.touch(task);
      this.crashLater(task);
    });
  }

  /** A task of a crash-looping service exits after its run time; a new one starts after a delay. */
  private crashLater(task: EngineTask): void {
    const loop = this.crashLoops.get(task.ServiceID);
    if (loop === undefined) return;
    this.later(loop.runMs, () => {
      const service = this.serviceById.get(task.ServiceID);
      if (service === undefined || !this.tasks.has(task.ID) || task.DesiredState !== 'running') {
        return;
      }
      this.stopTask(task, 'failed', loop.exitCode, `task: non-zero exit (${loop.exitCode})`);
      const onNode = task.Slot === undefined ? task.NodeID : undefined;
      this.startTask(service, task.Slot ?? null, loop.restartDelayMs, task.NodeID, onNode);
      this.trim(service.ID, task.Slot, task.NodeID);
    });
  }

  /** Pending tasks are tried again (a node was activated, a spec changed), or their reason renewed. */
  private schedulePending(service: EngineService): void {
    if (!this.pendingServices.has(service.ID)) return;
    let stillPending = false;
    for (const task of this.liveTasks(service)) {
      if (task.Status.State !== 'pending') continue;
      const nodeId = this.placeFor(service);
      if (nodeId === null) {
        stillPending = true;
        const reason = this.noSuitableNode(service);
        if (task.Status.Err !== reason) {
          task.Status.Err = reason;
          this.touch(task);
        }
        continue;
      }
      task.NodeID = nodeId;
      this.byNode.get(nodeId)?.add(task);
      task.Status.Timestamp = goTime(this.now());
      this.makeStarting(task, Math.max(1, this.options.taskStartMs ?? 0));
      this.touch(task);
    }
    if (!stillPending) this.pendingServices.delete(service.ID);
  }

  /** Old tasks beyond the retention limit are deleted, oldest first, as the task reaper does. */
  private trim(serviceId: string, slot: number | undefined, nodeId?: string): void {
    // A replicated service's history is per slot; a global one's per node.
    const old = this.tasksOf(serviceId).filter(
      (t) =>
        t.Slot === slot &&
        (slot !== undefined || t.NodeID === nodeId) &&
        !LIVE_DESIRED.has(t.DesiredState),
    );
    for (const task of old.slice(0, Math.max(0, old.length - this.options.historyPerTask))) {
      this.remove(task);
    }
  }

  private stopTask(
    task: EngineTask,
    state: 'shutdown' | 'failed',
    exitCode: number,
    err?: string,
  ): void {
    task.DesiredState = 'shutdown';
    task.Status.State = state;
    task.Status.Timestamp = goTime(this.now(), Math.floor(this.rand() * 1e6));
    if (err === undefined) {
      task.Status.Message = 'shutdown';
      delete task.Status.Err;
    } else {
      task.Status.Message = 'started';
      task.Status.Err = err;
    }
    task.Status.ContainerStatus = {
      ContainerID: task.Status.ContainerStatus?.ContainerID ?? this.containerId(),
      PID: 0,
      ExitCode: exitCode,
    };
    this.touch(task);
  }

  private liveTasks(service: EngineService): EngineTask[] {
    return this.tasksOf(service.ID).filter((t) => t.DesiredState === 'running');
  }

  /** A running task exits with an error and the orchestrator starts a replacement in its slot. */
  failTask(ref: string, slot?: number, restartMs = 0): { failed: string; replacement: string } {
    let task: EngineTask | undefined;
    if (this.tasks.has(ref)) task = this.tasks.get(ref);
    else {
      const service = this.findService(ref);
      const live = this.liveTasks(service);
      task = slot === undefined ? live[0] : live.find((t) => t.Slot === slot);
    }
    if (task === undefined || task.DesiredState !== 'running') {
      throw new EngineError(404, `no running task ${ref}${slot === undefined ? '' : `.${slot}`}`);
    }
    const service = this.findService(task.ServiceID);
    const code = 1 + Math.floor(this.rand() * 3);
    this.stopTask(task, 'failed', code, `task: non-zero exit (${code})`);
    const onNode = task.Slot === undefined ? task.NodeID : undefined;
    const replacement = this.startTask(service, task.Slot ?? null, restartMs, task.NodeID, onNode);
    this.trim(service.ID, task.Slot, task.NodeID);
    return { failed: task.ID, replacement: replacement.ID };
  }

  /** A random running task fails (churn). */
  failRandomTask(restartMs: number): void {
    for (let tries = 0; tries < 10; tries++) {
      const service = this.services[Math.floor(this.rand() * this.services.length)];
      if (service === undefined) return;
      const live = this.liveTasks(service).filter((t) => t.Status.State === 'running');
      const task = live[Math.floor(this.rand() * live.length)];
      if (task !== undefined) {
        this.failTask(task.ID, undefined, restartMs);
        return;
      }
    }
  }

  /**
   * A service made to order (the demo's swarm), shaped from the recorded service closest to it:
   * web (plain), api (updated once: a previous spec), crashy (a restart policy) or agent (global).
   * Its tasks run from the start (hours old), except those of a crash loop, which has a few
   * failures behind it and keeps failing, and those no node takes, which are pending.
   */
  addService(options: AddServiceOptions): EngineService {
    const t = loadTemplates();
    const template =
      options.replicas === null
        ? t.global
        : options.crashLoop !== undefined
          ? t.services[2]!
          : options.previous !== undefined
            ? t.services[1]!
            : t.services[0]!;
    const service = fromTemplate(template);
    const now = this.now();
    const created = now - 26 * 3600_000;
    service.ID = this.id();
    service.Version.Index = this.nextIndex();
    service.CreatedAt = this.stamp(created);
    delete service['ServiceStatus'];
    if (options.previous === undefined) delete service.PreviousSpec;
    const specs: Array<[ServiceSpec, string, string[] | undefined]> = [
      [service.Spec, options.image, options.env],
    ];
    if (service.PreviousSpec !== undefined && options.previous !== undefined) {
      specs.push([service.PreviousSpec, options.previous.image, options.previous.env]);
    }
    for (const [spec, image, env] of specs) {
      spec.Name = options.name;
      spec.Labels = {
        ...(options.stack === '' ? {} : { 'com.docker.stack.namespace': options.stack }),
        ...options.labels,
      };
      spec.Mode =
        options.replicas === null
          ? { Global: {} }
          : options.finishedJobAgoMs !== undefined
            ? {
                ReplicatedJob: {
                  MaxConcurrent: options.replicas,
                  TotalCompletions: options.replicas,
                },
              }
            : { Replicated: { Replicas: options.replicas } };
      spec.TaskTemplate.ContainerSpec.Image = image;
      if (env === undefined) delete spec.TaskTemplate.ContainerSpec['Env'];
      else spec.TaskTemplate.ContainerSpec['Env'] = env;
      spec.TaskTemplate['Placement'] =
        options.constraints === undefined ? {} : { Constraints: [...options.constraints] };
      this.attach(spec, options);
      if (options.crashLoop !== undefined) {
        spec.TaskTemplate['RestartPolicy'] = {
          Condition: 'any',
          Delay: options.crashLoop.restartDelayMs * 1_000_000,
          MaxAttempts: 0,
        };
      }
    }
    if (service.UpdateStatus !== undefined) {
      service.UpdateStatus.StartedAt = this.stamp(now - 40 * 60_000);
      service.UpdateStatus.CompletedAt = this.stamp(now - 38 * 60_000);
    }
    service.UpdatedAt = service.UpdateStatus?.CompletedAt ?? service.CreatedAt;
    service.Endpoint = this.endpointOf(service.Spec, this.services.length);
    this.services.push(service);
    this.serviceById.set(service.ID, service);
    this.byService.set(service.ID, new Set());

    const loop = options.crashLoop;
    const slots: Array<{ slot: number | null; node?: string }> =
      options.replicas === null
        ? this.nodes
            .filter((n) => takesTasks(n) && satisfies(n, service))
            .map((n) => ({ slot: null, node: n.ID }))
        : Array.from({ length: options.replicas }, (_, i) => ({ slot: i + 1 }));
    const jobRanAt = options.finishedJobAgoMs === undefined ? null : now - options.finishedJobAgoMs;
    if (jobRanAt !== null) {
      service['JobStatus'] = { JobIteration: {}, LastExecution: this.stamp(jobRanAt) };
    }
    for (const { slot, node } of slots) {
      if (jobRanAt !== null) {
        // The engine numbers a replicated job's slots from 0 and omits Slot 0.
        const done = this.makeTask(service, (slot ?? 1) - 1 || null, t.shutdown, jobRanAt);
        done.DesiredState = 'complete';
        done.Status.State = 'complete';
        done.Status.Message = 'finished';
        done.Status.ContainerStatus = {
          ContainerID: done.Status.ContainerStatus?.ContainerID ?? this.containerId(),
          PID: 0,
          ExitCode: 0,
        };
        done['JobIteration'] = {};
        this.add(done);
        continue;
      }
      if (loop !== undefined) {
        // Failures behind it, newest last, then a task that is being restarted.
        const nodeId = node ?? this.placeFor(service) ?? '';
        for (let h = this.options.historyPerTask; h >= 1; h--) {
          const at = now - h * (loop.runMs + loop.restartDelayMs);
          const old = this.makeTask(service, slot, t.failed, at, nodeId);
          old.Status.Err = `task: non-zero exit (${loop.exitCode})`;
          old.Status.ContainerStatus = {
            ContainerID: old.Status.ContainerStatus?.ContainerID ?? this.containerId(),
            PID: 0,
            ExitCode: loop.exitCode,
          };
          this.add(old);
        }
        continue;
      }
      const nodeId = node ?? this.placeFor(service);
      if (nodeId === null) {
        // Pending since the service was deployed, as a stuck task is when someone looks.
        const pending = this.startTask(service, slot, 0);
        pending.CreatedAt = this.stamp(now - 25 * 60_000);
        pending.Status.Timestamp = pending.CreatedAt;
        continue;
      }
      const age = 3600_000 + this.rand() * 20 * 3600_000;
      this.add(this.makeTask(service, slot, t.running, now - age, nodeId));
    }
    if (loop !== undefined) {
      this.crashLoops.set(service.ID, loop);
      for (const { slot, node } of slots)
        this.startTask(service, slot, loop.restartDelayMs, undefined, node);
    }
    return service;
  }

  /** Networks, secrets, configs and ports of a hand-made service, as `docker service create` sends them. */
  private attach(spec: ServiceSpec, options: AddServiceOptions): void {
    const o = this.objects;
    if (options.networks !== undefined) {
      spec.TaskTemplate['Networks'] = options.networks.map((name) => ({
        Target: o.network(name).Id,
      }));
    }
    const container = spec.TaskTemplate.ContainerSpec;
    if (options.secrets !== undefined) {
      container['Secrets'] = options.secrets.map((name) => ({
        File: { Name: name, UID: '0', GID: '0', Mode: 0o444 },
        SecretID: o.secret(name).ID,
        SecretName: name,
      }));
    }
    if (options.configs !== undefined) {
      container['Configs'] = options.configs.map(({ name, target }) => ({
        File: { Name: target, UID: '0', GID: '0', Mode: 0o444 },
        ConfigID: o.config(name).ID,
        ConfigName: name,
      }));
    }
    if (options.ports !== undefined) {
      spec['EndpointSpec'] = {
        Mode: 'vip',
        Ports: options.ports.map((p) => ({
          Protocol: 'tcp',
          TargetPort: p.target,
          PublishedPort: p.published,
          PublishMode: p.mode ?? 'ingress',
        })),
      };
    }
  }

  /** What the allocator gives a service: its ports, and a VIP on each network (ingress too when it publishes there). */
  private endpointOf(spec: ServiceSpec, index: number): unknown {
    const endpointSpec = (spec['EndpointSpec'] ?? { Mode: 'vip' }) as {
      Ports?: Array<{ PublishMode: string }>;
    };
    const ports = endpointSpec.Ports ?? [];
    const networks = ((spec.TaskTemplate['Networks'] ?? []) as Array<{ Target: string }>).map((n) =>
      this.objects.network(n.Target),
    );
    if (ports.some((p) => p.PublishMode === 'ingress'))
      networks.unshift(this.objects.network('ingress'));
    if (ports.length === 0 && networks.length === 0) return { Spec: {} };
    return {
      Spec: endpointSpec,
      ...(ports.length > 0 ? { Ports: ports } : {}),
      VirtualIPs: networks.map((n) => ({ NetworkID: n.Id, Addr: this.objects.vipOn(n, index) })),
    };
  }

  /** Sets the replica count, starting or stopping tasks at once, with the engine's event. */
  scaleService(ref: string, replicas: number): void {
    const service = this.findService(ref);
    const spec = copy(service.Spec);
    if (spec.Mode.Replicated === undefined) {
      throw new EngineError(400, `service ${ref} is not a replicated service`);
    }
    spec.Mode.Replicated.Replicas = replicas;
    this.applySpec(service, spec, false);
  }

  private converge(service: EngineService): void {
    const startMs = this.options.taskStartMs ?? 0;
    if (service.Spec.Mode.Global !== undefined) {
      // One task on every node that takes it; a drained node's task stops (a paused one's stays).
      const live = this.liveTasks(service);
      for (const task of live) {
        const node = this.nodes.find((n) => n.ID === task.NodeID);
        if (node === undefined || node.Spec.Availability === 'drain' || !satisfies(node, service)) {
          this.stopTask(task, 'shutdown', 0);
          this.trim(service.ID, undefined, task.NodeID);
        }
      }
      const covered = new Set(this.liveTasks(service).map((t) => t.NodeID));
      for (const node of this.nodes) {
        if (takesTasks(node) && satisfies(node, service) && !covered.has(node.ID)) {
          this.startTask(service, null, startMs, undefined, node.ID);
        }
      }
      return;
    }
    const replicas = service.Spec.Mode.Replicated?.Replicas;
    if (replicas === undefined) return;
    const live = this.liveTasks(service);
    const slots = new Set(live.map((t) => t.Slot));
    for (let slot = 1; slot <= replicas; slot++) {
      if (!slots.has(slot)) this.startTask(service, slot, startMs);
    }
    for (const task of live) {
      if ((task.Slot ?? 0) > replicas) {
        this.stopTask(task, 'shutdown', 137);
        // Like the engine on scale-down: the task is to be removed, not kept as history.
        task.DesiredState = 'remove';
      }
    }
    this.schedulePending(service);
  }

  /** Replaces the spec as POST /services/{id}/update does; a new task template rolls out. */
  applySpec(
    service: EngineService,
    spec: ServiceSpec,
    rollback: boolean,
    stepMs = this.options.updateStepMs ?? 500,
  ): void {
    const before = service.Spec;
    const attributes: Record<string, string> = {};
    const oldReplicas = before.Mode.Replicated?.Replicas;
    const newReplicas = spec.Mode.Replicated?.Replicas;
    if (oldReplicas !== newReplicas) {
      attributes['replicas.old'] = String(oldReplicas ?? '');
      attributes['replicas.new'] = String(newReplicas ?? '');
    }
    const oldImage = before.TaskTemplate.ContainerSpec.Image;
    const newImage = spec.TaskTemplate.ContainerSpec.Image;
    if (oldImage !== newImage) {
      attributes['image.old'] = oldImage;
      attributes['image.new'] = newImage;
    }
    const templateChanged =
      JSON.stringify(before.TaskTemplate) !== JSON.stringify(spec.TaskTemplate);
    service.PreviousSpec = before;
    service.Spec = spec;
    this.touch(service);
    this.serviceEvent(service, attributes);
    this.converge(service);
    if (templateChanged) this.rollOut(service, rollback, stepMs);
  }

  /**
   * DELETE /services/{id}: gone from the list at once, with the engine's `remove` event; its tasks
   * are asked to go (desired state `remove`), stop, and are deleted a moment later.
   */
  removeService(ref: string): void {
    const service = this.findService(ref);
    const rollout = this.rollouts.get(service.ID);
    if (rollout !== undefined) clearInterval(rollout);
    this.rollouts.delete(service.ID);
    this.crashLoops.delete(service.ID);
    this.pendingServices.delete(service.ID);
    this.services.splice(this.services.indexOf(service), 1);
    this.serviceById.delete(service.ID);
    const tasks = this.tasksOf(service.ID);
    for (const task of tasks) {
      task.DesiredState = 'remove';
      this.touch(task);
    }
    this.emit('service', 'remove', service.ID, { name: service.Spec.Name });
    this.later(Math.max(1, this.options.taskStartMs ?? 0), () => {
      for (const task of tasks) this.remove(task);
      this.byService.delete(service.ID);
    });
  }

  /** The services that name an object: its removal is refused while there is one. */
  servicesUsing(kind: 'network' | 'secret' | 'config', id: string): EngineService[] {
    return this.services.filter((s) => {
      const template = s.Spec.TaskTemplate;
      const container = template.ContainerSpec;
      if (kind === 'network') {
        const networks = (template['Networks'] ?? []) as Array<{ Target: string }>;
        return networks.some((n) => n.Target === id);
      }
      const mounts = (container[kind === 'secret' ? 'Secrets' : 'Configs'] ?? []) as Array<
        Record<string, unknown>
      >;
      return mounts.some((m) => m[kind === 'secret' ? 'SecretID' : 'ConfigID'] === id);
    });
  }

  /** DELETE /networks|secrets|configs/{id}: refused, in the engine's words, while a service uses it. */
  removeObject(kind: 'network' | 'secret' | 'config', ref: string): void {
    const o = this.objects;
    const object =
      kind === 'network' ? o.network(ref) : kind === 'secret' ? o.secret(ref) : o.config(ref);
    const id = kind === 'network' ? (object as { Id: string }).Id : (object as { ID: string }).ID;
    const name =
      kind === 'network'
        ? (object as { Name: string }).Name
        : (object as { Spec: { Name: string } }).Spec.Name;
    if (kind === 'network' && object['Ingress'] === true) {
      throw new EngineError(
        403,
        `rpc error: code = PermissionDenied desc = ${name} is a pre-defined network and cannot be removed`,
      );
    }
    const users = this.servicesUsing(kind, id);
    if (users.length > 0) {
      const names = users.map((s) => s.Spec.Name).join(', ');
      throw new EngineError(
        400,
        kind === 'network'
          ? `rpc error: code = FailedPrecondition desc = network ${id} is in use by service ${users[0]!.ID}`
          : `rpc error: code = InvalidArgument desc = ${kind} '${name}' is in use by the following service${users.length === 1 ? '' : 's'}: ${names}`,
      );
    }
    const list: object[] =
      kind === 'network' ? o.networks : kind === 'secret' ? o.secrets : o.configs;
    list.splice(list.indexOf(object), 1);
    this.generation += 1;
    this.emit(kind, 'remove', id, { name });
  }

  /** Starts a rolling update to a new image (parallelism 1, one task every stepMs). */
  startRollingUpdate(ref: string, options: RollingUpdateOptions = {}): void {
    const service = this.findService(ref);
    const spec = copy(service.Spec);
    const image = spec.TaskTemplate.ContainerSpec.Image;
    spec.TaskTemplate.ContainerSpec.Image =
      options.image ?? image.replace(/(\d+)$/, (n) => String(Number(n) + 1));
    if (spec.TaskTemplate.ContainerSpec.Image === image) {
      spec.TaskTemplate.ContainerSpec.Image += '-next';
    }
    this.applySpec(service, spec, false, options.stepMs ?? 500);
  }

  private rollOut(service: EngineService, rollback: boolean, stepMs: number): void {
    const previous = this.rollouts.get(service.ID);
    if (previous !== undefined) clearInterval(previous);
    const [started, done, inProgress, completed] = rollback
      ? ['rollback_started', 'rollback_completed', 'rollback in progress', 'rollback completed']
      : ['updating', 'completed', 'update in progress', 'update completed'];
    const startedAt = goTime(this.now(), Math.floor(this.rand() * 1e6));
    service.UpdateStatus = { State: started, StartedAt: startedAt, Message: inProgress };
    this.touch(service);
    this.serviceEvent(service, { 'updatestate.new': started });
    const target = JSON.stringify(taskSpecOf(service));
    const timer = setInterval(() => {
      const live = this.liveTasks(service);
      // Parallelism 1: the next task is replaced once the new one runs.
      if (live.some((t) => t.Status.State === 'starting')) return;
      const stale = live.find((t) => JSON.stringify(t.Spec) !== target);
      if (stale === undefined || !this.services.includes(service)) {
        clearInterval(timer);
        this.rollouts.delete(service.ID);
        service.UpdateStatus = {
          State: done,
          StartedAt: startedAt,
          CompletedAt: goTime(this.now(), Math.floor(this.rand() * 1e6)),
          Message: completed,
        };
        this.touch(service);
        this.serviceEvent(service, { 'updatestate.new': done, 'updatestate.old': started });
        return;
      }
      this.stopTask(stale, 'shutdown', 137);
      const onNode = stale.Slot === undefined ? stale.NodeID : undefined;
      this.startTask(
        service,
        stale.Slot ?? null,
        this.options.taskStartMs ?? 0,
        stale.NodeID,
        onNode,
      );
      this.trim(service.ID, stale.Slot, stale.NodeID);
    }, stepMs);
    this.rollouts.set(service.ID, timer);
  }

  /** The node's availability; draining moves its tasks elsewhere at once. */
  setNodeAvailability(ref: string, availability: string): void {
    const node = this.findNode(ref);
    const spec = { ...copy(node.Spec), Availability: availability };
    this.applyNodeSpec(node, spec);
  }

  applyNodeSpec(node: EngineNode, spec: EngineNode['Spec']): void {
    const old = node.Spec;
    node.Spec = spec;
    if (old.Role !== spec.Role) this.changeRole(node, spec.Role);
    this.touch(node);
    const attributes: Record<string, string> = {};
    if (old.Availability !== spec.Availability) {
      attributes['availability.old'] = old.Availability;
      attributes['availability.new'] = spec.Availability;
    }
    if (old.Role !== spec.Role) {
      attributes['role.old'] = old.Role;
      attributes['role.new'] = spec.Role;
    }
    this.nodeEvent(node, attributes);
    const labelsChanged = JSON.stringify(old.Labels) !== JSON.stringify(spec.Labels);
    // swarmkit's constraint enforcer: a replicated task whose constraints no longer hold on the
    // node (its labels or role changed) is shut down and placed again (a global one follows in
    // converge below).
    const moving = spec.Availability === 'drain' || labelsChanged || old.Role !== spec.Role;
    if (moving) {
      for (const task of this.tasksOn(node.ID)) {
        if (task.DesiredState !== 'running') continue;
        const service = this.serviceById.get(task.ServiceID);
        // A global service's task is not moved: that node just stops having one.
        if (service === undefined || task.Slot === undefined) continue;
        if (spec.Availability !== 'drain' && satisfies(node, service)) continue;
        this.stopTask(task, 'shutdown', 137);
        this.startTask(service, task.Slot, this.options.taskStartMs ?? 0, node.ID);
        this.trim(service.ID, task.Slot);
      }
    }
    // Global services follow the node; pending tasks may fit now (or their reason changed).
    if (old.Availability !== spec.Availability || old.Role !== spec.Role || labelsChanged) {
      for (const service of this.services) {
        if (service.Spec.Mode.Global !== undefined) this.converge(service);
        else this.schedulePending(service);
      }
    }
  }

  /**
   * Promote or demote as a swarm does: the Raft membership (ManagerStatus) follows the role; a
   * demoted leader hands leadership to another reachable manager.
   */
  private changeRole(node: EngineNode, role: string): void {
    if (role === 'manager') {
      node.ManagerStatus ??= { Reachability: 'reachable', Addr: `${node.Status.Addr}:2377` };
      return;
    }
    const wasLeader = node.ManagerStatus?.Leader === true;
    delete node.ManagerStatus;
    if (!wasLeader) return;
    const next = this.nodes.find((n) => n.ManagerStatus?.Reachability === 'reachable');
    if (next?.ManagerStatus !== undefined) next.ManagerStatus.Leader = true;
  }

  /** The node stops answering heartbeats (Status.State down), with the engine's event. */
  setNodeState(ref: string, state: 'ready' | 'down'): void {
    const node = this.findNode(ref);
    const old = node.Status.State;
    node.Status = {
      State: state,
      Addr: node.Status.Addr,
      ...(state === 'down' ? { Message: 'heartbeat failure' } : {}),
    };
    this.touch(node);
    this.nodeEvent(node, { 'state.old': old, 'state.new': state });
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const timer of this.rollouts.values()) clearInterval(timer);
    this.rollouts.clear();
    this.listeners.clear();
  }
}

/** A task's Spec: its service's task template as the orchestrator copies it (no Runtime). */
function taskSpecOf(service: EngineService): TaskTemplate {
  const { Runtime: _runtime, ...spec } = copy(service.Spec.TaskTemplate);
  return spec as TaskTemplate;
}

function unique<T>(list: T[]): T | undefined {
  return list.length === 1 ? list[0] : undefined;
}

interface Placement {
  Constraints?: string[];
}

/** What swarmkit's ReadyFilter asks of a node before anything else. */
function takesTasks(node: EngineNode): boolean {
  return node.Spec.Availability === 'active' && node.Status.State === 'ready';
}

/** What placement constraints see of a node (operations/constraints.ts evaluates them). */
function constraintNode(node: EngineNode): ConstraintNode {
  const description = node.Description as {
    Hostname: string;
    Platform?: { OS?: string; Architecture?: string };
    Engine?: { Labels?: Record<string, string> };
  };
  return {
    id: node.ID,
    hostname: description.Hostname,
    role: node.Spec.Role === 'manager' ? 'manager' : 'worker',
    address: node.Status.Addr,
    platform: {
      os: description.Platform?.OS ?? 'linux',
      arch: description.Platform?.Architecture ?? 'x86_64',
    },
    labels: node.Spec.Labels,
    engineLabels: description.Engine?.Labels ?? {},
  };
}

/** Whether a node meets every placement constraint of a service, as swarmkit decides it. */
function satisfies(node: EngineNode, service: EngineService): boolean {
  const placement = service.Spec.TaskTemplate['Placement'] as Placement | undefined;
  return nodeMatches(placement?.Constraints ?? [], constraintNode(node));
}
