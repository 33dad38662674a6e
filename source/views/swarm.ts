// The swarm itself: trust (the root CA, nodes on an old one, autolock), the quorum, and the
// settings of GET /swarm, one fact a row. The join tokens never reach this layer (the parser drops
// them), and the unlock key is never asked for.
import { maskUrlCredentials } from '../format/mask.js';
import { memoLast } from '../format/memo.js';
import type { Theme } from '../format/palette.js';
import { age, shortDate } from '../format/time.js';
import type { SwarmCluster, SwarmNode } from '../model.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, MARK_UPDATING, MARK_WARN, markColumn } from './marks.js';
import { quorumOf } from './problem-rows.js';
import { caDaysLeft, CA_WARN_DAYS, isEvenManagerCount, nodesOnOldCa } from './swarm-trust.js';
import type { Go, ListView } from './view.js';

export interface SwarmRow {
  id: string;
  group: string;
  name: string;
  value: string;
  /** A problem (`!` keeps it), or a change under way (marked, not a problem). */
  mark: 'bad' | 'warn' | 'busy' | null;
  /** What the status line adds about the row. */
  note?: string;
  /** Where Enter goes from this row. */
  go?: Go;
  /** The cluster's ID, once the swarm is read: what `i` inspects and `c` copies from any row. */
  swarmId?: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A Go duration in nanoseconds as a person says it: "90 days", "5s", "1h30m". */
export function durationText(ns: number | null): string {
  if (ns === null) return 'engine default';
  const s = ns / 1e9;
  if (s >= 86_400 && s % 86_400 === 0) return plural(s / 86_400, 'day');
  const parts: string[] = [];
  let rest = s;
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${Number(rest.toFixed(3))}s`);
  return parts.join('');
}

const orDefault = (value: number | null): string =>
  value === null ? 'engine default' : String(value);

function hostnames(nodes: SwarmNode[], max = 3): string {
  const names = nodes.map((n) => n.hostname).sort();
  return names.length <= max
    ? names.join(', ')
    : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** The managers row: how many, the quorum, and how many can be lost. */
export function managersFact(nodes: SwarmNode[]): Pick<SwarmRow, 'value' | 'mark'> {
  const { managers, reachable, needed, spare } = quorumOf(nodes);
  const count = managers.length;
  if (count === 0) return { value: 'none known', mark: null };
  const down = reachable.length < count ? `, ${reachable.length} reachable` : '';
  if (spare < 0) {
    return {
      value: `${count}${down}: quorum LOST, ${needed} needed`,
      mark: 'bad',
    };
  }
  const lose = spare === 0 ? 'can lose none' : `can lose ${spare}`;
  const even = isEvenManagerCount(count) ? ' — an even count adds no tolerance' : '';
  return {
    value: `${count}${down}: quorum ${needed}, ${lose}${even}`,
    mark: reachable.length < count ? (spare === 0 ? 'bad' : 'warn') : even ? 'warn' : null,
  };
}

function trustRows(swarm: SwarmCluster, nodes: SwarmNode[], nowMs: number): SwarmRow[] {
  const rows: SwarmRow[] = [];
  const ca = swarm.rootCa;
  rows.push({
    id: 'ca-subject',
    group: 'CA',
    name: 'root CA',
    value: ca === null ? 'not given' : ca.subject || 'unreadable certificate',
    mark: null,
  });
  const days = caDaysLeft(swarm, nowMs);
  const expiry = ca?.notAfter ?? null;
  rows.push({
    id: 'ca-expiry',
    group: 'CA',
    name: 'root CA expires',
    value:
      expiry === null || days === null
        ? 'unknown'
        : `${expiry.slice(0, 10)} (${days < 0 ? `expired ${plural(-days, 'day')} ago` : `${plural(days, 'day')} left`})`,
    mark: days === null ? null : days < 0 ? 'bad' : days < CA_WARN_DAYS ? 'warn' : null,
    note:
      days !== null && days < CA_WARN_DAYS
        ? 'rotate it: docker swarm ca --rotate'
        : `a problem within ${CA_WARN_DAYS} days of expiry`,
  });
  rows.push({
    id: 'ca-rotation',
    group: 'CA',
    name: 'CA rotation',
    value: swarm.rootRotationInProgress ? 'in progress' : 'none',
    mark: swarm.rootRotationInProgress ? 'busy' : null,
    note: swarm.rootRotationInProgress
      ? 'done when every node holds a certificate from the new root'
      : '',
  });
  const old = nodesOnOldCa(nodes, swarm);
  rows.push({
    id: 'ca-old-nodes',
    group: 'CA',
    name: 'nodes on an old CA',
    value: old.length === 0 ? 'none' : `${old.length}: ${hostnames(old)}`,
    mark: old.length === 0 ? null : 'warn',
    note:
      old.length === 0
        ? "every node's certificate comes from the current root"
        : `their certificate's issuer is not the current root's${swarm.rootRotationInProgress ? ' (rotation in progress)' : ''}`,
    go: {
      view: 'nodes',
      stack: null,
      filter: old.length === 1 ? old[0]!.hostname : '',
      selectId: old[0]?.id ?? null,
    },
  });
  rows.push({
    id: 'node-cert',
    group: 'CA',
    name: 'node certificate lifetime',
    value: durationText(swarm.nodeCertExpiryNs),
    mark: null,
  });
  rows.push({
    id: 'external-ca',
    group: 'CA',
    name: 'external CAs',
    value:
      swarm.externalCas.length === 0
        ? 'none'
        : swarm.externalCas.map((ca) => `${ca.protocol} ${maskUrlCredentials(ca.url)}`).join(', '),
    mark: null,
  });
  rows.push({
    id: 'autolock',
    group: 'security',
    name: 'autolock',
    value: swarm.autolock ? 'on' : 'off',
    mark: null,
    note: swarm.autolock
      ? 'a restarted manager needs the unlock key (docker swarm unlock)'
      : "managers' Raft keys are stored unencrypted on disk",
  });
  return rows;
}

function settingRows(swarm: SwarmCluster): SwarmRow[] {
  const row = (id: string, group: string, name: string, value: string): SwarmRow => ({
    id,
    group,
    name,
    value,
    mark: null,
  });
  const { raft } = swarm;
  return [
    row('raft-snapshot', 'raft', 'snapshot interval', orDefault(raft.snapshotInterval)),
    row('raft-keep', 'raft', 'old snapshots kept', orDefault(raft.keepOldSnapshots)),
    row(
      'raft-slow',
      'raft',
      'slow-follower log entries',
      orDefault(raft.logEntriesForSlowFollowers),
    ),
    row('raft-heartbeat', 'raft', 'heartbeat tick', orDefault(raft.heartbeatTick)),
    row('raft-election', 'raft', 'election tick', orDefault(raft.electionTick)),
    row(
      'dispatcher-heartbeat',
      'dispatcher',
      'heartbeat period',
      durationText(swarm.dispatcherHeartbeatNs),
    ),
    row('task-history', 'tasks', 'task history limit', orDefault(swarm.taskHistoryLimit)),
    row(
      'addr-pool',
      'network',
      'default address pool',
      swarm.defaultAddrPool.length === 0 ? 'engine default' : swarm.defaultAddrPool.join(', '),
    ),
    row(
      'subnet-size',
      'network',
      'subnet size',
      swarm.subnetSize === null ? 'engine default' : `/${swarm.subnetSize}`,
    ),
    row(
      'data-path-port',
      'network',
      'data path port',
      swarm.dataPathPort === null ? 'engine default' : `${swarm.dataPathPort}/udp`,
    ),
  ];
}

/** Every row of the swarm view: facts of the swarm at `nowMs` (the CA's days left move with it). */
export function swarmRows(
  swarm: SwarmCluster | null,
  nodes: SwarmNode[],
  nowMs: number,
): SwarmRow[] {
  const managers: SwarmRow = {
    id: 'managers',
    group: 'managers',
    name: 'managers',
    ...managersFact(nodes),
    note: 'three or five managers tolerate the loss of one or two',
    go: { view: 'managers' },
  };
  if (swarm === null) return [managers];
  const now = new Date(nowMs);
  return [
    { id: 'cluster-id', group: 'cluster', name: 'cluster ID', value: swarm.id, mark: null },
    {
      id: 'created',
      group: 'cluster',
      name: 'created',
      value: `${shortDate(swarm.createdAt)} (${age(swarm.createdAt, now)} ago)`,
      mark: null,
    },
    {
      id: 'updated',
      group: 'cluster',
      name: 'settings updated',
      value: `${shortDate(swarm.updatedAt)} (version ${swarm.version})`,
      mark: null,
    },
    managers,
    ...trustRows(swarm, nodes, nowMs),
    ...settingRows(swarm),
  ].map((row) => ({ ...row, swarmId: swarm.id }));
}

// Rows change with the swarm, the nodes or the clock's tick (the swarm's age is in seconds while
// it is young); a frame drawn again between ticks reuses them.
const rowsOf = memoLast(swarmRows);

export function swarmColumns(theme: Theme): Column<SwarmRow>[] {
  const tone = (r: SwarmRow) =>
    r.mark === 'bad' ? theme.bad : r.mark === 'warn' || r.mark === 'busy' ? theme.warn : undefined;
  return [
    markColumn(
      (r) =>
        r.mark === 'bad'
          ? MARK_DEGRADED
          : r.mark === 'warn'
            ? MARK_WARN
            : r.mark === 'busy'
              ? MARK_UPDATING
              : ' ',
      tone,
    ),
    { key: 'group', header: 'GROUP', width: 10, cell: (r) => r.group, color: () => theme.dim },
    { key: 'name', header: 'SETTING', width: 26, cell: (r) => r.name, color: tone },
    { key: 'value', header: 'VALUE', minWidth: 16, flex: 1, cell: (r) => r.value, color: tone },
  ];
}

export const swarmView: ListView<SwarmRow> = {
  kind: 'list',
  id: 'swarm',
  words: ['swarm', 'cluster'],
  panes: ['swarm'],
  needs: ['swarm'],
  binding: { keys: ['0'], help: 'the swarm: trust, quorum, settings (also :swarm)' },
  rows: (data) => rowsOf(data.swarm, data.nodes, data.clock),
  search: (r) => `${r.group} ${r.name} ${r.value}`,
  trouble: (r) => r.mark === 'bad' || r.mark === 'warn',
  sorts: [],
  columns: (theme) => swarmColumns(theme),
  title: (rows, data) => {
    const marked = rows.filter((r) => r.mark === 'bad' || r.mark === 'warn').length;
    const id = data.swarm === null ? 'settings not read yet' : data.swarm.id.slice(0, 12);
    return `SWARM ${id}${marked > 0 ? ` · ${marked} to look at` : ''}`;
  },
  empty: (_data, filtered) => (filtered ? 'no setting matches' : 'the swarm is being read'),
  detail: (r, data) => {
    if (!r) return '';
    const go = r.go ? ` (${data.keys('drill')}: the ${r.go.view})` : '';
    return `${r.name}: ${r.value}${r.note ? ` — ${r.note}` : ''}${go}`;
  },
  target: (r) =>
    r.swarmId === undefined ? null : { kind: 'swarm', id: r.swarmId, name: r.swarmId.slice(0, 12) },
  enterHint: 'go to',
  enter: (r) =>
    r.go ?? 'Nothing to open here: only the managers and the nodes on an old CA lead on.',
};

/**
 * The swarm in `--once --json`: GET /swarm as parsed (it never held the join tokens), external
 * CAs' URLs with any password masked, and the verdicts the swarm view shows; null when unread.
 */
export function swarmSection(swarm: SwarmCluster | null, nodes: SwarmNode[], nowMs: number) {
  if (swarm === null) return null;
  const { managers, reachable, needed, spare } = quorumOf(nodes);
  return {
    ...swarm,
    externalCas: swarm.externalCas.map((ca) => ({ ...ca, url: maskUrlCredentials(ca.url) })),
    rootCaDaysLeft: caDaysLeft(swarm, nowMs),
    nodesOnOldCa: nodesOnOldCa(nodes, swarm).map((n) => n.hostname),
    managers: {
      count: managers.length,
      reachable: reachable.length,
      quorum: needed,
      canLose: Math.max(0, spare),
      evenCount: isEvenManagerCount(managers.length),
    },
  };
}
