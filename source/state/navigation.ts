// Navigation is a stack of places (k9s page_stack.go): Enter, `l` and `i` push the place being
// left, Esc pops back to it, and a view key starts over from that view alone.
import type { ViewId } from '../views/registry.js';
import type { Go } from '../views/view.js';
import type { Action, ObjectRef, PaneId } from './actions.js';
import { listsTasksOfPlace, listViewOf, VIEWS, viewWithBody } from '../views/registry.js';
import { targetService } from './dialogs.js';
import { withList } from './lists.js';
import { openLogView, type LogTarget } from './log-view.js';
import { paneRows, selectedRow, VIEW_PANES, viewData } from './selectors.js';
import { emptyList, type Place, type State } from './state.js';
import { isUnplaced } from '../operations/placement.js';

const firstPane = (view: ViewId): PaneId => VIEW_PANES[view][0]!;

/** A jump showed history and filtered the list it went to: leaving it puts both back. */
function undoJump(state: State, pane: PaneId): State {
  return {
    ...state,
    showHistory: false,
    lists: { ...state.lists, [pane]: { ...state.lists[pane], filter: '', selectedId: null } },
  };
}

/** Keeps the current place on the stack and shows `view` (the caller sets what it shows). */
export function push(state: State, view: ViewId, jump = false): State {
  const here: Place = {
    view: state.view,
    focus: state.focus,
    drill: state.drill,
    stack: state.stack,
    jumpedTo: jump ? firstPane(view) : null,
  };
  return { ...state, places: [...state.places, here], view, focus: firstPane(view) };
}

/** Esc: back to the place below, closing what the place left showed (logs, inspect). */
export function pop(state: State): State | null {
  const below = state.places.at(-1);
  if (below === undefined) return null;
  const left: State = {
    ...state,
    places: state.places.slice(0, -1),
    view: below.view,
    focus: below.focus,
    drill: below.drill,
    stack: below.stack,
    logView: null,
    inspect: null,
  };
  return below.jumpedTo !== null ? undoJump(left, below.jumpedTo) : left;
}

/** A view key or `:view`: that view alone, as its first place (the stack starts over). */
export function startAt(state: State, view: ViewId, stack: string | null): State {
  const jump = state.places.find((place) => place.jumpedTo !== null)?.jumpedTo ?? null;
  const left = jump !== null ? undoJump(state, jump) : state;
  return { ...left, places: [], view, focus: firstPane(view), stack };
}

/** Enter: where the view's row says to go, with what that list shows on arrival. */
export function goTo(state: State, go: Go & { view: ViewId }): State {
  const pushed = push(state, go.view, go.jump === true);
  const pane = pushed.focus;
  const list = {
    ...(go.jump === true ? emptyList : state.lists[pane]),
    ...(go.filter !== undefined ? { filter: go.filter } : {}),
    ...(go.selectId !== undefined ? { selectedId: go.selectId } : {}),
    ...(go.problemsOnly === false ? { problemsOnly: false } : {}),
  };
  return {
    ...pushed,
    ...(go.scope !== undefined ? { drill: go.scope } : {}),
    ...(go.stack !== undefined ? { stack: go.stack } : {}),
    // Failures are history once replaced: show them, or the filtered list could be empty.
    ...(go.jump === true ? { showHistory: true } : {}),
    lists: { ...state.lists, [pane]: list },
  };
}

export type NavigationAction = Extract<
  Action,
  { type: 'show-view' | 'drill' | 'back' | 'open-inspect' | 'open-explain' | 'open-logs' }
>;

export function showView(state: State, view: ViewId): State {
  // A view key always shows every service: a stack's narrowing belongs to the visit from the
  // stacks view.
  const stack = null;
  // `3` in a drill-down's tasks view still means every task (as :tasks does).
  const drilled = listsTasksOfPlace(view) && state.drill.kind !== 'all';
  if (state.view === view && stack === state.stack && !drilled) return state;
  return startAt(state, view, stack);
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

export function openInspect(state: State): State {
  const target = selectedObject(state);
  if (target === null) return { ...state, message: 'Select a service, node or task to inspect.' };
  if (VIEWS[state.view].kind === 'text') return state;
  return { ...push(state, viewWithBody('inspect')), inspect: { target, scroll: 0 } };
}

/**
 * The pending task `e` explains: the selected task (tasks pane), or the pending group selected in
 * the problems view (its newest task).
 */
function pendingTaskOf(state: State): string | null {
  const selected = selectedObject(state);
  if (selected?.kind === 'task') {
    const task = state.tasks.items.find((t) => t.id === selected.id);
    return task !== undefined && isUnplaced(task) ? task.id : null;
  }
  if (state.focus !== 'problems') return null;
  const row = selectedRow(paneRows(state, 'problems'), state.lists.problems.selectedId);
  return row?.pendingTaskId ?? null;
}

export function openExplain(state: State): State {
  const id = pendingTaskOf(state);
  if (id === null) {
    return {
      ...state,
      message: 'Select a pending task (3, or a pending group in 5) to see why it is not placed.',
    };
  }
  return {
    ...push(state, 'explain'),
    explainTaskId: id,
    lists: { ...state.lists, explain: emptyList },
  };
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

export function openLogs(state: State): State {
  const target = logTarget(state);
  if (target === null) return { ...state, message: 'Select a service or a task to see its logs.' };
  const opened = push(state, viewWithBody('logs'));
  return {
    ...opened,
    logView: openLogView(target),
    lists: { ...state.lists, [opened.focus]: emptyList },
  };
}

export function navigationSlice(state: State, action: NavigationAction): State {
  switch (action.type) {
    case 'show-view': {
      const next = showView(state, action.view);
      // `3` on its own shows every task; a drill-down from a service or node sets its own scope.
      if (listsTasksOfPlace(action.view) && next !== state) {
        return { ...next, drill: { kind: 'all' } };
      }
      return next;
    }
    case 'drill':
      return drill(state);
    case 'back':
      return back(state);
    case 'open-inspect':
      return openInspect(state);
    case 'open-explain':
      return openExplain(state);
    case 'open-logs':
      return openLogs(state);
  }
}
