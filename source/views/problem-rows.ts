// The problems view: what is broken and why, most urgent first. Pure; every row says where its
// evidence lives (a list, filtered) so Enter can take the operator there.
import { taskName } from '../format/task-name.js';
import type { LastWords, SwarmCluster, SwarmNode, SwarmService, SwarmTask } from '../model.js';
import type { TaskScope } from '../model.js';
import {
  failedJobSlots,
  isJob,
  isJobUnfinished,
  isManagerReachable,
  isServiceDegraded as isDegraded,
  isTaskProblem,
  jobProgress,
  outdatedJobFailures,
  isTaskWaiting as isWaiting,
  isUpdateTrouble,
  RECENT_FAILURE_MS,
  timeMs,
} from '../health.js';
import { isNetworkJoinFailure, joinFailureWords, networksNamedBy } from './network-errors.js';
import { caDaysLeft, CA_WARN_DAYS, isEvenManagerCount, nodesOnOldCa } from './swarm-trust.js';
import { portName, portRows } from './port-rows.js';
import { exitWords, taskEndMeaning } from '../format/exit-codes.js';
import { restartRate, restartRateText } from '../format/restarts.js';
import { memoLast } from '../format/memo.js';

/** Tasks by state time, newest first (each time read once, not once per comparison). */
function newestFirst(tasks: readonly SwarmTask[]): SwarmTask[] {
  return tasks
    .map((task) => ({ task, at: timeMs(task.stateSince) ?? 0 }))
    .sort((a, b) => b.at - a.at)
    .map(({ task }) => task);
}

/** `network`: tasks the engine rejected because they could not join one of their networks. */
/** `ports`: host-mode published ports that cannot all be served (claimed twice, too many replicas). */

export type ProblemKind =
  'quorum' | 'node' | 'service' | 'tasks' | 'network' | 'rollout' | 'trust' | 'ports';

/** Where Enter on a problem goes: a list view with a filter, or tasks of a scope. */
export type ProblemJump =
  | { view: 'services' | 'nodes' | 'swarm'; filter: string; selectId: string | null }
  | { view: 'ports'; filter: string; selectId: string | null }
  | { view: 'tasks'; scope: TaskScope; filter: string };

export interface ProblemRow {
  id: string;
  kind: ProblemKind;
  severity: 'bad' | 'warn';
  /** The problem in a few words ("crashy: 0/1 running"). */
  what: string;
  /** Why, and what is affected (the engine's own words where it has some). */
  detail: string;
  count: number;
  /** The services it is about (none for nodes and quorum): what `!` keeps in the services list. */
  serviceIds: string[];
  jump: ProblemJump;
  /** A group of pending tasks: its newest task, the one `e` explains. */
  pendingTaskId?: string;
  /** The newest failed task that ran, whose last lines the row shows (live/last-words.ts). */
  lastWords?: ProblemWords;
}

/** A crashed task's last lines, as a problem row carries them. */
export interface ProblemWords {
  taskId: string;
  /** "crashy.1". */
  task: string;
  /** What its exit means ("exit 3: the program's own error"), if anything. */
  meaning: string | null;
  /** Null until fetched. */
  words: LastWords | null;
}

function isNewer(task: SwarmTask, than: SwarmTask | null): boolean {
  return than === null || (timeMs(task.stateSince) ?? 0) > (timeMs(than.stateSince) ?? 0);
}

/** What the rows need to show last words, exit meanings and restart rates. */
interface WordsContext {
  lastWords: Readonly<Record<string, LastWords>>;
  serviceNames: Map<string, string>;
  tasks: SwarmTask[];
  nowMs: number;
  taskHistory: number | null;
}

function wordsOf(task: SwarmTask | null | undefined, ctx: WordsContext): ProblemWords | undefined {
  if (!task) return undefined;
  const service = ctx.serviceNames.get(task.serviceId) ?? task.serviceId.slice(0, 12);
  return {
    taskId: task.id,
    task: taskName(service, task, (task.nodeId ?? '').slice(0, 12)),
    meaning: taskEndMeaning(task),
    words: ctx.lastWords[task.id] ?? null,
  };
}

/** " · 14 restarts in 10 min", or nothing. */
function rateOf(serviceId: string, ctx: WordsContext): string {
  const text = restartRateText(restartRate(ctx.tasks, serviceId, ctx.nowMs, ctx.taskHistory));
  return text === null ? '' : ` · ${text}`;
}

/** A task that ran and failed: its container may have said why. */
export function hasLastWords(task: SwarmTask): boolean {
  return task.state === 'failed' && task.containerId !== null;
}

/** The newest task that ran and failed (whose last words a status line quotes), if any. */
export function newestCrashed<T>(rows: readonly T[], taskOf: (row: T) => SwarmTask): T | null {
  let newest: T | null = null;
  for (const row of rows) {
    const task = taskOf(row);
    if (hasLastWords(task) && isNewer(task, newest === null ? null : taskOf(newest))) newest = row;
  }
  return newest;
}

/**
 * The words a group of failing tasks shares: the engine's error, else its state message. They
 * are also what the task list is filtered by when Enter jumps to the group.
 */
export function taskReason(task: SwarmTask): string {
  return task.error?.trim() || task.message.trim();
}

function listOf(names: Iterable<string>, max = 3): string {
  const all = [...new Set(names)].filter((n) => n !== '').sort();
  if (all.length <= max) return all.join(', ');
  return `${all.slice(0, max).join(', ')} and ${all.length - max} more`;
}

export interface Quorum {
  managers: SwarmNode[];
  reachable: SwarmNode[];
  needed: number;
  /** Managers that can still be lost before the swarm loses quorum (negative: lost). */
  spare: number;
}

/** The swarm's Raft quorum: the problems view and the managers view read this one verdict. */
export function quorumOf(nodes: SwarmNode[]): Quorum {
  const managers = nodes.filter((n) => n.manager !== null);
  const reachable = managers.filter(isManagerReachable);
  const needed = Math.floor(managers.length / 2) + 1;
  return { managers, reachable, needed, spare: reachable.length - needed };
}

function quorumRows(nodes: SwarmNode[]): ProblemRow[] {
  const { managers, reachable, needed, spare } = quorumOf(nodes);
  if (managers.length === 0) return [];
  const lost = managers.filter((n) => !reachable.includes(n)).map((n) => n.hostname);
  const jump: ProblemJump = { view: 'nodes', filter: 'manager', selectId: null };
  const counts = `${reachable.length} of ${managers.length} managers reachable, ${needed} needed`;
  if (spare < 0) {
    return [
      {
        id: 'quorum',
        kind: 'quorum',
        severity: 'bad',
        what: 'quorum lost',
        detail: `${counts}: the swarm cannot be changed until managers return (${listOf(lost)} unreachable)`,
        count: lost.length,
        jump,
        serviceIds: [],
      },
    ];
  }
  if (lost.length > 0) {
    return [
      {
        id: 'quorum',
        kind: 'quorum',
        severity: spare === 0 ? 'bad' : 'warn',
        what: `${lost.length} manager${lost.length === 1 ? '' : 's'} unreachable`,
        detail: `${listOf(lost)}; ${counts}: ${spare === 0 ? 'losing one more loses quorum' : `${spare} more can be lost`}`,
        count: lost.length,
        jump,
        serviceIds: [],
      },
    ];
  }
  if (isEvenManagerCount(managers.length) && managers.length > 2) {
    return [
      {
        id: 'quorum',
        kind: 'quorum',
        severity: 'warn',
        what: `${managers.length} managers: an even count`,
        detail: `quorum ${needed}, can lose ${spare}: ${managers.length - 1} managers tolerate as many losses (an even count adds no tolerance)`,
        count: managers.length,
        jump,
        serviceIds: [],
      },
    ];
  }
  if (managers.length === 2) {
    return [
      {
        id: 'quorum',
        kind: 'quorum',
        severity: 'warn',
        what: 'two managers',
        detail: 'losing either one loses quorum: three managers tolerate the loss of one',
        count: 2,
        jump,
        serviceIds: [],
      },
    ];
  }
  return [];
}

/** The swarm's trust: a root CA near or past its expiry, nodes still on an old CA. */
function trustRows(nodes: SwarmNode[], swarm: SwarmCluster | null, nowMs: number): ProblemRow[] {
  if (swarm === null) return [];
  const rows: ProblemRow[] = [];
  const days = caDaysLeft(swarm, nowMs);
  if (days !== null && days < CA_WARN_DAYS) {
    rows.push({
      id: 'ca-expiry',
      kind: 'trust',
      severity: days < 0 ? 'bad' : 'warn',
      what: days < 0 ? 'root CA expired' : `root CA expires in ${days} day${days === 1 ? '' : 's'}`,
      detail: `${swarm.rootCa?.subject || 'the root CA'}, valid until ${swarm.rootCa?.notAfter?.slice(0, 10) ?? '?'}: docker swarm ca --rotate makes a new one`,
      count: 1,
      jump: { view: 'swarm', filter: '', selectId: 'ca-expiry' },
      serviceIds: [],
    });
  }
  const old = nodesOnOldCa(nodes, swarm);
  if (old.length > 0) {
    rows.push({
      id: 'ca-old-nodes',
      kind: 'trust',
      severity: 'warn',
      what: `${old.length} node${old.length === 1 ? '' : 's'} on an old CA`,
      detail: `${listOf(old.map((n) => n.hostname))}: certificate issuer is not the current root's${swarm.rootRotationInProgress ? ' (CA rotation in progress)' : ''}`,
      count: old.length,
      jump: { view: 'swarm', filter: '', selectId: 'ca-old-nodes' },
      serviceIds: [],
    });
  }
  return rows;
}

function nodeRows(nodes: SwarmNode[]): ProblemRow[] {
  const rows: ProblemRow[] = [];
  for (const node of nodes) {
    const jump: ProblemJump = { view: 'nodes', filter: node.hostname, selectId: node.id };
    if (node.state !== 'ready') {
      rows.push({
        id: `node-state:${node.id}`,
        kind: 'node',
        severity: 'bad',
        what: `node ${node.hostname} ${node.state}`,
        detail: node.statusMessage || `the node's status is ${node.state}`,
        count: 1,
        jump,
        serviceIds: [],
      });
    }
    if (node.availability !== 'active') {
      rows.push({
        id: `node-availability:${node.id}`,
        kind: 'node',
        severity: 'warn',
        what: `node ${node.hostname} ${node.availability === 'drain' ? 'drained' : 'paused'}`,
        detail:
          node.availability === 'drain'
            ? 'no tasks run here; A activates it'
            : 'no new tasks are placed here; A activates it',
        count: 1,
        jump,
        serviceIds: [],
      });
    }
  }
  return rows;
}

/** A job whose newest attempt in some slot failed: a problem until a retry completes. */
function jobRow(service: SwarmService, tasks: SwarmTask[], jump: ProblemJump): ProblemRow | null {
  const failed = failedJobSlots(service, tasks);
  const job = jobProgress(service);
  if (failed.length === 0 || job === null) return null;
  const n = failed.length;
  const why = taskReason(failed[0]!);
  return {
    id: `service:${service.id}`,
    kind: 'service',
    severity: 'bad',
    what: `${service.name}: job failing, ${job.completed}/${job.total} completed`,
    detail: `${n} task${n === 1 ? '' : 's'} failed and not completed since${why ? `; newest task error: ${why}` : ''}`,
    count: n,
    jump,
    serviceIds: [service.id],
  };
}

function serviceRows(
  services: SwarmService[],
  reasons: Map<string, string>,
  tasks: SwarmTask[],
  ran: Map<string, SwarmTask> = new Map(),
  ctx: WordsContext | null = null,
): ProblemRow[] {
  const rows: ProblemRow[] = [];
  for (const service of services) {
    const jump: ProblemJump = { view: 'services', filter: service.name, selectId: service.id };
    const job = jobRow(service, tasks, jump);
    if (job !== null) rows.push(job);
    if (isDegraded(service) && service.running < service.desired) {
      const why = reasons.get(service.id) ?? service.updateMessage ?? '';
      const crashed = ctx === null ? undefined : wordsOf(ran.get(service.id), ctx);
      const meaning = crashed ? exitWords(ran.get(service.id)!) : null;
      const rate = ctx === null ? '' : rateOf(service.id, ctx);
      rows.push({
        id: `service:${service.id}`,
        kind: 'service',
        severity: 'bad',
        what: `${service.name}: ${service.running}/${service.desired} running`,
        detail: `${why ? `newest task error: ${why}${meaning ? ` — ${meaning}` : ''}` : 'below its desired count'}${rate}`,
        count: service.desired - service.running,
        jump,
        serviceIds: [service.id],
        ...(crashed ? { lastWords: crashed } : {}),
      });
    }
    if (isUpdateTrouble(service.updateState)) {
      const state = (service.updateState ?? '').replace('_', ' ');
      rows.push({
        id: `rollout:${service.id}`,
        kind: 'rollout',
        severity: service.updateState === 'paused' ? 'bad' : 'warn',
        what: `${service.name}: update ${state}`,
        detail: service.updateMessage ?? '',
        count: 1,
        jump,
        serviceIds: [service.id],
      });
    }
  }
  return rows;
}

interface TaskGroup {
  reason: string;
  /** Stuck waiting for a node, not failed: said in the row ("1 task pending: no suitable node"). */
  pending: boolean;
  tasks: SwarmTask[];
  services: string[];
  nodes: string[];
  newest: number;
  /** The newest of its tasks that ran and failed (its last words are fetched). */
  ran: SwarmTask | null;
}

function taskGroups(
  tasks: SwarmTask[],
  serviceNames: Map<string, string>,
  nodeNames: Map<string, string>,
  nowMs: number,
): TaskGroup[] {
  const groups = new Map<string, TaskGroup>();
  for (const task of tasks) {
    if (!isTaskProblem(task, nowMs)) continue;
    const reason = taskReason(task);
    const pending = isWaiting(task);
    const key = `${pending ? 'pending' : 'failed'}:${reason}`;
    const group = groups.get(key) ?? {
      reason,
      pending,
      tasks: [],
      services: [],
      nodes: [],
      newest: 0,
      ran: null,
    };
    if (hasLastWords(task) && isNewer(task, group.ran)) group.ran = task;
    group.tasks.push(task);
    group.services.push(serviceNames.get(task.serviceId) ?? task.serviceId.slice(0, 12));
    if (task.nodeId) group.nodes.push(nodeNames.get(task.nodeId) ?? task.nodeId.slice(0, 12));
    group.newest = Math.max(group.newest, timeMs(task.stateSince) ?? 0);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => b.tasks.length - a.tasks.length || b.newest - a.newest,
  );
}

function taskRows(
  groups: TaskGroup[],
  troubled: string[],
  ctx: WordsContext | null = null,
): ProblemRow[] {
  return groups.map((group): ProblemRow => {
    const services = [...new Set(group.tasks.map((t) => t.serviceId))];
    const scope: TaskScope =
      services.length === 1
        ? { kind: 'service', id: services[0]! }
        : { kind: 'troubled', ids: troubled };
    const nodes = group.nodes.length > 0 ? ` · on ${listOf(group.nodes)}` : '';
    const n = group.tasks.length;
    const state = group.pending ? 'pending' : '';
    const tasks = `${n} task${n === 1 ? '' : 's'}`;
    // The category first, then the engine's own words: "2 tasks could not join network front: …".
    if (!group.pending && isNetworkJoinFailure(group.reason)) {
      const networks = joinFailureWords(networksNamedBy(group.reason, group.tasks));
      return {
        id: `network:${group.reason}`,
        kind: 'network',
        severity: 'bad',
        what: `${tasks} ${networks}: ${group.reason}`,
        detail: `${listOf(group.services)}${nodes}`,
        count: n,
        serviceIds: services,
        jump: { view: 'tasks', scope, filter: group.reason },
      };
    }
    const crashed = ctx === null ? undefined : wordsOf(group.ran, ctx);
    const meaning = group.pending ? null : exitWords(group.ran ?? group.tasks[0]!);
    const rate = ctx !== null && services.length === 1 ? rateOf(services[0]!, ctx) : '';
    const unplaced = group.pending ? group.tasks.filter((t) => t.nodeId === null) : [];
    const newest = newestFirst(unplaced)[0];
    return {
      ...(newest === undefined ? {} : { pendingTaskId: newest.id }),
      id: `tasks:${state}:${group.reason}`,
      kind: 'tasks',
      severity: 'bad',
      what: `${tasks}${state ? ` ${state}` : ''}: ${group.reason || 'no reason given'}`,
      detail: `${listOf(group.services)}${nodes}${meaning ? ` · ${meaning}` : ''}${rate}`,
      count: n,
      serviceIds: services,
      jump: { view: 'tasks', scope, filter: group.reason },
      ...(crashed ? { lastWords: crashed } : {}),
    };
  });
}

/**
 * Host-mode ports that cannot all be served: two services publishing the same port and protocol
 * (a node runs only one task holding it), and a replicated service with more replicas than nodes
 * able to take one. The scheduler leaves the rest pending: "host-mode port already in use".
 */
function portProblems(services: SwarmService[], nodes: SwarmNode[]): ProblemRow[] {
  const rows: ProblemRow[] = [];
  const seen = new Set<string>();
  // Asked for only when two services claim a port (a map of every service at each refresh else).
  let ids: Map<string, string> | undefined;
  const idOf = (name: string): string =>
    (ids ??= new Map(services.map((s) => [s.name, s.id]))).get(name) ?? name;
  // Only host-mode ports can conflict or overreach: the others' rows (most services publish
  // through the routing mesh) are not built at each refresh.
  const hostPublishers = services.filter((s) =>
    s.ports.some((p) => p.mode === 'host' && p.published !== 0),
  );
  for (const port of portRows(hostPublishers, nodes, null)) {
    const name = portName(port.published, port.protocol);
    if (port.conflicts.length > 0 && !seen.has(name)) {
      seen.add(name);
      const claimants = [port.serviceName, ...port.conflicts].sort();
      rows.push({
        id: `ports:conflict:${name}`,
        kind: 'ports',
        severity: 'bad',
        what: `host port ${name} published by ${claimants.length} services`,
        detail: `${listOf(claimants)}: a node runs only one task holding it, the others stay pending`,
        count: claimants.length,
        serviceIds: claimants.map(idOf),
        jump: { view: 'ports', filter: `:${name}`, selectId: null },
      });
    }
    if (port.overreach !== null) {
      const { replicas, eligible } = port.overreach;
      rows.push({
        id: `ports:overreach:${port.serviceId}:${name}`,
        kind: 'ports',
        severity: 'bad',
        what: `${port.serviceName}: ${replicas} replicas on host port ${name}`,
        detail: `${eligible} node${eligible === 1 ? '' : 's'} can take one: a host-mode port allows one task per node, ${replicas - eligible} stay pending`,
        count: replicas - eligible,
        serviceIds: [port.serviceId],
        jump: { view: 'ports', filter: port.serviceName, selectId: port.id },
      });
    }
  }
  return rows;
}

/**
 * What problemRows reads of the services alone, kept while the list is the same array: at idle
 * the list does not change, but every 5 s tick of the clock asks for the problems again, and at
 * 5,000 services walking the list was about a quarter of an idle refresh's CPU.
 */
interface ServiceIndex {
  names: Map<string, string>;
  jobs: SwarmService[];
  /** The services that can have a row of their own: jobs, below their count, rolling back or paused. */
  candidates: SwarmService[];
  /** Host-mode ports conflicting or overreaching (they depend on the services and nodes only). */
  ports: ProblemRow[];
}

const serviceIndex = memoLast((services: SwarmService[], nodes: SwarmNode[]): ServiceIndex => ({
  names: new Map(services.map((s) => [s.id, s.name])),
  jobs: services.filter(isJob),
  candidates: services.filter(
    (s) => isJob(s) || (isDegraded(s) && s.running < s.desired) || isUpdateTrouble(s.updateState),
  ),
  ports: portProblems(services, nodes),
}));

export interface ProblemInput {
  nodes: SwarmNode[];
  services: SwarmService[];
  /** Tasks of the troubled services (may be empty while they load). */
  tasks: SwarmTask[];
  troubled: string[];
  nowMs: number;
  /** GET /swarm (its CA): null or absent until read. */
  swarm?: SwarmCluster | null;
  /** Last words fetched so far, by task id (live/last-words.ts); rows name their task either way. */
  lastWords?: Readonly<Record<string, LastWords>>;
  /** The swarm's TaskHistoryRetentionLimit, when known (restart counts are bounded by it). */
  taskHistory?: number | null;
}

/** Every current problem, most urgent first; an empty list means a healthy swarm. */
export function problemRows({
  nodes,
  services,
  tasks: allTasks,
  troubled,
  nowMs,
  swarm = null,
  lastWords = {},
  taskHistory = null,
}: ProblemInput): ProblemRow[] {
  const index = serviceIndex(services, nodes);
  const serviceNames = index.names;
  const nodeNames = new Map(nodes.map((n) => [n.id, n.hostname]));
  // A job's failures made good by a later attempt, or of an earlier run, are not problems.
  const outdated = new Set<string>();
  for (const job of index.jobs) {
    for (const id of outdatedJobFailures(job, allTasks)) outdated.add(id);
  }
  const tasks = outdated.size === 0 ? allTasks : allTasks.filter((t) => !outdated.has(t.id));
  const groups = taskGroups(tasks, serviceNames, nodeNames, nowMs);
  // A service row quotes the newest error of its own failing tasks.
  const reasons = new Map<string, string>();
  const ran = new Map<string, SwarmTask>();
  const ctx: WordsContext = { lastWords, serviceNames, tasks, nowMs, taskHistory };
  for (const task of newestFirst(tasks)) {
    if (isTaskProblem(task, nowMs) && !reasons.has(task.serviceId)) {
      reasons.set(task.serviceId, taskReason(task));
    }
    if (isTaskProblem(task, nowMs) && hasLastWords(task) && !ran.has(task.serviceId)) {
      ran.set(task.serviceId, task);
    }
  }
  const nodeProblems = nodeRows(nodes);
  const down = nodeProblems.filter((r) => r.severity === 'bad');
  const parked = nodeProblems.filter((r) => r.severity !== 'bad');
  const serviceProblems = serviceRows(index.candidates, reasons, tasks, ran, ctx);
  return [
    ...quorumRows(nodes),
    ...down,
    ...serviceProblems.filter((r) => r.kind === 'service'),
    ...taskRows(groups, troubled, ctx),
    ...serviceProblems.filter((r) => r.kind === 'rollout'),
    ...trustRows(nodes, swarm, nowMs),
    ...index.ports,
    ...parked,
  ];
}

/** The one line a healthy swarm gets. */
export function healthyLine(nodes: SwarmNode[], services: SwarmService[]): string {
  const ready = nodes.filter((n) => n.state === 'ready').length;
  const minutes = RECENT_FAILURE_MS / 60_000;
  // How close to losing quorum is the one thing a healthy swarm can still be asked.
  const { managers, spare } = quorumOf(nodes);
  const margin =
    managers.length === 0
      ? ''
      : ` Quorum: ${managers.length} manager${managers.length === 1 ? '' : 's'}, ${spare === 0 ? 'none' : spare} can be lost.`;
  return `No problems: ${ready}/${nodes.length} nodes ready, ${services.length} services at their desired count, no failed tasks in the last ${minutes} minutes.${margin}`;
}

/**
 * Services below their count or in a troubled rollout, and jobs still running (whether a job
 * fails shows only in its tasks): what the problems view polls tasks for.
 */
export function troubledNow(services: readonly SwarmService[]): string[] {
  return services.filter((s) => isDegraded(s) || isJobUnfinished(s)).map((s) => s.id);
}
