// Navigation is a stack of places (k9s page_stack.go): Enter, `l` and `i` push the place being
// left, Esc pops back to it, and a view key starts over from that view alone.
import { VIEWS, type ViewId } from '../views/registry.js';
import type { Go } from '../views/view.js';
import type { PaneId } from './actions.js';
import { emptyList, type Place, type State } from './state.js';

const firstPane = (view: ViewId): PaneId => VIEWS[view].panes[0] as PaneId;

/** A jump showed history and filtered the tasks: leaving it puts both back. */
function undoJump(state: State): State {
  return {
    ...state,
    showHistory: false,
    lists: { ...state.lists, tasks: { ...state.lists.tasks, filter: '', selectedId: null } },
  };
}

/** Keeps the current place on the stack and shows `view` (the caller sets what it shows). */
export function push(state: State, view: ViewId, jump = false): State {
  const here: Place = {
    view: state.view,
    focus: state.focus,
    drill: state.drill,
    stack: state.stack,
    undoJump: jump,
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
  return below.undoJump ? undoJump(left) : left;
}

/** A view key or `:view`: that view alone, as its first place (the stack starts over). */
export function startAt(state: State, view: ViewId, stack: string | null): State {
  const left = state.places.some((place) => place.undoJump) ? undoJump(state) : state;
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
