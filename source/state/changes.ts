// Changes to the swarm before they are sent: the scale prompt, the confirm dialogs, and the
// operations of this session (sent and followed by live/operations.ts through the outbox).
import {
  titleOf,
  type Dialog,
  type OperationRecord,
  type OpRequest,
} from '../operations/records.js';
import type { Action } from './actions.js';
import {
  confirmDialog,
  openConfirm,
  openPrompt,
  openRemove,
  openScale,
  submitPrompt,
  submitScale,
} from './dialogs.js';
import { emit } from './effects.js';
import type { State } from './state.js';

export type ChangeAction = Extract<
  Action,
  {
    type:
      | 'open-scale'
      | 'open-confirm'
      | 'open-remove'
      | 'open-prompt'
      | 'op-update'
      | 'dialog-input'
      | 'dialog-submit'
      | 'dialog-confirm'
      | 'dialog-cancel'
      | 'dialog-scroll'
      | 'dialog-ready'
      | 'dialog-failed';
  }
>;

export function startOperation(state: State, request: OpRequest): State {
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

function dialogAction(state: State, action: ChangeAction): State {
  const dialog = state.dialog;
  if (dialog === null) return state;
  switch (action.type) {
    case 'dialog-cancel':
      return { ...state, dialog: null, message: 'Cancelled; nothing was sent.' };
    case 'dialog-input':
      if (dialog.kind === 'prompt') {
        return { ...state, dialog: { ...dialog, text: action.text, error: null } };
      }
      if (dialog.kind === 'confirm') {
        if (dialog.typeToConfirm === undefined) return state;
        return { ...state, dialog: { ...dialog, typed: action.text, typedError: null } };
      }
      if (dialog.kind !== 'scale') return state;
      return {
        ...state,
        dialog:
          dialog.confirmName !== null
            ? { ...dialog, confirmName: action.text, error: null }
            : { ...dialog, text: action.text, error: null },
      };
    case 'dialog-submit': {
      if (dialog.kind === 'prompt') {
        const next = submitPrompt(dialog, { nodes: state.nodes, services: state.services });
        return 'intent' in next
          ? openDialog(state, confirmDialog(next.intent, state.nextId))
          : { ...state, dialog: next.dialog };
      }
      if (dialog.kind === 'confirm') {
        // A removal: Enter sends it once the name is typed exactly and the details are loaded.
        if (dialog.typeToConfirm === undefined || dialog.request === null) return state;
        if (dialog.typed !== dialog.typeToConfirm) {
          const typedError = `Type ${dialog.typeToConfirm} exactly to confirm, or Esc to cancel.`;
          return { ...state, dialog: { ...dialog, typedError } };
        }
        return startOperation(state, dialog.request);
      }
      if (dialog.kind !== 'scale') return state;
      const next = submitScale(dialog, state.scaleCeiling);
      return 'request' in next
        ? startOperation(state, next.request)
        : { ...state, dialog: next.dialog };
    }
    case 'dialog-confirm':
      // `y` never sends a removal: its name is typed instead.
      return dialog.kind === 'confirm' &&
        dialog.request !== null &&
        dialog.typeToConfirm === undefined
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

export function openDialog(state: State, opened: Dialog | string): State {
  if (typeof opened === 'string') return { ...state, message: opened };
  const shown = { ...state, dialog: opened, nextId: state.nextId + 1 };
  // A confirm dialog states the impact: the engine is asked first (fresh inspect, tasks).
  return opened.kind === 'confirm'
    ? emit(shown, { kind: 'prepare', dialogId: opened.id, intent: opened.intent })
    : shown;
}

export function changesSlice(state: State, action: ChangeAction): State {
  switch (action.type) {
    case 'open-scale':
      return openDialog(state, openScale(state, state.nextId));
    case 'open-confirm':
      return openDialog(state, openConfirm(state, action.kind, state.nextId));
    case 'open-remove':
      return openDialog(state, openRemove(state, state.nextId));
    case 'open-prompt':
      return openDialog(state, openPrompt(state, action.kind, state.nextId));
    case 'op-update':
      return {
        ...state,
        ops: state.ops.map((op) => (op.id === action.id ? { ...op, ...action.patch } : op)),
      };
    default:
      return dialogAction(state, action);
  }
}
