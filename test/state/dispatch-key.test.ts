import { describe, expect, it } from 'vitest';
import { dispatchKey } from '../../source/state/dispatch-key.js';
import {
  KEY_BINDINGS,
  bindingFor,
  keyName,
  keyNames,
  visibleBindings,
} from '../../source/state/keymap.js';
import { initialState } from '../../source/state/reducer.js';

describe('keyName', () => {
  it('names special keys and passes printable input through', () => {
    expect(keyName('', { upArrow: true })).toBe('up');
    expect(keyName('', { tab: true, shift: true })).toBe('shift+tab');
    expect(keyName('c', { ctrl: true })).toBe('ctrl+c');
    expect(keyName('G', {})).toBe('G');
    expect(keyName('', { return: true })).toBe('return');
    expect(keyName('', { pageDown: true })).toBe('pagedown');
  });
});

describe('key table', () => {
  it('gives every key exactly one meaning', () => {
    const keys = KEY_BINDINGS.flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has the contract keys of DESIGN.md', () => {
    const expected: Record<string, string> = {
      '?': 'help',
      q: 'quit',
      'ctrl+c': 'quit',
      '1': 'view-services',
      '2': 'view-nodes',
      '3': 'view-tasks',
      tab: 'pane-next',
      'shift+tab': 'pane-prev',
      j: 'move-down',
      k: 'move-up',
      down: 'move-down',
      up: 'move-up',
      pageup: 'page-up',
      pagedown: 'page-down',
      g: 'move-top',
      G: 'move-bottom',
      return: 'drill',
      escape: 'back',
      '/': 'filter',
      ':': 'command',
    };
    for (const [key, command] of Object.entries(expected))
      expect(bindingFor(key)?.command).toBe(command);
  });

  it('every binding has help text, and hints come from the same table', () => {
    for (const binding of visibleBindings(false)) expect(binding.help.length).toBeGreaterThan(3);
  });
});

describe('dispatchKey', () => {
  it('maps keys to actions', () => {
    expect(dispatchKey(initialState, 'j', 10)).toEqual({
      kind: 'action',
      action: { type: 'move', delta: 1 },
    });
    expect(dispatchKey(initialState, 'pagedown', 10)).toEqual({
      kind: 'action',
      action: { type: 'move', delta: 10 },
    });
    expect(dispatchKey(initialState, 'q', 10)).toEqual({ kind: 'quit' });
    expect(dispatchKey(initialState, 'ctrl+c', 10)).toEqual({ kind: 'quit' });
    expect(dispatchKey(initialState, 'x', 10)).toEqual({ kind: 'none' });
  });

  it('types into the filter instead of running commands', () => {
    const typing = { ...initialState, input: { mode: 'filter' as const, text: 'we' } };
    expect(dispatchKey(typing, 'q', 10)).toEqual({
      kind: 'action',
      action: { type: 'filter-input', text: 'weq' },
    });
    expect(dispatchKey(typing, 'backspace', 10)).toEqual({
      kind: 'action',
      action: { type: 'filter-input', text: 'w' },
    });
    expect(dispatchKey(typing, 'return', 10)).toEqual({
      kind: 'action',
      action: { type: 'filter-accept' },
    });
    expect(dispatchKey(typing, 'escape', 10)).toEqual({
      kind: 'action',
      action: { type: 'filter-cancel' },
    });
    expect(dispatchKey(typing, 'up', 10)).toEqual({ kind: 'none' });
    expect(dispatchKey(typing, '\u001b[31m', 10)).toEqual({ kind: 'none' });
    expect(dispatchKey(typing, 'ctrl+c', 10)).toEqual({ kind: 'quit' });
  });

  it('in help, only Esc and ? close it, q quits, j/k scroll', () => {
    const help = { ...initialState, help: true };
    expect(dispatchKey(help, 'escape', 10)).toEqual({
      kind: 'action',
      action: { type: 'toggle-help' },
    });
    expect(dispatchKey(help, 'x', 10)).toEqual({ kind: 'none' });
    expect(dispatchKey(help, 'j', 10)).toEqual({
      kind: 'action',
      action: { type: 'help-scroll', delta: 1 },
    });
    expect(dispatchKey(help, 'q', 10)).toEqual({ kind: 'quit' });
  });
});

describe('keyNames', () => {
  it('splits a burst of typed keys into single key presses', () => {
    expect(keyNames('jj\r', {})).toEqual(['j', 'j', 'return']);
    expect(keyNames('/we\r', {})).toEqual(['/', 'w', 'e', 'return']);
    expect(keyNames('a\u0003', {})).toEqual(['a', 'ctrl+c']);
    expect(keyNames('\t\u007f', {})).toEqual(['tab', 'backspace']);
  });

  it('names a raw control character that arrives on its own (Esc then Ctrl-C in one read)', () => {
    expect(keyNames('\u0003', {})).toEqual(['ctrl+c']);
    expect(keyNames('\r', {})).toEqual(['return']);
  });

  it('reads Esc and the next key typed together (Alt+key) as both keys', () => {
    expect(keyNames('2', { meta: true })).toEqual(['escape', '2']);
    expect(keyNames('', { escape: true, meta: true })).toEqual(['escape']);
  });

  it('keeps a single key or a named key whole', () => {
    expect(keyNames('j', {})).toEqual(['j']);
    expect(keyNames('', { return: true })).toEqual(['return']);
    expect(keyNames('[A', { upArrow: true })).toEqual(['up']);
  });
});
