// The managers list: the Raft members, leader first, and how many of them the swarm can still lose.
import { compareText } from '../format/compare.js';
import { memoLast } from '../format/memo.js';
import type { Theme } from '../format/palette.js';
import { isManagerReachable } from '../health.js';
import type { SwarmNode } from '../model.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, markColumn } from './marks.js';
import { nodeStateColumns, nodesView } from './nodes.js';
import { quorumOf } from './problem-rows.js';
import { byText, type SortKey } from './sort-keys.js';
import type { ListView } from './view.js';

const isLeader = (n: SwarmNode) => n.manager?.reachability === 'leader';

export const MANAGER_SORTS: readonly SortKey<SwarmNode>[] = [
  {
    // The leader is where writes go and the first thing asked about a quorum.
    name: 'leader',
    compare: (a, b) =>
      Number(isLeader(b)) - Number(isLeader(a)) || compareText(a.hostname, b.hostname),
  },
  { name: 'hostname', compare: byText((n) => n.hostname) },
  // Mixed engine versions are what a rolling upgrade of the managers leaves behind.
  { name: 'engine', compare: byText((n) => n.engineVersion) },
];

const managersOf = memoLast((nodes: SwarmNode[]) => nodes.filter((n) => n.manager !== null));

/**
 * "quorum 2 of 3, can lose 1", or plainly that it is lost. Counted over every manager, not the
 * rows a filter leaves: the quorum does not change with what is shown.
 */
export function quorumLine(nodes: SwarmNode[]): string {
  const { managers, reachable, needed, spare } = quorumOf(nodes);
  if (managers.length === 0) return '';
  if (spare < 0) {
    return `quorum LOST: ${reachable.length} of ${managers.length} reachable, needs ${needed}`;
  }
  const down = reachable.length < managers.length ? `, ${reachable.length} reachable` : '';
  return `quorum ${needed} of ${managers.length}${down}, can lose ${spare}`;
}

export function managerColumns(theme: Theme): Column<SwarmNode>[] {
  const state = nodeStateColumns(theme);
  const tone = (n: SwarmNode) => (isManagerReachable(n) ? undefined : theme.bad);
  return [
    markColumn((n) => (isManagerReachable(n) ? ' ' : MARK_DEGRADED), tone),
    {
      key: 'hostname',
      header: 'HOSTNAME',
      minWidth: 10,
      flex: 1,
      cell: (n) => n.hostname,
      color: tone,
    },
    {
      key: 'manager',
      header: 'MANAGER',
      width: 11,
      cell: (n) => n.manager?.reachability ?? '-',
      color: tone,
    },
    state.status,
    state.availability,
    {
      key: 'raft',
      header: 'RAFT ADDRESS',
      // Wide enough for an IPv4 address and port at 80 columns: the column the nodes list lacks.
      minWidth: 14,
      flex: 1,
      cell: (n) => n.manager?.address || '-',
    },
    state.engine,
  ];
}

export const managersView: ListView<SwarmNode> = {
  kind: 'list',
  id: 'managers',
  words: ['managers', 'manager', 'mgr'],
  panes: ['managers'],
  // No digit: DESIGN.md gives 8, 9 and 0 to networks, secrets and configs, and the swarm.
  binding: { keys: [], help: 'managers: Raft members, the leader and the quorum' },
  rows: (data) => managersOf(data.nodes),
  search: (n) =>
    `${n.hostname} ${n.manager?.reachability ?? ''} ${n.manager?.address ?? ''} ${n.engineVersion}`,
  trouble: (n) => !isManagerReachable(n),
  sorts: MANAGER_SORTS,
  columns: (theme) => managerColumns(theme),
  title: (rows, data) => {
    const quorum = quorumLine(data.nodes);
    return `MANAGERS (${rows.length})${quorum ? ` · ${quorum}` : ''}`;
  },
  empty: (_data, filtered) => (filtered ? 'no manager matches' : 'no managers'),
  detail: (n) => {
    if (!n?.manager) return '';
    const status = `${n.state}${n.statusMessage ? ` (${n.statusMessage})` : ''}`;
    return `${n.hostname}: ${n.manager.reachability} at ${n.manager.address || 'no address'}, engine ${n.engineVersion || 'unknown'}, ${status}, ${n.availability}`;
  },
  // A manager is a node: Enter, `i`/`c` and the node actions go where they go from the nodes list.
  enterHint: nodesView.enterHint,
  enter: nodesView.enter,
  target: nodesView.target,
  subject: nodesView.subject,
};
