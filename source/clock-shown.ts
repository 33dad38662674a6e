import { deepEqual } from './format/same.js';
import type { Theme } from './format/palette.js';
import { computeLayout } from './layout.js';
import { lastWordsWanted } from './state/last-words.js';
import { currentProblems, paneRows, selectedRow, VIEW_PANES, viewData } from './state/selectors.js';
import type { State } from './state/state.js';
import { scaleWhatIf } from './state/what-if.js';
import { listViewOf } from './views/registry.js';

// What the clock shows: everything on screen (and every fetch the screen asks for) that reads
// the clock, for a state at a given time. A tick of the clock whose answer is the same as the
// last one's changes nothing: it need not render the screen again. Idle at 1,000 services, a
// tick that only re-drew the same frame cost as much as the poll itself.

/**
 * The clock-dependent part of the screen for `state` as it would be at `clock`, in a terminal
 * of `columns` × `rows`: the problems, the status line, what the scale prompt says, which last
 * words are wanted, and for each list pane its title, its empty text, its column headers and
 * the cells of every row that can be in its window (the window always holds the selection, so
 * a pane's height either side of it is enough).
 */
export function clockShown(
  state: State,
  clock: number,
  columns: number,
  rows: number,
  theme: Theme,
) {
  const at = state.clock === clock ? state : { ...state, clock };
  const now = new Date(clock);
  const data = viewData(at);
  const layout = computeLayout(at, columns, rows);
  const panes = VIEW_PANES[at.view].map((id) => {
    const view = listViewOf(id);
    const height = layout.paneHeights[id] ?? 0;
    if (view === undefined || height <= 0) return null;
    const list = at.lists[id];
    const shown = paneRows(at, id);
    const selected = selectedRow(shown, list.selectedId);
    const index = selected === undefined ? 0 : shown.indexOf(selected);
    const window = shown.slice(Math.max(0, index - height), index + height);
    const columnsOf = view.columns(theme, now, data);
    return {
      title: view.title(shown, data),
      empty: view.empty(data, list.filter !== ''),
      count: shown.length,
      headers: columnsOf.map((c) => [c.header, c.width, c.minWidth]),
      cells: window.map((row) => [row.id, ...columnsOf.map((c) => [c.cell(row), c.color?.(row)])]),
    };
  });
  return {
    problems: currentProblems(at),
    detail: layout.detailLines,
    whatIf: scaleWhatIf(at),
    lastWords: lastWordsWanted(at),
    panes,
  };
}

/**
 * Whether moving the clock of a state to a later time changes anything clockShown covers. The
 * answer for the state's own clock is kept: while ticks change nothing the state stays the same,
 * so each tick computes the screen once, at its own time.
 */
export function createClockGate() {
  let last: { key: readonly unknown[]; shown: ReturnType<typeof clockShown> } | null = null;
  return {
    matters(state: State, clock: number, columns: number, rows: number, theme: Theme): boolean {
      if (clock === state.clock) return false;
      const key = [state, columns, rows, theme];
      if (last === null || !key.every((value, i) => value === last!.key[i])) {
        last = { key, shown: clockShown(state, state.clock, columns, rows, theme) };
      }
      return !deepEqual(last.shown, clockShown(state, clock, columns, rows, theme));
    },
  };
}

/**
 * A dispatch that can hold a tick back: the held clock reaches the store right before the next
 * action (in the same batch), so that every action meets the clock it would have met.
 */
export function holdingTicks<A extends { type: string }>(
  dispatch: (action: A | { type: 'tick'; at: number }) => void,
) {
  let held: number | null = null;
  let waiting: ReturnType<typeof setTimeout> | null = null;
  const stopWaiting = (): void => {
    if (waiting !== null) clearTimeout(waiting);
    waiting = null;
  };
  return {
    dispatch(action: A | { type: 'tick'; at: number }): void {
      if (action.type !== 'tick' && held !== null) dispatch({ type: 'tick', at: held });
      held = null;
      stopWaiting();
      dispatch(action);
    },
    hold(at: number): void {
      held = at;
    },
    /**
     * Holds a tick for the next action, which renders anyway: under change an answer comes
     * every refresh, and the tick costs no render of its own. If none has come within `waitMs`,
     * `due` is called (to dispatch the clock then if it changes what is shown, or hold it).
     */
    wait(at: number, waitMs: number, due: () => void): void {
      held = at;
      waiting ??= setTimeout(() => {
        waiting = null;
        if (held !== null) due();
      }, waitMs);
    },
    /** The held tick now, if any (a new terminal size shows other rows). */
    release(): void {
      if (held !== null) this.dispatch({ type: 'tick', at: held });
    },
    /** Forgets a tick waiting (the app is gone). */
    stop(): void {
      stopWaiting();
      held = null;
    },
  };
}
