// The networks view and the services-on-networks list: attachment by VIP or by name, the nodes of
// its tasks, unused networks, the status line, and where Enter and `i` go.
import { describe, expect, it } from 'vitest';
import { makeTheme } from '../../source/format/palette.js';
import { attachmentsView } from '../../source/views/attachments.js';
import { networkRows, networksView, type NetworkRow } from '../../source/views/networks.js';
import type { ViewData } from '../../source/views/view.js';
import { network, node, service, task } from '../helpers/factories.js';

const ingress = network({
  id: 'ning',
  name: 'ingress',
  ingress: true,
  ipam: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1' }],
});
const shop = network({ id: 'nshop', name: 'shop_default' });
const secure = network({
  id: 'nsec',
  name: 'billing_secure',
  encrypted: true,
  attachable: true,
  ipam: [{ subnet: '10.0.2.0/24', gateway: '10.0.2.1' }],
});
const legacy = network({ id: 'nleg', name: 'legacy', internal: true });

const web = service({
  id: 's1',
  name: 'shop_web',
  ports: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'ingress' }],
  virtualIps: [
    { networkId: 'ning', addr: '10.0.0.5/24' },
    { networkId: 'nshop', addr: '10.0.1.5/24' },
  ],
  networks: ['nshop'],
});
// DNS round robin: no VIP, attached by its task template only (some clients name the network).
const db = service({
  id: 's2',
  name: 'shop_db',
  endpointMode: 'dnsrr',
  networks: ['shop_default'],
});
const billing = service({
  id: 's3',
  name: 'billing',
  virtualIps: [{ networkId: 'nsec', addr: '10.0.2.3/24' }],
});
const nodes = [node({ id: 'n1', hostname: 'manager-1' }), node({ id: 'n2', hostname: 'worker-1' })];
const placements = [
  task({ id: 't1', serviceId: 's1', nodeId: 'n1' }),
  task({ id: 't2', serviceId: 's2', nodeId: 'n2' }),
  task({ id: 't3', serviceId: 's1', nodeId: null, state: 'pending' }),
];

const keys = (command: string) => (command === 'drill' ? 'Enter' : command);
const data = (extra: Partial<ViewData> = {}): ViewData =>
  ({
    networks: [shop, legacy, ingress, secure],
    services: [web, db, billing],
    nodes,
    placements,
    flagged: new Set<string>(),
    keys,
    ...extra,
  }) as ViewData;
const rowsOf = (d: ViewData) => networksView.rows(d);
const row = (d: ViewData, name: string): NetworkRow =>
  rowsOf(d).find((r) => r.network.name === name)!;

describe('network rows', () => {
  it('attaches services by VIP or by name, and names the nodes their tasks run on', () => {
    const d = data();
    expect(row(d, 'shop_default').services.map((s) => s.name)).toEqual(['shop_db', 'shop_web']);
    expect(row(d, 'shop_default').nodes).toEqual(['manager-1', 'worker-1']);
    expect(row(d, 'ingress').services.map((s) => s.name)).toEqual(['shop_web']);
    expect(row(d, 'ingress').nodes).toEqual(['manager-1']);
    expect(row(d, 'billing_secure').nodes).toEqual([]);
  });

  it('marks a network no service uses (never the ingress network), and `!` keeps it', () => {
    const d = data({ services: [] });
    expect(
      rowsOf(d)
        .filter((r) => r.unused)
        .map((r) => r.network.name),
    ).toEqual(['shop_default', 'legacy', 'billing_secure']);
    const kept = rowsOf(data()).filter((r) => networksView.trouble!(r, { flagged: new Set() }));
    expect(kept.map((r) => r.network.name)).toEqual(['legacy']);
    const troubled = rowsOf(data()).filter((r) =>
      networksView.trouble!(r, { flagged: new Set(['s3']) }),
    );
    expect(troubled.map((r) => r.network.name)).toEqual(['legacy', 'billing_secure']);
  });

  it('shows subnet, gateway, options (encrypted = IPsec) and counts; nodes wait for placements', () => {
    const cells = (r: NetworkRow) =>
      Object.fromEntries(
        networksView
          .columns(makeTheme('mono'), new Date('2026-11-26T00:00:00Z'), data())
          .map((c) => [c.key, c.cell(r)]),
      );
    expect(cells(row(data(), 'billing_secure'))).toMatchObject({
      name: 'billing_secure',
      services: '1',
      nodes: '-',
      subnet: '10.0.2.0/24',
      gateway: '10.0.2.1',
      flags: 'encrypted attachable',
      driver: 'overlay',
      scope: 'swarm',
      created: '1d',
    });
    expect(cells(row(data(), 'legacy'))).toMatchObject({ mark: '!', services: 'unused' });
    expect(cells(row(data({ placements: null }), 'shop_default')).nodes).toBe('…');
  });

  it('is empty while loading, and says so', () => {
    expect(rowsOf(data({ networks: null }))).toEqual([]);
    expect(networksView.empty(data({ networks: null }), false)).toBe('loading networks…');
  });

  it('the status line lists the services with their VIP on it and endpoint mode', () => {
    const d = data();
    expect(networksView.detail(row(d, 'shop_default'), d)).toBe(
      'shop_default: overlay swarm, 10.0.1.0/24 gw 10.0.1.1; 2 services: shop_db (dnsrr), shop_web 10.0.1.5 (vip) (Enter: its services)',
    );
    expect(networksView.detail(row(d, 'ingress'), d)).toContain(
      'every node answers on the ports of 1 service (Enter: published ports)',
    );
    expect(networksView.detail(row(d, 'legacy'), d)).toContain('no service uses it');
  });

  it('Enter: the ingress network leads to the published ports, another to its services', () => {
    const d = data();
    expect(networksView.enter!(row(d, 'ingress'), d)).toEqual({
      view: 'ports',
      filter: '',
      selectId: null,
    });
    expect(networksView.enter!(row(d, 'shop_default'), d)).toEqual({
      view: 'attachments',
      filter: 'shop_default',
      selectId: null,
    });
    expect(networksView.enter!(row(d, 'legacy'), d)).toBe('No service uses the network legacy.');
    expect(networksView.target!(row(d, 'legacy'))).toEqual({
      kind: 'network',
      id: 'nleg',
      name: 'legacy',
    });
  });
});

describe('services on networks', () => {
  it('one row per service on each network, with its VIP there; Enter goes to the service', () => {
    const d = data();
    const rows = attachmentsView
      .rows(d)
      .filter((r) => attachmentsView.search(r).includes('shop_default'));
    expect(rows.map((r) => [r.service.name, r.vip, r.service.endpointMode])).toEqual([
      ['shop_db', '', 'dnsrr'],
      ['shop_web', '10.0.1.5', 'vip'],
    ]);
    expect(attachmentsView.title(rows, d)).toBe('SERVICES ON NETWORK shop_default (2)');
    expect(attachmentsView.detail(rows[0], d)).toContain('DNS round robin');
    expect(attachmentsView.enter!(rows[1]!, d)).toEqual({
      view: 'services',
      stack: null,
      filter: 'shop_web',
      selectId: 's1',
    });
    expect(attachmentsView.subject!(rows[1], d)).toEqual({ kind: 'service', id: 's1' });
  });
});

it('networkRows keeps its answer while nothing changed', () => {
  const d = data();
  expect(networkRows(d.networks, d.services, d.nodes, d.placements)).toBe(
    networkRows(d.networks, d.services, d.nodes, d.placements),
  );
});
