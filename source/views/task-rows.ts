// A task as people name it: service.slot for replicated tasks, service.hostname for global ones.
import { taskName } from '../format/task-name.js';
import { memoLast } from '../format/memo.js';
import { isHistory } from '../health.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';

export interface TaskRow {
  id: string;
  task: SwarmTask;
  /** service.slot for replicated tasks, service.hostname for global ones (as operators say it). */
  name: string;
  serviceName: string;
  nodeName: string;
}

/** Every task with the names people use for it. */
export const namedTasks = memoLast(
  (tasks: SwarmTask[], services: SwarmService[], nodes: SwarmNode[]): TaskRow[] => {
    const serviceNames = new Map(services.map((s) => [s.id, s.name]));
    const nodeNames = new Map(nodes.map((n) => [n.id, n.hostname]));
    return tasks.map((task): TaskRow => {
      const serviceName = serviceNames.get(task.serviceId) ?? task.serviceId.slice(0, 12);
      const nodeName = task.nodeId ? (nodeNames.get(task.nodeId) ?? task.nodeId.slice(0, 12)) : '';
      return {
        id: task.id,
        task,
        name: taskName(serviceName, task, nodeName),
        serviceName,
        nodeName,
      };
    });
  },
);

/** The named tasks, shut-down history left out unless shown. */
export const visibleTasks = memoLast(
  (
    tasks: SwarmTask[],
    services: SwarmService[],
    nodes: SwarmNode[],
    showHistory: boolean,
  ): TaskRow[] =>
    namedTasks(tasks, services, nodes).filter((row) => showHistory || !isHistory(row.task)),
);
