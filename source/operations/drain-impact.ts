// What changing a node's availability does, told before the operator confirms. It is worked out
// from what the manager reports, with the scheduler's own rules (placement.ts), so it is a
// forecast: the scheduler decides, and things may change between this dialog and the drain.
import { taskName } from '../format/task-name.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';
import { isJobTaskLive, isTaskLive } from '../health.js';
import { askOf, nodeLoads, placeReplicas } from './placement.js';

export type AvailabilityTarget = 'drain' | 'pause' | 'active';

export interface MovedTasks {
  serviceId: string;
  serviceName: string;
  count: number;
  global: boolean;
}

export interface Impact {
  /** Plain sentences for the dialog. */
  summary: string[];
  /** Sentences, each one risk. */
  warnings: string[];
  /** For drain: the tasks that stop on this node, per service. Empty for pause and active. */
  moved: MovedTasks[];
}

export interface ImpactInput {
  node: SwarmNode;
  target: AvailabilityTarget;
  nodes: SwarmNode[];
  services: SwarmService[];
  /** Tasks whose nodeId is this node. */
  tasksOnNode: SwarmTask[];
  /** Every task meant to run (what holds the other nodes); without it they are taken as empty. */
  placements?: SwarmTask[];
}

function isUp(node: SwarmNode): boolean {
  return node.availability === 'active' && node.state === 'ready';
}

function tasks(n: number): string {
  return n === 1 ? '1 task' : `${n} tasks`;
}

function isGlobal(service: SwarmService | undefined, task: SwarmTask): boolean {
  if (service) return service.mode === 'global' || service.mode === 'global-job';
  // A service gone from the snapshot: global tasks are the ones without a slot.
  return task.slot === null;
}

/** Live tasks on the node per service, in the order their services first appear. */
function liveTasks(input: ImpactInput): MovedTasks[] {
  const byService = new Map<string, MovedTasks>();
  for (const task of input.tasksOnNode) {
    if (!isTaskLive(task)) continue;
    const entry = byService.get(task.serviceId);
    if (entry) {
      entry.count++;
      continue;
    }
    const service = input.services.find((s) => s.id === task.serviceId);
    byService.set(task.serviceId, {
      serviceId: task.serviceId,
      serviceName: service?.name ?? task.serviceId,
      count: 1,
      global: isGlobal(service, task),
    });
  }
  return [...byService.values()];
}

/** A job's running tasks on the node, per job: a drain leaves them running (seen on 20.10). */
function jobsRunningOn(input: ImpactInput): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const task of input.tasksOnNode) {
    if (isJobTaskLive(task)) counts.set(task.serviceId, (counts.get(task.serviceId) ?? 0) + 1);
  }
  return [...counts].map(([id, count]) => ({
    name: input.services.find((s) => s.id === id)?.name ?? id,
    count,
  }));
}

function roleSentence(node: SwarmNode, target: AvailabilityTarget): string {
  const name = node.hostname;
  if (node.role !== 'manager') return `${name} is a worker.`;
  const what = node.manager?.reachability === 'leader' ? 'the swarm leader' : 'a manager';
  // Availability only steers the scheduler; Raft membership is changed by promote/demote alone.
  const effect = {
    drain: 'draining moves its tasks but it keeps its manager role and Raft vote',
    pause: 'pausing stops new tasks there but it keeps its manager role and Raft vote',
    active: 'activating lets it take tasks and leaves its manager role and Raft vote as they are',
  }[target];
  return `${name} is ${what}; ${effect}.`;
}

const ALREADY = { drain: 'drained', pause: 'paused', active: 'active' } as const;

/** The summary and warnings for setting `node` to `target`, and what a drain moves. */
export function availabilityImpact(input: ImpactInput): Impact {
  const { node, target } = input;
  const name = node.hostname;
  const summary = [roleSentence(node, target)];
  const warnings: string[] = [];
  const live = liveTasks(input);

  if (node.availability === target) {
    summary.push(`${name} is already ${ALREADY[target]}; nothing changes.`);
    return { summary, warnings, moved: [] };
  }

  if (target === 'active') {
    summary.push(
      `${name} becomes available for new tasks; running tasks are not rebalanced (docker service update --force <service> spreads them).`,
    );
    return { summary, warnings, moved: [] };
  }

  const others = input.nodes.filter((n) => n.id !== node.id && isUp(n));
  if (target === 'pause') {
    summary.push(`No tasks are moved; ${name} gets no new tasks.`);
    if (live.length === 0) summary.push('No tasks run on this node.');
    else
      summary.push(
        `Keeps running: ${live.map((m) => `${m.serviceName} (${tasks(m.count)})`).join(', ')}.`,
      );
  } else if (live.length === 0) {
    summary.push('No tasks run on this node.');
  } else {
    for (const m of live) {
      summary.push(
        m.global
          ? `The ${m.serviceName} task on this node stops (global services are not moved).`
          : `${tasks(m.count)} of ${m.serviceName} will be moved to other nodes.`,
      );
    }
  }

  if (target === 'drain') {
    for (const job of jobsRunningOn(input)) {
      summary.push(
        `${job.count === 1 ? 'The running task' : `The ${job.count} running tasks`} of job ${job.name} ${job.count === 1 ? 'is' : 'are'} not moved by a drain: ${job.count === 1 ? 'it runs' : 'they run'} here until ${job.count === 1 ? 'it completes' : 'they complete'}.`,
      );
    }
  }

  const lastManager =
    node.role === 'manager' && isUp(node) && !others.some((n) => n.role === 'manager');
  if (lastManager) {
    warnings.push(
      `${name} is the last active manager: afterwards no manager takes new tasks, so tasks constrained to node.role==manager stay pending (the swarm itself is still managed).`,
    );
  }
  if (others.length === 0) {
    warnings.push(
      target === 'drain'
        ? `No other node is active and ready: tasks moved off ${name} will stay pending.`
        : `No other node is active and ready: new tasks will stay pending.`,
    );
  } else if (target === 'drain') {
    placementRisks(input, live, warnings);
  }

  return { summary, warnings, moved: target === 'drain' ? live : [] };
}

/**
 * Warnings for the replicated tasks a drain moves: placed one by one on the other nodes by the
 * scheduler's rules (placement.ts), with what runs there now; those that find no node are named.
 */
function placementRisks(input: ImpactInput, live: MovedTasks[], warnings: string[]): void {
  const { node } = input;
  const drained = input.nodes.map((n) =>
    n.id === node.id ? { ...n, availability: 'drain' as const } : n,
  );
  const elsewhere = (input.placements ?? []).filter((t) => t.nodeId !== node.id);
  const loads = nodeLoads(elsewhere, input.services);
  for (const moved of live) {
    if (moved.global) continue;
    const service = input.services.find((s) => s.id === moved.serviceId);
    if (service === undefined) continue;
    const mine = input.tasksOnNode.filter((t) => t.serviceId === moved.serviceId && isTaskLive(t));
    const { pending, why } = placeReplicas(askOf(service, mine[0]), drained, loads, moved.count);
    if (pending === 0) continue;
    const names = mine
      .slice(mine.length - pending)
      .map((t) => taskName(service.name, t, node.hostname))
      .join(', ');
    warnings.push(
      `${pending === 1 ? `${names} would find no node` : `${pending} tasks (${names}) would find no node`} and stay pending: ${why}.`,
    );
  }
}
