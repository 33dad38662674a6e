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

/**
 * The task is meant to run: a service's task is desired `running`, a job's `complete` (it runs
 * until it has completed).
 */
export function isMeantToRun(task: SwarmTask): boolean {
  return task.desiredState === 'running' || task.desiredState === 'complete';
}

/**
 * Desired running and holding a slot: what a scale counts and a drain waits to see gone. A job's
 * running task (desired `complete`) is not one: a drain leaves it where it runs (seen on 20.10).
 */
export function isTaskLive(task: SwarmTask): boolean {
  return task.desiredState === 'running' && TASK_LIVE.has(task.state);
}

/** A job's task that is running or about to (desired `complete`): what a drain leaves running. */
export function isJobTaskLive(task: SwarmTask): boolean {
  return task.desiredState === 'complete' && TASK_LIVE.has(task.state);
}

/**
 * Shut-down history hides tasks the swarm retired cleanly; failures always stay visible, and so
 * do a job's tasks of this run (desired `complete`: running, or done — the job's result), and a
 * task told to shut down that is still seen running: being stopped, or on a node that went down
 * (the swarm replaced it elsewhere; its container's fate there is not known).
 */
export function isHistory(task: SwarmTask): boolean {
  return (
    !TASK_LIVE.has(task.desiredState) &&
    task.desiredState !== 'complete' &&
    !isTaskFailed(task) &&
    task.state !== 'running'
  );
}

/**
 * A task in trouble: failed, or still waiting for a node while it should run. The ✗ in every task
 * table and what `!` keeps in a task list.
 */
export function isTaskTrouble(task: SwarmTask): boolean {
  return isTaskFailed(task) || (isTaskWaiting(task) && isMeantToRun(task));
}

let parsedTimes = new Map<string, number | null>();

/**
 * An engine timestamp in ms since the epoch, or null when absent or unreadable. The same task
 * times are read at every render (sorting, the problems' windows), and Date.parse of an engine
 * time (nanoseconds) costs more than a lookup: remembered, afresh past 10,000 times.
 */
export function timeMs(time: string | null): number | null {
  if (time === null) return null;
  const known = parsedTimes.get(time);
  if (known !== undefined) return known;
  if (parsedTimes.size >= 10_000) parsedTimes = new Map();
  const value = Date.parse(time);
  const ms = Number.isNaN(value) ? null : value;
  parsedTimes.set(time, ms);
  return ms;
}

/**
 * A trouble that is current: a failure within the window, a task the scheduler has said no node
 * takes ("no suitable node (…)", set at its first try: nothing to wait for), or a wait long
 * enough to be stuck.
 */
export function isTaskProblem(task: SwarmTask, nowMs: number): boolean {
  if (!isTaskTrouble(task)) return false;
  const since = timeMs(task.stateSince);
  if (isTaskFailed(task)) return since === null || nowMs - since <= RECENT_FAILURE_MS;
  if (task.state === 'pending' && task.error !== null && task.error !== '') return true;
  return since !== null && nowMs - since >= STUCK_PENDING_MS;
}

export function isUpdateTrouble(updateState: string | null): boolean {
  return (
    updateState === 'paused' ||
    updateState === 'rollback_started' ||
    updateState === 'rollback_paused'
  );
}

export function isJob(service: Pick<SwarmService, 'mode'>): boolean {
  return service.mode === 'replicated-job' || service.mode === 'global-job';
}

/** How far a job's run is, counted as the docker CLI counts it. */
export interface JobProgress {
  completed: number;
  /** Completions the run asks for: TotalCompletions, or one per node for a global job. */
  total: number;
  finished: boolean;
}

/** A job's progress; null for a service. */
export function jobProgress(service: SwarmService): JobProgress | null {
  if (!isJob(service)) return null;
  // A global job's DesiredTasks are the tasks still to complete (as `docker service ls` adds up).
  const total =
    service.mode === 'replicated-job'
      ? (service.totalCompletions ?? service.desired)
      : service.desired + service.completed;
  return { completed: service.completed, total, finished: service.completed >= total };
}

/**
 * The tasks a service should be running now: its desired count. A job is never below a count
 * (between two of its tasks none runs, and a finished job runs none): whether it fails shows in
 * its tasks (failedJobSlots).
 */
export function runningTarget(service: SwarmService): number {
  return isJob(service) ? service.running : service.desired;
}

/** Below its count, or in a rollout that stopped or is being undone. */
export function isServiceDegraded(service: SwarmService): boolean {
  return service.running < runningTarget(service) || isUpdateTrouble(service.updateState);
}

/**
 * Down: below its count or in a troubled rollout, or a job whose tasks fail (`flagged`: the
 * services the problems view lists). What ✗ marks in the services and stacks lists.
 */
export function isServiceDown(service: SwarmService, flagged: ReadonlySet<string>): boolean {
  return isServiceDegraded(service) || (isJob(service) && flagged.has(service.id));
}

/** A job still running: its tasks are what tells whether it fails. */
export function isJobUnfinished(service: SwarmService): boolean {
  return jobProgress(service)?.finished === false;
}

/** Which slot of its job a task fills: the node for a global job, else the slot (0 is omitted). */
function jobSlotKey(service: SwarmService, task: SwarmTask): string {
  return service.mode === 'global-job' ? `node:${task.nodeId ?? ''}` : `slot:${task.slot ?? 0}`;
}

function newestFirst(a: SwarmTask, b: SwarmTask): number {
  return (timeMs(b.createdAt) ?? 0) - (timeMs(a.createdAt) ?? 0) || b.version - a.version;
}

/**
 * Per slot of the job's current run, the newest task that ended, and whether the slot completed.
 * Tasks of an earlier run (JobIteration) count for nothing: their completions met another target.
 */
function jobSlots(
  service: SwarmService,
  tasks: readonly SwarmTask[],
): Map<string, { completed: boolean; lastEnded: SwarmTask | null }> {
  const slots = new Map<string, { completed: boolean; lastEnded: SwarmTask | null }>();
  const current = tasks
    .filter(
      (task) =>
        task.serviceId === service.id &&
        (task.jobIteration === null ||
          service.jobIteration === null ||
          task.jobIteration === service.jobIteration),
    )
    .sort(newestFirst);
  for (const task of current) {
    const key = jobSlotKey(service, task);
    const slot = slots.get(key) ?? { completed: false, lastEnded: null };
    if (task.state === 'complete') slot.completed = true;
    if (slot.lastEnded === null && !TASK_LIVE.has(task.state)) slot.lastEnded = task;
    slots.set(key, slot);
  }
  return slots;
}

/**
 * The failing slots of a job, as the newest failed task of each: slots of this run that have not
 * completed and whose newest attempt that ended failed (a retry may already be on its way). A
 * failure that a later attempt of its slot made good is not one. Empty for a service.
 */
export function failedJobSlots(service: SwarmService, tasks: readonly SwarmTask[]): SwarmTask[] {
  if (!isJob(service)) return [];
  const failed: SwarmTask[] = [];
  for (const slot of jobSlots(service, tasks).values()) {
    if (!slot.completed && slot.lastEnded !== null && isTaskFailed(slot.lastEnded)) {
      failed.push(slot.lastEnded);
    }
  }
  return failed.sort(newestFirst);
}

/**
 * The failed tasks of a job that no longer count: of an earlier run, or of a slot that completed
 * since (ids). The problems view leaves them out: a finished job is not a problem.
 */
export function outdatedJobFailures(
  service: SwarmService,
  tasks: readonly SwarmTask[],
): Set<string> {
  const outdated = new Set<string>();
  if (!isJob(service)) return outdated;
  const slots = jobSlots(service, tasks);
  for (const task of tasks) {
    if (task.serviceId !== service.id || !isTaskFailed(task)) continue;
    const earlierRun =
      task.jobIteration !== null &&
      service.jobIteration !== null &&
      task.jobIteration !== service.jobIteration;
    if (earlierRun || slots.get(jobSlotKey(service, task))?.completed === true) {
      outdated.add(task.id);
    }
  }
  return outdated;
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
