// The usage view's actions (issue 15): figures from the probe's lines, its nodes' errors, the
// one dialog of the session, and the probe's operations started without a dialog (start again
// after a `y`, stop on leaving the view, remove expired probes).
import type { Action } from './actions.js';
import { openDialog, startOperation } from './changes.js';
import { confirmDialog } from './dialogs.js';
import type { State } from './state.js';
import { probeStartRequest, withLines } from './usage.js';

type UsageAction = Extract<
  Action,
  { type: 'usage-lines' | 'usage-node-errors' | 'usage-ask' | 'usage-op' }
>;

export function usageSlice(state: State, action: UsageAction): State {
  switch (action.type) {
    case 'usage-lines': {
      const usage = withLines(state.usage, action.lines, action.at);
      return usage === state.usage ? state : { ...state, usage };
    }
    case 'usage-node-errors':
      return { ...state, usage: { ...state.usage, nodeErrors: action.errors } };
    case 'usage-ask': {
      if (state.usage.asked || state.dialog !== null) return state;
      const asked = { ...state, usage: { ...state.usage, asked: true } };
      if (state.readOnly)
        return { ...asked, message: 'read-only: the stats probe creates a service' };
      return openDialog(asked, confirmDialog(probeStartRequest(state.usage), state.nextId));
    }
    case 'usage-op':
      return startOperation(state, action.request);
  }
}
