// The state of a session: one plain object the reducer turns into the next. Its own module so
// that everything reading it (selectors, views, dialogs, key dispatch) imports the type without
// importing the reducer.
import { initialUsage, type UsageState } from './usage.js';
import type { LastWords, SwarmNode, SwarmObjects, SwarmService, SwarmTask } from '../model.js';
import type { ThemeName } from '../format/palette.js';
import type { ObjectRef, PaneId, TaskScope, ViewId } from './actions.js';
import type { EventRow } from '../views/event-log.js';
import type { Dialog, OperationRecord } from '../operations/records.js';
import type { LogViewState } from './log-view.js';
import type { Effect } from './effects.js';
import { VIEW_IDS, VIEWS } from '../views/registry.js';
import { DEFAULT_KEYS, type KeyTable } from './keymap.js';

/** A place to come back to: the view, its focused pane, and what its lists were narrowed to. */
/** A place in the navigation stack (navigation.ts). */
export interface Place {
  view: ViewId;
  focus: PaneId;
  drill: TaskScope;
  stack: string | null;
  /** The place pushed above it was a jump to evidence in this pane: leaving undoes the jump. */
  jumpedTo: PaneId | null;
}

export interface ListState {
  selectedId: string | null;
  filter: string;
  /** Index into the pane's sort keys (sorting.ts); 0 is its natural order. */
  sort: number;
  reverse: boolean;
  /** `!`: only the rows with a problem. */
  problemsOnly: boolean;
}

export interface InspectState {
  target: ObjectRef;
  /** First line shown. */
  scroll: number;
}

export interface State {
  view: ViewId;
  focus: PaneId;
  nodes: SwarmNode[];
  services: SwarmService[];
  /** The last task answer and the scope it answers for. */
  tasks: { scopeKey: string | null; items: SwarmTask[] };
  /** What the tasks view shows (set by Enter on a service or node). */
  drill: TaskScope;
  /** Where Esc returns to, the newest last (navigation.ts). */
  places: Place[];
  lists: Record<PaneId, ListState>;
  showHistory: boolean;
  /** A line being typed after `/` or `:`. */
  input: { mode: 'filter' | 'command'; text: string } | null;
  help: boolean;
  /** Lines the help screen is scrolled by (it may not fit a small terminal). */
  helpScroll: number;
  /** One line for the status bar (unknown command, etc.), cleared by the next key. */
  message: string | null;
  /** Mutation keys only say "read-only"; the operations runner refuses them as well. */
  readOnly: boolean;
  /** The usage view's probe and figures (issue 15). */
  usage: UsageState;
  /** Highest replica count the scale prompt accepts. */
  scaleCeiling: number;
  /** --show-secrets: label values whose names look secret are shown (the status line). */
  revealSecrets: boolean;
  dialog: Dialog | null;
  /** The logs view's settings while it is open. */
  logView: LogViewState | null;
  /** This session's operations, newest first. */
  ops: OperationRecord[];
  /** Numbers dialogs and operations. */
  nextId: number;
  /** Wall clock of the last key, for operation start times (the reducer reads no clock). */
  now: number;
  /**
   * The app's clock, moved by a tick every few seconds (not by keys, so a key redraws no age):
   * ages in the tables, and what counts as a recent failure in the problems view.
   */
  clock: number;
  /** Log entries received as of the last key (the logs view pauses at that count). */
  logTotal: number;
  /** Lines of the inspect view as of the last key (scrolling stops at its end). */
  inspectLines: number;
  /** Services seen below their count or in a troubled rollout this session: the problems view polls their tasks. */
  troubled: string[];
  /** The last answer for the tasks of the troubled services (what the problems are made of). */
  troubledTasks: SwarmTask[];
  /** The last lines of failed tasks, by task id, as fetched (bounded; live/last-words.ts). */
  lastWords: Readonly<Record<string, LastWords>>;
  /** Networks, secrets, configs, the swarm and placements, as far as fetched. */
  objects: SwarmObjects;
  /** The events timeline, newest first (bounded). */
  events: EventRow[];
  /** Numbers events as they arrive (their row ids). */
  eventSeq: number;
  /** The stack the services list is narrowed to (Enter on a stack); '' is "no stack". */
  stack: string | null;
  inspect: InspectState | null;
  /** The pending task `e` explains (the explain view). */
  explainTaskId: string | null;
  /** `c` was pressed: the next key says what to copy. */
  copying: boolean;
  /** What must happen outside the reducer, oldest first (effects.ts). */
  outbox: Effect[];
  /** Numbers the effects. */
  effectSeq: number;
  theme: ThemeName;
  /** The key table in force (the config file's remapping); dispatch, hints and help read it. */
  keys: KeyTable;
}

export const emptyList: ListState = {
  selectedId: null,
  filter: '',
  sort: 0,
  reverse: false,
  problemsOnly: false,
};

export const initialState: State = {
  // A session opens on the registry's first view.
  view: VIEW_IDS[0]!,
  focus: VIEWS[VIEW_IDS[0]!].panes[0] as PaneId,
  nodes: [],
  services: [],
  tasks: { scopeKey: null, items: [] },
  drill: { kind: 'all' },
  places: [],
  lists: Object.fromEntries(VIEW_IDS.map((id) => [id, emptyList])) as Record<PaneId, ListState>,

  showHistory: false,
  input: null,
  help: false,
  helpScroll: 0,
  message: null,
  readOnly: false,
  usage: initialUsage,
  scaleCeiling: 1000,
  revealSecrets: false,
  dialog: null,
  logView: null,
  ops: [],
  nextId: 1,
  now: 0,
  clock: 0,
  logTotal: 0,
  inspectLines: 0,
  troubled: [],
  troubledTasks: [],
  lastWords: {},
  objects: { networks: null, secrets: null, configs: null, swarm: null, placements: null },
  events: [],
  eventSeq: 0,
  stack: null,
  inspect: null,
  explainTaskId: null,
  copying: false,
  outbox: [],
  effectSeq: 0,
  theme: 'dark',
  keys: DEFAULT_KEYS,
};

/** The state a session starts in. */
export function startState(
  settings: Pick<State, 'readOnly' | 'scaleCeiling'> &
    Partial<Pick<State, 'theme' | 'revealSecrets' | 'keys' | 'usage'>>,
): State {
  return { ...initialState, ...settings };
}
