// The fake engine's HTTP side: a node:http server on a UNIX socket answering the part of the
// Engine API smarm-top (and the docker CLI's `node ls`, `service ls`, `service ps`) use, with an
// optional /v1.xx prefix, the engine's error bodies ({"message": ...}) and its `filters` query
// (both the list form {"k":["v"]} and the older map form {"k":{"v":true}}). Bytes written are
// counted per request, streams included, so a benchmark can see what a client pulls.

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { existsSync, rmSync } from 'node:fs';
import {
  EngineError,
  goTime,
  type EngineEvent,
  type EngineNode,
  type EngineService,
  type EngineTask,
  type FakeCluster,
  type ServiceSpec,
} from './cluster.js';
import { logMessage, textMessage, type LogSource } from './logs.js';
import { isProbeService, level, PROBE_TICK_MS, probeLineOf } from './probe.js';
import { errorText } from '../../format/error-text.js';

export interface PathStats {
  requests: number;
  bytes: number;
}

export interface FakeEngineStats {
  requests: number;
  /** Bytes written to clients, headers included (open streams counted so far). */
  bytesSent: number;
  /**
   * By method and path with IDs as {id} and no version prefix, e.g. "GET /tasks"; a service list
   * filtered by id is "GET /services by id".
   */
  byPath: Record<string, PathStats>;
}

export interface ServerOptions {
  socketPath: string;
  /** A followed log writes one line per running task this often. */
  logIntervalMs: number;
  /** Lines each task has logged before the request (what `tail=all` returns). */
  logBacklogLines: number;
  /**
   * What the engine is to the swarm (default "manager"). A "worker" or an "inactive" engine (not
   * in a swarm) answers /info as such and every swarm call with the engine's 503.
   */
  swarm?: 'manager' | 'worker' | 'inactive';
  /** The newest Engine API it speaks, in /version and the Api-Version header (default 1.41). */
  apiVersion?: string;
  /** Docker's version, in /version, /info and the Server header (default the recorded one). */
  engineVersion?: string;
  /** A service update is applied at once but answered this much later (a slow engine). */
  updateAnswerDelayMs?: number;
}

const API_VERSION = '1.41';

// The engine's own words for swarm calls on an engine that cannot answer them (moby's
// errNoSwarm and errSwarmNotManager).
const NOT_IN_SWARM =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
/** What only a swarm manager answers (a worker or a plain engine answers 503). */
const SWARM_KINDS = new Set(['nodes', 'services', 'tasks', 'secrets', 'configs', 'swarm']);
const NOT_A_MANAGER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";

type Filters = Map<string, string[]>;

function engineVersion(cluster: FakeCluster, options: ServerOptions): string {
  return options.engineVersion ?? String(cluster.infoTemplate['ServerVersion'] ?? '20.10.24');
}

function headers(cluster: FakeCluster, options: ServerOptions): Record<string, string> {
  const version = engineVersion(cluster, options);
  return {
    'Api-Version': options.apiVersion ?? API_VERSION,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: `Docker/${version} (linux)`,
  };
}

/** The `filters` query parameter as the engine parses it. */
export function parseFilters(raw: string | null, allowed: readonly string[]): Filters {
  const filters: Filters = new Map();
  if (raw === null || raw === '') return filters;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new EngineError(400, `invalid filter: ${raw}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new EngineError(400, `invalid filter: ${raw}`);
  }
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!allowed.includes(key)) throw new EngineError(400, `invalid filter '${key}'`);
    const values = Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : typeof value === 'object' && value !== null
        ? Object.entries(value as Record<string, unknown>)
            .filter(([, on]) => on === true)
            .map(([v]) => v)
        : [];
    filters.set(key, values);
  }
  return filters;
}

/** `since`/`until` of /events and logs: Unix seconds with an optional fraction, or RFC 3339. */
export function parseTimeNano(raw: string | null): bigint | null {
  if (raw === null || raw === '') return null;
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(raw);
  if (unix !== null) {
    return BigInt(unix[1]!) * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0'));
  }
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new EngineError(400, `invalid time: ${raw}`);
  return BigInt(ms) * 1_000_000n;
}

function labelsMatch(labels: Record<string, string>, wanted: string[] | undefined): boolean {
  if (wanted === undefined) return true;
  return wanted.every((label) => {
    const eq = label.indexOf('=');
    return eq < 0 ? label in labels : labels[label.slice(0, eq)] === label.slice(eq + 1);
  });
}

/** GET /secrets and /configs with a `label` filter (`docker stack rm` finds a stack's so). */
function byLabel<T extends { Spec: { Labels: Record<string, string> } }>(
  list: T[],
  query: URLSearchParams,
): T[] {
  const wanted = parseFilters(query.get('filters'), ['label', 'name', 'id']).get('label');
  return list.filter((o) => labelsMatch(o.Spec.Labels, wanted));
}

function anyPrefix(value: string, prefixes: string[] | undefined): boolean {
  return prefixes === undefined || prefixes.some((prefix) => value.startsWith(prefix));
}

function eventJson(event: EngineEvent): string {
  const { timeNano, ...rest } = event;
  // timeNano (~1.8e18) does not fit a double: written as the engine does, digits exact.
  return `${JSON.stringify(rest).slice(0, -1)},"timeNano":${timeNano}}\n`;
}

function flag(value: string | null): boolean {
  return value !== null && value !== '' && value !== '0' && value !== 'false';
}

export class FakeEngineServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<ServerResponse>();
  private readonly live = new Map<ServerResponse, { key: string; socket: Socket; start: number }>();
  private totals: FakeEngineStats = { requests: 0, bytesSent: 0, byPath: {} };

  constructor(
    private readonly cluster: FakeCluster,
    private readonly options: ServerOptions,
  ) {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<void> {
    if (existsSync(this.options.socketPath)) rmSync(this.options.socketPath);
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const res of this.streams) res.destroy();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    if (existsSync(this.options.socketPath)) rmSync(this.options.socketPath);
  }

  stats(): FakeEngineStats {
    const byPath: Record<string, PathStats> = {};
    for (const [key, value] of Object.entries(this.totals.byPath)) byPath[key] = { ...value };
    let bytesSent = this.totals.bytesSent;
    for (const { key, socket, start } of this.live.values()) {
      const bytes = socket.bytesWritten - start;
      bytesSent += bytes;
      byPath[key] = {
        requests: byPath[key]?.requests ?? 0,
        bytes: (byPath[key]?.bytes ?? 0) + bytes,
      };
    }
    return { requests: this.totals.requests, bytesSent, byPath };
  }

  resetStats(): void {
    this.totals = { requests: 0, bytesSent: 0, byPath: {} };
    for (const entry of this.live.values()) entry.start = entry.socket.bytesWritten;
  }

  // ---- plumbing ----

  private account(req: IncomingMessage, res: ServerResponse, key: string): void {
    const socket = req.socket;
    const entry = { key, socket, start: socket.bytesWritten };
    this.live.set(res, entry);
    this.totals.requests += 1;
    const stats = (this.totals.byPath[key] ??= { requests: 0, bytes: 0 });
    stats.requests += 1;
    const done = (): void => {
      if (!this.live.delete(res)) return;
      const bytes = socket.bytesWritten - entry.start;
      this.totals.bytesSent += bytes;
      (this.totals.byPath[key] ??= { requests: 0, bytes: 0 }).bytes += bytes;
    };
    res.once('finish', done);
    res.once('close', done);
  }

  private send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
    res.writeHead(status, {
      ...headers(this.cluster, this.options),
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  private json(res: ServerResponse, body: string): void {
    this.send(res, 200, `${body}\n`);
  }

  private empty(res: ServerResponse, status: number): void {
    res.writeHead(status, { ...headers(this.cluster, this.options), 'Content-Length': 0 });
    res.end();
  }

  private fail(res: ServerResponse, error: unknown): void {
    const status = error instanceof EngineError ? error.statusCode : 500;
    const message = errorText(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    this.send(res, status, `${JSON.stringify({ message })}\n`);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://engine');
    const path = url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, '');
    // A service list filtered by id (the services that move) is no refresh of the whole list.
    const byId = path === '/services' && url.searchParams.has('filters') ? ' by id' : '';
    const key = `${req.method ?? 'GET'} ${path.replace(/^\/(services|nodes|tasks|networks|secrets|configs|containers)\/(?!json$|create$)[^/]+/, '/$1/{id}')}${byId}`;
    this.account(req, res, key);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      try {
        this.route(req.method ?? 'GET', path, url.searchParams, body, res);
      } catch (error) {
        this.fail(res, error);
      }
    });
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
    res: ServerResponse,
  ): void {
    const c = this.cluster;
    const parts = path.split('/').filter((p) => p !== '');
    const [kind, id, sub] = parts.map(decodeURIComponent);
    if ((method === 'GET' || method === 'HEAD') && path === '/_ping') {
      res.writeHead(200, {
        ...headers(c, this.options),
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-cache, no-store, must-revalidate',
        Pragma: 'no-cache',
        Swarm: { manager: 'active/manager', worker: 'active/worker', inactive: 'inactive' }[
          this.options.swarm ?? 'manager'
        ],
        'Content-Length': 2,
      });
      res.end(method === 'HEAD' ? undefined : 'OK');
      return;
    }
    if (this.options.swarm !== undefined && this.options.swarm !== 'manager') {
      if (SWARM_KINDS.has(kind ?? '')) {
        throw new EngineError(503, this.options.swarm === 'worker' ? NOT_A_MANAGER : NOT_IN_SWARM);
      }
    }
    if (method === 'GET' && parts.length === 1) {
      switch (kind) {
        case 'version':
          return this.json(res, JSON.stringify(this.version()));
        case 'info':
          return this.json(res, JSON.stringify(this.info()));
        case 'nodes':
          return this.json(res, this.listNodes(query));
        case 'services':
          return this.json(res, this.listServices(query));
        case 'tasks':
          return this.json(res, this.listTasks(query));
        case 'events':
          return this.events(query, res);
        case 'networks':
          return this.json(res, JSON.stringify(this.listNetworks(query)));
        case 'secrets':
          return this.json(res, JSON.stringify(byLabel(c.objects.secrets, query)));
        case 'configs':
          return this.json(res, JSON.stringify(byLabel(c.objects.configs, query)));
        case 'swarm':
          return this.json(res, JSON.stringify(c.objects.swarm));
      }
    }
    if (method === 'GET' && parts.length === 2 && id !== undefined) {
      if (kind === 'nodes') return this.json(res, c.toJson(c.findNode(id)));
      if (kind === 'services') return this.json(res, c.toJson(c.findService(id)));
      if (kind === 'tasks') return this.json(res, c.toJson(c.findTask(id)));
      if (kind === 'networks') return this.json(res, JSON.stringify(c.objects.network(id)));
      if (kind === 'secrets') return this.json(res, JSON.stringify(c.objects.secret(id)));
      if (kind === 'configs') return this.json(res, JSON.stringify(c.objects.config(id)));
    }
    if (method === 'GET' && sub === 'logs' && parts.length === 3 && id !== undefined) {
      if (kind === 'services' || kind === 'tasks') return this.logs(kind, id, query, res);
    }
    if (method === 'DELETE' && parts.length === 2 && id !== undefined) {
      // The engine answers a service's removal 200, the others' 204, both without a body.
      if (kind === 'services') {
        c.removeService(id);
        return this.empty(res, 200);
      }
      const objectKind = { networks: 'network', secrets: 'secret', configs: 'config' } as const;
      if (kind === 'networks' || kind === 'secrets' || kind === 'configs') {
        c.removeObject(objectKind[kind], id);
        return this.empty(res, 204);
      }
    }
    // The stats probe (issue 15): its global service is made here, and a node's engine is read
    // for its task containers and their one-shot stats (the local node: the one info names).
    if (method === 'POST' && kind === 'services' && id === 'create' && parts.length === 2) {
      return this.createService(body, res);
    }
    if (method === 'GET' && kind === 'containers' && id === 'json' && parts.length === 2) {
      return this.json(res, JSON.stringify(this.localContainers()));
    }
    if (method === 'GET' && kind === 'containers' && sub === 'stats' && id !== undefined) {
      return this.json(res, JSON.stringify(this.containerStats(id)));
    }
    if (method === 'POST' && sub === 'update' && parts.length === 3 && id !== undefined) {
      if (kind === 'services') return this.updateService(id, query, body, res);
      if (kind === 'nodes') return this.updateNode(id, query, body, res);
    }
    throw new EngineError(404, 'page not found');
  }

  // ---- reads ----

  private info(): Record<string, unknown> {
    const c = this.cluster;
    const info = structuredClone(c.infoTemplate);
    const swarm = structuredClone((info['Swarm'] ?? {}) as Record<string, unknown>);
    const leader = c.nodes[0];
    const managers = c.nodes.filter((n) => n.ManagerStatus !== undefined);
    swarm['NodeID'] = leader?.ID ?? '';
    swarm['NodeAddr'] = leader?.Status.Addr ?? '';
    swarm['LocalNodeState'] = 'active';
    swarm['ControlAvailable'] = true;
    swarm['RemoteManagers'] = managers.map((n) => ({ NodeID: n.ID, Addr: n.ManagerStatus?.Addr }));
    swarm['Nodes'] = c.nodes.length;
    swarm['Managers'] = managers.length;
    info['Swarm'] = swarm;
    info['Name'] = leader?.Description.Hostname ?? '';
    info['SystemTime'] = goTime(Date.now());
    info['ServerVersion'] = engineVersion(c, this.options);
    if (this.options.swarm === 'worker') {
      // What a worker says: its own node, not in control, the managers it knows.
      const worker = c.nodes.find((n) => n.ManagerStatus === undefined) ?? leader;
      info['Name'] = worker?.Description.Hostname ?? '';
      swarm['NodeID'] = worker?.ID ?? '';
      swarm['NodeAddr'] = worker?.Status.Addr ?? '';
      swarm['ControlAvailable'] = false;
      for (const key of ['Cluster', 'Nodes', 'Managers']) delete swarm[key];
    } else if (this.options.swarm === 'inactive') {
      info['Swarm'] = {
        NodeID: '',
        NodeAddr: '',
        LocalNodeState: 'inactive',
        ControlAvailable: false,
        Error: '',
        RemoteManagers: null,
      };
    }
    return info;
  }

  private version(): Record<string, unknown> {
    const info = this.cluster.infoTemplate;
    const version = engineVersion(this.cluster, this.options);
    const apiVersion = this.options.apiVersion ?? API_VERSION;
    return {
      Platform: { Name: '' },
      Components: [
        {
          Name: 'Engine',
          Version: version,
          Details: { ApiVersion: apiVersion, MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' },
        },
      ],
      Version: version,
      ApiVersion: apiVersion,
      MinAPIVersion: '1.12',
      GitCommit: '5d6db84',
      GoVersion: 'go1.19.8',
      Os: 'linux',
      Arch: 'amd64',
      KernelVersion: info['KernelVersion'] ?? '',
      BuildTime: '2023-05-18T16:30:47.000000000+00:00',
    };
  }

  private list<T extends object>(items: T[], toJson: (item: T) => string): string {
    return `[${items.map(toJson).join(',')}]`;
  }

  /** GET /networks: the swarm's networks (the fake engine has no local ones), by scope filter. */
  private listNetworks(query: URLSearchParams): unknown[] {
    const filters = parseFilters(query.get('filters'), ['scope', 'label']);
    const scope = filters.get('scope');
    if (scope !== undefined && !scope.includes('swarm')) return [];
    return this.cluster.objects.networks.filter((n) =>
      labelsMatch((n['Labels'] ?? {}) as Record<string, string>, filters.get('label')),
    );
  }

  private listNodes(query: URLSearchParams): string {
    const c = this.cluster;
    const raw = query.get('filters');
    const filters = parseFilters(raw, ['id', 'label', 'membership', 'name', 'node.label', 'role']);
    return c.cachedList(`nodes ${raw ?? ''}`, () => {
      const nodes = c.nodes.filter(
        (n: EngineNode) =>
          anyPrefix(n.ID, filters.get('id')) &&
          anyPrefix(n.Description.Hostname, filters.get('name')) &&
          (filters.get('role')?.includes(n.Spec.Role) ?? true) &&
          labelsMatch(n.Spec.Labels, filters.get('node.label')),
      );
      return this.list(nodes, (n) => c.toJson(n));
    });
  }

  private listServices(query: URLSearchParams): string {
    const c = this.cluster;
    const raw = query.get('filters');
    const status = flag(query.get('status'));
    const filters = parseFilters(raw, ['id', 'label', 'mode', 'name']);
    return c.cachedList(`services ${status} ${raw ?? ''}`, () => {
      const services = c.services.filter(
        (s: EngineService) =>
          anyPrefix(s.ID, filters.get('id')) &&
          anyPrefix(s.Spec.Name, filters.get('name')) &&
          labelsMatch(s.Spec.Labels, filters.get('label')) &&
          (filters.get('mode')?.some((m) => m.toLowerCase() in lowerKeys(s.Spec.Mode)) ?? true),
      );
      return this.list(services, (s) => (status ? c.serviceJsonWithStatus(s) : c.toJson(s)));
    });
  }

  private listTasks(query: URLSearchParams): string {
    const c = this.cluster;
    const raw = query.get('filters');
    const filters = parseFilters(raw, [
      'desired-state',
      'id',
      'label',
      'name',
      'node',
      'service',
      '_up-to-date',
    ]);
    // Like the engine: services and nodes are resolved first (by ID, name or prefix; 404 if not).
    const services = filters.get('service')?.map((ref) => c.findService(ref).ID);
    const nodes = filters.get('node')?.map((ref) => c.findNode(ref).ID);
    return c.cachedList(`tasks ${raw ?? ''}`, () => {
      let tasks: EngineTask[];
      if (services !== undefined) tasks = services.flatMap((id) => c.tasksOf(id));
      else if (nodes !== undefined) tasks = nodes.flatMap((id) => c.tasksOn(id));
      else tasks = [...c.tasks.values()];
      const desired = filters.get('desired-state');
      const names = filters.get('name');
      tasks = tasks.filter(
        (t) =>
          (services === undefined || services.includes(t.ServiceID)) &&
          (nodes === undefined || nodes.includes(t.NodeID)) &&
          (desired === undefined || desired.includes(t.DesiredState)) &&
          anyPrefix(t.ID, filters.get('id')) &&
          labelsMatch(t.Labels, filters.get('label')) &&
          (names === undefined || anyPrefix(c.taskName(t), names)),
      );
      return this.list(tasks, (t) => c.toJson(t));
    });
  }

  // ---- streams ----

  private openStream(res: ServerResponse, type: string): void {
    res.writeHead(200, { ...headers(this.cluster, this.options), 'Content-Type': type });
    res.flushHeaders();
    this.streams.add(res);
    res.once('close', () => this.streams.delete(res));
  }

  private events(query: URLSearchParams, res: ServerResponse): void {
    const filters = parseFilters(query.get('filters'), [
      'config',
      'container',
      'daemon',
      'event',
      'image',
      'label',
      'network',
      'node',
      'plugin',
      'scope',
      'secret',
      'service',
      'type',
      'volume',
    ]);
    const since = parseTimeNano(query.get('since'));
    const until = parseTimeNano(query.get('until'));
    const matches = (event: EngineEvent): boolean =>
      (filters.get('type')?.includes(event.Type) ?? true) &&
      (filters.get('scope')?.includes(event.scope) ?? true) &&
      (filters.get('event')?.includes(event.Action) ?? true) &&
      (filters.get('service')?.some((s) => event.Type === 'service' && matchActor(event, s)) ??
        true) &&
      (filters.get('node')?.some((n) => event.Type === 'node' && matchActor(event, n)) ?? true);
    this.openStream(res, 'application/json');
    // moby replays its buffered events from `since` on (inclusive), then follows.
    if (since !== null) {
      for (const event of this.cluster.eventLog) {
        if (
          event.timeNano >= since &&
          (until === null || event.timeNano <= until) &&
          matches(event)
        ) {
          res.write(eventJson(event));
        }
      }
    }
    const nowNano = BigInt(Date.now()) * 1_000_000n;
    if (until !== null && until <= nowNano) {
      res.end();
      return;
    }
    const unsubscribe = this.cluster.onEvent((event) => {
      if (matches(event)) res.write(eventJson(event));
    });
    let timer: ReturnType<typeof setTimeout> | null = null;
    if (until !== null) timer = setTimeout(() => res.end(), Number((until - nowNano) / 1_000_000n));
    res.once('close', () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    });
  }

  private logs(
    kind: 'services' | 'tasks',
    ref: string,
    query: URLSearchParams,
    res: ServerResponse,
  ): void {
    const c = this.cluster;
    const stdout = flag(query.get('stdout'));
    const stderr = flag(query.get('stderr'));
    if (!stdout && !stderr) {
      throw new EngineError(400, 'Bad parameters: you must choose at least one stream');
    }
    const service = kind === 'services' ? c.findService(ref) : undefined;
    if (isProbeService(service)) return this.probeLogs(service!, query, res);
    const task = kind === 'tasks' ? c.findTask(ref) : undefined;
    const tty =
      (task?.Spec.ContainerSpec.TTY ?? service?.Spec.TaskTemplate.ContainerSpec.TTY) === true;
    const options = {
      timestamps: flag(query.get('timestamps')),
      details: flag(query.get('details')),
      tty,
    };
    const tailRaw = query.get('tail') ?? 'all';
    const tail = tailRaw === 'all' || tailRaw === '' ? Infinity : Math.max(0, Number(tailRaw));
    const since = parseTimeNano(query.get('since'));
    const follow = flag(query.get('follow'));
    const wanted = (stream: number): boolean => (stream === 2 ? stderr : stdout);

    const sources = (): Array<LogSource & { task: EngineTask }> => {
      const tasks = task !== undefined ? [task] : c.tasksOf(service?.ID ?? '');
      return tasks
        .filter((t) => t.DesiredState === 'running' && t.Status.State === 'running')
        .map((t) => ({
          task: t,
          nodeId: t.NodeID,
          serviceId: t.ServiceID,
          taskId: t.ID,
          containerId: t.Status.ContainerStatus?.ContainerID ?? t.ID,
        }));
    };
    const write = (source: LogSource, n: number, atMs: number): void => {
      const message = logMessage(source, n, atMs, options);
      if (tty || wanted(message[0]!)) res.write(message);
    };

    this.openStream(
      res,
      tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream',
    );
    const start = Date.now();
    const backlog = this.options.logBacklogLines;
    const counters = new Map<string, number>();
    for (const source of sources()) {
      const first = Math.max(0, backlog - (Number.isFinite(tail) ? tail : backlog));
      for (let n = first; n < backlog; n++) {
        const at = start - (backlog - n) * 2000;
        if (since !== null && BigInt(at) * 1_000_000n <= since) continue;
        write(source, n, at);
      }
      counters.set(source.taskId, backlog);
    }
    if (!follow) {
      res.end();
      return;
    }
    const timer = setInterval(() => {
      for (const source of sources()) {
        const n = counters.get(source.taskId) ?? 0;
        counters.set(source.taskId, n + 1);
        write(source, n, Date.now());
      }
    }, this.options.logIntervalMs);
    res.once('close', () => clearInterval(timer));
  }

  /**
   * A probe service's logs: each of its running tasks prints one line per running task of its
   * node every tick, as `smarm-top probe` would (demo/engine/probe.ts makes up the figures).
   */
  private probeLogs(service: EngineService, query: URLSearchParams, res: ServerResponse): void {
    const c = this.cluster;
    const options = {
      timestamps: flag(query.get('timestamps')),
      details: flag(query.get('details')),
      tty: false,
    };
    this.openStream(res, 'application/vnd.docker.multiplexed-stream');
    if (!flag(query.get('follow'))) {
      res.end();
      return;
    }
    let n = 0;
    const tick = (): void => {
      const at = Date.now();
      for (const probe of c.tasksOf(service.ID)) {
        if (probe.DesiredState !== 'running' || probe.Status.State !== 'running') continue;
        const source = {
          nodeId: probe.NodeID,
          serviceId: service.ID,
          taskId: probe.ID,
          containerId: probe.Status.ContainerStatus?.ContainerID ?? probe.ID,
        };
        for (const task of c.tasksOn(probe.NodeID)) {
          if (task.ServiceID === service.ID || task.Status.State !== 'running') continue;
          const name = c.findService(task.ServiceID).Spec.Name;
          res.write(textMessage(source, probeLineOf(task, name, at), n++, at, options));
        }
      }
    };
    const first = setTimeout(tick, 300);
    const timer = setInterval(tick, PROBE_TICK_MS);
    res.once('close', () => {
      clearTimeout(first);
      clearInterval(timer);
    });
  }

  // ---- the stats probe (issue 15): a node's own engine, as `smarm-top probe` reads it ----

  /** The running task containers of the node this engine is (the first node). */
  private localContainers(): Array<Record<string, unknown>> {
    const c = this.cluster;
    const local = c.nodes[0]?.ID ?? '';
    return c
      .tasksOn(local)
      .filter((t) => t.Status.State === 'running')
      .map((t) => ({
        Id: t.Status.ContainerStatus?.ContainerID ?? t.ID,
        Image: t.Spec.ContainerSpec.Image,
        State: 'running',
        Status: 'Up 2 hours',
        Labels: {
          'com.docker.swarm.task.id': t.ID,
          'com.docker.swarm.task.name': c.taskName(t),
          'com.docker.swarm.service.id': t.ServiceID,
          'com.docker.swarm.node.id': t.NodeID,
        },
      }));
  }

  /** One-shot stats of a container: CPU and memory moving with the clock, as an engine reads. */
  private containerStats(id: string): Record<string, unknown> {
    const now = Date.now();
    const own = level(id);
    const share = 0.01 + own / 2;
    return {
      read: new Date(now).toISOString(),
      cpu_stats: {
        cpu_usage: { total_usage: Math.round(now * 1e6 * share) },
        system_cpu_usage: now * 1e6 * 2,
        online_cpus: 2,
      },
      memory_stats: {
        usage: (20 + Math.floor(own * 200)) * 1024 * 1024,
        limit: 512 * 1024 * 1024,
        stats: { inactive_file: 1024 * 1024 },
      },
    };
  }

  // ---- writes ----

  /** POST /services/create: a plain service (the stats probe's is the one smarm-top makes). */
  private createService(body: string, res: ServerResponse): void {
    const c = this.cluster;
    const spec = this.readSpec<Partial<ServiceSpec>>(body);
    const name = typeof spec.Name === 'string' ? spec.Name : '';
    const image = spec.TaskTemplate?.ContainerSpec?.Image ?? '';
    if (name === '' || image === '') {
      throw new EngineError(
        400,
        'rpc error: code = InvalidArgument desc = name and image are required',
      );
    }
    if (c.services.some((s) => s.Spec.Name === name)) {
      throw new EngineError(
        409,
        `rpc error: code = AlreadyExists desc = name conflicts with an existing object: service ${name} already exists`,
      );
    }
    const replicas =
      spec.Mode?.Global !== undefined ? null : (spec.Mode?.Replicated?.Replicas ?? 1);
    const made = c.addService({ name, stack: '', image, replicas, labels: { ...spec.Labels } });
    res.writeHead(201, { ...headers(c, this.options), 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ID: made.ID, Warnings: null }));
  }

  private readSpec<T>(body: string): T {
    try {
      const spec = JSON.parse(body) as unknown;
      if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) return spec as T;
    } catch {
      // below
    }
    throw new EngineError(400, 'invalid JSON body');
  }

  private checkVersion(current: number, query: URLSearchParams): void {
    const version = Number(query.get('version'));
    if (!Number.isInteger(version) || query.get('version') === null) {
      throw new EngineError(400, 'invalid service version');
    }
    if (version !== current) {
      throw new EngineError(500, 'rpc error: code = Unknown desc = update out of sequence');
    }
  }

  private updateService(
    ref: string,
    query: URLSearchParams,
    body: string,
    res: ServerResponse,
  ): void {
    const c = this.cluster;
    const service = c.findService(ref);
    this.checkVersion(service.Version.Index, query);
    const spec = this.readSpec<ServiceSpec>(body);
    if (query.get('rollback') === 'previous') {
      if (service.PreviousSpec === undefined) {
        throw new EngineError(
          500,
          `rpc error: code = FailedPrecondition desc = service ${service.ID} does not have a previous spec`,
        );
      }
      c.applySpec(service, structuredClone(service.PreviousSpec), true);
    } else {
      if (typeof spec.Name !== 'string' || typeof spec.TaskTemplate?.ContainerSpec !== 'object') {
        throw new EngineError(
          400,
          'rpc error: code = InvalidArgument desc = ContainerSpec: missing',
        );
      }
      c.applySpec(service, spec, false);
    }
    const answer = (): void => {
      if (!res.destroyed) this.json(res, JSON.stringify({ Warnings: null }));
    };
    const delay = this.options.updateAnswerDelayMs ?? 0;
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  }

  private updateNode(ref: string, query: URLSearchParams, body: string, res: ServerResponse): void {
    const c = this.cluster;
    const node = c.findNode(ref);
    this.checkVersion(node.Version.Index, query);
    const spec = this.readSpec<EngineNode['Spec']>(body);
    if (spec.Role !== 'manager' && spec.Role !== 'worker') {
      throw new EngineError(400, `invalid Role: ${String(spec.Role)}`);
    }
    if (!['active', 'pause', 'drain'].includes(spec.Availability)) {
      throw new EngineError(400, `invalid Availability: ${String(spec.Availability)}`);
    }
    spec.Labels ??= {};
    const managers = c.nodes.filter((n) => n.ManagerStatus !== undefined);
    if (spec.Role === 'worker' && node.ManagerStatus !== undefined && managers.length === 1) {
      // The engine's own refusal, word for word.
      throw new EngineError(
        400,
        'rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm',
      );
    }
    c.applyNodeSpec(node, spec);
    res.writeHead(200, { ...headers(c, this.options), 'Content-Length': 0 });
    res.end();
  }
}

function lowerKeys(object: object): Record<string, true> {
  const out: Record<string, true> = {};
  for (const key of Object.keys(object)) out[key.toLowerCase()] = true;
  return out;
}

function matchActor(event: EngineEvent, ref: string): boolean {
  return event.Actor.ID === ref || event.Actor.Attributes['name'] === ref;
}
