// The lists' own settings and moves: the selection (by ID), the filter, `!`, the sort, the
// focused pane, and scrolling the text views.
import { VIEWS } from '../views/registry.js';
import type { Action, PaneId } from './actions.js';
import { scrollLogs } from './log-view.js';
import { paneRows, selectedRow, VIEW_PANES } from './selectors.js';
import type { ListState, State } from './state.js';

export type ListAction = Extract<
  Action,
  {
    type:
      | 'cycle-pane'
      | 'move'
      | 'move-to'
      | 'toggle-history'
      | 'filter-start'
      | 'filter-input'
      | 'filter-accept'
      | 'filter-cancel'
      | 'sort-next'
      | 'sort-reverse'
      | 'toggle-problems-only';
  }
>;

export function withList(state: State, pane: PaneId, patch: Partial<ListState>): State {
  const list = state.lists[pane];
  if (Object.entries(patch).every(([key, value]) => list[key as keyof ListState] === value)) {
    return state;
  }
  return { ...state, lists: { ...state.lists, [pane]: { ...list, ...patch } } };
}

/** A kept filter starts on its first match, as in less and k9s. */
export function selectFirst(state: State, pane: PaneId): State {
  const first = paneRows(state, pane)[0];
  return first ? withList(state, pane, { selectedId: first.id }) : state;
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

function sortAction(state: State, action: ListAction): State {
  const pane = state.focus;
  const list = state.lists[pane];
  if (action.type === 'sort-next')
    return withList(state, pane, { sort: list.sort + 1, reverse: false });
  if (action.type === 'sort-reverse') return withList(state, pane, { reverse: !list.reverse });
  return withList(state, pane, { problemsOnly: !list.problemsOnly });
}

export function listSlice(state: State, action: ListAction): State {
  switch (action.type) {
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
    case 'toggle-history':
      return { ...state, showHistory: !state.showHistory };
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
    case 'sort-next':
    case 'sort-reverse':
    case 'toggle-problems-only':
      return sortAction(state, action);
  }
}
