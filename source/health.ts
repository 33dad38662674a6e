// The one vocabulary of trouble. Every mark, toggle, count and follow loop asks these, so the ✗ a
// task table draws, what `!` keeps, what the problems view counts and what a drain waits for are
// the same verdict (k9s: the diagnose() that colours a row also fills its VALID column).
import type { SwarmNode, SwarmService, SwarmTask } from './model.js';

/** Task states the swarm will not bring back: the task ended badly. */
export const TASK_FAILED: ReadonlySet<string> = new Set(['failed', 'rejected', 'orphaned']);
/** Task states before a node has it running: still being placed or prepared. */
export const TASK_WAITING: ReadonlySet<string> = new Set([
  'new',
  'pending',
  'assigned',
  'allocated',
]);
/**
 * Task states that hold (or are about to hold) a slot on a node. Also the desired states that
 * keep a task current rather than history.
 */
export const TASK_LIVE: ReadonlySet<string> = new Set([
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
]);

/** Failed tasks older than this are history, not a current problem. */
export const RECENT_FAILURE_MS = 15 * 60_000;
/** A task waiting this long for a node is stuck, not starting. */
export const STUCK_PENDING_MS = 30_000;

export function isTaskFailed(task: SwarmTask): boolean {
  return TASK_FAILED.has(task.state);
}

export function isTaskWaiting(task: SwarmTask): boolean {
  return TASK_WAITING.has(task.state);
}

/** Desired running and holding a slot: what a scale counts and a drain waits to see gone. */
export function isTaskLive(task: SwarmTask): boolean {
  return task.desiredState === 'running' && TASK_LIVE.has(task.state);
}

/** Shut-down history hides tasks the swarm retired cleanly; failures always stay visible. */
export function isHistory(task: SwarmTask): boolean {
  return !TASK_LIVE.has(task.desiredState) && !isTaskFailed(task);
}

/**
 * A task in trouble: failed, or still waiting for a node while it should run. The ✗ in every task
 * table and what `!` keeps in a task list.
 */
export function isTaskTrouble(task: SwarmTask): boolean {
  return isTaskFailed(task) || (isTaskWaiting(task) && task.desiredState === 'running');
}

/** An engine timestamp in ms since the epoch, or null when absent or unreadable. */
export function timeMs(time: string | null): number | null {
  if (time === null) return null;
  const value = Date.parse(time);
  return Number.isNaN(value) ? null : value;
}

/** A trouble that is current: a failure within the window, or a wait long enough to be stuck. */
export function isTaskProblem(task: SwarmTask, nowMs: number): boolean {
  if (!isTaskTrouble(task)) return false;
  const since = timeMs(task.stateSince);
  if (isTaskFailed(task)) return since === null || nowMs - since <= RECENT_FAILURE_MS;
  return since !== null && nowMs - since >= STUCK_PENDING_MS;
}

export function isUpdateTrouble(updateState: string | null): boolean {
  return (
    updateState === 'paused' ||
    updateState === 'rollback_started' ||
    updateState === 'rollback_paused'
  );
}

/** Below its count, or in a rollout that stopped or is being undone. */
export function isServiceDegraded(service: SwarmService): boolean {
  return service.running < service.desired || isUpdateTrouble(service.updateState);
}

export function isManagerReachable(node: SwarmNode): boolean {
  return node.manager?.reachability === 'leader' || node.manager?.reachability === 'reachable';
}

/** Not ready, not active, or a manager the others cannot reach. */
export function isNodeTrouble(node: SwarmNode): boolean {
  return (
    node.state !== 'ready' ||
    node.availability !== 'active' ||
    (node.manager !== null && !isManagerReachable(node))
  );
}
