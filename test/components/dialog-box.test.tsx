import { afterEach, describe, expect, it } from 'vitest';
import { DialogBox } from '../../source/components/dialog-box.js';
import { cellWidth } from '../../source/format/cells.js';
import type { Dialog } from '../../source/state/operations.js';
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
};

describe('DialogBox', () => {
  it.each([60, 80, 110])(
    'draws a closed box at %i columns, Cancel before Confirm',
    async (columns) => {
      const r = renderFixed(
        <DialogBox dialog={drain} width={columns} height={20} services={[]} />,
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
    const r = renderFixed(<DialogBox dialog={drain} width={60} height={6} services={[]} />, {
      columns: 60,
      rows: 24,
    });
    mounted.push(r);
    await r.flush();
    expect(r.lastFrame()).toContain('[y] Confirm');
  });

  it('shows no Confirm while the details are loading', async () => {
    const loading: Dialog = { ...drain, request: null, lines: [], warnings: [] };
    const r = renderFixed(<DialogBox dialog={loading} width={80} height={10} services={[]} />);
    mounted.push(r);
    await r.flush();
    expect(r.lastFrame()).toContain('Inspecting');
    expect(r.lastFrame()).not.toContain('Confirm');
  });
});
