import { THEME_NAMES } from '../format/palette.js';
import type { Action, CopyWhat, ObjectRef, PaneId } from './actions.js';
import { appendEvent, describeEvent } from '../views/event-log.js';
import { isTaskProblem } from '../health.js';
import { troubledNow } from '../views/problem-rows.js';
import { listViewOf, VIEWS, viewOfWord, type ViewId } from '../views/registry.js';
import { goTo, pop, push, startAt } from './navigation.js';

/** Services whose tasks are followed for the problems view, at most. */
export const TROUBLED_LIMIT = 30;
import { openConfirm, openScale, submitScale, targetService } from './dialogs.js';
import {
  titleOf,
  type Dialog,
  type OperationRecord,
  type OpRequest,
} from '../operations/records.js';
import { LOG_RANGES, openLogView, scrollLogs, setFollow, type LogTarget } from './log-view.js';
import { dispatchKey } from './dispatch-key.js';
import { paneRows, selectedRow, VIEW_PANES, viewData } from './selectors.js';
import { shareList } from '../format/same.js';
import { emit, taken } from './effects.js';
import { emptyList, type ListState, type State } from './state.js';

export { initialState, startState, type ListState, type State } from './state.js';

const THEME_COMMANDS = new Set(['theme', 'th']);

function withList(state: State, pane: PaneId, patch: Partial<ListState>): State {
  const list = state.lists[pane];
  if (Object.entries(patch).every(([key, value]) => list[key as keyof ListState] === value)) {
    return state;
  }
  return { ...state, lists: { ...state.lists, [pane]: { ...list, ...patch } } };
}

/** A kept filter starts on its first match, as in less and k9s. */
function selectFirst(state: State, pane: PaneId): State {
  const first = paneRows(state, pane)[0];
  return first ? withList(state, pane, { selectedId: first.id }) : state;
}

function showView(state: State, view: ViewId): State {
  // A view key always shows every service: a stack's narrowing belongs to the visit from the
  // stacks view.
  const stack = null;
  // `3` in a drill-down's tasks view still means every task (as :tasks does).
  const drilled =
    VIEWS[view].kind === 'list' && 'tasksOfPlace' in VIEWS[view] && state.drill.kind !== 'all';
  if (state.view === view && stack === state.stack && !drilled) return state;
  return startAt(state, view, stack);
}

function scrollInspect(state: State, delta: number | 'top' | 'bottom', lines: number): State {
  const inspect = state.inspect;
  if (inspect === null) return state;
  const last = Math.max(0, lines - 1);
  const scroll =
    delta === 'top'
      ? 0
      : delta === 'bottom'
        ? last
        : Math.max(0, Math.min(last, inspect.scroll + delta));
  return scroll === inspect.scroll ? state : { ...state, inspect: { ...inspect, scroll } };
}

function move(state: State, delta: number | 'top' | 'bottom', inspectLines = 0): State {
  const pane = state.focus;
  const view = VIEWS[pane];
  if (view.kind === 'text' && view.body === 'inspect') {
    return scrollInspect(state, delta, inspectLines);
  }
  if (view.kind === 'text') {
    return state.logView
      ? { ...state, logView: scrollLogs(state.logView, delta, state.logTotal) }
      : state;
  }
  const rows = paneRows(state, pane);
  if (rows.length === 0) return state;
  const current = selectedRow(rows, state.lists[pane].selectedId);
  const index = current ? rows.indexOf(current) : 0;
  const target =
    delta === 'top'
      ? 0
      : delta === 'bottom'
        ? rows.length - 1
        : Math.max(0, Math.min(rows.length - 1, index + delta));
  return withList(state, pane, { selectedId: rows[target]!.id });
}

/** Enter: where the selected row of the view's own list says to go. */
function drill(state: State): State {
  const view = listViewOf(state.view);
  if (view?.enter === undefined) return state;
  const own = view.panes[0] as PaneId;
  const row = selectedRow(paneRows(state, own), state.lists[own].selectedId);
  if (row === undefined) return state;
  const go = view.enter(row, viewData(state));
  if (go === null) return state;
  if (typeof go === 'string') return { ...state, message: go };
  return goTo(state, { ...go, view: go.view as ViewId });
}

function back(state: State): State {
  if (state.help) return { ...state, help: false };
  if (state.lists[state.focus].filter !== '') return withList(state, state.focus, { filter: '' });
  const popped = pop(state);
  if (popped !== null) return popped;
  const first = VIEW_PANES[state.view][0]!;
  return state.focus === first ? state : { ...state, focus: first };
}

function setTheme(state: State, name: string): State {
  const theme = THEME_NAMES.find((t) => t === name.toLowerCase());
  if (theme === undefined) {
    const known = THEME_NAMES.join(', ');
    return {
      ...state,
      message:
        name === ''
          ? `The themes are ${known}.`
          : `Unknown theme "${name}": the themes are ${known}.`,
    };
  }
  return { ...state, theme, message: `Theme: ${theme}.` };
}

/** `:view word…`: the view, with the rest of the line as its list's filter. */
function runCommand(state: State, text: string): State {
  const [first = '', ...rest] = text.trim().replace(/^:/, '').split(/\s+/);
  const name = first.toLowerCase();
  const argument = rest.join(' ');
  const id = viewOfWord(name);
  const closed = { ...state, input: null };
  if (name === '') return closed;
  if (THEME_COMMANDS.has(name)) return setTheme(closed, argument);
  if (id === undefined) {
    return { ...closed, message: `Unknown command ":${name}". Try ${commandWords()}.` };
  }
  const view = VIEWS[id];
  if (view.kind === 'text') return view.body === 'logs' ? openLogs(closed) : openInspect(closed);
  // `:tasks` is every task, whatever the tasks view was opened on before.
  const everyTask = 'tasksOfPlace' in view;
  let shown = showView(closed, id);
  if (everyTask) shown = { ...shown, drill: { kind: 'all' }, places: [] };
  const pane = VIEW_PANES[id][0]!;
  if (argument === '' && !everyTask) return shown;
  return selectFirst(withList(shown, pane, { filter: argument }), pane);
}

/** The object `i` inspects and `c` copies: the selected row of the focused list. */
export function selectedObject(state: State): ObjectRef | null {
  const shown = VIEWS[state.view];
  if (shown.kind === 'text')
    return shown.body === 'inspect' ? (state.inspect?.target ?? null) : null;
  const view = listViewOf(state.focus);
  if (view?.target === undefined) return null;
  const row = selectedRow(paneRows(state, state.focus), state.lists[state.focus].selectedId);
  return row === undefined ? null : view.target(row);
}

function openInspect(state: State): State {
  const target = selectedObject(state);
  if (target === null) return { ...state, message: 'Select a service, node or task to inspect.' };
  if (VIEWS[state.view].kind === 'text') return state;
  return { ...push(state, 'inspect'), inspect: { target, scroll: 0 } };
}

function startCopy(state: State): State {
  if (selectedObject(state) === null) {
    return { ...state, message: 'Select a service, node or task to copy its ID, name or spec.' };
  }
  return { ...state, copying: true };
}

function chooseCopy(state: State, what: CopyWhat): State {
  const target = selectedObject(state);
  const closed = { ...state, copying: false };
  if (target === null) return closed;
  if (what === 'spec' && target.kind === 'task') {
    // A task's spec is its service's; saying so beats copying something else silently.
    return {
      ...closed,
      message: "A task has no spec of its own: copy its service's (i on the service).",
    };
  }
  return emit(closed, { kind: 'copy', what, target });
}

/** Keeps every service ever seen in trouble while it exists: a crash loop is 1/1 half the time. */
function trackTroubled(state: State): State {
  const exists = new Set(state.services.map((s) => s.id));
  const kept = state.troubled.filter((id) => exists.has(id));
  const degraded = troubledNow(state.services);
  const known = new Set(kept);
  const added = degraded.filter((id) => !known.has(id));
  if (added.length === 0 && kept.length === state.troubled.length) return state;
  // Oldest first. Past the limit the oldest that are healthy again go first: the tasks of every
  // service that ever failed would grow into the whole cluster's task list under churn.
  let troubled = [...kept, ...added];
  if (troubled.length > TROUBLED_LIMIT) {
    const below = new Set(degraded);
    const healthy = troubled.filter((id) => !below.has(id));
    const drop = new Set(healthy.slice(0, troubled.length - TROUBLED_LIMIT));
    troubled = troubled.filter((id) => !drop.has(id)).slice(-TROUBLED_LIMIT);
  }
  return { ...state, troubled };
}

/**
 * A service leaves the troubled list once it is at its count and the tasks just fetched for it
 * show no failure in the recent window.
 */
function pruneTroubled(state: State, answered: ReadonlySet<string>): State {
  const below = new Set(troubledNow(state.services));
  const failing = new Set(
    state.troubledTasks.filter((t) => isTaskProblem(t, state.clock)).map((t) => t.serviceId),
  );
  const troubled = state.troubled.filter(
    (id) => !answered.has(id) || below.has(id) || failing.has(id),
  );
  return troubled.length === state.troubled.length ? state : { ...state, troubled };
}

function sortAction(state: State, action: Action): State {
  const pane = state.focus;
  const list = state.lists[pane];
  if (action.type === 'sort-next')
    return withList(state, pane, { sort: list.sort + 1, reverse: false });
  if (action.type === 'sort-reverse') return withList(state, pane, { reverse: !list.reverse });
  return withList(state, pane, { problemsOnly: !list.problemsOnly });
}

/** The selected task (tasks pane focused), else the selected or drilled-into service. */
function logTarget(state: State): LogTarget | null {
  const selected = selectedObject(state);
  if (selected?.kind === 'task') {
    const task = state.tasks.items.find((t) => t.id === selected.id);
    if (!task) return null;
    const service = state.services.find((s) => s.id === task.serviceId);
    return {
      kind: 'task',
      id: task.id,
      serviceId: task.serviceId,
      name: selected.name,
      tty: service?.tty ?? false,
    };
  }
  const service = targetService(state);
  if (!service) return null;
  return {
    kind: 'service',
    id: service.id,
    serviceId: service.id,
    name: service.name,
    tty: service.tty,
  };
}

function openLogs(state: State): State {
  const target = logTarget(state);
  if (target === null) return { ...state, message: 'Select a service or a task to see its logs.' };
  const opened = push(state, 'logs');
  return {
    ...opened,
    logView: openLogView(target),
    lists: { ...state.lists, [opened.focus]: emptyList },
  };
}

function logAction(state: State, action: Action): State {
  const view = state.logView;
  const shown = VIEWS[state.view];
  if (view === null || shown.kind !== 'text' || shown.body !== 'logs') return state;
  switch (action.type) {
    case 'logs-toggle':
      if (action.what === 'follow') {
        return { ...state, logView: setFollow(view, !view.follow, state.logTotal) };
      }
      return { ...state, logView: { ...view, [action.what]: !view[action.what] } };
    case 'logs-range':
      return {
        ...state,
        logView: setFollow({ ...view, range: (view.range + 1) % LOG_RANGES.length }, true, 0),
      };
    case 'logs-save':
      return emit(state, { kind: 'save-logs', target: view.target });
    default:
      return state;
  }
}

function startOperation(state: State, request: OpRequest): State {
  const record: OperationRecord = {
    id: `op-${state.nextId}`,
    request,
    title: titleOf(request),
    status: 'sending',
    progress: '',
    message: null,
    auditError: null,
    startedAt: state.now,
    endedAt: null,
  };
  const started = { ...state, dialog: null, nextId: state.nextId + 1, ops: [record, ...state.ops] };
  return emit(started, { kind: 'send', op: record });
}

function dialogAction(state: State, action: Action): State {
  const dialog = state.dialog;
  if (dialog === null) return state;
  switch (action.type) {
    case 'dialog-cancel':
      return { ...state, dialog: null, message: 'Cancelled; nothing was sent.' };
    case 'dialog-input':
      if (dialog.kind !== 'scale') return state;
      return {
        ...state,
        dialog:
          dialog.confirmName !== null
            ? { ...dialog, confirmName: action.text, error: null }
            : { ...dialog, text: action.text, error: null },
      };
    case 'dialog-submit': {
      if (dialog.kind !== 'scale') return state;
      const next = submitScale(dialog, state.scaleCeiling);
      return 'request' in next
        ? startOperation(state, next.request)
        : { ...state, dialog: next.dialog };
    }
    case 'dialog-confirm':
      return dialog.kind === 'confirm' && dialog.request !== null
        ? startOperation(state, dialog.request)
        : state;
    case 'dialog-scroll': {
      if (dialog.kind !== 'confirm') return state;
      // The last line stays on screen; how much fits is the dialog box's business.
      const last = Math.max(0, dialog.lines.length + dialog.warnings.length - 1);
      const scroll = Math.min(last, Math.max(0, dialog.scroll + action.delta));
      return scroll === dialog.scroll ? state : { ...state, dialog: { ...dialog, scroll } };
    }
    case 'dialog-ready':
      if (dialog.kind !== 'confirm' || dialog.id !== action.id) return state;
      return {
        ...state,
        dialog: {
          ...dialog,
          request: action.request,
          lines: action.lines,
          warnings: action.warnings,
        },
      };
    case 'dialog-failed':
      if (dialog.kind !== 'confirm' || dialog.id !== action.id) return state;
      return { ...state, dialog: { ...dialog, error: action.error } };
    default:
      return state;
  }
}

function openDialog(state: State, opened: Dialog | string): State {
  if (typeof opened === 'string') return { ...state, message: opened };
  const shown = { ...state, dialog: opened, nextId: state.nextId + 1 };
  // A confirm dialog states the impact: the engine is asked first (fresh inspect, tasks).
  return opened.kind === 'confirm'
    ? emit(shown, { kind: 'prepare', dialogId: opened.id, intent: opened.intent })
    : shown;
}

function pressKey(state: State, name: string, pageSize: number): State {
  const outcome = dispatchKey(state, name, pageSize);
  if (outcome.kind === 'quit') return emit(state, { kind: 'quit' });
  if (outcome.kind === 'none') return state;
  const cleared = state.message === null ? state : { ...state, message: null };
  return reducer(cleared, outcome.action);
}

export function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'key': {
      const stamped = {
        ...state,
        now: action.at,
        logTotal: action.logTotal ?? state.logTotal,
        inspectLines: action.inspectLines ?? state.inspectLines,
      };
      const next = pressKey(stamped, action.name, action.pageSize);
      // A key that does nothing leaves the state as it was, so nothing re-renders.
      return next === stamped ? state : next;
    }
    case 'nodes-loaded': {
      const nodes = shareList(state.nodes, action.nodes);
      return nodes === state.nodes ? state : { ...state, nodes };
    }
    case 'services-loaded': {
      const services = shareList(state.services, action.services);
      return services === state.services ? state : trackTroubled({ ...state, services });
    }
    case 'services-patched': {
      const fresh = new Map(action.services.map((s) => [s.id, s]));
      const named = new Set(action.ids);
      const kept = state.services.flatMap((s) => {
        if (!named.has(s.id)) return [s];
        const now = fresh.get(s.id);
        fresh.delete(s.id);
        return now === undefined ? [] : [now];
      });
      // What is left in `fresh` was created since the last list.
      const services = shareList(state.services, [...kept, ...fresh.values()]);
      return services === state.services ? state : trackTroubled({ ...state, services });
    }
    case 'tasks-loaded': {
      const sameScope = state.tasks.scopeKey === action.scopeKey;
      const items = shareList(sameScope ? state.tasks.items : [], action.tasks);
      if (sameScope && items === state.tasks.items) return state;
      return { ...state, tasks: { scopeKey: action.scopeKey, items } };
    }
    case 'troubled-tasks-loaded': {
      const items = shareList(state.troubledTasks, action.tasks);
      if (items === state.troubledTasks) return state;
      return pruneTroubled({ ...state, troubledTasks: items }, new Set(action.key.split(',')));
    }
    case 'show-view': {
      const next = showView(state, action.view);
      // `3` on its own shows every task; a drill-down from a service or node sets its own scope.
      if ('tasksOfPlace' in VIEWS[action.view] && next !== state) {
        return { ...next, drill: { kind: 'all' } };
      }
      return next;
    }
    case 'cycle-pane': {
      const panes = VIEW_PANES[state.view];
      const index = panes.indexOf(state.focus);
      const focus = panes[(index + action.step + panes.length) % panes.length]!;
      return focus === state.focus ? state : { ...state, focus };
    }
    case 'move':
      return move(state, action.delta, state.inspectLines);
    case 'move-to':
      return move(state, action.edge, state.inspectLines);
    case 'drill':
      return drill(state);
    case 'back':
      return back(state);
    case 'toggle-history':
      return { ...state, showHistory: !state.showHistory };
    case 'toggle-help':
      return { ...state, help: !state.help, helpScroll: 0 };
    case 'help-scroll':
      return {
        ...state,
        helpScroll: action.delta === 'top' ? 0 : Math.max(0, state.helpScroll + action.delta),
      };
    case 'filter-start':
      // `/` starts a new filter, as in less and k9s: typing replaces the one kept before.
      return withList({ ...state, input: { mode: 'filter', text: '' } }, state.focus, {
        filter: '',
      });
    case 'filter-input':
      return withList({ ...state, input: { mode: 'filter', text: action.text } }, state.focus, {
        filter: action.text,
      });
    case 'filter-accept':
      return selectFirst({ ...state, input: null }, state.focus);
    case 'filter-cancel':
      return withList({ ...state, input: null }, state.focus, { filter: '' });
    case 'command-start':
      return { ...state, input: { mode: 'command', text: '' } };
    case 'command-input':
      return { ...state, input: { mode: 'command', text: action.text } };
    case 'command-run':
      return runCommand(state, state.input?.text ?? '');
    case 'command-cancel':
      return { ...state, input: null };
    case 'say':
      return { ...state, message: action.message };
    case 'effects-taken':
      return taken(state, action.through);
    case 'open-logs':
      return openLogs(state);
    case 'logs-toggle':
    case 'logs-range':
    case 'logs-save':
      return logAction(state, action);
    case 'open-scale':
      return openDialog(state, openScale(state, state.nextId));
    case 'open-confirm':
      return openDialog(state, openConfirm(state, action.kind, state.nextId));
    case 'dialog-input':
    case 'dialog-submit':
    case 'dialog-confirm':
    case 'dialog-cancel':
    case 'dialog-scroll':
    case 'dialog-ready':
    case 'dialog-failed':
      return dialogAction(state, action);
    case 'swarm-events': {
      let { events, eventSeq } = state;
      for (const event of action.events) {
        eventSeq += 1;
        events = appendEvent(events, describeEvent(event, eventSeq));
      }
      return { ...state, eventSeq, events };
    }
    case 'sort-next':
    case 'sort-reverse':
    case 'toggle-problems-only':
      return sortAction(state, action);
    case 'open-inspect':
      return openInspect(state);
    case 'copy-start':
      return startCopy(state);
    case 'copy-choose':
      return chooseCopy(state, action.what);
    case 'copy-cancel':
      return { ...state, copying: false, message: 'Nothing copied.' };
    case 'tick':
      return action.at === state.clock ? state : { ...state, clock: action.at };
    case 'op-update':
      return {
        ...state,
        ops: state.ops.map((op) => (op.id === action.id ? { ...op, ...action.patch } : op)),
      };
  }
}

/** The `:` words, one per view, as the unknown-command answer lists them. */
function commandWords(): string {
  const words = [...Object.values(VIEWS).map((view) => `:${view.words[0]}`), ':theme'];
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
