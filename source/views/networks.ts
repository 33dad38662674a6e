// The networks list: the swarm-scope networks, which services are attached to each (by VIP, or by
// name for DNS round robin) and on which nodes their tasks run. Enter on the ingress network shows
// the published ports; on another network, its services with their address on it.
import { compareText } from '../format/compare.js';
import { memoLast } from '../format/memo.js';
import type { Theme } from '../format/palette.js';
import { age } from '../format/time.js';
import type { SwarmNetwork, SwarmNode, SwarmService, SwarmTask } from '../model.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, MARK_WARN, markColumn } from './marks.js';
import { byNewest, byText, type SortKey } from './sort-keys.js';
import type { ListView } from './view.js';

export interface NetworkRow {
  id: string;
  network: SwarmNetwork;
  /** The services attached to it, by name. */
  services: SwarmService[];
  /** Hostnames of the nodes running a task attached to it; null until placements came. */
  nodes: string[] | null;
  /** No service is attached (the ingress network is never called unused: it is the mesh). */
  unused: boolean;
}

/** A service is on a network when it has a VIP there or names it in its task template. */
export function isAttached(service: SwarmService, network: SwarmNetwork): boolean {
  return (
    service.virtualIps.some((vip) => vip.networkId === network.id) ||
    service.networks.some((target) => target === network.id || target === network.name)
  );
}

/** The service's address on the network ("10.0.1.5"), '' when it has none there (dnsrr). */
export function vipOn(service: SwarmService, network: SwarmNetwork): string {
  const vip = service.virtualIps.find((v) => v.networkId === network.id);
  return vip === undefined ? '' : vip.addr.replace(/\/\d+$/, '');
}

/** "shop_web 10.0.1.5 (vip)", "shop_db (dnsrr)": a service as seen on one network. */
export function serviceOnNetwork(service: SwarmService, network: SwarmNetwork): string {
  const vip = vipOn(service, network);
  return `${service.name}${vip ? ` ${vip}` : ''} (${service.endpointMode})`;
}

export const networkRows = memoLast(
  (
    networks: SwarmNetwork[] | null,
    services: SwarmService[],
    nodes: SwarmNode[],
    placements: SwarmTask[] | null,
  ): NetworkRow[] => {
    if (networks === null) return [];
    const hostnames = new Map(nodes.map((n) => [n.id, n.hostname]));
    return networks.map((network): NetworkRow => {
      const attached = services
        .filter((s) => isAttached(s, network))
        .sort((a, b) => compareText(a.name, b.name));
      const ids = new Set(attached.map((s) => s.id));
      const where =
        placements === null
          ? null
          : [
              ...new Set(
                placements
                  .filter(
                    (t) =>
                      t.nodeId !== null &&
                      (ids.has(t.serviceId) || t.networks.some((n) => n.id === network.id)),
                  )
                  .map((t) => hostnames.get(t.nodeId!) ?? t.nodeId!.slice(0, 12)),
              ),
            ].sort(compareText);
      return {
        id: network.id,
        network,
        services: attached,
        nodes: where,
        unused: attached.length === 0 && !network.ingress,
      };
    });
  },
);

/** What sets the network apart: ingress, encrypted (IPsec), attachable, internal. */
export function networkFlags(network: SwarmNetwork): string[] {
  return [
    ...(network.ingress ? ['ingress'] : []),
    ...(network.encrypted ? ['encrypted'] : []),
    ...(network.attachable ? ['attachable'] : []),
    ...(network.internal ? ['internal'] : []),
  ];
}

const subnets = (n: SwarmNetwork) => n.ipam.map((c) => c.subnet).filter((s) => s !== '');
const gateways = (n: SwarmNetwork) => n.ipam.map((c) => c.gateway).filter((s) => s !== '');

function isTroubled(row: NetworkRow, flagged: ReadonlySet<string>): boolean {
  return row.services.some((s) => flagged.has(s.id));
}

function nodesText(row: NetworkRow): string {
  if (row.nodes === null) return '…';
  return row.nodes.length === 0 ? '-' : `${row.nodes.length}`;
}

export const NETWORK_SORTS: readonly SortKey<NetworkRow>[] = [
  // The mesh first, then by name: the order `docker network ls` keeps, less the local networks.
  {
    name: 'name',
    compare: (a, b) =>
      Number(b.network.ingress) - Number(a.network.ingress) ||
      compareText(a.network.name, b.network.name),
  },
  { name: 'services', compare: (a, b) => b.services.length - a.services.length },
  { name: 'created', compare: byNewest((r) => r.network.createdAt) },
  { name: 'subnet', compare: byText((r) => subnets(r.network).join(',')) },
];

export function networkColumns(
  theme: Theme,
  now: Date,
  flagged: ReadonlySet<string>,
): Column<NetworkRow>[] {
  const tone = (r: NetworkRow) =>
    isTroubled(r, flagged) ? theme.bad : r.unused ? theme.warn : undefined;
  return [
    markColumn((r) => (isTroubled(r, flagged) ? MARK_DEGRADED : r.unused ? MARK_WARN : ' '), tone),
    {
      key: 'name',
      header: 'NAME',
      minWidth: 14,
      flex: 2,
      cell: (r) => r.network.name,
      color: tone,
    },
    {
      key: 'services',
      header: 'SERVICES',
      width: 8,
      align: 'right',
      cell: (r) => (r.unused ? 'unused' : `${r.services.length}`),
      color: tone,
    },
    { key: 'nodes', header: 'NODES', width: 5, align: 'right', cell: nodesText },
    {
      key: 'subnet',
      header: 'SUBNET',
      minWidth: 11,
      flex: 1,
      cell: (r) => subnets(r.network).join(',') || '-',
    },
    {
      key: 'flags',
      header: 'OPTIONS',
      minWidth: 10,
      flex: 2,
      cell: (r) => networkFlags(r.network).join(' ') || '-',
    },
    {
      key: 'created',
      header: 'CREATED',
      width: 7,
      align: 'right',
      cell: (r) => age(r.network.createdAt, now),
    },
    // Below: what a narrow terminal drops first (an overlay's gateway, driver and scope say little).
    {
      key: 'gateway',
      header: 'GATEWAY',
      minWidth: 8,
      flex: 1,
      cell: (r) => gateways(r.network).join(',') || '-',
    },
    { key: 'driver', header: 'DRIVER', minWidth: 7, flex: 0, cell: (r) => r.network.driver || '-' },
    { key: 'scope', header: 'SCOPE', minWidth: 5, flex: 0, cell: (r) => r.network.scope || '-' },
  ];
}

export const networksView: ListView<NetworkRow> = {
  kind: 'list',
  id: 'networks',
  words: ['networks', 'network', 'net'],
  panes: ['networks'],
  binding: { keys: ['8'], help: 'networks: overlays, their services and nodes (also :networks)' },
  needs: ['networks', 'placements'],
  rows: (data) => networkRows(data.networks, data.services, data.nodes, data.placements),
  search: (r) =>
    [r.network.name, r.network.driver, ...subnets(r.network), ...networkFlags(r.network)]
      .concat(r.unused ? ['unused'] : [])
      .join(' '),
  trouble: (r, data) => r.unused || isTroubled(r, data.flagged),
  sorts: NETWORK_SORTS,
  columns: (theme, now, data) => networkColumns(theme, now, data.flagged),
  title: (rows) => `NETWORKS (${rows.length})`,
  empty: (data, filtered) =>
    data.networks === null
      ? 'loading networks…'
      : filtered
        ? 'no network matches'
        : 'no swarm-scope networks',
  detail: (r, data) => {
    if (!r) return '';
    const n = r.network;
    const flags = networkFlags(n);
    const head = `${n.name}: ${n.driver || 'no driver'} ${n.scope}, ${subnets(n).join(', ') || 'no subnet'}${gateways(n).length > 0 ? ` gw ${gateways(n).join(', ')}` : ''}${flags.length > 0 ? `, ${flags.join(', ')}` : ''}`;
    if (n.ingress) {
      const published = data.services.filter((s) => s.ports.some((p) => p.mode !== 'host'));
      return `${head}; the routing mesh: every node answers on the ports of ${published.length} service${published.length === 1 ? '' : 's'} (${data.keys('drill')}: published ports)`;
    }
    if (r.unused) return `${head}; no service uses it`;
    const on = r.services.map((s) => serviceOnNetwork(s, n)).join(', ');
    return `${head}; ${r.services.length} service${r.services.length === 1 ? '' : 's'}: ${on} (${data.keys('drill')}: its services)`;
  },
  enterHint: 'services',
  enter: (r) => {
    if (r.network.ingress) return { view: 'ports', filter: '', selectId: null };
    if (r.unused) return `No service uses the network ${r.network.name}.`;
    return { view: 'attachments', filter: r.network.name, selectId: null };
  },
  target: (r) => ({ kind: 'network', id: r.network.id, name: r.network.name }),
};
