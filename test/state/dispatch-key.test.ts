import { describe, expect, it } from 'vitest';
import { dispatchKey } from '../../source/state/dispatch-key.js';
import { remapKeys } from '../../source/state/key-remap.js';
import {
  createKeyTable,
  DEFAULT_KEYS,
  DRILL_HINTS,
  KEY_BINDINGS,
  keyName,
  keyNames,
} from '../../source/state/keymap.js';

const bindingFor = (name: string) => DEFAULT_KEYS.bindingFor(name);
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
    for (const binding of DEFAULT_KEYS.visible(false)) {
      expect(binding.help.length).toBeGreaterThan(3);
    }
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

const action = (a: object) => ({ kind: 'action', action: a });

describe('the keys of the new views', () => {
  it('5 6 7, i, c, > < and ! have one meaning each', () => {
    expect(dispatchKey(initialState, '5', 10)).toEqual(
      action({ type: 'show-view', view: 'problems' }),
    );
    expect(dispatchKey(initialState, '6', 10)).toEqual(
      action({ type: 'show-view', view: 'events' }),
    );
    expect(dispatchKey(initialState, '7', 10)).toEqual(
      action({ type: 'show-view', view: 'stacks' }),
    );
    expect(dispatchKey(initialState, 'i', 10)).toEqual(action({ type: 'open-inspect' }));
    expect(dispatchKey(initialState, 'c', 10)).toEqual(action({ type: 'copy-start' }));
    expect(dispatchKey(initialState, '>', 10)).toEqual(action({ type: 'sort-next' }));
    expect(dispatchKey(initialState, '<', 10)).toEqual(action({ type: 'sort-reverse' }));
    expect(dispatchKey(initialState, '!', 10)).toEqual(action({ type: 'toggle-problems-only' }));
  });

  it('none of them is a mutation: read-only mode keeps them', () => {
    const readOnly = { ...initialState, readOnly: true };
    for (const name of ['5', '6', '7', 'i', 'c', '>', '<', '!']) {
      expect(bindingFor(name)?.mutation).toBeUndefined();
      expect(dispatchKey(readOnly, name, 10).kind).toBe('action');
      expect(dispatchKey(readOnly, name, 10)).not.toMatchObject({ action: { type: 'say' } });
    }
  });
});

describe('copy mode (after c)', () => {
  const copying = { ...initialState, copying: true };

  it('i, n and s choose the ID, the name and the spec', () => {
    expect(dispatchKey(copying, 'i', 10)).toEqual(action({ type: 'copy-choose', what: 'id' }));
    expect(dispatchKey(copying, 'n', 10)).toEqual(action({ type: 'copy-choose', what: 'name' }));
    expect(dispatchKey(copying, 's', 10)).toEqual(action({ type: 'copy-choose', what: 'spec' }));
  });

  it('any other key cancels, and does nothing else', () => {
    for (const name of ['escape', 'j', 'q', 'return', 'I', 'S', 'c', '5', 'up', 'ctrl+f', ' ']) {
      expect(dispatchKey(copying, name, 10)).toEqual(action({ type: 'copy-cancel' }));
    }
  });

  it('Ctrl-C still quits', () => {
    expect(dispatchKey(copying, 'ctrl+c', 10)).toEqual({ kind: 'quit' });
  });

  it('in read-only mode s still copies the spec, it does not say "read-only" for scale', () => {
    expect(dispatchKey({ ...copying, readOnly: true }, 's', 10)).toEqual(
      action({ type: 'copy-choose', what: 'spec' }),
    );
  });

  it('after a remapping, copy mode still reads i, n and s', () => {
    const keys = createKeyTable(remapKeys(KEY_BINDINGS, { inspect: 'n', 'view-nodes': 'i' }));
    const remapped = { ...copying, keys };
    expect(dispatchKey(remapped, 'i', 10)).toEqual(action({ type: 'copy-choose', what: 'id' }));
    expect(dispatchKey(remapped, 'n', 10)).toEqual(action({ type: 'copy-choose', what: 'name' }));
  });
});

describe('DRILL_HINTS and the key table in force', () => {
  it('says what Enter does in the views where it does something', () => {
    expect(DRILL_HINTS).toEqual({
      services: 'tasks',
      nodes: 'tasks',
      problems: 'go to',
      events: 'go to',
      stacks: 'services',
      explain: 'tasks',
      managers: 'tasks',
      networks: 'services',
      attachments: 'service',
      ports: 'service',
      secrets: 'services',
      configs: 'services',
      swarm: 'go to',
      usage: 'tasks',
    });
    for (const view of ['tasks', 'ops', 'logs', 'inspect'] as const) {
      expect(DRILL_HINTS[view]).toBeUndefined();
    }
  });

  it('bindingOf gives the binding of a table for a command, remapped or not', () => {
    expect(DEFAULT_KEYS.bindingOf('view-problems')?.label).toBe('5');
    expect(DEFAULT_KEYS.bindingOf('copy')?.keys).toEqual(['c']);
    const keys = createKeyTable(remapKeys(KEY_BINDINGS, { 'view-problems': 'p' }));
    expect(keys.bindingOf('view-problems')).toMatchObject({ label: 'p', keys: ['p'] });
    expect(keys.bindingFor('p')?.command).toBe('view-problems');
    expect(keys.bindingFor('5')).toBeUndefined();
    expect(dispatchKey({ ...initialState, keys }, 'p', 10)).toEqual(
      action({ type: 'show-view', view: 'problems' }),
    );
    // A table is a value: the default one is untouched by another's remapping.
    expect(DEFAULT_KEYS.bindingOf('view-problems')?.label).toBe('5');
    expect(DEFAULT_KEYS.bindingFor('5')?.command).toBe('view-problems');
    expect(DEFAULT_KEYS.bindingFor('p')).toBeUndefined();
    expect(dispatchKey(initialState, 'p', 10)).toEqual({ kind: 'none' });
  });

  it('a table lists its own bindings as the visible ones', () => {
    const table = remapKeys(KEY_BINDINGS, { 'sort-next': ']' });
    const keys = createKeyTable(table);
    expect(keys.visible(false).map((b) => [b.command, b.keys])).toEqual(
      table.map((b) => [b.command, b.keys]),
    );
    expect(keys.visible(false).find((b) => b.command === 'sort-next')?.label).toBe(']');
  });

  it('help lines and status texts name the keys in force after a remap', () => {
    const keys = createKeyTable(remapKeys(KEY_BINDINGS, { back: 'B', drill: 'O' }));
    expect(keys.bindingOf('inspect')?.help).toBe(
      'inspect the selected object: spec and status (B back)',
    );
    expect(DEFAULT_KEYS.bindingOf('inspect')?.help).toBe(
      'inspect the selected object: spec and status (Esc back)',
    );
    expect(keys.bindingOf('filter')?.help).toBe(
      'filter the focused list (Enter keeps, Esc clears)',
    );
    expect(keys.labelOf('drill')).toBe('O');
  });

  it('the modal contexts are in the table: a remap leaves y, n, Esc and Enter alone', () => {
    const keys = createKeyTable(remapKeys(KEY_BINDINGS, { 'move-down': 'y', back: 'n' }));
    expect(keys.inContext('confirm', 'y')).toBe('confirm.yes');
    expect(keys.inContext('confirm', 'n')).toBe('confirm.no');
    expect(keys.inContext('confirm', 'escape')).toBe('confirm.no');
    expect(keys.inContext('prompt', 'return')).toBe('prompt.submit');
    expect(keys.inContext('prompt', 'n')).toBeUndefined();
    expect(keys.inContext('copy', 's')).toBe('copy.spec');
    expect(keys.inContext('line', 'return')).toBe('line.accept');
    expect(keys.labelOf('confirm.no')).toBe('n/Esc');
  });
});
