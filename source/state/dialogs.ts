// Dialogs before a mutation: which object a mutation key acts on, the scale prompt's rules, and
// the keys a dialog takes. `y` is the only key that confirms; `n` and Esc cancel.
import type { Action, KeyOutcome } from './actions.js';
import type { KeyTable } from './keymap.js';
import { type Dialog, type OpIntent, type OpRequest } from '../operations/records.js';
import { kindOf } from '../operations/kinds/registry.js';
import type { State } from './state.js';
import { listViewOf } from '../views/registry.js';
import { paneRows, selectedRow, viewData } from './selectors.js';
import type { SwarmNode, SwarmService } from '../model.js';
import type { OpTarget, Shown, StackSubject, SubjectOf, TargetRef } from '../operations/kind.js';
import { servicesOfStack } from '../views/stack-rows.js';

const act = (action: Action): KeyOutcome => ({ kind: 'action', action });
const none: KeyOutcome = { kind: 'none' };

/** What mutation keys act on: the view's own selected row, or what the view was opened on. */
function subjectOf(state: State): { kind: OpTarget; id: string } | null {
  const view = listViewOf(state.view);
  if (view?.subject === undefined || state.focus !== view.panes[0]) return null;
  const row = selectedRow(paneRows(state, state.focus), state.lists[state.focus].selectedId);
  return view.subject(row, viewData(state));
}

/** The service a service action applies to: the selected one, or the one drilled into. */
export function targetService(state: State): SwarmService | undefined {
  const subject = subjectOf(state);
  return subject?.kind === 'service' ? state.services.find((s) => s.id === subject.id) : undefined;
}

export function targetNode(state: State): SwarmNode | undefined {
  const subject = subjectOf(state);
  return subject?.kind === 'node' ? state.nodes.find((n) => n.id === subject.id) : undefined;
}

/** The stack the stacks view's selected row is ('' for the services of no stack). */
export function targetStack(state: State): StackSubject | undefined {
  const subject = subjectOf(state);
  return subject?.kind === 'stack'
    ? { name: subject.id, services: servicesOfStack(state.services, subject.id) }
    : undefined;
}

/** Longest entry the scale prompt takes: more digits than any sane ceiling. */
const MAX_INPUT = 9;

export type ScaleCheck = { ok: true; to: number } | { ok: false; error: string };

export function checkScale(text: string, current: number, ceiling: number): ScaleCheck {
  if (text === '')
    return { ok: false, error: 'Type the new number of replicas, or Esc to cancel.' };
  if (!/^\d+$/.test(text)) return { ok: false, error: `"${text}" is not a number: digits only.` };
  const to = Number(text);
  if (to > ceiling) {
    return {
      ok: false,
      error: `${to} is above the ceiling of ${ceiling} replicas (scaleCeiling in the config file).`,
    };
  }
  if (to === current) return { ok: false, error: `It already asks for ${current}; nothing to do.` };
  return { ok: true, to };
}

/** Longest text a typed prompt or a typed name takes (an image reference is at most ~400). */
const MAX_TEXT = 512;

/** A key typed into a text: one printable character, nothing else. */
function printable(name: string): boolean {
  return [...name].length === 1 && !/\p{Cc}/u.test(name);
}

/**
 * Keys of a dialog that takes text (a prompt, or a removal confirmed by typing its name): Esc
 * cancels, Enter submits, Backspace erases, Ctrl-U clears, arrows scroll; `y` is only a letter.
 */
function textOutcome(keys: KeyTable, text: string, name: string, pageSize: number): KeyOutcome {
  const command = keys.inContext('prompt', name);
  if (command === 'prompt.cancel') return act({ type: 'dialog-cancel' });
  if (command === 'prompt.submit') return act({ type: 'dialog-submit' });
  if (command === 'prompt.erase') return act({ type: 'dialog-input', text: text.slice(0, -1) });
  if (command === 'prompt.clear') return act({ type: 'dialog-input', text: '' });
  if (name === 'down' || name === 'up') {
    return act({ type: 'dialog-scroll', delta: name === 'down' ? 1 : -1 });
  }
  if (name === 'pagedown' || name === 'pageup') {
    const page = Math.max(1, pageSize);
    return act({ type: 'dialog-scroll', delta: name === 'pagedown' ? page : -page });
  }
  if (!printable(name) || text.length >= MAX_TEXT) return none;
  return act({ type: 'dialog-input', text: text + name });
}

/** Keys while a dialog is open (the table's confirm or prompt context): nothing else reacts. */
export function dialogOutcome(
  keys: KeyTable,
  dialog: Dialog,
  name: string,
  pageSize = 10,
): KeyOutcome {
  if (name === 'ctrl+c') return { kind: 'quit' };
  if (dialog.kind === 'prompt') return textOutcome(keys, dialog.text, name, pageSize);
  if (dialog.kind === 'confirm' && dialog.typeToConfirm !== undefined) {
    return textOutcome(keys, dialog.typed ?? '', name, pageSize);
  }
  if (dialog.kind === 'confirm') {
    const page = Math.max(1, pageSize);
    switch (keys.inContext('confirm', name)) {
      case 'confirm.yes':
        return act({ type: 'dialog-confirm' });
      case 'confirm.no':
        return act({ type: 'dialog-cancel' });
      case 'confirm.down':
        return act({ type: 'dialog-scroll', delta: 1 });
      case 'confirm.up':
        return act({ type: 'dialog-scroll', delta: -1 });
      case 'confirm.page-down':
        return act({ type: 'dialog-scroll', delta: page });
      case 'confirm.page-up':
        return act({ type: 'dialog-scroll', delta: -page });
      default:
        return none;
    }
  }
  const typingName = dialog.kind === 'scale' && dialog.confirmName !== null;
  const text =
    dialog.kind === 'scale' && dialog.confirmName !== null ? dialog.confirmName : dialog.text;
  const command = keys.inContext('prompt', name);
  if (command === 'prompt.cancel') return act({ type: 'dialog-cancel' });
  if (command === 'prompt.submit') return act({ type: 'dialog-submit' });
  if (command === 'prompt.erase') return act({ type: 'dialog-input', text: text.slice(0, -1) });
  if ([...name].length !== 1 || /\p{Cc}/u.test(name)) return none;
  // What was typed is what gets checked on Enter: a dropped "-" would turn "-3" into 3.
  if (!typingName && text.length >= MAX_INPUT) return none;
  return act({ type: 'dialog-input', text: text + name });
}

export function openScale(state: State, id: number): Dialog | string {
  const service = targetService(state);
  if (!service) return 'Select a service first (1, then a row) to scale it.';
  if (service.mode === 'replicated-job' || service.mode === 'global-job') {
    // A job runs to completion: its count is how many completions it asks for, not a scale.
    return `${service.name} is a ${service.mode.replace('-', ' ')}: a job runs until its tasks complete and is not scaled.`;
  }
  if (service.mode !== 'replicated') {
    return `${service.name} is a ${service.mode.replace('-', ' ')} service: only replicated services can be scaled.`;
  }
  return {
    kind: 'scale',
    id,
    serviceId: service.id,
    name: service.name,
    running: service.running,
    desired: service.specReplicas ?? service.desired,
    text: '',
    confirmName: null,
    error: null,
  };
}

const SELECT_FIRST = {
  service: 'Select a service first (1, then a row).',
  node: 'Select a node first (2, then a row).',
  stack: 'Select a stack first (7, then a row).',
  probe: 'The usage view (u) starts and stops the stats probe.',
} as const;

/** The confirm dialog of `intent`, its details still to be loaded (the prepare effect). */
export function confirmDialog(intent: OpIntent, id: number): Dialog {
  const confirm = kindOf(intent.kind).confirm;
  const typeToConfirm = confirm?.typeToConfirm?.(intent);
  return {
    kind: 'confirm',
    id,
    intent,
    title: confirm?.title(intent) ?? intent.name,
    request: null,
    lines: [],
    warnings: [],
    error: null,
    scroll: 0,
    ...(typeToConfirm !== undefined ? { typeToConfirm, typed: '', typedError: null } : {}),
  };
}

/** What a mutation key of a kind acting on `target` acts on now. */
function subjectFor(state: State, target: OpTarget): SubjectOf<OpTarget> | undefined {
  if (target === 'service') return targetService(state);
  if (target === 'node') return targetNode(state);
  return targetStack(state);
}

function refOf(target: OpTarget, subject: SubjectOf<OpTarget>): TargetRef<OpTarget> {
  if (target === 'service') {
    const s = subject as SwarmService;
    return { serviceId: s.id, name: s.name };
  }
  if (target === 'node') {
    const n = subject as SwarmNode;
    return { nodeId: n.id, name: n.hostname };
  }
  const st = subject as StackSubject;
  return { stack: st.name, name: st.name };
}

/** `X`: the selected stack in the stacks view, else the selected service. */
export function openRemove(state: State, id: number): Dialog | string {
  return openConfirm(
    state,
    subjectOf(state)?.kind === 'stack' ? 'remove-stack' : 'remove-service',
    id,
  );
}

/** A key whose kind asks for a value first (the new image): its prompt, or why not. */
export function openPrompt(state: State, kind: OpIntent['kind'], id: number): Dialog | string {
  const { target, prompt } = kindOf(kind);
  if (prompt === undefined) return `${kind} has no prompt.`;
  const subject = subjectFor(state, target);
  if (!subject) return SELECT_FIRST[target];
  const refused = prompt.refuse?.(subject) ?? null;
  if (refused !== null) return refused;
  const initial = prompt.initial(subject);
  return {
    kind: 'prompt',
    id,
    opKind: kind,
    ref: refOf(target, subject),
    title: prompt.title(subject),
    lines: prompt.lines(subject, state.revealSecrets),
    label: prompt.label,
    initial,
    text: initial,
    error: null,
  };
}

/** Enter in a prompt: the intent its confirm dialog opens with, or the prompt with its error. */
export function submitPrompt(
  dialog: Extract<Dialog, { kind: 'prompt' }>,
  shown: Shown,
): { dialog: Dialog } | { intent: OpIntent } {
  const prompt = kindOf(dialog.opKind).prompt;
  if (prompt === undefined) return { dialog: { ...dialog, error: 'Nothing to submit.' } };
  const read = prompt.read(dialog.text, dialog.ref, dialog.initial, shown);
  return typeof read === 'string' ? { dialog: { ...dialog, error: read } } : { intent: read };
}

/** A mutation key on the selected row: the kind's confirm dialog, or why not in one sentence. */
export function openConfirm(state: State, kind: OpIntent['kind'], id: number): Dialog | string {
  const { target, confirm } = kindOf(kind);
  const subject = subjectFor(state, target);
  if (!subject) return SELECT_FIRST[target];
  const intent = confirm?.intend?.(subject, { nodes: state.nodes, services: state.services });
  if (intent === undefined) return `${kind} needs a prompt first.`;
  return typeof intent === 'string' ? intent : confirmDialog(intent, id);
}

/** Enter in the scale prompt: refuse, ask for the name (scaling to 0), or the request to run. */
export function submitScale(
  dialog: Extract<Dialog, { kind: 'scale' }>,
  ceiling: number,
): { dialog: Dialog } | { request: OpRequest } {
  if (dialog.confirmName !== null) {
    if (dialog.confirmName !== dialog.name) {
      return {
        dialog: { ...dialog, error: `Type ${dialog.name} exactly to scale it to 0, or Esc.` },
      };
    }
    return { request: scaleRequest(dialog, 0) };
  }
  const check = checkScale(dialog.text, dialog.desired, ceiling);
  if (!check.ok) return { dialog: { ...dialog, error: check.error } };
  if (check.to === 0) return { dialog: { ...dialog, confirmName: '', error: null } };
  return { request: scaleRequest(dialog, check.to) };
}

function scaleRequest(dialog: Extract<Dialog, { kind: 'scale' }>, to: number): OpRequest {
  return {
    kind: 'scale',
    serviceId: dialog.serviceId,
    name: dialog.name,
    from: dialog.desired,
    to,
  };
}
