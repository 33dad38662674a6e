import { describe, expect, it } from 'vitest';
import { computeLayout, HEADER_HEIGHT, MIN_COLUMNS, MIN_ROWS } from '../source/layout.js';
import type { ViewId } from '../source/state/actions.js';
import type { Dialog, OperationRecord } from '../source/operations/records.js';
import { startState, type State } from '../source/state/reducer.js';
import { service } from './helpers/factories.js';

const base = startState({ readOnly: false, scaleCeiling: 100 });

function services(count: number) {
  return Array.from({ length: count }, (_, i) =>
    service({ id: `s${i}`, name: `svc-${String(i).padStart(2, '0')}` }),
  );
}

function op(id: string): OperationRecord {
  return {
    id,
    request: { kind: 'scale', serviceId: 's0', name: 'svc-00', from: 1, to: 2 },
    title: 'scale svc-00 1 → 2',
    status: 'succeeded',
    progress: '',
    message: null,
    auditError: null,
    startedAt: 0,
    endedAt: 1,
  };
}

const scale: Dialog = {
  kind: 'scale',
  id: 1,
  serviceId: 's0',
  name: 'svc-00',
  running: 1,
  desired: 1,
  text: '',
  confirmName: null,
  error: null,
};

function state(patch: Partial<State> & { view?: ViewId }): State {
  return { ...base, ...patch };
}

describe('computeLayout', () => {
  // rows − 1 (Ink 6 keeps the frame below the terminal) − header − detail (2 lines) − hint bar.
  const body = (rows: number, ops = 0) => rows - 1 - HEADER_HEIGHT - 2 - ops - 1;

  it.each<[string, State, number, number, Record<string, number>, number, number]>([
    // name, state, columns, rows, pane heights, ops panel lines, dialog height
    [
      'an empty list keeps 4 lines, tasks get the rest',
      state({}),
      80,
      24,
      { services: 4, tasks: 14 },
      0,
      0,
    ],
    [
      'a long list takes 55 % of the body',
      state({ services: services(30) }),
      80,
      24,
      { services: 10, tasks: 8 },
      0,
      0,
    ],
    [
      'a short list takes what its rows need (title and header included)',
      state({ services: services(3) }),
      120,
      40,
      { services: 5, tasks: 29 },
      0,
      0,
    ],
    [
      'a one-pane view takes the whole body',
      state({ view: 'tasks' }),
      120,
      40,
      { tasks: body(40) },
      0,
      0,
    ],
    [
      'the operations panel takes at most 2 lines',
      state({ ops: [op('op-1'), op('op-2'), op('op-3')] }),
      80,
      24,
      { services: 4, tasks: body(24, 2) - 4 },
      2,
      0,
    ],
    [
      'one operation takes one line',
      state({ ops: [op('op-1')] }),
      80,
      24,
      { services: 4, tasks: 13 },
      1,
      0,
    ],
    [
      'the ops view shows no operations panel',
      state({ view: 'ops', ops: [op('op-1'), op('op-2')] }),
      80,
      24,
      { ops: body(24) },
      0,
      0,
    ],
    [
      'a dialog takes the place of the lower pane',
      state({ services: services(30), dialog: scale }),
      80,
      24,
      // Title, the count, the prompt and the keys, in a border: 6 lines.
      { services: 18 - 6 },
      0,
      6,
    ],
  ])('%s', (_name, given, columns, rows, paneHeights, opsLines, dialogHeight) => {
    const layout = computeLayout(given, columns, rows);
    expect(layout.paneHeights).toEqual(paneHeights);
    expect(layout.opsLines).toBe(opsLines);
    expect(layout.dialogHeight).toBe(dialogHeight);
    expect(layout.bodyHeight).toBe(body(rows, opsLines));
    expect(layout.detailLines).toHaveLength(2);
  });

  it('never gives a negative body on a terminal too small to draw', () => {
    expect(computeLayout(state({}), 20, 3).bodyHeight).toBe(0);
  });

  it('asks for at least 60×12', () => {
    expect([MIN_COLUMNS, MIN_ROWS]).toEqual([60, 12]);
  });
});
