// How often a service restarts, from the task history already polled (no request of its own).
// The engine keeps only TaskHistoryRetentionLimit tasks per slot (5 unless set): when a slot's
// retained history is full and all of it lies in the window, older restarts were dropped, and
// the count is a lower bound ("at least 5 restarts in 10 min").
import type { SwarmTask } from '../model.js';
import { timeMs } from '../health.js';

/** The window restarts are counted in. */
export const RESTART_WINDOW_MS = 10 * 60_000;
/** The engine's default TaskHistoryRetentionLimit. */
export const DEFAULT_TASK_HISTORY = 5;

/** A task that ended while it was meant to run (the swarm replaces it): a restart. */
function isRestart(task: SwarmTask): boolean {
  if (task.state === 'failed' || task.state === 'rejected') return true;
  // A service's task that exited 0 is restarted too; a job's is done.
  return task.state === 'complete' && task.jobIteration === null;
}

/** A task's slot: a replicated task's number, a global task's node (its restarts share it). */
export function slotKey(task: Pick<SwarmTask, 'slot' | 'nodeId'>): string {
  return task.slot !== null ? `slot:${task.slot}` : `node:${task.nodeId ?? ''}`;
}

export interface RestartRate {
  count: number;
  /** The retained history is full within the window: there may have been more. */
  atLeast: boolean;
}

/** Restarts of one service's tasks in the window ending at `nowMs`. */
export function restartRate(
  tasks: readonly SwarmTask[],
  serviceId: string,
  nowMs: number,
  retention: number | null = null,
): RestartRate {
  const limit = retention ?? DEFAULT_TASK_HISTORY;
  const since = nowMs - RESTART_WINDOW_MS;
  // Per slot (a global service's per node): how many tasks it keeps, how many restarted lately.
  const slots = new Map<string, { recent: number; oldestRecent: boolean }>();
  let count = 0;
  for (const task of tasks) {
    if (task.serviceId !== serviceId) continue;
    const key = slotKey(task);
    const slot = slots.get(key) ?? { recent: 0, oldestRecent: true };
    const at = timeMs(task.stateSince);
    const inWindow = at !== null && at >= since;
    if (isRestart(task) && inWindow) {
      slot.recent += 1;
      count += 1;
    } else if (!inWindow) {
      slot.oldestRecent = false;
    }
    slots.set(key, slot);
  }
  // Full history, every retained task in the window: older ones were dropped by the engine. The
  // engine keeps `limit` tasks per slot, the current one among them (seen in the lab: a crash
  // loop at the default 5 shows 4 failures and its new task), so limit − 1 failures is full.
  const atLeast = [...slots.values()].some(
    (slot) => slot.recent >= Math.max(1, limit - 1) && slot.oldestRecent,
  );
  return { count, atLeast };
}

/**
 * "14 restarts in 10 min", "at least 5 restarts in 10 min"; null below two (one failure is not
 * yet a loop, and its row already says it failed).
 */
export function restartRateText(rate: RestartRate): string | null {
  if (rate.count < 2) return null;
  const minutes = RESTART_WINDOW_MS / 60_000;
  return `${rate.atLeast ? 'at least ' : ''}${rate.count} restart${rate.count === 1 ? '' : 's'} in ${minutes} min`;
}

/**
 * A task's restarts: the earlier tasks of its slot that ended while meant to run, among the
 * tasks the manager still retains (`tasks`: the slot's history as fetched). When the slot's
 * retained history is full (the swarm's TaskHistoryRetentionLimit, the task itself among them),
 * older ones were dropped and the count is a lower bound.
 */
export function slotRestarts(
  tasks: readonly SwarmTask[],
  task: Pick<SwarmTask, 'id' | 'serviceId' | 'slot' | 'nodeId' | 'createdAt'>,
  retention: number | null = null,
): RestartRate {
  const limit = retention ?? DEFAULT_TASK_HISTORY;
  const key = slotKey(task);
  const born = timeMs(task.createdAt);
  let earlier = 0;
  let count = 0;
  for (const other of tasks) {
    if (other.id === task.id || other.serviceId !== task.serviceId || slotKey(other) !== key) {
      continue;
    }
    const at = timeMs(other.createdAt);
    // a task made after this one (it was replaced since) is not its restart
    if (born !== null && at !== null && at > born) continue;
    earlier += 1;
    if (isRestart(other)) count += 1;
  }
  // the engine keeps `limit` tasks per slot, the task itself among them
  return { count, atLeast: earlier + 1 >= Math.max(1, limit) };
}

/** "3", "≥4": a task's restarts as a cell. */
export function slotRestartsText(rate: RestartRate): string {
  return `${rate.atLeast ? '≥' : ''}${rate.count}`;
}
