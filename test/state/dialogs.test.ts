import { describe, expect, it } from 'vitest';
import type { Action } from '../../source/state/actions.js';
import { KEY_BINDINGS } from '../../source/state/keymap.js';
import { initialState, reducer, type State } from '../../source/state/reducer.js';
import { node, service } from '../helpers/factories.js';

const press = (state: State, ...names: string[]): State =>
  names.reduce((s, name) => reducer(s, { type: 'key', name, pageSize: 10, at: 1000 }), state);
const typed = (state: State, text: string): State => press(state, ...Array.from(text));

const base: State = [
  {
    type: 'services-loaded',
    services: [
      service({
        id: 's-web',
        name: 'web',
        running: 4,
        desired: 4,
        specReplicas: 4,
        hasPreviousSpec: true,
      }),
      service({
        id: 's-agent',
        name: 'agent',
        mode: 'global',
        running: 5,
        desired: 5,
        specReplicas: null,
      }),
    ],
  },
  {
    type: 'nodes-loaded',
    nodes: [
      node({ id: 'n-w1', hostname: 'worker-1' }),
      node({ id: 'n-w2', hostname: 'worker-2', availability: 'drain' }),
    ],
  },
].reduce((s, a) => reducer(s, a as Action), { ...initialState, scaleCeiling: 1000 });

// rows sort by name: agent, web
const onWeb = press(base, 'j');

describe('scale prompt', () => {
  it('opens on a replicated service with the current count and an empty field', () => {
    const state = press(onWeb, 's');
    expect(state.dialog).toMatchObject({
      kind: 'scale',
      name: 'web',
      running: 4,
      desired: 4,
      text: '',
    });
  });

  it('refuses a global service with a reason and opens nothing', () => {
    const state = press(base, 's');
    expect(state.dialog).toBeNull();
    expect(state.message).toMatch(
      /agent is a global service: only replicated services can be scaled/,
    );
  });

  it.each([
    ['letters', ['a', 'b', 'c', 'return'], /"abc" is not a number/],
    ['a minus sign', ['-', '3', 'return'], /"-3" is not a number/],
    ['empty input', ['return'], /Type the new number/],
    ['a huge number', [...'99999999', 'return'], /above the ceiling of 1000/],
    ['the current count', ['4', 'return'], /already asks for 4/],
  ])('refuses %s and sends nothing', (_what, keys, message) => {
    const state = press(press(onWeb, 's'), ...keys);
    expect(state.ops).toEqual([]);
    expect(state.dialog?.kind).toBe('scale');
    expect((state.dialog as { error: string }).error).toMatch(message);
  });

  it('starts one operation on Enter with a valid number', () => {
    const state = typed(press(onWeb, 's'), '6');
    const done = press(state, 'return');
    expect(done.dialog).toBeNull();
    expect(done.ops).toHaveLength(1);
    expect(done.ops[0]).toMatchObject({
      status: 'sending',
      title: 'scale web 4 → 6',
      request: { kind: 'scale', serviceId: 's-web', from: 4, to: 6 },
      startedAt: 1000,
    });
  });

  it('asks for the service name before scaling to 0', () => {
    let state = press(typed(press(onWeb, 's'), '0'), 'return');
    expect(state.ops).toEqual([]);
    expect(state.dialog).toMatchObject({ kind: 'scale', confirmName: '' });
    state = press(typed(state, 'wbe'), 'return');
    expect(state.ops).toEqual([]);
    expect((state.dialog as { error: string }).error).toMatch(/Type web exactly/);
    state = press(typed(press(state, 'backspace', 'backspace', 'backspace'), 'web'), 'return');
    expect(state.ops[0]?.request).toMatchObject({ kind: 'scale', to: 0 });
  });

  it('Esc cancels at every stage and sends nothing', () => {
    expect(press(press(onWeb, 's'), 'escape')).toMatchObject({ dialog: null, ops: [] });
    expect(press(typed(press(onWeb, 's'), '5'), 'escape')).toMatchObject({ dialog: null, ops: [] });
    const naming = press(typed(press(onWeb, 's'), '0'), 'return');
    expect(press(typed(naming, 'we'), 'escape')).toMatchObject({ dialog: null, ops: [] });
  });

  it('keys do nothing else while the prompt is open', () => {
    const state = press(press(onWeb, 's'), '2', 'q');
    expect(state.view).toBe('services');
    expect(state.outbox.some((effect) => effect.kind === 'quit')).toBe(false);
  });
});

describe('confirm dialogs', () => {
  const readyRollback = (state: State): State => {
    const dialog = state.dialog!;
    return reducer(state, {
      type: 'dialog-ready',
      id: dialog.id,
      request: {
        kind: 'force-update',
        serviceId: 's-web',
        name: 'web',
        seenForceUpdate: 0,
        seenImage: 'lab/busybox:2',
      },
      lines: ['x'],
      warnings: [],
    });
  };

  it('scrolls a long dialog with j/k, ↑/↓ and PgUp/PgDn, and y and n keep their meaning', () => {
    let state = press(onWeb, 'R');
    const dialog = state.dialog!;
    state = reducer(state, {
      type: 'dialog-ready',
      id: dialog.id,
      request: {
        kind: 'force-update',
        serviceId: 's-web',
        name: 'web',
        seenForceUpdate: 0,
        seenImage: 'lab/busybox:2',
      },
      lines: Array.from({ length: 30 }, (_, i) => `line ${i}`),
      warnings: ['w'],
    });
    const scroll = (s: State) => (s.dialog as { scroll: number }).scroll;
    expect(scroll(state)).toBe(0);
    state = press(state, 'j', 'j', 'down');
    expect(scroll(state)).toBe(3);
    state = press(state, 'k', 'up');
    expect(scroll(state)).toBe(1);
    state = press(state, 'k', 'k');
    expect(scroll(state)).toBe(0);
    state = press(state, 'pagedown', 'pagedown', 'pagedown', 'pagedown', 'pagedown', 'pagedown');
    // Never past the last line (30 lines and one warning).
    expect(scroll(state)).toBe(30);
    state = press(state, 'pageup');
    expect(scroll(state)).toBeLessThan(30);
    expect(state.ops).toEqual([]);
    expect(press(state, 'n')).toMatchObject({ dialog: null, ops: [] });
    expect(press(state, 'y').ops).toHaveLength(1);
  });

  it('confirms only with y, and only once the details are loaded', () => {
    let state = press(onWeb, 'F');
    expect(state.dialog).toMatchObject({ kind: 'confirm', request: null });
    state = press(state, 'y');
    expect(state.ops).toEqual([]);
    state = readyRollback(state);
    state = press(state, 'Y', 'return', ' ', 'q', 'j', 'x');
    expect(state.ops).toEqual([]);
    expect(state.dialog).not.toBeNull();
    state = press(state, 'y');
    expect(state.ops).toHaveLength(1);
    expect(state.dialog).toBeNull();
  });

  it.each(['n', 'escape'])('%s cancels and sends nothing', (key) => {
    const state = press(readyRollback(press(onWeb, 'F')), key);
    expect(state).toMatchObject({ dialog: null, ops: [] });
    expect(state.message).toMatch(/nothing was sent/);
  });

  it('ignores details that arrive for a dialog that was closed', () => {
    const opened = press(onWeb, 'F');
    const closed = press(opened, 'escape');
    const late = reducer(closed, {
      type: 'dialog-ready',
      id: opened.dialog!.id,
      request: {
        kind: 'force-update',
        serviceId: 's-web',
        name: 'web',
        seenForceUpdate: 0,
        seenImage: 'lab/busybox:2',
      },
      lines: [],
      warnings: [],
    });
    expect(late.dialog).toBeNull();
  });

  it('refuses a rollback without a previous spec', () => {
    const state = press(press(base, 'R'));
    expect(state.dialog).toBeNull();
    expect(state.message).toMatch(/agent has no previous spec/);
  });

  it('node actions need a node, and refuse a no-op', () => {
    expect(press(onWeb, 'D').message).toMatch(/Select a node/);
    const nodes = press(base, '2');
    expect(press(nodes, 'D').dialog).toMatchObject({
      kind: 'confirm',
      intent: { kind: 'drain', name: 'worker-1' },
    });
    expect(press(nodes, 'j', 'D').message).toMatch(/worker-2 is already drain/);
  });
});

describe('read-only', () => {
  it('every mutation key only says read-only: no dialog, no operation', () => {
    const readOnly = { ...onWeb, readOnly: true };
    const mutationKeys = KEY_BINDINGS.filter((b) => b.mutation).flatMap((b) => b.keys);
    expect(mutationKeys.sort()).toEqual(['A', 'D', 'F', 'L', 'M', 'P', 'R', 'U', 'X', 's']);
    for (const key of mutationKeys) {
      for (const start of [readOnly, press(readOnly, '2')]) {
        const state = press(start, key);
        expect(state.dialog).toBeNull();
        expect(state.ops).toEqual([]);
        expect(state.message).toMatch(/^read-only/);
      }
    }
  });
});
