import { describe, expect, it } from 'vitest';
import { eventColumns } from '../../source/views/events.js';
import { stackColumns } from '../../source/views/stacks.js';
import { makeTheme } from '../../source/format/palette.js';
import type { Column } from '../../source/components/table.js';
import type { EventRow } from '../../source/views/event-log.js';
import type { StackRow } from '../../source/views/stack-rows.js';

const cells = <Row>(columns: Column<Row>[], row: Row) =>
  Object.fromEntries(columns.map((c) => [c.key, c.cell(row)]));
const colours = <Row>(columns: Column<Row>[], row: Row) =>
  Object.fromEntries(columns.map((c) => [c.key, c.color?.(row)]));

const at = new Date(2026, 10, 25, 14, 3, 22).getTime();
const removal: EventRow = {
  id: '1',
  objectId: 'svc1',
  at,
  type: 'service',
  action: 'remove',
  name: 'web',
  change: '',
  level: 'bad',
};
const scale: EventRow = {
  ...removal,
  id: '2',
  action: 'update',
  change: 'replicas 1 → 2',
  level: 'normal',
};

describe('eventColumns', () => {
  const now = new Date(at + 125_000);

  it('shows the local time, the words of the event and its age', () => {
    expect(cells(eventColumns(makeTheme('dark'), now), scale)).toEqual({
      mark: ' ',
      time: '14:03:22',
      type: 'service',
      action: 'update',
      name: 'web',
      change: 'replicas 1 → 2',
      age: '2m',
    });
  });

  it('marks a removal with ✗ as well as red, and the mark stays without colour', () => {
    expect(cells(eventColumns(makeTheme('mono'), now), removal).mark).toBe('✗');
    expect(colours(eventColumns(makeTheme('dark'), now), removal).action).toBe('red');
    expect(colours(eventColumns(makeTheme('dark'), now), scale).action).toBeUndefined();
  });
});

describe('stackColumns', () => {
  const row: StackRow = {
    id: 'shop',
    name: 'shop',
    services: 3,
    degraded: 1,
    running: 4,
    desired: 6,
    updating: 0,
  };

  it('shows the stack, its services, the degraded ones and its tasks', () => {
    expect(cells(stackColumns(makeTheme('dark')), row)).toEqual({
      mark: '✗',
      name: 'shop',
      services: '3',
      degraded: '1',
      tasks: '4/6',
      updating: '-',
    });
    expect(colours(stackColumns(makeTheme('dark')), row).name).toBe('red');
  });

  it('marks a healthy stack that is rolling out with ↻', () => {
    const rolling = { ...row, degraded: 0, running: 6, updating: 1 };
    expect(cells(stackColumns(makeTheme('mono')), rolling)).toMatchObject({
      mark: '↻',
      updating: '1',
    });
  });
});
