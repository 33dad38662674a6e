// The services list: every service, or one stack's, with its tasks in the pane below.
import { memoLast } from '../format/memo.js';
import { age } from '../format/time.js';
import { isServiceDegraded } from '../health.js';
import type { SwarmService } from '../model.js';
import { MARK_DEGRADED, MARK_UPDATING, MARK_WARN, markColumn } from './marks.js';
import { byNewest, byText, type SortKey } from './sort-keys.js';
import type { Theme } from '../format/palette.js';
import type { Column } from './column.js';
import type { ListView, ViewData } from './view.js';
import { compareText } from '../format/compare.js';

function serviceMark(service: SwarmService, flagged: ReadonlySet<string>): string {
  if (isServiceDegraded(service)) return MARK_DEGRADED;
  // At its count, but its tasks keep failing (a crash loop caught at 1/1): not healthy.
  if (flagged.has(service.id)) return MARK_WARN;
  if (service.updateState === 'updating' || service.updateState === 'rollback_started') {
    return MARK_UPDATING;
  }
  return ' ';
}

export const SERVICE_SORTS: readonly SortKey<SwarmService>[] = [
  { name: 'name', compare: byText((s) => s.name) },
  {
    // The most tasks missing first: where the outage is biggest.
    name: 'missing',
    compare: (a, b) =>
      b.desired - b.running - (a.desired - a.running) || compareText(a.name, b.name),
  },
  { name: 'updated', compare: byNewest((s) => s.updatedAt) },
  { name: 'image', compare: byText((s) => s.image) },
  { name: 'stack', compare: byText((s) => s.stack ?? '') },
];

const servicesInStack = memoLast((services: SwarmService[], stack: string | null) =>
  stack === null ? services : services.filter((s) => (s.stack ?? '') === stack),
);

function ports(service: SwarmService): string {
  return service.ports.map((p) => `${p.published}→${p.target}/${p.protocol}`).join(',') || '-';
}

/** `flagged`: services with failing tasks the problems view lists, marked `!` when at their count. */
export function serviceColumns(
  theme: Theme,
  now: Date,
  flagged: ReadonlySet<string> = new Set(),
): Column<SwarmService>[] {
  const tone = (s: SwarmService) =>
    isServiceDegraded(s) ? theme.bad : flagged.has(s.id) ? theme.warn : undefined;
  return [
    markColumn((s) => serviceMark(s, flagged), tone),
    { key: 'name', header: 'NAME', minWidth: 10, flex: 2, cell: (s) => s.name, color: tone },
    {
      key: 'replicas',
      header: 'REPLICAS',
      width: 8,
      align: 'right',
      cell: (s) => `${s.running}/${s.desired}`,
      color: tone,
    },
    { key: 'mode', header: 'MODE', width: 10, cell: (s) => s.mode },
    {
      key: 'update',
      header: 'UPDATE',
      width: 12,
      cell: (s) => s.updateState ?? '-',
      color: (s) => (s.updateState && s.updateState !== 'completed' ? theme.warn : undefined),
    },
    { key: 'image', header: 'IMAGE', minWidth: 10, flex: 2, cell: (s) => s.image },
    {
      key: 'updated',
      header: 'UPDATED',
      width: 7,
      align: 'right',
      cell: (s) => age(s.updatedAt, now),
    },
    { key: 'ports', header: 'PORTS', minWidth: 8, flex: 1, cell: ports },
  ];
}

export const servicesView: ListView<SwarmService> = {
  kind: 'list',
  id: 'services',
  words: ['services', 'service', 'svc', 's'],
  panes: ['services', 'tasks'],
  binding: { keys: ['1'], help: 'services view', hint: 'services' },
  rows: (data) => servicesInStack(data.services, data.stack),
  search: (s) => `${s.name} ${s.image} ${s.mode} ${s.stack ?? ''}`,
  // Below its count now, or with a problem the problems view lists (a crash loop at 1/1).
  trouble: (s, data) => isServiceDegraded(s) || data.flagged.has(s.id),
  sorts: SERVICE_SORTS,
  columns: (theme, now, data) => serviceColumns(theme, now, data.flagged),
  title: (rows, data) => {
    const degraded = rows.filter(isServiceDegraded).length;
    const scope = data.stack === null ? 'SERVICES' : `SERVICES OF STACK ${data.stack || '(none)'}`;
    return `${scope} (${rows.length})${degraded ? `  ${MARK_DEGRADED} ${degraded} degraded` : ''}`;
  },
  empty: () => 'no services',
  detail: (s, data: ViewData) => {
    if (!s) return '';
    const parts = [`${s.name}: ${s.running}/${s.desired} running`, s.mode, s.image];
    if (s.updateState) {
      parts.push(`update ${s.updateState}${s.updateMessage ? `: ${s.updateMessage}` : ''}`);
    }
    // The newest failure of the service is what an operator asks about first.
    const failing = data.tasks.find((row) => row.task.error !== null);
    if (failing) parts.push(`last error (${failing.name}): ${failing.task.error}`);
    return parts.join(' · ');
  },
  enterHint: 'tasks',
  // The tasks view opens on what the tasks pane below already shows.
  tasksOf: (row) => ({ kind: 'service', id: row.id }),
  enter: (s) => ({
    view: 'tasks',
    scope: { kind: 'service', id: s.id },
    filter: '',
    selectId: null,
  }),
  target: (s) => ({ kind: 'service', id: s.id, name: s.name }),
  subject: (s) => (s ? { kind: 'service', id: s.id } : null),
};
