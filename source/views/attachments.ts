// Services on networks: one row per service on each network, with its address there and its
// endpoint mode (a VIP, or DNS round robin over its tasks). Enter on a network in the networks view
// lands here, filtered to that network; Enter here goes to the service.
import { compareText } from '../format/compare.js';
import { memoLast } from '../format/memo.js';
import type { Theme } from '../format/palette.js';
import { isServiceDown } from '../health.js';
import type { SwarmNetwork, SwarmService } from '../model.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, MARK_WARN, markColumn } from './marks.js';
import { networkRows, vipOn } from './networks.js';
import { replicasText } from './services.js';
import { byText, type SortKey } from './sort-keys.js';
import type { ListView } from './view.js';

export interface AttachmentRow {
  id: string;
  network: SwarmNetwork;
  service: SwarmService;
  /** The service's address on the network; '' for DNS round robin. */
  vip: string;
}

const attachmentRows = memoLast((rows: ReturnType<typeof networkRows>): AttachmentRow[] =>
  rows.flatMap((row) =>
    row.services.map((service) => ({
      id: `${row.network.id}:${service.id}`,
      network: row.network,
      service,
      vip: vipOn(service, row.network),
    })),
  ),
);

const SORTS: readonly SortKey<AttachmentRow>[] = [
  {
    name: 'network',
    compare: (a, b) =>
      compareText(a.network.name, b.network.name) || compareText(a.service.name, b.service.name),
  },
  { name: 'service', compare: byText((r) => r.service.name) },
  { name: 'mode', compare: byText((r) => r.service.endpointMode) },
];

function columns(theme: Theme, flagged: ReadonlySet<string>): Column<AttachmentRow>[] {
  const tone = (r: AttachmentRow) =>
    isServiceDown(r.service, flagged)
      ? theme.bad
      : flagged.has(r.service.id)
        ? theme.warn
        : undefined;
  return [
    markColumn(
      (r) =>
        isServiceDown(r.service, flagged)
          ? MARK_DEGRADED
          : flagged.has(r.service.id)
            ? MARK_WARN
            : ' ',
      tone,
    ),
    {
      key: 'service',
      header: 'SERVICE',
      minWidth: 10,
      flex: 2,
      cell: (r) => r.service.name,
      color: tone,
    },
    { key: 'network', header: 'NETWORK', minWidth: 10, flex: 2, cell: (r) => r.network.name },
    { key: 'vip', header: 'VIP', minWidth: 9, flex: 1, cell: (r) => r.vip || '-' },
    { key: 'endpoint', header: 'ENDPOINT', width: 8, cell: (r) => r.service.endpointMode },
    {
      key: 'replicas',
      header: 'REPLICAS',
      width: 8,
      align: 'right',
      cell: (r) => replicasText(r.service),
      color: tone,
    },
  ];
}

export const attachmentsView: ListView<AttachmentRow> = {
  kind: 'list',
  id: 'attachments',
  words: ['attachments', 'attached', 'att'],
  panes: ['attachments'],
  binding: {
    keys: [],
    help: 'services on networks: VIP and endpoint mode (Enter on a network)',
  },
  needs: ['networks', 'placements'],
  rows: (data) =>
    attachmentRows(networkRows(data.networks, data.services, data.nodes, data.placements)),
  search: (r) => `${r.network.name} ${r.service.name} ${r.vip} ${r.service.endpointMode}`,
  trouble: (r, data) => data.flagged.has(r.service.id),
  sorts: SORTS,
  columns: (theme, _now, data) => columns(theme, data.flagged),
  title: (rows) => {
    const names = new Set(rows.map((r) => r.network.name));
    const [only] = names;
    return names.size === 1 && only !== undefined
      ? `SERVICES ON NETWORK ${only} (${rows.length})`
      : `SERVICES ON NETWORKS (${rows.length})`;
  },
  empty: (data, filtered) =>
    data.networks === null
      ? 'loading networks…'
      : filtered
        ? 'no service on a network matches'
        : 'no service is attached to a swarm network',
  detail: (r, data) => {
    if (!r) return '';
    const address =
      r.service.endpointMode === 'dnsrr'
        ? 'DNS round robin: its name resolves to each task'
        : `VIP ${r.vip || 'not yet allocated'}: its name resolves to this address`;
    return `${r.service.name} on ${r.network.name}: ${address} (${data.keys('drill')}: the service)`;
  },
  enterHint: 'service',
  enter: (r) => ({
    view: 'services',
    stack: null,
    filter: r.service.name,
    selectId: r.service.id,
  }),
  target: (r) => ({ kind: 'service', id: r.service.id, name: r.service.name }),
  subject: (r) => (r ? { kind: 'service', id: r.service.id } : null),
};
