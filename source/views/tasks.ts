// The tasks list: one service's, one node's, the troubled services' or every task.
import type { Theme } from '../format/palette.js';
import { age } from '../format/time.js';
import { isTaskTrouble } from '../health.js';
import type { Column } from './column.js';
import { MARK_DEGRADED } from './marks.js';
import { byNewest, byText, type SortKey } from './sort-keys.js';
import type { TaskRow } from './task-rows.js';
import type { ListView, TaskScope, ViewData } from './view.js';
import { compareText } from '../format/compare.js';
import { exitWords } from '../format/exit-codes.js';
import { lastWordsText } from '../format/last-words.js';
import type { SwarmObjectKind } from '../model.js';
import { isUnplaced } from '../operations/placement.js';

const PLACEMENTS: readonly SwarmObjectKind[] = ['placements'];
const NOTHING: readonly SwarmObjectKind[] = [];

export const TASK_SORTS: readonly SortKey<TaskRow>[] = [
  {
    name: 'service',
    compare: (a, b) =>
      compareText(a.serviceName, b.serviceName) ||
      // replicated tasks by slot, global ones by node
      (a.task.slot ?? 0) - (b.task.slot ?? 0) ||
      (a.task.slot === null ? compareText(a.nodeName, b.nodeName) : 0) ||
      // newest first within a slot: the current task above its history
      compareText(b.task.createdAt ?? '', a.task.createdAt ?? ''),
  },
  { name: 'state', compare: byText((t) => t.task.state) },
  { name: 'node', compare: byText((t) => t.nodeName) },
  { name: 'age', compare: byNewest((t) => t.task.stateSince) },
];

export function taskColumns(theme: Theme, now: Date): Column<TaskRow>[] {
  const tone = (r: TaskRow) => (isTaskTrouble(r.task) ? theme.bad : undefined);
  return [
    {
      key: 'mark',
      header: ' ',
      width: 1,
      cell: (r) => (isTaskTrouble(r.task) ? MARK_DEGRADED : ' '),
      color: tone,
    },
    { key: 'name', header: 'NAME', minWidth: 10, flex: 2, cell: (r) => r.name, color: tone },
    { key: 'node', header: 'NODE', minWidth: 10, flex: 1, cell: (r) => r.nodeName || '-' },
    { key: 'desired', header: 'DESIRED', width: 8, cell: (r) => r.task.desiredState },
    {
      key: 'current',
      header: 'CURRENT',
      width: 14,
      cell: (r) => `${r.task.state} ${age(r.task.stateSince, now)}`,
      color: tone,
    },
    {
      key: 'exit',
      header: 'EXIT',
      width: 4,
      align: 'right',
      cell: (r) => (r.task.exitCode === null ? '-' : String(r.task.exitCode)),
    },
    {
      key: 'error',
      header: 'ERROR',
      minWidth: 10,
      flex: 3,
      cell: (r) => r.task.error ?? '',
      color: tone,
    },
  ];
}

/** "tasks of service web", as the pane title and the --once heading say it. */
export function scopeTitle(
  data: Pick<ViewData, 'services' | 'nodes'>,
  scope: TaskScope | null,
): string {
  if (scope === null) return 'tasks';
  if (scope.kind === 'all') return 'all tasks';
  if (scope.kind === 'troubled') return 'tasks of troubled services';
  if (scope.kind === 'service') {
    const name = data.services.find((s) => s.id === scope.id)?.name ?? scope.id.slice(0, 12);
    return `tasks of service ${name}`;
  }
  const name = data.nodes.find((n) => n.id === scope.id)?.hostname ?? scope.id.slice(0, 12);
  return `tasks on node ${name}`;
}

export const tasksView: ListView<TaskRow> = {
  kind: 'list',
  id: 'tasks',
  words: ['tasks', 'task', 'ps', 't'],
  panes: ['tasks'],
  binding: { keys: ['3'], help: 'tasks view', hint: 'tasks' },
  tasksOfPlace: true,
  // Where each node stands is read only while a pending task is listed (its status line says why).
  needs: (data) => (data.tasks.some((row) => isUnplaced(row.task)) ? PLACEMENTS : NOTHING),
  rows: (data) => data.tasks,
  search: (t) => `${t.name} ${t.nodeName} ${t.task.state} ${t.task.error ?? ''} ${t.task.message}`,
  trouble: (row) => isTaskTrouble(row.task),
  sorts: TASK_SORTS,
  columns: (theme, now) => taskColumns(theme, now),
  title: (rows, data) =>
    `${scopeTitle(data, data.scope).toUpperCase()} (${rows.length})${data.showHistory ? ' · with history' : ''}`,
  empty: (data) => (data.tasksLoading ? 'loading…' : 'no tasks'),
  detail: (row, data) => {
    if (!row) return '';
    const t = row.task;
    const placement = data.whyPending(t.id);
    if (placement !== null) {
      return `${row.name} pending: ${placement.summary} (${data.keys('explain')}: per node)`;
    }
    const why = t.error ?? t.message;
    const exit = t.exitCode !== null && t.exitCode !== 0 ? ` (exit ${t.exitCode})` : '';
    const meaning = exitWords(t);
    const words = data.lastWords[t.id];
    return `${row.name} on ${row.nodeName || 'no node'}: ${t.state}${exit}${why ? ` — ${why}` : ''}${meaning ? `, ${meaning}` : ''}${words ? ` — ${lastWordsText(words)}` : ''}`;
  },
  target: (row) => ({ kind: 'task', id: row.id, name: row.name }),
  // Mutation keys act on what the tasks view was opened on: its service or node.
  subject: (_row, data) =>
    data.scope !== null && (data.scope.kind === 'service' || data.scope.kind === 'node')
      ? { kind: data.scope.kind, id: data.scope.id }
      : null,
};
