import type { Action, CopyWhat, KeyOutcome } from './actions.js';
import { dialogOutcome } from './dialogs.js';
import type { ListViewId } from '../views/registry.js';
import { isViewCommand, type Command, type ContextCommand, type KeyTable } from './keymap.js';
import type { State } from './state.js';

const none: KeyOutcome = { kind: 'none' };
const act = (action: Action): KeyOutcome => ({ kind: 'action', action });

function commandOutcome(command: Command, pageSize: number): KeyOutcome {
  if (isViewCommand(command)) {
    return act({ type: 'show-view', view: command.slice('view-'.length) as ListViewId });
  }
  switch (command) {
    case 'quit':
      return { kind: 'quit' };
    case 'retry-ssh':
      // Carried out by the app: it acts on the ssh transport, not on the state.
      return none;
    case 'help':
      return act({ type: 'toggle-help' });
    case 'command':
      return act({ type: 'command-start' });
    case 'pane-next':
      return act({ type: 'cycle-pane', step: 1 });
    case 'pane-prev':
      return act({ type: 'cycle-pane', step: -1 });
    case 'move-down':
      return act({ type: 'move', delta: 1 });
    case 'move-up':
      return act({ type: 'move', delta: -1 });
    case 'page-down':
      return act({ type: 'move', delta: pageSize });
    case 'page-up':
      return act({ type: 'move', delta: -pageSize });
    case 'move-top':
      return act({ type: 'move-to', edge: 'top' });
    case 'move-bottom':
      return act({ type: 'move-to', edge: 'bottom' });
    case 'drill':
      return act({ type: 'drill' });
    case 'back':
      return act({ type: 'back' });
    case 'filter':
      return act({ type: 'filter-start' });
    case 'toggle-history':
      return act({ type: 'toggle-history' });
    case 'inspect':
      return act({ type: 'open-inspect' });
    case 'explain':
      return act({ type: 'open-explain' });
    case 'copy':
      return act({ type: 'copy-start' });
    case 'sort-next':
      return act({ type: 'sort-next' });
    case 'sort-reverse':
      return act({ type: 'sort-reverse' });
    case 'problems-only':
      return act({ type: 'toggle-problems-only' });
    case 'logs':
      return act({ type: 'open-logs' });
    case 'follow':
    case 'timestamps':
    case 'wrap':
      return act({ type: 'logs-toggle', what: command });
    case 'range':
      return act({ type: 'logs-range' });
    case 'save':
      return act({ type: 'logs-save' });
    case 'scale':
      return act({ type: 'open-scale' });
    case 'rollback':
    case 'force-update':
    case 'drain':
    case 'pause':
    case 'activate':
    case 'role':
      return act({ type: 'open-confirm', kind: command });
    case 'remove':
      return act({ type: 'open-remove' });
    case 'set-image':
    case 'labels':
      return act({ type: 'open-prompt', kind: command });
  }
}

/** A typed line (after `/` or `:`): printable keys edit it, Enter accepts, Esc cancels. */
function lineOutcome(
  keys: KeyTable,
  mode: 'filter' | 'command',
  text: string,
  name: string,
): KeyOutcome {
  if (name === 'ctrl+c') return { kind: 'quit' };
  const command = keys.inContext('line', name);
  if (command === 'line.accept') {
    return act({ type: mode === 'filter' ? 'filter-accept' : 'command-run' });
  }
  if (command === 'line.cancel') {
    return act({ type: mode === 'filter' ? 'filter-cancel' : 'command-cancel' });
  }
  if (command === 'line.erase') {
    return act({
      type: mode === 'filter' ? 'filter-input' : 'command-input',
      text: text.slice(0, -1),
    });
  }
  // Only plain printable text is typed into the line; other special keys are ignored.
  if (name.length === 0 || /\p{Cc}/u.test(name) || name.startsWith('ctrl+')) {
    return none;
  }
  if (
    [
      'up',
      'down',
      'left',
      'right',
      'pageup',
      'pagedown',
      'home',
      'end',
      'tab',
      'shift+tab',
    ].includes(name)
  ) {
    return none;
  }
  return act({ type: mode === 'filter' ? 'filter-input' : 'command-input', text: text + name });
}

const COPY_CHOICES: Partial<Record<ContextCommand, CopyWhat>> = {
  'copy.id': 'id',
  'copy.name': 'name',
  'copy.spec': 'spec',
};

/** After `c`: i, n or s says what to copy; anything else cancels. */
function copyOutcome(keys: KeyTable, name: string): KeyOutcome {
  if (name === 'ctrl+c') return { kind: 'quit' };
  const command = keys.inContext('copy', name);
  const what = command === undefined ? undefined : COPY_CHOICES[command];
  return act(what === undefined ? { type: 'copy-cancel' } : { type: 'copy-choose', what });
}

/** Decides what a key press does in the current state. Pure: the app only carries it out. */
export function dispatchKey(state: State, name: string, pageSize: number): KeyOutcome {
  const keys = state.keys;
  if (state.dialog !== null) return dialogOutcome(keys, state.dialog, name, pageSize);
  if (state.copying) return copyOutcome(keys, name);
  if (state.input !== null) return lineOutcome(keys, state.input.mode, state.input.text, name);
  if (state.help) {
    // By command, not by key, so a remapped help or quit key (config "keys") works here too.
    const command = keys.bindingFor(name)?.command;
    if (name === 'escape' || command === 'help') return act({ type: 'toggle-help' });
    if (command === 'quit') return { kind: 'quit' };
    if (command === 'move-down') return act({ type: 'help-scroll', delta: 1 });
    if (command === 'move-up') return act({ type: 'help-scroll', delta: -1 });
    if (command === 'page-down') return act({ type: 'help-scroll', delta: pageSize });
    if (command === 'page-up') return act({ type: 'help-scroll', delta: -pageSize });
    if (command === 'move-top') return act({ type: 'help-scroll', delta: 'top' });
    return none;
  }
  const binding = keys.bindingFor(name);
  if (!binding) return none;
  // The one place mutation keys are gated in the UI; the operations runner refuses them too.
  if (binding.mutation && state.readOnly) {
    return act({ type: 'say', message: `read-only: ${binding.help.split(' (')[0]} is off.` });
  }
  return commandOutcome(binding.command, pageSize);
}
