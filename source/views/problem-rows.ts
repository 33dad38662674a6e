// The problems view: what is broken and why, most urgent first. Pure; every row says where its
// evidence lives (a list, filtered) so Enter can take the operator there.
import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';
import type { TaskScope } from '../model.js';
import {
  failedJobSlots,
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

/** `network`: tasks the engine rejected because they could not join one of their networks. */
export type ProblemKind = 'quorum' | 'node' | 'service' | 'tasks' | 'network' | 'rollout';

/** Where Enter on a problem goes: a list view with a filter, or tasks of a scope. */
export type ProblemJump =
  | { view: 'services' | 'nodes'; filter: string; selectId: string | null }
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
): ProblemRow[] {
  const rows: ProblemRow[] = [];
  for (const service of services) {
    const jump: ProblemJump = { view: 'services', filter: service.name, selectId: service.id };
    const job = jobRow(service, tasks, jump);
    if (job !== null) rows.push(job);
    if (isDegraded(service) && service.running < service.desired) {
      const why = reasons.get(service.id) ?? service.updateMessage ?? '';
      rows.push({
        id: `service:${service.id}`,
        kind: 'service',
        severity: 'bad',
        what: `${service.name}: ${service.running}/${service.desired} running`,
        detail: why ? `newest task error: ${why}` : 'below its desired count',
        count: service.desired - service.running,
        jump,
        serviceIds: [service.id],
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
    };
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

function taskRows(groups: TaskGroup[], troubled: string[]): ProblemRow[] {
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
    const unplaced = group.pending ? group.tasks.filter((t) => t.nodeId === null) : [];
    const newest = unplaced.sort(
      (a, b) => (timeMs(b.stateSince) ?? 0) - (timeMs(a.stateSince) ?? 0),
    )[0];
    return {
      ...(newest === undefined ? {} : { pendingTaskId: newest.id }),
      id: `tasks:${state}:${group.reason}`,
      kind: 'tasks',
      severity: 'bad',
      what: `${tasks}${state ? ` ${state}` : ''}: ${group.reason || 'no reason given'}`,
      detail: `${listOf(group.services)}${nodes}`,
      count: n,
      serviceIds: services,
      jump: { view: 'tasks', scope, filter: group.reason },
    };
  });
}

export interface ProblemInput {
  nodes: SwarmNode[];
  services: SwarmService[];
  /** Tasks of the troubled services (may be empty while they load). */
  tasks: SwarmTask[];
  troubled: string[];
  nowMs: number;
}

/** Every current problem, most urgent first; an empty list means a healthy swarm. */
export function problemRows({
  nodes,
  services,
  tasks: allTasks,
  troubled,
  nowMs,
}: ProblemInput): ProblemRow[] {
  const serviceNames = new Map(services.map((s) => [s.id, s.name]));
  const nodeNames = new Map(nodes.map((n) => [n.id, n.hostname]));
  // A job's failures made good by a later attempt, or of an earlier run, are not problems.
  const outdated = new Set(services.flatMap((s) => [...outdatedJobFailures(s, allTasks)]));
  const tasks = outdated.size === 0 ? allTasks : allTasks.filter((t) => !outdated.has(t.id));
  const groups = taskGroups(tasks, serviceNames, nodeNames, nowMs);
  // A service row quotes the newest error of its own failing tasks.
  const reasons = new Map<string, string>();
  const newestFirst = [...tasks].sort(
    (a, b) => (timeMs(b.stateSince) ?? 0) - (timeMs(a.stateSince) ?? 0),
  );
  for (const task of newestFirst) {
    if (isTaskProblem(task, nowMs) && !reasons.has(task.serviceId)) {
      reasons.set(task.serviceId, taskReason(task));
    }
  }
  const nodeProblems = nodeRows(nodes);
  const down = nodeProblems.filter((r) => r.severity === 'bad');
  const parked = nodeProblems.filter((r) => r.severity !== 'bad');
  const serviceProblems = serviceRows(services, reasons, tasks);
  return [
    ...quorumRows(nodes),
    ...down,
    ...serviceProblems.filter((r) => r.kind === 'service'),
    ...taskRows(groups, troubled),
    ...serviceProblems.filter((r) => r.kind === 'rollout'),
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
export function troubledNow(services: SwarmService[]): string[] {
  return services.filter((s) => isDegraded(s) || isJobUnfinished(s)).map((s) => s.id);
}
