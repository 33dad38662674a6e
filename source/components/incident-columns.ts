// Columns of the events timeline and the stacks list, in the style of columns.ts: column order
// is the order narrow terminals keep them. Colour only repeats what a word or mark says.
import { age, clock } from '../format/time.js';
import type { EventRow } from '../state/event-log.js';
import type { StackRow } from '../state/stacks.js';
import { MARK_DEGRADED, MARK_UPDATING, MARK_WARN } from './columns.js';
import type { Theme } from '../format/palette.js';
import type { Column } from './table.js';

function eventMark(row: EventRow): string {
  if (row.level === 'bad') return MARK_DEGRADED;
  if (row.level === 'warn') return MARK_WARN;
  return ' ';
}

export function eventColumns(theme: Theme, now: Date): Column<EventRow>[] {
  const tone = (r: EventRow) =>
    r.level === 'bad' ? theme.bad : r.level === 'warn' ? theme.warn : undefined;
  return [
    { key: 'mark', header: ' ', width: 1, cell: eventMark, color: tone },
    { key: 'time', header: 'TIME', width: 8, cell: (r) => clock(r.at) },
    { key: 'type', header: 'TYPE', width: 7, cell: (r) => r.type },
    { key: 'action', header: 'ACTION', width: 6, cell: (r) => r.action, color: tone },
    { key: 'name', header: 'NAME', minWidth: 10, flex: 2, cell: (r) => r.name, color: tone },
    {
      key: 'change',
      header: 'CHANGE',
      minWidth: 12,
      flex: 4,
      cell: (r) => r.change,
      color: tone,
    },
    // The age tells yesterday's 14:03 from today's; dropped first on a narrow terminal.
    { key: 'age', header: 'AGE', width: 4, align: 'right', cell: (r) => age(new Date(r.at), now) },
  ];
}

function stackMark(row: StackRow): string {
  if (row.degraded > 0) return MARK_DEGRADED;
  if (row.updating > 0) return MARK_UPDATING;
  return ' ';
}

export function stackColumns(theme: Theme): Column<StackRow>[] {
  const tone = (r: StackRow) => (r.degraded > 0 ? theme.bad : undefined);
  return [
    { key: 'mark', header: ' ', width: 1, cell: stackMark, color: tone },
    { key: 'name', header: 'STACK', minWidth: 10, flex: 2, cell: (r) => r.name, color: tone },
    { key: 'services', header: 'SERVICES', width: 8, align: 'right', cell: (r) => `${r.services}` },
    {
      key: 'degraded',
      header: 'DEGRADED',
      width: 8,
      align: 'right',
      cell: (r) => `${r.degraded}`,
      color: tone,
    },
    {
      key: 'tasks',
      header: 'TASKS',
      width: 11,
      align: 'right',
      cell: (r) => `${r.running}/${r.desired}`,
      color: (r) => (r.running < r.desired ? theme.bad : undefined),
    },
    {
      key: 'updating',
      header: 'UPDATING',
      width: 8,
      align: 'right',
      cell: (r) => (r.updating > 0 ? `${r.updating}` : '-'),
      color: (r) => (r.updating > 0 ? theme.warn : undefined),
    },
  ];
}
