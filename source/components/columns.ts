// Pure row rendering: which columns each pane has and what each cell says. Column order is the
// order in which narrow terminals keep them (the table drops columns from the right).
import type { SwarmNode, SwarmService } from '../model.js';
import { formatBytes, formatCpus } from '../format/bytes.js';
import { age, clock } from '../format/time.js';
import type { TaskRow } from '../state/selectors.js';
import { isServiceDegraded as isDegraded, isNodeTrouble, isTaskTrouble } from '../health.js';
import type { Column } from './table.js';
import type { Theme } from '../format/palette.js';
import type { OperationRecord, OpStatus } from '../state/operations.js';
import type { ProblemRow } from '../state/problems.js';

export const MARK_DEGRADED = '✗';
export const MARK_UPDATING = '↻';
export const MARK_WARN = '!';

function serviceMark(service: SwarmService, flagged: ReadonlySet<string>): string {
  if (isDegraded(service)) return MARK_DEGRADED;
  // At its count, but its tasks keep failing (a crash loop caught at 1/1): not healthy.
  if (flagged.has(service.id)) return MARK_WARN;
  if (service.updateState === 'updating' || service.updateState === 'rollback_started') {
    return MARK_UPDATING;
  }
  return ' ';
}

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
    isDegraded(s) ? theme.bad : flagged.has(s.id) ? theme.warn : undefined;
  return [
    { key: 'mark', header: ' ', width: 1, cell: (s) => serviceMark(s, flagged), color: tone },
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

function managerText(node: SwarmNode): string {
  return node.manager?.reachability ?? '-';
}

export function nodeColumns(theme: Theme): Column<SwarmNode>[] {
  const tone = (n: SwarmNode) => (isNodeTrouble(n) ? theme.bad : undefined);
  return [
    {
      key: 'mark',
      header: ' ',
      width: 1,
      cell: (n) => (isNodeTrouble(n) ? MARK_DEGRADED : ' '),
      color: tone,
    },
    {
      key: 'hostname',
      header: 'HOSTNAME',
      minWidth: 10,
      flex: 2,
      cell: (n) => n.hostname,
      color: tone,
    },
    { key: 'role', header: 'ROLE', width: 7, cell: (n) => n.role },
    {
      key: 'availability',
      header: 'AVAIL',
      width: 6,
      cell: (n) => n.availability,
      color: (n) => (n.availability === 'active' ? undefined : theme.warn),
    },
    {
      key: 'status',
      header: 'STATUS',
      width: 7,
      cell: (n) => n.state,
      color: (n) => (n.state === 'ready' ? undefined : theme.bad),
    },
    {
      key: 'manager',
      header: 'MANAGER',
      width: 11,
      cell: managerText,
      color: (n) =>
        n.manager && n.manager.reachability !== 'leader' && n.manager.reachability !== 'reachable'
          ? theme.bad
          : undefined,
    },
    { key: 'engine', header: 'ENGINE', width: 9, cell: (n) => n.engineVersion || '-' },
    { key: 'cpus', header: 'CPUS', width: 4, align: 'right', cell: (n) => formatCpus(n.nanoCpus) },
    {
      key: 'memory',
      header: 'MEMORY',
      width: 9,
      align: 'right',
      cell: (n) => formatBytes(n.memoryBytes),
    },
    { key: 'address', header: 'ADDRESS', minWidth: 9, flex: 1, cell: (n) => n.address || '-' },
  ];
}

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

export const STATUS_MARK: Record<OpStatus, string> = {
  sending: '…',
  converging: '↻',
  succeeded: '✓',
  failed: '✗',
  unknown: '?',
  paused: '‖',
};

export function statusTone(status: OpStatus, theme: Theme): string | undefined {
  if (status === 'succeeded') return theme.good;
  if (status === 'failed') return theme.bad;
  if (status === 'paused' || status === 'unknown') return theme.warn;
  return theme.accent;
}

export function opColumns(theme: Theme): Column<OperationRecord>[] {
  const tone = (o: OperationRecord) => statusTone(o.status, theme);
  return [
    { key: 'mark', header: ' ', width: 1, cell: (o) => STATUS_MARK[o.status], color: tone },
    { key: 'started', header: 'STARTED', width: 8, cell: (o) => clock(o.startedAt) },
    { key: 'action', header: 'ACTION', minWidth: 14, flex: 2, cell: (o) => o.title },
    { key: 'status', header: 'STATUS', width: 10, cell: (o) => o.status, color: tone },
    {
      key: 'detail',
      header: 'PROGRESS / MESSAGE',
      minWidth: 16,
      flex: 4,
      cell: (o) =>
        [o.progress, o.message, o.auditError ? `AUDIT LOG NOT WRITTEN: ${o.auditError}` : '']
          .filter(Boolean)
          .join(' · '),
    },
  ];
}

export function problemColumns(theme: Theme): Column<ProblemRow>[] {
  const tone = (p: ProblemRow) => (p.severity === 'bad' ? theme.bad : theme.warn);
  return [
    {
      key: 'mark',
      header: ' ',
      width: 1,
      cell: (p) => (p.severity === 'bad' ? MARK_DEGRADED : MARK_WARN),
      color: tone,
    },
    { key: 'what', header: 'PROBLEM', minWidth: 20, flex: 2, cell: (p) => p.what, color: tone },
    { key: 'detail', header: 'WHY / WHERE', minWidth: 20, flex: 3, cell: (p) => p.detail },
  ];
}
