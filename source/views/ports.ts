// The published ports: which port each service publishes, and who answers on it. Ingress: every
// node (the routing mesh); host: only the nodes running one of its tasks. A host-mode port claimed
// by two services, or with more replicas than nodes, is marked (and is a problem).
import { memoLast } from '../format/memo.js';
import type { Theme } from '../format/palette.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, markColumn } from './marks.js';
import { isPortTrouble, portName, portRows, portTrouble, type PortRow } from './port-rows.js';
import { byText, type SortKey } from './sort-keys.js';
import type { ListView } from './view.js';

const rowsOf = memoLast(portRows);

function nodesText(row: PortRow): string {
  if (row.mode !== 'host') return 'every node';
  if (row.nodes === null) return '…';
  return row.nodes.length === 0 ? 'no node (no task running)' : row.nodes.join(', ');
}

const SORTS: readonly SortKey<PortRow>[] = [
  // portRows gives them by port number already.
  { name: 'port', compare: (a, b) => a.published - b.published },
  { name: 'service', compare: byText((r) => r.serviceName) },
  { name: 'mode', compare: byText((r) => r.mode) },
];

export function portColumns(theme: Theme): Column<PortRow>[] {
  const tone = (r: PortRow) => (isPortTrouble(r) ? theme.bad : undefined);
  return [
    markColumn((r) => (isPortTrouble(r) ? MARK_DEGRADED : ' '), tone),
    {
      key: 'published',
      header: 'PUBLISHED',
      width: 9,
      align: 'right',
      cell: (r) => (r.published === 0 ? '*' : `${r.published}`),
      color: tone,
    },
    { key: 'protocol', header: 'PROTO', width: 5, cell: (r) => r.protocol },
    { key: 'target', header: 'TARGET', width: 6, align: 'right', cell: (r) => `${r.target}` },
    {
      key: 'mode',
      header: 'MODE',
      width: 7,
      cell: (r) => r.mode,
    },
    {
      key: 'service',
      header: 'SERVICE',
      minWidth: 10,
      flex: 2,
      cell: (r) => r.serviceName,
      color: tone,
    },
    { key: 'nodes', header: 'ANSWERED BY', minWidth: 10, flex: 3, cell: nodesText },
  ];
}

export const portsView: ListView<PortRow> = {
  kind: 'list',
  id: 'ports',
  words: ['ports'],
  panes: ['ports'],
  binding: { keys: [], help: 'published ports: ingress or host mode, and which nodes answer' },
  needs: ['placements'],
  rows: (data) => rowsOf(data.services, data.nodes, data.placements),
  search: (r) =>
    `${r.serviceName} :${portName(r.published, r.protocol)} →${r.target} ${r.mode} ${(r.nodes ?? []).join(' ')}`,
  trouble: isPortTrouble,
  sorts: SORTS,
  columns: (theme) => portColumns(theme),
  title: (rows) => `PUBLISHED PORTS (${rows.length})`,
  empty: (_data, filtered) => (filtered ? 'no port matches' : 'no service publishes a port'),
  detail: (r, data) => {
    if (!r) return '';
    const port = `${r.serviceName} publishes ${portName(r.published, r.protocol)} → ${r.target}`;
    const who =
      r.mode === 'host'
        ? `host mode: only the nodes running its tasks answer (${nodesText(r)})`
        : `${r.mode} mode: every node answers and routes to a task`;
    const trouble = portTrouble(r);
    return `${port}, ${who}${trouble ? `; ${trouble}` : ''} (${data.keys('drill')}: the service)`;
  },
  enterHint: 'service',
  enter: (r) => ({ view: 'services', stack: null, filter: r.serviceName, selectId: r.serviceId }),
  target: (r) => ({ kind: 'service', id: r.serviceId, name: r.serviceName }),
  subject: (r) => (r ? { kind: 'service', id: r.serviceId } : null),
};
