// The usage view (issue 15): CPU, memory and health per task across the cluster, from the stats
// probe's lines (a global service smarm-top makes when the operator says `y`, and removes when
// the view is left). Per node totals against the node's capacity are in the title.
import { formatBytes } from '../format/bytes.js';
import type { Theme } from '../format/palette.js';
import { slotRestarts, slotRestartsText, type RestartRate } from '../format/restarts.js';
import { age } from '../format/time.js';
import type { UsageData, UsageFigure } from '../probe/line.js';
import type { Column } from './column.js';
import { MARK_WARN, markColumn } from './marks.js';
import { byText, type SortKey } from './sort-keys.js';
import type { ListView, ViewData } from './view.js';

/** Memory at or above this share of its limit is "near the limit" (`!`). */
export const NEAR_MEMORY_LIMIT = 0.9;

export interface UsageRow {
  /** The task's ID. */
  id: string;
  service: string;
  serviceId: string | null;
  task: string;
  node: string;
  nodeId: string;
  figure: UsageFigure;
  /** The figure is older than STALE_MS: the probe no longer reports it. */
  stale: boolean;
  /** Earlier tasks of its slot that ended (null: its service's task history is not held). */
  restarts: RestartRate | null;
}

const STALE_MS = 10_000;

const nearLimit = (f: UsageFigure) => f.lim > 0 && f.mem / f.lim >= NEAR_MEMORY_LIMIT;
const troubled = (r: UsageRow) => r.figure.health === 'unhealthy' || nearLimit(r.figure);

export function usageRows(data: ViewData, now: number): UsageRow[] {
  // a task that ended since (a crash loop's) is named from the history held, not left as '?'
  const tasks = new Map([...data.history.tasks, ...(data.placements ?? [])].map((t) => [t.id, t]));
  const services = new Map(data.services.map((s) => [s.id, s.name]));
  const nodes = new Map(data.nodes.map((n) => [n.id, n.hostname]));
  return [...data.usage.figures.values()].map((figure) => {
    const task = tasks.get(figure.task);
    const service = task ? (services.get(task.serviceId) ?? task.serviceId.slice(0, 12)) : '?';
    const node = nodes.get(figure.node) ?? figure.node.slice(0, 12);
    const slot = task?.slot ?? null;
    const held = task !== undefined && data.history.services.has(task.serviceId);
    return {
      id: figure.task,
      service,
      serviceId: task?.serviceId ?? null,
      task: `${service}.${slot ?? node}`,
      node,
      nodeId: figure.node,
      figure,
      stale: now - figure.receivedAt > STALE_MS,
      restarts: held ? slotRestarts(data.history.tasks, task, data.taskHistory) : null,
    };
  });
}

const cpuText = (r: UsageRow) =>
  r.figure.cpu === null
    ? '…'
    : `${r.figure.cpu < 10 ? r.figure.cpu.toFixed(1) : Math.round(r.figure.cpu)}%`;

const memText = (f: UsageFigure) =>
  `${formatBytes(f.mem)} / ${f.lim > 0 ? formatBytes(f.lim) : '-'}`;

export const USAGE_SORTS: readonly SortKey<UsageRow>[] = [
  { name: 'service', compare: (a, b) => byText((r: UsageRow) => r.task)(a, b) },
  { name: 'cpu', compare: (a, b) => (b.figure.cpu ?? -1) - (a.figure.cpu ?? -1) },
  { name: 'memory', compare: (a, b) => b.figure.mem - a.figure.mem },
  { name: 'node', compare: byText((r) => r.node) },
  { name: 'restarts', compare: (a, b) => (b.restarts?.count ?? -1) - (a.restarts?.count ?? -1) },
];

/** "manager-1 cpu 12%/2 mem 40 MiB/7.8 GiB": each node's sums against its capacity. */
export function nodeTotals(rows: readonly UsageRow[], data: ViewData): string[] {
  return data.nodes
    .flatMap((n) => {
      const mine = rows.filter((r) => r.nodeId === n.id && !r.stale);
      if (mine.length === 0) return [];
      const cpu = mine.reduce((sum, r) => sum + (r.figure.cpu ?? 0), 0);
      const mem = mine.reduce((sum, r) => sum + r.figure.mem, 0);
      const cores = n.nanoCpus / 1e9;
      return [
        `${n.hostname} ${Math.round(cpu)}%/${cores > 0 ? cores * 100 : '?'}% ${formatBytes(mem)}/${formatBytes(n.memoryBytes)}`,
      ];
    })
    .sort();
}

function phaseText(data: UsageData): string {
  switch (data.phase) {
    case 'off':
      return 'probe off';
    case 'asking':
      return 'probe not started';
    case 'read-only':
      return 'probe off (read-only)';
    case 'declined':
      return 'probe declined';
    case 'starting':
      return 'probe starting';
    case 'failed':
      return 'probe failed';
    case 'running':
      return 'probe running';
  }
}

export function usageColumns(theme: Theme, now: Date): Column<UsageRow>[] {
  const tone = (r: UsageRow) => (r.stale ? theme.dim : troubled(r) ? theme.bad : undefined);
  return [
    markColumn((r) => (troubled(r) ? MARK_WARN : ' '), tone),
    {
      key: 'service',
      header: 'SERVICE',
      // the task's name carries it too: at 80 columns it gives way first
      minWidth: 5,
      flex: 1,
      cell: (r) => r.service,
      color: tone,
    },
    { key: 'task', header: 'TASK', minWidth: 10, flex: 1, cell: (r) => r.task, color: tone },
    { key: 'node', header: 'NODE', minWidth: 9, flex: 1, cell: (r) => r.node, color: tone },
    {
      key: 'cpu',
      header: 'CPU',
      width: 5,
      align: 'right',
      cell: (r) => (r.stale ? 'STALE' : cpuText(r)),
      color: tone,
    },
    { key: 'mem', header: 'MEM / LIMIT', width: 19, cell: (r) => memText(r.figure), color: tone },
    { key: 'health', header: 'HEALTH', width: 9, cell: (r) => r.figure.health, color: tone },
    {
      key: 'restarts',
      header: 'RESTARTS',
      width: 8,
      align: 'right',
      cell: (r) => (r.restarts === null ? '-' : slotRestartsText(r.restarts)),
      color: tone,
    },
    {
      key: 'age',
      header: 'AGE',
      width: 4,
      align: 'right',
      cell: (r) => age(new Date(r.figure.receivedAt), now),
      color: tone,
    },
  ];
}

/** The status line's words on a task's restarts. */
function restartsWords(rate: RestartRate | null): string {
  if (rate === null) return 'restarts unknown (its task history is not held)';
  const count = `${rate.count} restart${rate.count === 1 ? '' : 's'}`;
  return rate.atLeast ? `at least ${count} (its slot's retained history is full)` : count;
}

export const usageView: ListView<UsageRow> = {
  kind: 'list',
  id: 'usage',
  words: ['stats', 'top', 'usage'],
  panes: ['usage'],
  binding: {
    keys: ['u'],
    // no hint word: the hint bar keeps to the first views (help lists it)
    help: 'usage: CPU, memory and health per task (through a probe service)',
  },
  // task IDs → services and slots come from every task meant to run
  needs: ['placements'],
  rows: (data) => usageRows(data, Date.now()),
  search: (r) => `${r.service} ${r.task} ${r.node} ${r.figure.health}`,
  trouble: troubled,
  sorts: USAGE_SORTS,
  columns: (theme, now) => usageColumns(theme, now),
  title: (rows, data) => {
    const totals = nodeTotals(rows, data);
    return `USAGE (${rows.length}) · ${phaseText(data.usage)}${totals.length > 0 ? ` · ${totals.join(' · ')}` : ''}`;
  },
  empty: (data, filtered) => {
    if (filtered) return 'no task matches';
    const errors = Object.entries(data.usage.nodeErrors).map(
      ([id, error]) =>
        `${data.nodes.find((n) => n.id === id)?.hostname ?? id.slice(0, 12)}: ${error}`,
    );
    if (errors.length > 0) return errors.join(' · ');
    switch (data.usage.phase) {
      case 'declined':
        return 'No probe: it was declined this session. Figures need the stats probe (docs/stats-probe.md).';
      case 'failed':
        return 'The stats probe could not be started: see the operations view (4).';
      case 'running':
      case 'starting':
        return `Waiting for the probe's first figures (image ${data.usage.image})…`;
      case 'off':
        return 'The stats probe is off.';
      case 'asking':
        return 'Figures need the stats probe: y starts it, n leaves it off.';
      case 'read-only':
        return 'Read-only: the stats probe creates a service, so it is not started.';
    }
  },
  detail: (r, data) => {
    const errors = Object.entries(data.usage.nodeErrors).map(
      ([id, error]) =>
        `${data.nodes.find((n) => n.id === id)?.hostname ?? id.slice(0, 12)}: ${error}`,
    );
    const row = r
      ? `${r.task} on ${r.node}: cpu ${cpuText(r)} of a core, memory ${memText(r.figure)}${nearLimit(r.figure) ? ' (near its limit)' : ''}, health ${r.figure.health}, ${restartsWords(r.restarts)}`
      : '';
    // a node without figures is the news: it comes first
    return [...errors, row].filter(Boolean).join(' · ');
  },
  enterHint: 'tasks',
  enter: (r) =>
    r.serviceId === null
      ? null
      : { view: 'tasks', scope: { kind: 'service', id: r.serviceId }, selectId: r.id },
  target: (r) => ({ kind: 'task', id: r.id, name: r.task }),
};
