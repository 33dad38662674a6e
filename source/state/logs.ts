// The logs view's toggles: follow or pause, timestamps, wrap, the range, save.
import type { Action } from './actions.js';
import { emit } from './effects.js';
import { LOG_RANGES, setFollow } from './log-view.js';
import { VIEWS } from '../views/registry.js';
import type { State } from './state.js';

export type LogsAction = Extract<Action, { type: 'logs-toggle' | 'logs-range' | 'logs-save' }>;

export function logsSlice(state: State, action: LogsAction): State {
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
