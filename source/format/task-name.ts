// How operators name a task: service.slot for replicated tasks, service.<where> for global ones
// (where it runs: a hostname, else a node ID), the task ID's start when neither is known.
import type { SwarmTask } from '../model.js';

export function taskName(
  serviceName: string,
  task: Pick<SwarmTask, 'slot' | 'id'>,
  where = '',
): string {
  return `${serviceName}.${task.slot !== null ? String(task.slot) : where || task.id.slice(0, 12)}`;
}
