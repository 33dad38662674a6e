// One reducer made of slices (gemini's one-slice reducers): each action type belongs to one
// slice; a key is decided against the state it arrives in and becomes one of them.
import type { Action } from './actions.js';
import { changesSlice } from './changes.js';
import { dataSlice } from './data.js';
import { dispatchKey } from './dispatch-key.js';
import { emit, taken } from './effects.js';
import { inputSlice } from './input.js';
import { listSlice } from './lists.js';
import { logsSlice } from './logs.js';
import { navigationSlice } from './navigation.js';
import type { State } from './state.js';
import { usageSlice } from './usage-slice.js';

export { initialState, startState, type ListState, type State } from './state.js';
export { TROUBLED_LIMIT } from './data.js';
export { selectedObject } from './navigation.js';

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
    case 'effects-taken':
      return taken(state, action.through);
    case 'nodes-loaded':
    case 'services-loaded':
    case 'services-patched':
    case 'tasks-loaded':
    case 'troubled-tasks-loaded':
    case 'last-words-loaded':
    case 'swarm-events':
    case 'objects-loaded':
    case 'tick':
      return dataSlice(state, action);
    case 'cycle-pane':
    case 'move':
    case 'move-to':
    case 'toggle-history':
    case 'filter-start':
    case 'filter-input':
    case 'filter-accept':
    case 'filter-cancel':
    case 'sort-next':
    case 'sort-reverse':
    case 'toggle-problems-only':
      return listSlice(state, action);
    case 'show-view':
    case 'drill':
    case 'back':
    case 'open-inspect':
    case 'open-explain':
    case 'open-logs':
      return navigationSlice(state, action);
    case 'toggle-help':
    case 'help-scroll':
    case 'command-start':
    case 'command-input':
    case 'command-run':
    case 'command-cancel':
    case 'say':
    case 'copy-start':
    case 'copy-choose':
    case 'copy-cancel':
      return inputSlice(state, action);
    case 'logs-toggle':
    case 'logs-range':
    case 'logs-save':
      return logsSlice(state, action);
    case 'open-scale':
    case 'open-confirm':
    case 'open-remove':
    case 'open-prompt':
    case 'op-update':
    case 'dialog-input':
    case 'dialog-submit':
    case 'dialog-confirm':
    case 'dialog-cancel':
    case 'dialog-scroll':
    case 'dialog-ready':
    case 'dialog-failed':
      return changesSlice(state, action);
    case 'usage-lines':
    case 'usage-node-errors':
    case 'usage-ask':
    case 'usage-op':
      return usageSlice(state, action);
  }
}
