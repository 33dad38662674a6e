// What a view is (k9s: a render + a viewer per resource; dry: one model per view). A list view
// owns everything about its list: rows, search text, the verdict `!` keeps, sorts, columns, title,
// empty text, the status line about its selection, where Enter goes and what `i`/`c` act on.
// Views are pure: they read a ViewData and return values; state/ and app.tsx only iterate them.
import type { Theme } from '../format/palette.js';
import type {
  LastWords,
  ObjectRef,
  SwarmCluster,
  SwarmConfig,
  SwarmNetwork,
  SwarmNode,
  SwarmObjectKind,
  SwarmSecret,
  SwarmService,
  SwarmTask,
  TaskScope,
} from '../model.js';
import type { Placement } from '../operations/placement.js';
import type { OperationRecord } from '../operations/records.js';
import type { UsageData } from '../probe/line.js';
import type { Column } from './column.js';
import type { EventRow } from './event-log.js';
import type { ProblemRow } from './problem-rows.js';
import type { SortKey } from './sort-keys.js';
import type { TaskRow } from './task-rows.js';

export type { ObjectRef, TaskScope } from '../model.js';

/** What every view reads: the swarm as the store has it now, and the session around it. */
export interface ViewData {
  nodes: SwarmNode[];
  services: SwarmService[];
  /** The tasks of `scope`, named, shut-down history left out unless shown. */
  tasks: TaskRow[];
  /** The scope's first answer is on its way. */
  tasksLoading: boolean;
  /** What the tasks pane shows now. */
  scope: TaskScope | null;
  ops: OperationRecord[];
  events: EventRow[];
  problems: ProblemRow[];
  /** Services the problems view lists (failing tasks at a full count too). */
  flagged: ReadonlySet<string>;
  /** The stack the services list is narrowed to; '' is "no stack". */
  stack: string | null;
  /** Null until fetched (a view that needs them says so: ListView.needs). */
  networks: SwarmNetwork[] | null;
  secrets: SwarmSecret[] | null;
  configs: SwarmConfig[] | null;
  swarm: SwarmCluster | null;
  /** The app's clock (epoch ms, moved by its tick): root CA days left and restart rates count from it. */
  clock: number;
  /** Every task meant to run (where each service runs); null until fetched. */
  placements: SwarmTask[] | null;
  /** Why a pending task waits, per node; null when it is not waiting or the nodes' tasks are not in. */
  whyPending(taskId: string): Placement | null;
  /** The pending task `e` explains, while the explain view is open. */
  explanation: Explanation | null;
  showHistory: boolean;
  revealSecrets: boolean;
  /** The last lines of failed tasks fetched so far, by task id (live/last-words.ts). */
  lastWords: Readonly<Record<string, LastWords>>;
  /** The swarm's TaskHistoryRetentionLimit when known: restart counts are bounded by it. */
  taskHistory: number | null;
  /** The usage view's figures and probe (issue 15). */
  usage: UsageData;
  /**
   * Tasks held with their history (the troubled services', the shown service's): a task's
   * restarts are counted from them, for the services in `services` only.
   */
  history: { tasks: readonly SwarmTask[]; services: ReadonlySet<string> };
  /** The key labels in force, for texts that name a key (a remap changes them). */
  keys: (command: string) => string;
}

/** A pending task and where each node stands for it (the explain view). */
export interface Explanation {
  taskId: string;
  /** service.slot, as people name it. */
  taskName: string;
  serviceId: string;
  /** The engine's own words on the task ("no suitable node (…)"). */
  engineError: string;
  /** Null until the nodes' tasks are in; also when the task was placed or is gone. */
  placement: Placement | null;
  /** The task is no longer waiting: placed, or gone. */
  settled: boolean;
}

/**
 * Where Enter takes the operator: a view, with what its list shows on arrival. The place left is
 * kept, so Esc comes back to it.
 */
export interface Go {
  view: string;
  /** The tasks view: which tasks. */
  scope?: TaskScope;
  /** The services list: narrowed to a stack (null: every service). */
  stack?: string | null;
  /** The arriving list's filter and selection (and `!` off, when set false). */
  filter?: string;
  selectId?: string | null;
  problemsOnly?: false;
  /** A jump to evidence: show history (failures are history once replaced); undone on leaving. */
  jump?: boolean;
}

export interface ListView<Row extends { id: string }> {
  readonly kind: 'list';
  readonly id: string;
  /** `:` words that open the view. */
  readonly words: readonly string[];
  /** Its own list first; services and nodes show their tasks below. */
  readonly panes: readonly string[];
  /**
   * The view's key in the key table (none: only its `:` words open it, and a config remap can
   * give it one), its help line and hint word.
   */
  readonly binding: { keys: string[]; help: string; hint?: string };
  rows(data: ViewData): Row[];
  search(row: Row): string;
  /** What `!` keeps; absent: `!` keeps every row. */
  trouble?(row: Row, data: Pick<ViewData, 'flagged'>): boolean;
  readonly sorts: readonly SortKey<Row>[];
  columns(theme: Theme, now: Date, data: ViewData): Column<Row>[];
  /** The pane title before the filter/sort suffix, given the rows it shows. */
  title(rows: Row[], data: ViewData): string;
  empty(data: ViewData, filtered: boolean): string;
  /** The status line about the selected row (the text a cell can only show cut). */
  detail(row: Row | undefined, data: ViewData): string;
  /** What Enter does (a hint word) and where it goes; a string is said instead. */
  readonly enterHint?: string;
  enter?(row: Row, data: ViewData): Go | string | null;
  /** The tasks the pane below shows for the selected row (services, nodes). */
  tasksOf?(row: Row): TaskScope;
  /** The view lists the tasks of the place it was opened on (Enter on a service, a problem). */
  readonly tasksOfPlace?: true;
  /** It lists this session's operations: the operations panel would only repeat it. */
  readonly listsOperations?: true;
  /** Its rows are made of the troubled services' tasks: they are polled at once while it is open. */
  readonly needsTroubledTasks?: true;
  /** It shows the events stream: events reach the store while it is open. */
  readonly needsEvents?: true;
  /**
   * The lists it shows beyond nodes, services and tasks: fetched while it is open (a function:
   * only while what it shows asks for them, e.g. placements while a pending task is listed).
   */
  readonly needs?: readonly SwarmObjectKind[] | ((data: ViewData) => readonly SwarmObjectKind[]);
  /** The object `i` inspects, `c` copies and a task's logs follow. */
  target?(row: Row): ObjectRef | null;
  /**
   * The object mutation keys act on while this view's own list is focused: the selected row's,
   * or what the view is about (the service a tasks view was opened on).
   */
  subject?(
    row: Row | undefined,
    data: ViewData,
  ): { kind: 'service' | 'node' | 'stack'; id: string } | null;
}

/** A view that shows text, not rows (logs, inspect): its body is the app's to draw. */
export interface TextView {
  readonly kind: 'text';
  readonly id: string;
  readonly words: readonly string[];
  readonly panes: readonly string[];
  /**
   * What draws it and what its keys scroll: a log stream (its service's tasks are kept fresh, they
   * name the lines), or the inspected object's text (what `i` and `c` act on while it is open).
   */
  readonly body: 'logs' | 'inspect';
  /** The status line in this view. */
  detail(data: ViewData): string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of views of any row type
export type AnyListView = ListView<any>;
export type AnyView = AnyListView | TextView;
