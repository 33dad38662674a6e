// The secrets and configs list (`9`, `:secrets`; `:configs` shows the configs alone): each with
// the services that mount it and the nodes it is delivered to. Secret values are never read (the
// engine does not return them); a config's data is shown as its size (its content only in inspect).
import { formatBytes } from '../format/bytes.js';
import { compareText } from '../format/compare.js';
import { memoLast } from '../format/memo.js';
import { shownLabels } from '../format/mask.js';
import type { Theme } from '../format/palette.js';
import { age } from '../format/time.js';
import type { Column } from './column.js';
import { MARK_WARN, markColumn } from './marks.js';
import { mountText, rowsOfInput, type SecretRow } from './secret-rows.js';
import { byNewest, byText, type SortKey } from './sort-keys.js';
import type { Go, ListView, ViewData } from './view.js';

export const SECRET_SORTS: readonly SortKey<SecretRow>[] = [
  // Secrets first, then configs, each by name: the order the rows are made in.
  {
    name: 'kind',
    compare: (a, b) =>
      Number(a.kind === 'config') - Number(b.kind === 'config') || compareText(a.name, b.name),
  },
  { name: 'name', compare: byText((r) => r.name) },
  // The most used first: what a rotation would touch most.
  { name: 'services', compare: (a, b) => b.services - a.services || compareText(a.name, b.name) },
  { name: 'updated', compare: byNewest((r) => r.updatedAt) },
];

/** "k=v k2=••••": labels masked by name unless --show-secrets. */
export function labelsText(labels: Record<string, string>, reveal: boolean): string {
  return Object.entries(shownLabels(labels, reveal))
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

/** "vault", "tmpl golang", or both; '-' for the swarm's own store, untemplated. */
export function driverText(row: SecretRow): string {
  const parts = [row.driver, row.templating === null ? null : `tmpl ${row.templating}`];
  return parts.filter((part) => part !== null).join(' ') || '-';
}

/** How many nodes it is delivered to, then which: "2 manager-1,worker-1"; '…' while unknown. */
export function nodesText(row: SecretRow): string {
  if (row.nodes === null) return '…';
  return row.nodes.length === 0 ? '-' : `${row.nodes.length} ${row.nodes.join(',')}`;
}

export function usedText(row: SecretRow): string {
  return row.unused ? 'unused' : String(row.services);
}

export function secretColumns(theme: Theme, now: Date, reveal: boolean): Column<SecretRow>[] {
  const tone = (r: SecretRow) => (r.unused ? theme.dim : undefined);
  return [
    markColumn((r) => (r.unused ? MARK_WARN : ' '), tone),
    { key: 'name', header: 'NAME', minWidth: 18, flex: 3, cell: (r) => r.name, color: tone },
    { key: 'kind', header: 'KIND', width: 6, cell: (r) => r.kind },
    {
      key: 'services',
      header: 'SERVICES',
      width: 8,
      align: 'right',
      cell: usedText,
      color: tone,
    },
    { key: 'nodes', header: 'NODES', minWidth: 9, flex: 3, cell: nodesText },
    {
      key: 'size',
      header: 'SIZE',
      width: 7,
      align: 'right',
      cell: (r) => (r.dataBytes === null ? '-' : formatBytes(r.dataBytes)),
    },
    {
      key: 'updated',
      header: 'UPDATED',
      width: 7,
      align: 'right',
      cell: (r) => age(r.updatedAt, now),
    },
    {
      key: 'created',
      header: 'CREATED',
      width: 7,
      align: 'right',
      cell: (r) => age(r.createdAt, now),
    },
    { key: 'driver', header: 'DRIVER', minWidth: 8, flex: 1, cell: driverText },
    {
      key: 'labels',
      header: 'LABELS',
      minWidth: 10,
      flex: 3,
      cell: (r) => labelsText(r.labels, reveal) || '-',
    },
  ];
}

/** The status line: every mount with its file, owner and mode, and the nodes it reaches. */
export function secretDetail(row: SecretRow | undefined, reveal: boolean): string {
  if (row === undefined) return '';
  const size = row.dataBytes === null ? '' : `, ${formatBytes(row.dataBytes)}`;
  const parts = [
    `${row.name} (${row.kind}${size}): ${
      row.mounts.length === 0
        ? 'no service mounts it'
        : `mounted by ${row.mounts.map(mountText).join('; ')}`
    }`,
  ];
  if (!row.unused) {
    parts.push(
      row.nodes === null
        ? 'nodes: reading the tasks…'
        : row.nodes.length === 0
          ? 'delivered to no node (no task running)'
          : `delivered to ${row.nodes.join(', ')}`,
    );
  }
  if (row.driver !== null) parts.push(`driver ${row.driver}`);
  if (row.templating !== null) parts.push(`templating ${row.templating}`);
  const labels = labelsText(row.labels, reveal);
  if (labels !== '') parts.push(`labels ${labels}`);
  return parts.join(' · ');
}

function search(row: SecretRow): string {
  // Label values masked whatever --show-secrets says: a filter must not find a hidden value.
  return [
    row.name,
    row.kind,
    driverText(row),
    ...row.mounts.map((m) => `${m.serviceName} ${m.path}`),
    labelsText(row.labels, false),
    row.unused ? 'unused' : '',
  ].join(' ');
}

const rowsOf = (data: ViewData): SecretRow[] => rowsOfInput(data);
const configsOf = memoLast((rows: SecretRow[]) => rows.filter((r) => r.kind === 'config'));

function unusedNote(rows: SecretRow[]): string {
  const unused = rows.filter((r) => r.unused).length;
  return unused > 0 ? ` · ${unused} unused` : '';
}

function loading(data: ViewData, kinds: ('secrets' | 'configs')[]): boolean {
  return kinds.some((kind) => data[kind] === null);
}

/** Enter: the services that mount it (the services list filtered by its name). */
function enter(row: SecretRow): Go | string {
  if (row.unused) return `No service mounts the ${row.kind} ${row.name}.`;
  return { view: 'services', stack: null, filter: row.name, selectId: null, problemsOnly: false };
}

const common = {
  kind: 'list',
  search,
  trouble: (row: SecretRow) => row.unused,
  sorts: SECRET_SORTS,
  columns: (theme: Theme, now: Date, data: ViewData) =>
    secretColumns(theme, now, data.revealSecrets),
  detail: (row: SecretRow | undefined, data: ViewData) => secretDetail(row, data.revealSecrets),
  enterHint: 'services',
  enter,
  target: (row: SecretRow) => ({ kind: row.kind, id: row.id, name: row.name }),
} as const;

export const secretsView: ListView<SecretRow> = {
  ...common,
  id: 'secrets',
  words: ['secrets', 'secret', 'sec'],
  panes: ['secrets'],
  binding: {
    keys: ['9'],
    help: 'secrets and configs: mounts, nodes, unused (also :secrets)',
  },
  needs: ['secrets', 'configs', 'placements'],
  rows: rowsOf,
  title: (rows) => `SECRETS AND CONFIGS (${rows.length})${unusedNote(rows)}`,
  empty: (data, filtered) =>
    loading(data, ['secrets', 'configs'])
      ? 'loading…'
      : filtered
        ? 'no secret or config matches'
        : 'no secrets or configs',
};

export const configsView: ListView<SecretRow> = {
  ...common,
  id: 'configs',
  words: ['configs', 'config', 'cfg'],
  panes: ['configs'],
  // No key of its own: `9` shows the configs too, below the secrets.
  binding: { keys: [], help: 'configs alone (also :configs)' },
  needs: ['configs', 'placements'],
  rows: (data) => configsOf(rowsOf(data)),
  title: (rows) => `CONFIGS (${rows.length})${unusedNote(rows)}`,
  empty: (data, filtered) =>
    loading(data, ['configs']) ? 'loading…' : filtered ? 'no config matches' : 'no configs',
};
