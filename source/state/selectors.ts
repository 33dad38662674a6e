import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';
import type { PaneId, TaskScope, ViewId } from './actions.js';
import type { OperationRecord } from './operations.js';
import type { ListState, State } from './state.js';
import { memoLast } from './memo.js';
import { deepEqual } from './same.js';
import {
  isHistory,
  isManagerReachable,
  isNodeTrouble,
  isServiceDegraded as isDegraded,
  isTaskTrouble,
} from '../health.js';

import type { EventRow } from './event-log.js';
import { problemRows, type ProblemRow } from './problems.js';
import { NODE_SORTS, SERVICE_SORTS, sortWith, TASK_SORTS } from './sorting.js';
import { stackRows, type StackRow } from './stacks.js';

export const VIEW_PANES: Record<ViewId, PaneId[]> = {
  services: ['services', 'tasks'],
  nodes: ['nodes', 'tasks'],
  tasks: ['tasks'],
  ops: ['ops'],
  logs: ['logs'],
  problems: ['problems'],
  events: ['events'],
  stacks: ['stacks'],
  inspect: ['inspect'],
};

export interface TaskRow {
  id: string;
  task: SwarmTask;
  /** service.slot for replicated tasks, service.hostname for global ones (as operators say it). */
  name: string;
  serviceName: string;
  nodeName: string;
}

/** Services in their natural order (by name), as --once prints them. */
export const sortedServices = memoLast((services: SwarmService[]): SwarmService[] =>
  sortWith(services, SERVICE_SORTS, 0, false),
);

/** Nodes in their natural order (managers first, then by hostname). */
export const sortedNodes = memoLast((nodes: SwarmNode[]): SwarmNode[] =>
  sortWith(nodes, NODE_SORTS, 0, false),
);

export function scopeKey(scope: TaskScope | null): string | null {
  if (scope === null) return null;
  if (scope.kind === 'all') return 'all';
  if (scope.kind === 'troubled') return `troubled:${scope.ids.join(',')}`;
  return `${scope.kind}:${scope.id}`;
}

/** The tasks the screen needs right now: only these are polled. */
export function taskScope(state: State): TaskScope | null {
  if (state.view === 'tasks') return state.drill;
  // The logs view keeps its service's tasks fresh: they name the lines and show new tasks.
  if (state.view === 'logs') {
    return state.logView ? { kind: 'service', id: state.logView.target.serviceId } : null;
  }
  if (state.view !== 'services' && state.view !== 'nodes') return null;
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
  ): TaskRow[] =>
    namedTasks(tasks, services, nodes).filter((row) => showHistory || !isHistory(row.task)),
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
  if (pane === 'problems') {
    const p = row as ProblemRow;
    return `${p.what} ${p.detail}`;
  }
  if (pane === 'events') {
    const e = row as EventRow;
    return `${e.type} ${e.action} ${e.name} ${e.change}`;
  }
  if (pane === 'stacks') return (row as StackRow).name;
  const t = row as TaskRow;
  return `${t.name} ${t.nodeName} ${t.task.state} ${t.task.error ?? ''} ${t.task.message}`;
}

type AnyRow =
  SwarmService | SwarmNode | TaskRow | OperationRecord | ProblemRow | EventRow | StackRow;

function filterRows(pane: PaneId, rows: AnyRow[], filter: string): AnyRow[] {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return rows;
  return rows.filter((row) => searchText(pane, row).toLowerCase().includes(needle));
}

function troubleOnly(
  pane: PaneId,
  rows: AnyRow[],
  on: boolean,
  problemServices: ReadonlySet<string> | null,
): AnyRow[] {
  if (!on) return rows;
  if (pane === 'services') {
    // Below its count now, or with a problem the problems view lists (a crash loop at 1/1).
    return (rows as SwarmService[]).filter(
      (s) => isDegraded(s) || (problemServices?.has(s.id) ?? false),
    );
  }
  if (pane === 'nodes') return (rows as SwarmNode[]).filter(isNodeTrouble);
  if (pane === 'tasks') return (rows as TaskRow[]).filter((row) => isTaskTrouble(row.task));
  if (pane === 'stacks') return (rows as StackRow[]).filter((row) => row.degraded > 0);
  return rows;
}

function sortRows(pane: PaneId, rows: AnyRow[], key: number, reverse: boolean): AnyRow[] {
  if (pane === 'services') return sortWith(rows as SwarmService[], SERVICE_SORTS, key, reverse);
  if (pane === 'nodes') return sortWith(rows as SwarmNode[], NODE_SORTS, key, reverse);
  if (pane === 'tasks') return sortWith(rows as TaskRow[], TASK_SORTS, key, reverse);
  return reverse ? [...rows].reverse() : rows;
}

/**
 * Text filter, the problems-only toggle, then the sort: what a list pane shows. Takes the list's
 * settings one by one so a move (a new selectedId) keeps the memoised result.
 */
function listRows(
  pane: PaneId,
  rows: AnyRow[],
  filter: string,
  problemsOnly: boolean,
  sort: number,
  reverse: boolean,
  problemServices: ReadonlySet<string> | null,
): AnyRow[] {
  return sortRows(
    pane,
    filterRows(pane, troubleOnly(pane, rows, problemsOnly, problemServices), filter),
    sort,
    reverse,
  );
}

/** The services a problem row is about. */
export const servicesWithProblems = memoLast(
  (problems: ProblemRow[]): ReadonlySet<string> => new Set(problems.flatMap((p) => p.serviceIds)),
);

// One memo per pane, so switching panes does not throw away the other pane's result.
const lists: Record<PaneId, typeof listRows> = {
  services: memoLast(listRows),
  nodes: memoLast(listRows),
  tasks: memoLast(listRows),
  ops: memoLast(listRows),
  logs: memoLast(listRows),
  problems: memoLast(listRows),
  events: memoLast(listRows),
  stacks: memoLast(listRows),
  inspect: memoLast(listRows),
};

const servicesInStack = memoLast((services: SwarmService[], stack: string | null) =>
  stack === null ? services : services.filter((s) => (s.stack ?? '') === stack),
);

let lastProblems: ProblemRow[] = [];

/** Problems, computed against the app's clock (the reducer reads no clock). */
export const problemsOf = memoLast(
  (
    nodes: SwarmNode[],
    services: SwarmService[],
    tasks: SwarmTask[],
    troubled: string[],
    nowMs: number,
  ): ProblemRow[] => {
    // Tasks of a service no longer troubled (removed) may linger until the next answer.
    const current = tasks.filter((task) => troubled.includes(task.serviceId));
    const rows = problemRows({ nodes, services, tasks: current, troubled, nowMs });
    // Every key and tick moves the clock: the same answer keeps its identity, so a move in the
    // problems view does not filter and sort the list again.
    if (!deepEqual(rows, lastProblems)) lastProblems = rows;
    return lastProblems;
  },
);

/** The problems the swarm shows now (the problems view's rows, the header's count). */
export function currentProblems(state: State): ProblemRow[] {
  return problemsOf(state.nodes, state.services, state.troubledTasks, state.troubled, state.clock);
}

function baseRows(state: State, pane: PaneId): AnyRow[] {
  switch (pane) {
    case 'services':
      return servicesInStack(state.services, state.stack);
    case 'nodes':
      return state.nodes;
    case 'tasks':
      return taskRows(state);
    case 'ops':
      return state.ops;
    case 'problems':
      return currentProblems(state);
    case 'events':
      return state.events;
    case 'stacks':
      return stackRows(state.services);
    // Log lines are filtered where they are kept (the log buffer); inspect shows text, not rows.
    case 'logs':
    case 'inspect':
      return [];
  }
}

export function paneRows(state: State, pane: 'services'): SwarmService[];
export function paneRows(state: State, pane: 'nodes'): SwarmNode[];
export function paneRows(state: State, pane: 'tasks'): TaskRow[];
export function paneRows(state: State, pane: 'ops'): OperationRecord[];
export function paneRows(state: State, pane: 'problems'): ProblemRow[];
export function paneRows(state: State, pane: 'events'): EventRow[];
export function paneRows(state: State, pane: 'stacks'): StackRow[];
export function paneRows(state: State, pane: PaneId): AnyRow[];
export function paneRows(state: State, pane: PaneId): AnyRow[] {
  const list: ListState = state.lists[pane];
  return lists[pane](
    pane,
    baseRows(state, pane),
    list.filter,
    list.problemsOnly,
    list.sort,
    list.reverse,
    pane === 'services' && list.problemsOnly ? servicesWithProblems(currentProblems(state)) : null,
  );
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

export const summarize = memoLast(
  (
    nodes: SwarmNode[],
    services: SwarmService[],
    /** Services with a problem the problems view lists (failing tasks at a full count too). */
    troubled: ReadonlySet<string> = new Set(),
  ): SwarmSummary => {
    const managers = nodes.filter((n) => n.manager !== null);
    return {
      nodesReady: nodes.filter((n) => n.state === 'ready').length,
      nodesTotal: nodes.length,
      managersReachable: managers.filter(isManagerReachable).length,
      managersTotal: managers.length,
      leader: managers.find((n) => n.manager?.reachability === 'leader')?.hostname ?? null,
      servicesHealthy: services.filter((s) => !isDegraded(s) && !troubled.has(s.id)).length,
      servicesTotal: services.length,
      // Summed from ServiceStatus so the header never needs the cluster's whole task list.
      tasksRunning: services.reduce((sum, s) => sum + s.running, 0),
    };
  },
);

export function scopeTitle(state: State, scope: TaskScope | null): string {
  if (scope === null) return 'tasks';
  if (scope.kind === 'all') return 'all tasks';
  if (scope.kind === 'troubled') return 'tasks of troubled services';
  if (scope.kind === 'service') {
    const name = state.services.find((s) => s.id === scope.id)?.name ?? scope.id.slice(0, 12);
    return `tasks of service ${name}`;
  }
  const name = state.nodes.find((n) => n.id === scope.id)?.hostname ?? scope.id.slice(0, 12);
  return `tasks on node ${name}`;
}
