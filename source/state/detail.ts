// What the status area says about the selection: the full text an operator needs (a task's
// whole error, a service's update message) that table cells can only show cut. Each view says it.
import { VIEWS } from '../views/registry.js';
import type { AnyView } from '../views/view.js';
import { paneRows, selectedRow, viewData } from './selectors.js';
import type { State } from './state.js';

export function detailText(state: State): string {
  if (state.input !== null) {
    return `${state.input.mode === 'filter' ? '/' : ':'}${state.input.text}▏`;
  }
  if (state.message !== null) return state.message;
  if (state.copying) {
    const key = state.keys.labelOf;
    return `copy to the clipboard: ${key('copy.id')} the ID · ${key('copy.name')} the name · ${key('copy.spec')} the spec · any other key cancels`;
  }
  const view: AnyView = VIEWS[state.focus];
  const data = viewData(state);
  if (view.kind === 'text') return view.detail(data);
  return view.detail(
    selectedRow(paneRows(state, state.focus), state.lists[state.focus].selectedId),
    data,
  );
}
