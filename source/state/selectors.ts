import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';
import type { PaneId, TaskScope, ViewId } from './actions.js';
import type { OperationRecord } from './operations.js';
import type { State } from './reducer.js';
import { compareText } from '../format/compare.js';
import { memoLast } from './memo.js';


export const VIEW_PANES: Record<ViewId, PaneId[]> = {
  services: ['services', 'tasks'],
  nodes: ['nodes', 'tasks'],
  tasks: ['tasks'],
  ops: ['ops'],
  logs: ['logs'],
};

export interface TaskRow {
  id: string;
  task: SwarmTask;
  /** service.slot for replicated tasks, service.hostname for global ones (as operators say it). */
  name: string;
  serviceName: string;
  nodeName: string;
}

const ACTIVE_DESIRED = new Set(['running', 'ready', 'accepted', 'new', 'pending', 'assigned']);
const FAILED_STATES = new Set(['failed', 'rejected', 'orphaned']);

/** Shut-down history hides tasks the swarm retired cleanly; failures always stay visible. */
export function isHistory(task: SwarmTask): boolean {
  return !ACTIVE_DESIRED.has(task.desiredState) && !FAILED_STATES.has(task.state);
}

export function isDegraded(service: SwarmService): boolean {
  return service.running < service.desired || isUpdateTrouble(service.updateState);
}

export function isUpdateTrouble(updateState: string | null): boolean {
  return (
    updateState === 'paused' ||
    updateState === 'rollback_started' ||
    updateState === 'rollback_paused'
  );
}

export function isNodeTrouble(node: SwarmNode): boolean {
  return (
    node.state !== 'ready' ||
    node.availability !== 'active' ||
    (node.manager !== null &&
      node.manager.reachability !== 'leader' &&
      node.manager.reachability !== 'reachable')
  );
}

const ROLE_ORDER: Record<string, number> = { manager: 0, worker: 1 };

export const sortedServices = memoLast((services: SwarmService[]): SwarmService[] =>
  [...services].sort((a, b) => compareText(a.name, b.name)),
);

export const sortedNodes = memoLast((nodes: SwarmNode[]): SwarmNode[] =>
  [...nodes].sort(
    (a, b) =>
      (ROLE_ORDER[a.role] ?? 2) - (ROLE_ORDER[b.role] ?? 2) || compareText(a.hostname, b.hostname),
  ),
);

export function scopeKey(scope: TaskScope | null): string | null {
  if (scope === null) return null;
  return scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.id}`;
}

/** The tasks the screen needs right now: only these are polled. */
export function taskScope(state: State): TaskScope | null {
  if (state.view === 'tasks') return state.drill;
  if (state.view === 'ops') return null;
  // The logs view keeps its service's tasks fresh: they name the lines and show new tasks.
  if (state.view === 'logs') {
    return state.logView ? { kind: 'service', id: state.logView.target.serviceId } : null;
  }
  if (state.view === 'services') {
    const service = selectedRow(paneRows(state, 'services'), state.lists.services.selectedId);
    return service ? { kind: 'service', id: service.id } : null;
  }
  const node = selectedRow(paneRows(state, 'nodes'), state.lists.nodes.selectedId);
  return node ? { kind: 'node', id: node.id } : null;
}

/** Every task with the names people use for it (service.slot, service.hostname for global). */
export const namedTasks = memoLast(
  (tasks: SwarmTask[], services: SwarmService[], nodes: SwarmNode[]): TaskRow[] => {
    const serviceNames = new Map(services.map((s) => [s.id, s.name]));
    const nodeNames = new Map(nodes.map((n) => [n.id, n.hostname]));
    return tasks.map((task): TaskRow => {
      const serviceName = serviceNames.get(task.serviceId) ?? task.serviceId.slice(0, 12);
      const nodeName = task.nodeId ? (nodeNames.get(task.nodeId) ?? task.nodeId.slice(0, 12)) : '';
      const suffix = task.slot !== null ? String(task.slot) : nodeName || task.id.slice(0, 12);
      return { id: task.id, task, name: `${serviceName}.${suffix}`, serviceName, nodeName };
    });
  },
);

const taskRowsOf = memoLast(
  (
    tasks: SwarmTask[],
    services: SwarmService[],
    nodes: SwarmNode[],
    showHistory: boolean,
  ): TaskRow[] => {
    const rows = namedTasks(tasks, services, nodes).filter(
      (row) => showHistory || !isHistory(row.task),
    );
    return rows.sort(
      (a, b) =>
        compareText(a.serviceName, b.serviceName) ||
        // replicated tasks by slot, global ones by node
        (a.task.slot ?? 0) - (b.task.slot ?? 0) ||
        (a.task.slot === null ? compareText(a.nodeName, b.nodeName) : 0) ||
        // newest first within a slot: the current task above its history
        compareText(b.task.createdAt ?? '', a.task.createdAt ?? ''),
    );
  },
);

/** Tasks of the current scope, or an empty list while the scope's first answer is on its way. */
export function taskRows(state: State): TaskRow[] {
  if (state.tasks.scopeKey !== scopeKey(taskScope(state))) return [];
  return taskRowsOf(state.tasks.items, state.services, state.nodes, state.showHistory);
}

export function tasksLoading(state: State): boolean {
  const key = scopeKey(taskScope(state));
  return key !== null && state.tasks.scopeKey !== key;
}

function searchText(pane: PaneId, row: AnyRow): string {
  if (pane === 'services') {
    const s = row as SwarmService;
    return `${s.name} ${s.image} ${s.mode} ${s.stack ?? ''}`;
  }
  if (pane === 'nodes') {
    const n = row as SwarmNode;
    return `${n.hostname} ${n.role} ${n.availability} ${n.state} ${n.address}`;
  }
  if (pane === 'ops') {
    const o = row as OperationRecord;
    return `${o.title} ${o.status} ${o.progress} ${o.message ?? ''}`;
  }
  const t = row as TaskRow;
  return `${t.name} ${t.nodeName} ${t.task.state} ${t.task.error ?? ''} ${t.task.message}`;
}

type AnyRow = SwarmService | SwarmNode | TaskRow | OperationRecord;

function filterRows(pane: PaneId, rows: AnyRow[], filter: string): AnyRow[] {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return rows;
  return rows.filter((row) => searchText(pane, row).toLowerCase().includes(needle));
}

// One memo per pane, so switching panes does not throw away the other pane's result.
const filters = {
  services: memoLast(filterRows),
  nodes: memoLast(filterRows),
  tasks: memoLast(filterRows),
  ops: memoLast(filterRows),
};

export function paneRows(state: State, pane: 'services'): SwarmService[];
export function paneRows(state: State, pane: 'nodes'): SwarmNode[];
export function paneRows(state: State, pane: 'tasks'): TaskRow[];
export function paneRows(state: State, pane: 'ops'): OperationRecord[];
export function paneRows(state: State, pane: PaneId): AnyRow[];
export function paneRows(state: State, pane: PaneId): AnyRow[] {
  const filter = state.lists[pane].filter;
  if (pane === 'services') return filters.services(pane, sortedServices(state.services), filter);
  if (pane === 'nodes') return filters.nodes(pane, sortedNodes(state.nodes), filter);
  if (pane === 'ops') return filters.ops(pane, state.ops, filter);
  // Log lines are filtered where they are kept (the log buffer), not as rows here.
  if (pane === 'logs') return [];
  return filters.tasks(pane, taskRows(state), filter);
}

/** The selection follows its object by id; when that object is gone, the first row stands in. */
export function selectedRow<Row extends { id: string }>(
  rows: Row[],
  selectedId: string | null,
): Row | undefined {
  return rows.find((row) => row.id === selectedId) ?? rows[0];
}

export interface SwarmSummary {
  nodesReady: number;
  nodesTotal: number;
  managersReachable: number;
  managersTotal: number;
  leader: string | null;
  servicesHealthy: number;
  servicesTotal: number;
  tasksRunning: number;
}

export const summarize = memoLast((nodes: SwarmNode[], services: SwarmService[]): SwarmSummary => {
  const managers = nodes.filter((n) => n.manager !== null);
  return {
    nodesReady: nodes.filter((n) => n.state === 'ready').length,
    nodesTotal: nodes.length,
    managersReachable: managers.filter(
      (n) => n.manager?.reachability === 'leader' || n.manager?.reachability === 'reachable',
    ).length,
    managersTotal: managers.length,
    leader: managers.find((n) => n.manager?.reachability === 'leader')?.hostname ?? null,
    servicesHealthy: services.filter((s) => !isDegraded(s)).length,
    servicesTotal: services.length,
    // Summed from ServiceStatus so the header never needs the cluster's whole task list.
    tasksRunning: services.reduce((sum, s) => sum + s.running, 0),
  };
});

export function scopeTitle(state: State, scope: TaskScope | null): string {
  if (scope === null) return 'tasks';
  if (scope.kind === 'all') return 'all tasks';
  if (scope.kind === 'service') {
    const name = state.services.find((s) => s.id === scope.id)?.name ?? scope.id.slice(0, 12);
    return `tasks of service ${name}`;
  }
  const name = state.nodes.find((n) => n.id === scope.id)?.hostname ?? scope.id.slice(0, 12);
  return `tasks on node ${name}`;
}
