// The services list: every service, or one stack's, with its tasks in the pane below.
import { memoLast } from '../format/memo.js';
import { age } from '../format/time.js';
import { isServiceDegraded, isServiceDown, jobProgress, runningTarget } from '../health.js';
import { cellWidth } from '../format/cells.js';
import type { SwarmService } from '../model.js';
import { MARK_DEGRADED, MARK_UPDATING, MARK_WARN, markColumn } from './marks.js';
import { byNewest, byText, type SortKey } from './sort-keys.js';
import type { Theme } from '../format/palette.js';
import type { Column } from './column.js';
import type { ListView, ViewData } from './view.js';
import { compareText } from '../format/compare.js';
import { exitWords } from '../format/exit-codes.js';
import { lastWordsText } from '../format/last-words.js';
import { restartRate, restartRateText } from '../format/restarts.js';
import { newestCrashed } from './problem-rows.js';
import { formatBytes } from '../format/bytes.js';
import type { ServiceUsage } from './service-usage.js';
import { serviceUsageOf, showsSums, sumCpuText } from './service-usage.js';

/**
 * The REPLICAS cell as `docker service ls` writes it: "3/3", "3/3 (max 1 per node)", and for a
 * job its progress, "0/3 (3/3 completed)".
 */
export function replicasText(service: SwarmService): string {
  const counts = `${service.running}/${service.desired}`;
  const job = jobProgress(service);
  if (job !== null) return `${counts} (${job.completed}/${job.total} completed)`;
  if (service.mode === 'replicated' && service.maxReplicasPerNode !== null) {
    return `${counts} (max ${service.maxReplicasPerNode} per node)`;
  }
  return counts;
}

/** The MODE cell: a job's with the run it is on (JobIteration, 0 for the first). */
export function modeText(service: SwarmService): string {
  return service.jobIteration === null ? service.mode : `${service.mode} #${service.jobIteration}`;
}

/**
 * Cell widths by service object: an unchanged service is the same object from one refresh to the
 * next (the API layer reuses it), so a column's width over 1,000 services is not 1,000 new
 * strings at every render.
 */
const cellWidths = new Map<(s: SwarmService) => string, WeakMap<SwarmService, number>>();

/** A fixed column as wide as its widest cell, at least `floor` (the list's other columns keep theirs). */
function widthOf(
  services: readonly SwarmService[],
  cell: (s: SwarmService) => string,
  floor: number,
) {
  let known = cellWidths.get(cell);
  if (known === undefined) cellWidths.set(cell, (known = new WeakMap()));
  let width = floor;
  for (const service of services) {
    let cellWidthOf = known.get(service);
    if (cellWidthOf === undefined) {
      cellWidthOf = cellWidth(cell(service));
      known.set(service, cellWidthOf);
    }
    width = Math.max(width, cellWidthOf);
  }
  return width;
}

function serviceMark(service: SwarmService, flagged: ReadonlySet<string>): string {
  if (isServiceDown(service, flagged)) return MARK_DEGRADED;
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
      runningTarget(b) - b.running - (runningTarget(a) - a.running) || compareText(a.name, b.name),
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

/**
 * `flagged`: services with failing tasks the problems view lists, marked `!` when at their count
 * (✗ for a job). `services`: the rows, so that REPLICAS and MODE are as wide as a job's cells.
 */
export function serviceColumns(
  theme: Theme,
  now: Date,
  flagged: ReadonlySet<string> = new Set(),
  services: readonly SwarmService[] = [],
  sums: ReadonlyMap<string, ServiceUsage> | null = null,
): Column<SwarmService>[] {
  const tone = (s: SwarmService) =>
    isServiceDown(s, flagged) ? theme.bad : flagged.has(s.id) ? theme.warn : undefined;
  // While the stats probe runs (issue 15): CPU and memory summed over the service's tasks.
  const usage: Column<SwarmService>[] =
    sums === null
      ? []
      : [
          {
            key: 'cpu',
            header: 'CPU',
            width: 6,
            align: 'right',
            cell: (s) => sumCpuText(sums.get(s.id)),
            color: (s) => (sums.get(s.id)?.stale === true ? theme.dim : undefined),
          },
          {
            key: 'mem',
            header: 'MEM',
            width: 9,
            align: 'right',
            cell: (s) => {
              const sum = sums.get(s.id);
              return sum === undefined ? '-' : sum.stale ? 'STALE' : formatBytes(sum.mem);
            },
            color: (s) => (sums.get(s.id)?.stale === true ? theme.dim : undefined),
          },
        ];
  return [
    markColumn((s) => serviceMark(s, flagged), tone),
    { key: 'name', header: 'NAME', minWidth: 10, flex: 2, cell: (s) => s.name, color: tone },
    {
      key: 'replicas',
      header: 'REPLICAS',
      width: widthOf(services, replicasText, 8),
      align: 'right',
      cell: replicasText,
      color: tone,
    },
    ...usage,
    { key: 'mode', header: 'MODE', width: widthOf(services, modeText, 10), cell: modeText },
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

/** The status line's first words: the counts, or how far a job's run is. */
function countsText(s: SwarmService): string {
  const job = jobProgress(s);
  if (job === null) return `${s.name}: ${s.running}/${s.desired} running`;
  const run = `run #${s.jobIteration ?? 0}`;
  if (job.finished)
    return `${s.name}: job finished, ${job.completed}/${job.total} completed (${run})`;
  return `${s.name}: job ${job.completed}/${job.total} completed, ${s.running} running (${run})`;
}

const PLACEMENTS = ['placements'] as const;
const NO_NEEDS = [] as const;

/** The probe's sums per service while it runs; null otherwise (no columns). */
function sumsOf(data: ViewData, now: number): ReadonlyMap<string, ServiceUsage> | null {
  return showsSums(data.usage)
    ? serviceUsageOf(data.usage.figures, data.placements, Math.floor(now / 1000) * 1000)
    : null;
}

/** "cpu 97% of a core, memory 120 MiB over 3 tasks (figures 2s old)". */
function usageWords(sum: ServiceUsage, now: number): string {
  const old = age(new Date(sum.newest), new Date(now));
  if (sum.stale) return `usage STALE (figures ${old} old)`;
  return `cpu ${sumCpuText(sum)} of a core, memory ${formatBytes(sum.mem)} over ${sum.tasks} task${sum.tasks === 1 ? '' : 's'} (figures ${old} old)`;
}

export const servicesView: ListView<SwarmService> = {
  kind: 'list',
  id: 'services',
  words: ['services', 'service', 'svc', 's'],
  panes: ['services', 'tasks'],
  binding: { keys: ['1'], help: 'services view', hint: 'services' },
  rows: (data) => servicesInStack(data.services, data.stack),
  // The secrets and configs it mounts too: Enter on one in the secrets view filters by its name.
  search: (s) =>
    `${s.name} ${s.image} ${s.mode} ${s.stack ?? ''} ${[...s.secrets, ...s.configs].map((m) => m.name).join(' ')}`,
  // Below its count now, or with a problem the problems view lists (a crash loop at 1/1).
  trouble: (s, data) => isServiceDegraded(s) || data.flagged.has(s.id),
  sorts: SERVICE_SORTS,
  columns: (theme, now, data) =>
    serviceColumns(
      theme,
      now,
      data.flagged,
      servicesInStack(data.services, data.stack),
      sumsOf(data, now.getTime()),
    ),
  // the probe's figures are named through the tasks meant to run
  needs: (data) => (showsSums(data.usage) ? PLACEMENTS : NO_NEEDS),
  title: (rows, data) => {
    const degraded = rows.filter((s) => isServiceDown(s, data.flagged)).length;
    const scope = data.stack === null ? 'SERVICES' : `SERVICES OF STACK ${data.stack || '(none)'}`;
    return `${scope} (${rows.length})${degraded ? `  ${MARK_DEGRADED} ${degraded} degraded` : ''}`;
  },
  empty: () => 'no services',
  detail: (s, data: ViewData) => {
    if (!s) return '';
    const parts = [countsText(s), modeText(s), s.image];
    if (s.updateState) {
      parts.push(`update ${s.updateState}${s.updateMessage ? `: ${s.updateMessage}` : ''}`);
    }
    // The newest failure of the service is what an operator asks about first: what its exit
    // means, and the last words of the newest task that ran and failed (the crash's cause).
    const crashed = newestCrashed(data.tasks, (row) => row.task);
    const failing = crashed ?? data.tasks.find((row) => row.task.error !== null);
    if (failing) {
      const meaning = exitWords(failing.task);
      const words = crashed ? data.lastWords[crashed.id] : undefined;
      parts.push(
        `last error (${failing.name}): ${failing.task.error}${meaning ? `, ${meaning}` : ''}${words ? ` — ${lastWordsText(words)}` : ''}`,
      );
    }
    const tasks = data.tasks.map((row) => row.task);
    const rate = restartRateText(restartRate(tasks, s.id, data.clock, data.taskHistory));
    if (rate !== null) parts.push(rate);
    const sum = sumsOf(data, data.clock)?.get(s.id);
    if (sum !== undefined) parts.push(usageWords(sum, data.clock));
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
