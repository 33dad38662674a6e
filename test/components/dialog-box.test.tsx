import { afterEach, describe, expect, it } from 'vitest';
import { DialogBox } from '../../source/components/dialog-box.js';
import { DEFAULT_KEYS } from '../../source/state/keymap.js';
import { cellWidth } from '../../source/format/cells.js';
import type { Dialog } from '../../source/operations/records.js';
import { renderFixed, type RenderFixedResult } from '../helpers/render.js';

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

const drain: Dialog = {
  kind: 'confirm',
  id: 1,
  intent: { kind: 'drain', nodeId: 'n1', name: 'manager-1' },
  title: 'Drain manager-1?',
  request: { kind: 'drain', nodeId: 'n1', name: 'manager-1', seenAvailability: 'active' },
  lines: [
    'manager-1: active → drain.',
    'The agent task on this node stops (global services are not moved).',
    'x'.repeat(300),
  ],
  warnings: ['manager-1 is the last active manager: tasks restricted to managers stay pending.'],
  error: null,
  scroll: 0,
};

const rollback = (scroll: number): Dialog => ({
  kind: 'confirm',
  id: 2,
  intent: { kind: 'rollback', serviceId: 's1', name: 'api' },
  title: 'Roll back api?',
  request: {
    kind: 'force-update',
    serviceId: 's1',
    name: 'api',
    seenForceUpdate: 0,
    seenImage: 'lab/busybox:2',
  },
  lines: [
    'What changes (now → after the rollback):',
    ...Array.from({ length: 40 }, (_, i) => `env VAR_${i}: ${i} → ${i + 1}`),
  ],
  warnings: ['api is in the middle of an update.'],
  error: null,
  scroll,
});

describe('DialogBox', () => {
  it.each([60, 80, 110])(
    'draws a closed box at %i columns, Cancel before Confirm',
    async (columns) => {
      const r = renderFixed(
        <DialogBox dialog={drain} width={columns} height={20} services={[]} keys={DEFAULT_KEYS} />,
        {
          columns,
          rows: 24,
        },
      );
      mounted.push(r);
      await r.flush();
      const lines = r
        .lastFrame()!
        .split('\n')
        .filter((l) => l.trim() !== '');
      for (const line of lines) expect(cellWidth(line)).toBe(columns);
      const text = lines.join('\n');
      expect(text).toMatch(/⚠ manager-1 is the last active manager/);
      expect(text.indexOf('Cancel')).toBeLessThan(text.indexOf('Confirm'));
    },
  );

  it('keeps the key line when the text does not fit', async () => {
    const r = renderFixed(
      <DialogBox dialog={drain} width={60} height={6} services={[]} keys={DEFAULT_KEYS} />,
      {
        columns: 60,
        rows: 24,
      },
    );
    mounted.push(r);
    await r.flush();
    expect(r.lastFrame()).toContain('[y] Confirm');
  });

  it('scrolls a long diff: the title, warnings and keys stay, and it says how many lines are hidden', async () => {
    const r = renderFixed(
      <DialogBox dialog={rollback(0)} width={80} height={14} services={[]} keys={DEFAULT_KEYS} />,
      {
        columns: 80,
        rows: 24,
      },
    );
    mounted.push(r);
    await r.flush();
    let frame = r.lastFrame()!;
    expect(frame).toContain('Roll back api?');
    expect(frame).toContain('What changes');
    expect(frame).toContain('env VAR_0: 0 → 1');
    // 14 rows: border 2, title, keys, warning, the "more" row: 8 rows of the 41 lines.
    expect(frame).toContain('↓ 33 more lines');
    expect(frame).toContain('j/k ↑/↓ PgUp/PgDn scroll');
    expect(frame).toContain('⚠ api is in the middle of an update.');
    expect(frame).toContain('[y] Confirm');
    expect(frame.split('\n')).toHaveLength(14);

    r.rerender(
      <DialogBox dialog={rollback(36)} width={80} height={14} services={[]} keys={DEFAULT_KEYS} />,
    );
    await r.flush();
    frame = r.lastFrame()!;
    expect(frame).toContain('↑ 36 lines above');
    expect(frame).toContain('env VAR_35: 35 → 36');
    expect(frame).toContain('env VAR_39: 39 → 40');
    expect(frame).not.toContain('more line');
    expect(frame).not.toContain('VAR_34:');
    expect(frame).toContain('[y] Confirm');
  });

  it('shows no Confirm while the details are loading', async () => {
    const loading: Dialog = { ...drain, request: null, lines: [], warnings: [] };
    const r = renderFixed(
      <DialogBox dialog={loading} width={80} height={10} services={[]} keys={DEFAULT_KEYS} />,
    );
    mounted.push(r);
    await r.flush();
    expect(r.lastFrame()).toContain('Inspecting');
    expect(r.lastFrame()).not.toContain('Confirm');
  });
});
