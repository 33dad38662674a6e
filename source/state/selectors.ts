// What the screen shows, derived from the state: each pane's rows (the view's rows, then `!`, the
// filter and the sort), memoised so an unchanged state costs nothing, and the header's summary.
import { taskName } from '../format/task-name.js';
import type {
  LastWords,
  SwarmCluster,
  SwarmNode,
  SwarmObjectKind,
  SwarmService,
  SwarmTask,
} from '../model.js';
import { explainPending, isUnplaced, type Placement } from '../operations/placement.js';
import { unhealthyProblems, withUnhealthy } from '../views/usage-problems.js';
import { probePhase } from './usage.js';
import { isManagerReachable, isServiceDegraded as isDegraded } from '../health.js';
import { memoLast } from '../format/memo.js';
import { deepEqual } from '../format/same.js';
import { problemRows, type ProblemRow } from '../views/problem-rows.js';
import { listViewOf, VIEW_IDS, VIEWS, type ViewId } from '../views/registry.js';
import { NODE_SORTS } from '../views/nodes.js';
import { SERVICE_SORTS } from '../views/services.js';
import { sortWith } from '../views/sort-keys.js';
import { visibleTasks, type TaskRow } from '../views/task-rows.js';
import type {
  AnyListView,
  AnyView,
  Explanation,
  ListView,
  TaskScope,
  ViewData,
} from '../views/view.js';
import type { PaneId } from './actions.js';
import type { State } from './state.js';

export type { TaskRow } from '../views/task-rows.js';

/** The panes of each view, its own list first. */
export const VIEW_PANES = Object.fromEntries(
  VIEW_IDS.map((id) => [id, VIEWS[id].panes as PaneId[]]),
) as Record<ViewId, PaneId[]>;

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

/**
 * The tasks the screen needs right now: only these are polled. Asked several times for one state
 * in a render (the feed, the tasks pane, its title, the last words): found once.
 */
export const taskScope = memoLast((state: State): TaskScope | null => {
  const view: AnyView = VIEWS[state.view];
  if (view.kind === 'text') {
    // The logs view keeps its service's tasks fresh: they name the lines and show new tasks.
    return view.body === 'logs' && state.logView
      ? { kind: 'service', id: state.logView.target.serviceId }
      : null;
  }
  if (view.tasksOfPlace) return state.drill;
  if (view.tasksOf === undefined) return null;
  const own = view.panes[0] as PaneId;
  const row = selectedRow(paneRows(state, own), state.lists[own].selectedId);
  return row ? view.tasksOf(row) : null;
});

/** Tasks of the current scope, or an empty list while the scope's first answer is on its way. */
export function taskRows(state: State): TaskRow[] {
  if (state.tasks.scopeKey !== scopeKey(taskScope(state))) return [];
  return visibleTasks(state.tasks.items, state.services, state.nodes, state.showHistory);
}

export function tasksLoading(state: State): boolean {
  const key = scopeKey(taskScope(state));
  return key !== null && state.tasks.scopeKey !== key;
}

let lastProblems: ProblemRow[] = [];
let lastWithWords: ProblemRow[] = [];
const NO_WORDS: Readonly<Record<string, LastWords>> = {};

/** Problems without the crashed tasks' last words (see problemsOf). */
const problemsWithoutWords = memoLast(
  (
    nodes: SwarmNode[],
    services: SwarmService[],
    tasks: SwarmTask[],
    troubled: string[],
    nowMs: number,
    swarm: SwarmCluster | null,
    taskHistory: number | null,
  ): ProblemRow[] => {
    // Tasks of a service no longer troubled (removed) may linger until the next answer.
    const followed = new Set(troubled);
    const current = tasks.filter((task) => followed.has(task.serviceId));
    const input = {
      nodes,
      services,
      tasks: current,
      troubled,
      nowMs,
      swarm,
      lastWords: NO_WORDS,
      taskHistory,
    };
    const rows = problemRows(input);
    // Every key and tick moves the clock: the same answer keeps its identity, so a move in the
    // problems view does not filter and sort the list again.
    if (!deepEqual(rows, lastProblems)) lastProblems = rows;
    return lastProblems;
  },
);

/** The rows with the last words fetched so far put in (problemRows' own `words`). */
function withWords(
  rows: ProblemRow[],
  lastWords: Readonly<Record<string, LastWords>>,
): ProblemRow[] {
  let filled = false;
  const out = rows.map((row) => {
    const words = row.lastWords === undefined ? undefined : lastWords[row.lastWords.taskId];
    if (words === undefined) return row;
    filled = true;
    return { ...row, lastWords: { ...row.lastWords!, words } };
  });
  if (!filled) return rows;
  if (!deepEqual(out, lastWithWords)) lastWithWords = out;
  return lastWithWords;
}

/**
 * Problems, computed against the app's clock (the reducer reads no clock). Under churn the last
 * words of a crashed task arrive at every crash, apart from the polls: they are put into the
 * rows, which are not computed again for them.
 */
export const problemsOf = memoLast(
  (
    nodes: SwarmNode[],
    services: SwarmService[],
    tasks: SwarmTask[],
    troubled: string[],
    nowMs: number,
    swarm: SwarmCluster | null = null,
    lastWords: Readonly<Record<string, LastWords>> = NO_WORDS,
    taskHistory: number | null = null,
  ): ProblemRow[] =>
    withWords(
      problemsWithoutWords(nodes, services, tasks, troubled, nowMs, swarm, taskHistory),
      lastWords,
    ),
);

/** The problems the swarm shows now (the problems view's rows, the header's count). */
export function currentProblems(state: State): ProblemRow[] {
  const base = problemsOf(
    state.nodes,
    state.services,
    state.troubledTasks,
    state.troubled,
    state.clock,
    state.objects.swarm,
    state.lastWords,
    state.objects.swarm?.taskHistoryLimit ?? null,
  );
  if (state.usage.figures.size === 0) return base;
  // the stats probe's unhealthy tasks (issue 15)
  const { figures } = state.usage;
  const placements = state.objects.placements;
  return withUnhealthy(
    base,
    unhealthyProblems(figures, placements, state.services, state.nodes, state.clock),
  );
}

/** The services a problem row is about. */
export const servicesWithProblems = memoLast(
  (problems: ProblemRow[]): ReadonlySet<string> => new Set(problems.flatMap((p) => p.serviceIds)),
);

/**
 * Why each pending task the screen knows of waits (the tasks pane's and the problems' tasks),
 * once the tasks holding the nodes are in.
 */
const pendingPlacements = memoLast(
  (
    scopeTasks: SwarmTask[],
    troubledTasks: SwarmTask[],
    nodes: SwarmNode[],
    services: SwarmService[],
    placements: SwarmTask[] | null,
    reveal: boolean,
  ): ReadonlyMap<string, Placement> => {
    if (placements === null) return new Map();
    const pending = [...scopeTasks, ...troubledTasks].filter(isUnplaced);
    return explainPending(pending, nodes, services, placements, { reveal });
  },
);

function whyPendingOf(state: State): ReadonlyMap<string, Placement> {
  return pendingPlacements(
    state.tasks.items,
    state.troubledTasks,
    state.nodes,
    state.services,
    state.objects.placements,
    state.revealSecrets,
  );
}

/** A task the screen's lists hold (the tasks pane's, the troubled services'), by id. */
export function knownTask(state: State, id: string): SwarmTask | undefined {
  return state.tasks.items.find((t) => t.id === id) ?? state.troubledTasks.find((t) => t.id === id);
}

/** The pending task `e` explains, as the lists now have it. */
function explanationOf(state: State): Explanation | null {
  const id = state.explainTaskId;
  if (id === null) return null;
  const task = knownTask(state, id);
  const service = state.services.find((s) => s.id === task?.serviceId);
  const serviceName = service?.name ?? task?.serviceId.slice(0, 12) ?? '';
  return {
    taskId: id,
    taskName: task === undefined ? id.slice(0, 12) : taskName(serviceName, task),
    serviceId: task?.serviceId ?? '',
    engineError: task?.error ?? task?.message ?? '',
    placement: whyPendingOf(state).get(id) ?? null,
    settled: task === undefined || !isUnplaced(task),
  };
}

const NO_NEEDS: readonly SwarmObjectKind[] = [];
const INSPECT_SERVICE_NEEDS: readonly SwarmObjectKind[] = ['networks'];

/** The lists the open view needs beyond nodes, services and tasks, now. */
export function viewNeeds(state: State): readonly SwarmObjectKind[] {
  const declared = listViewOf(state.view)?.needs;
  const needs =
    declared === undefined
      ? // A service's inspect header names its networks.
        state.inspect?.target.kind === 'service'
        ? INSPECT_SERVICE_NEEDS
        : NO_NEEDS
      : typeof declared === 'function'
        ? declared(viewData(state))
        : declared;
  // The scale prompt says where new replicas would go: it reads where every task runs.
  if (state.dialog?.kind === 'scale' && !needs.includes('placements')) {
    return [...needs, 'placements'];
  }
  return needs;
}

/**
 * The tasks held with their history: every task of the troubled services (polled for the
 * problems view) and of the service the tasks pane shows (its list is not filtered by state).
 */
const heldHistory = memoLast(
  (troubled: SwarmTask[], key: string | null, scoped: SwarmTask[]): ViewData['history'] => {
    const both = key?.startsWith('service:') === true ? [...troubled, ...scoped] : troubled;
    // a troubled service shown in the pane is in both lists: each task once
    const tasks = both === troubled ? troubled : [...new Map(both.map((t) => [t.id, t])).values()];
    return { tasks, services: new Set(tasks.map((t) => t.serviceId)) };
  },
);

/** What the views read, for one state (lazy: a view reads only what it needs). */
export const viewData = memoLast((state: State): ViewData => {
  let tasks: TaskRow[] | undefined;
  let scope: TaskScope | null | undefined;
  // Read once per row by some views (a list's title, its `!` filter): kept for this state rather
  // than asked of the memos again, each asking allocating its arguments.
  let problems: ProblemRow[] | undefined;
  let flagged: ReadonlySet<string> | undefined;
  return {
    nodes: state.nodes,
    services: state.services,
    get tasks() {
      return (tasks ??= taskRows(state));
    },
    get tasksLoading() {
      return tasksLoading(state);
    },
    get scope() {
      return scope === undefined ? (scope = taskScope(state)) : scope;
    },
    ops: state.ops,
    events: state.events,
    get problems() {
      return (problems ??= currentProblems(state));
    },
    get flagged() {
      return (flagged ??= servicesWithProblems(this.problems));
    },
    stack: state.stack,
    networks: state.objects.networks,
    secrets: state.objects.secrets,
    configs: state.objects.configs,
    swarm: state.objects.swarm,
    clock: state.clock,
    placements: state.objects.placements,
    whyPending: (taskId) => whyPendingOf(state).get(taskId) ?? null,
    get explanation() {
      return explanationOf(state);
    },
    showHistory: state.showHistory,
    revealSecrets: state.revealSecrets,
    lastWords: state.lastWords,
    taskHistory: state.objects.swarm?.taskHistoryLimit ?? null,
    get history() {
      return heldHistory(state.troubledTasks, state.tasks.scopeKey, state.tasks.items);
    },
    keys: state.keys.labelOf,
    usage: {
      figures: state.usage.figures,
      nodeErrors: state.usage.nodeErrors,
      phase: state.readOnly
        ? 'read-only'
        : state.dialog?.kind === 'confirm' && state.dialog.intent.kind === 'probe-start'
          ? 'asking'
          : probePhase(state.usage, state.ops),
      image: state.usage.image,
    },
  };
});

/**
 * `!`, the text filter, then the sort: what a list pane shows. Takes the list's settings one by
 * one so a move (a new selectedId) keeps the memoised result.
 */
function listRows<Row extends { id: string }>(
  view: AnyListView,
  rows: Row[],
  filter: string,
  problemsOnly: boolean,
  sort: number,
  reverse: boolean,
  flagged: ReadonlySet<string> | null,
): Row[] {
  const trouble = view.trouble;
  const context = { flagged: flagged ?? new Set<string>() };
  const kept =
    problemsOnly && trouble !== undefined ? rows.filter((row) => trouble(row, context)) : rows;
  const needle = filter.trim().toLowerCase();
  const matching =
    needle === '' ? kept : kept.filter((row) => view.search(row).toLowerCase().includes(needle));
  return sortWith(matching, view.sorts, sort, reverse);
}

// One memo per pane, so switching panes does not throw away the other pane's result.
const lists = Object.fromEntries(VIEW_IDS.map((id) => [id, memoLast(listRows)])) as Record<
  ViewId,
  typeof listRows
>;

/** The row type of a view's list. */
export type RowOf<K extends ViewId> = K extends ViewId
  ? (typeof VIEWS)[K] extends ListView<infer Row>
    ? Row
    : never
  : never;

/** The rows a list pane shows; a text view has none (its lines are kept where they stream). */
export function paneRows<K extends PaneId>(state: State, pane: K): RowOf<K>[] {
  const view = listViewOf(pane);
  if (view === undefined) return [];
  const list = state.lists[pane];
  const data = viewData(state);
  return lists[pane](
    view,
    view.rows(data) as RowOf<K>[],
    list.filter,
    list.problemsOnly,
    list.sort,
    list.reverse,
    // Only `!` reads it: the problems are not computed for a list that does not ask.
    list.problemsOnly ? data.flagged : null,
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
