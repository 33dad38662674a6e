// The nodes list, with the tasks of the selected node in the pane below.
import { formatBytes, formatCpus } from '../format/bytes.js';
import { shownLabels } from '../format/mask.js';
import type { Theme } from '../format/palette.js';
import { isManagerReachable, isNodeTrouble } from '../health.js';
import type { SwarmNode } from '../model.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, markColumn } from './marks.js';
import { byText, type SortKey } from './sort-keys.js';
import type { ListView } from './view.js';
import { compareText } from '../format/compare.js';

const ROLE_ORDER: Record<string, number> = { manager: 0, worker: 1 };

export const NODE_SORTS: readonly SortKey<SwarmNode>[] = [
  {
    name: 'role',
    compare: (a, b) =>
      (ROLE_ORDER[a.role] ?? 2) - (ROLE_ORDER[b.role] ?? 2) || compareText(a.hostname, b.hostname),
  },
  { name: 'hostname', compare: byText((n) => n.hostname) },
  { name: 'availability', compare: byText((n) => n.availability) },
  { name: 'status', compare: byText((n) => n.state) },
];

function managerText(node: SwarmNode): string {
  return node.manager?.reachability ?? '-';
}

/** The columns a node's state takes in every list of nodes (nodes, managers). */
export function nodeStateColumns(
  theme: Theme,
): Record<'availability' | 'status' | 'engine', Column<SwarmNode>> {
  return {
    availability: {
      key: 'availability',
      header: 'AVAIL',
      width: 6,
      cell: (n) => n.availability,
      color: (n) => (n.availability === 'active' ? undefined : theme.warn),
    },
    status: {
      key: 'status',
      header: 'STATUS',
      width: 7,
      cell: (n) => n.state,
      color: (n) => (n.state === 'ready' ? undefined : theme.bad),
    },
    engine: { key: 'engine', header: 'ENGINE', width: 9, cell: (n) => n.engineVersion || '-' },
  };
}

export function nodeColumns(theme: Theme): Column<SwarmNode>[] {
  const state = nodeStateColumns(theme);
  const tone = (n: SwarmNode) => (isNodeTrouble(n) ? theme.bad : undefined);
  return [
    markColumn((n) => (isNodeTrouble(n) ? MARK_DEGRADED : ' '), tone),
    {
      key: 'hostname',
      header: 'HOSTNAME',
      minWidth: 10,
      flex: 2,
      cell: (n) => n.hostname,
      color: tone,
    },
    { key: 'role', header: 'ROLE', width: 7, cell: (n) => n.role },
    state.availability,
    state.status,
    {
      key: 'manager',
      header: 'MANAGER',
      width: 11,
      cell: managerText,
      color: (n) => (n.manager && !isManagerReachable(n) ? theme.bad : undefined),
    },
    state.engine,
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

export const nodesView: ListView<SwarmNode> = {
  kind: 'list',
  id: 'nodes',
  words: ['nodes', 'node', 'no', 'n'],
  panes: ['nodes', 'tasks'],
  binding: { keys: ['2'], help: 'nodes view', hint: 'nodes' },
  rows: (data) => data.nodes,
  search: (n) => `${n.hostname} ${n.role} ${n.availability} ${n.state} ${n.address}`,
  trouble: isNodeTrouble,
  sorts: NODE_SORTS,
  columns: (theme) => nodeColumns(theme),
  title: (rows) => `NODES (${rows.length})`,
  empty: () => 'no nodes',
  detail: (n, data) => {
    if (!n) return '';
    const labels = Object.entries(shownLabels(n.labels, data.revealSecrets)).map(
      ([k, v]) => `${k}=${v}`,
    );
    return [
      `${n.hostname}: ${n.role}, ${n.availability}, ${n.state}${n.statusMessage ? ` (${n.statusMessage})` : ''}`,
      n.manager ? `manager ${n.manager.reachability} at ${n.manager.address}` : null,
      labels.length > 0 ? `labels ${labels.join(' ')}` : null,
    ]
      .filter((part) => part !== null)
      .join(' · ');
  },
  enterHint: 'tasks',
  tasksOf: (row) => ({ kind: 'node', id: row.id }),
  enter: (n) => ({ view: 'tasks', scope: { kind: 'node', id: n.id }, filter: '', selectId: null }),
  target: (n) => ({ kind: 'node', id: n.id, name: n.hostname }),
  subject: (n) => (n ? { kind: 'node', id: n.id } : null),
};
