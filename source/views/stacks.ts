// The stacks list: services grouped by the stack that deployed them; Enter opens a stack.
import type { Theme } from '../format/palette.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, MARK_UPDATING, markColumn } from './marks.js';
import { stackRows, type StackRow } from './stack-rows.js';
import type { ListView } from './view.js';

function stackMark(row: StackRow): string {
  if (row.degraded > 0) return MARK_DEGRADED;
  if (row.updating > 0) return MARK_UPDATING;
  return ' ';
}

export function stackColumns(theme: Theme): Column<StackRow>[] {
  const tone = (r: StackRow) => (r.degraded > 0 ? theme.bad : undefined);
  return [
    markColumn(stackMark, tone),
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

export const stacksView: ListView<StackRow> = {
  kind: 'list',
  id: 'stacks',
  words: ['stacks', 'stack', 'st'],
  panes: ['stacks'],
  binding: { keys: ['7'], help: 'stacks: services grouped by stack (also :stacks)' },
  rows: (data) => stackRows(data.services, data.flagged),
  search: (row) => row.name,
  trouble: (row) => row.degraded > 0,
  sorts: [],
  columns: (theme) => stackColumns(theme),
  title: (rows) => `STACKS (${rows.length})`,
  empty: () => 'no services',
  detail: (st, data) => {
    if (!st) return '';
    return `${st.name}: ${st.services} services, ${st.degraded} degraded, ${st.running}/${st.desired} tasks running (${data.keys('drill')}: its services)`;
  },
  enterHint: 'services',
  // X removes the selected stack ('' is the services of no stack: X says it is not one).
  subject: (st) => (st ? { kind: 'stack', id: st.id } : null),
  enter: (st) => ({ view: 'services', stack: st.id, filter: '', selectId: null }),
};
