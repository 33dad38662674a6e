import { describe, expect, it } from 'vitest';
import { UsageError } from '../../source/docker/errors.js';
import { dispatchKey } from '../../source/state/dispatch-key.js';
import { keyLabel, normalizeKey, remapKeys } from '../../source/state/key-remap.js';
import {
  createKeyTable,
  KEY_BINDINGS,
  type Command,
  type KeyBinding,
} from '../../source/state/keymap.js';
import { startState } from '../../source/state/reducer.js';

function binding(table: readonly KeyBinding[], command: Command): KeyBinding {
  const found = table.find((b) => b.command === command);
  if (found === undefined) throw new Error(`no binding for ${command}`);
  return found;
}

function messageOf(overrides: Record<string, unknown>): string {
  try {
    remapKeys(KEY_BINDINGS, overrides as Record<string, string>);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('normalizeKey', () => {
  it.each([
    ['L', 'L'],
    ['l', 'l'],
    ['?', '?'],
    ['Ctrl+F', 'ctrl+f'],
    ['ctrl-x', 'ctrl+x'],
    ['C-x', 'ctrl+x'],
    ['Enter', 'return'],
    ['esc', 'escape'],
    ['PgDn', 'pagedown'],
    ['Page-Up', 'pageup'],
    ['shift+tab', 'shift+tab'],
    ['space', ' '],
    ['UP', 'up'],
  ])('%j is the key %j', (raw, key) => {
    expect(normalizeKey(raw)).toBe(key);
  });

  it.each(['', 'ctrl+', 'ctrl+1', 'alt+x', 'jj', '\t', '\u001b', 'f1'])('%j is no key', (raw) => {
    expect(normalizeKey(raw)).toBeNull();
  });
});

describe('keyLabel', () => {
  it('writes keys as the hints do', () => {
    expect(['L', 'ctrl+f', 'pagedown', 'return', 'up', ' '].map(keyLabel)).toEqual([
      'L',
      'C-f',
      'PgDn',
      'Enter',
      '↑',
      'Space',
    ]);
  });
});

describe('remapKeys', () => {
  it('leaves the defaults alone without overrides', () => {
    expect(remapKeys(KEY_BINDINGS, {})).toEqual(KEY_BINDINGS);
  });

  it('gives a command exactly the keys given and shows them in its label', () => {
    const table = remapKeys(KEY_BINDINGS, { logs: 'V', 'move-down': ['n', 'Down'] });
    expect(binding(table, 'logs')).toMatchObject({ keys: ['V'], label: 'V', hint: 'logs' });
    expect(binding(table, 'move-down')).toMatchObject({ keys: ['n', 'down'], label: 'n/↓' });
    // The old key is free again and the rest of the table is untouched.
    expect(table.some((b) => b.keys.includes('l'))).toBe(false);
    expect(binding(table, 'move-up')).toBe(binding(KEY_BINDINGS, 'move-up'));
    // The defaults are not changed in place.
    expect(binding(KEY_BINDINGS, 'logs').keys).toEqual(['l']);
  });

  it('lets a freed key be taken by another command in the same file', () => {
    const table = remapKeys(KEY_BINDINGS, { logs: 'V', 'toggle-history': 'l' });
    expect(binding(table, 'toggle-history').keys).toEqual(['l']);
  });

  it('keeps Ctrl-C with quit and Esc with back when they are remapped', () => {
    const table = remapKeys(KEY_BINDINGS, { quit: 'x', back: 'backspace' });
    expect(binding(table, 'quit')).toMatchObject({ keys: ['x', 'ctrl+c'], label: 'x' });
    expect(binding(table, 'back')).toMatchObject({ keys: ['backspace', 'escape'], label: 'Bksp' });
  });

  it('drops a key listed twice for one command', () => {
    expect(binding(remapKeys(KEY_BINDINGS, { logs: ['V', 'V'] }), 'logs').keys).toEqual(['V']);
  });

  it('refuses an unknown command, suggesting the near one', () => {
    expect(messageOf({ log: 'V' })).toBe('"log" is not a command; did you mean "logs"?');
    expect(messageOf({ zzzzzzzz: 'V' })).toMatch(
      /^"zzzzzzzz" is not a command; the commands are "help", "quit", .* or "labels"\.$/,
    );
  });

  it('refuses a key that is not a key name', () => {
    expect(messageOf({ logs: 'alt+l' })).toBe(
      '"alt+l" (for "logs") is not a key name; use one character, ctrl+LETTER, or one of up, down, left, right, pageup, pagedown, home, end, return, escape, tab, shift+tab or backspace.',
    );
  });

  it.each([[[]], [''], [5], [['V', 5]], [{ key: 'V' }]])('refuses the value %j', (value) => {
    expect(messageOf({ logs: value })).toMatch(/^("logs" needs a key name or a list of them|"" )/);
  });

  it('refuses a key another command keeps, naming both', () => {
    expect(messageOf({ logs: 'j' })).toBe(
      '"j" is already the key of "move-down"; pick another key for "logs", or give "move-down" another key too.',
    );
    // The same when the remapped command comes first in the table.
    expect(messageOf({ help: 'l' })).toBe(
      '"l" is already the key of "logs"; pick another key for "help", or give "logs" another key too.',
    );
  });

  it('refuses one key given to two commands', () => {
    expect(messageOf({ logs: 'L', 'toggle-history': 'L' })).toBe(
      '"L" is given to both "toggle-history" and "logs"; each key can mean one thing only.',
    );
  });

  it('refuses to take Ctrl-C or Esc away from quit and back', () => {
    expect(messageOf({ help: 'ctrl+c' })).toBe(
      '"C-c" cannot be given to "help": it always means "quit".',
    );
    expect(messageOf({ filter: 'esc' })).toBe(
      '"Esc" cannot be given to "filter": it always means "back".',
    );
  });

  it('keeps mutations on plain characters', () => {
    expect(messageOf({ drain: 'ctrl+d' })).toBe(
      '"drain" changes the swarm, so it takes a plain character (like its default "D"), not "C-d".',
    );
    expect(messageOf({ scale: 'return' })).toMatch(/^"scale" changes the swarm, .* not "Enter"\.$/);
    expect(binding(remapKeys(KEY_BINDINGS, { drain: 'Z' }), 'drain').keys).toEqual(['Z']);
  });

  it('never gives y or n, which confirm and cancel dialogs, to an action', () => {
    expect(messageOf({ drain: 'y' })).toBe(
      '"y" cannot be given to "drain": y confirms and n cancels every dialog, so an action never takes them.',
    );
    expect(messageOf({ scale: ['S', 'n'] })).toMatch(/^"n" cannot be given to "scale": /);
    expect(binding(remapKeys(KEY_BINDINGS, { drain: 'Y' }), 'drain').keys).toEqual(['Y']);
  });
});

describe('a remapped table', () => {
  it('is what dispatch, hints and help read, in the help screen too', () => {
    const keys = createKeyTable(remapKeys(KEY_BINDINGS, { help: 'H', quit: 'x', 'move-top': 'q' }));
    expect(keys.bindingFor('H')?.command).toBe('help');
    expect(keys.bindingFor('?')).toBeUndefined();
    expect(keys.visible(false).find((b) => b.command === 'quit')?.label).toBe('x');

    const list = startState({ readOnly: false, scaleCeiling: 1000, keys });
    expect(dispatchKey(list, 'H', 10)).toEqual({ kind: 'action', action: { type: 'toggle-help' } });
    expect(dispatchKey(list, 'x', 10)).toEqual({ kind: 'quit' });
    expect(dispatchKey(list, '?', 10)).toEqual({ kind: 'none' });

    const help = { ...list, help: true };
    expect(dispatchKey(help, 'H', 10)).toEqual({ kind: 'action', action: { type: 'toggle-help' } });
    expect(dispatchKey(help, 'x', 10)).toEqual({ kind: 'quit' });
    expect(dispatchKey(help, 'ctrl+c', 10)).toEqual({ kind: 'quit' });
    // "q" is move-top now: in the help screen it scrolls to the top instead of quitting.
    expect(dispatchKey(help, 'q', 10)).toEqual({
      kind: 'action',
      action: { type: 'help-scroll', delta: 'top' },
    });
    expect(dispatchKey(help, 'escape', 10)).toEqual({
      kind: 'action',
      action: { type: 'toggle-help' },
    });
  });
});
