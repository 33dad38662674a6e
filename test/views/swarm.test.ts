// The swarm view: one fact a row (cluster, quorum, trust, settings), problems marked for `!`,
// Enter to the managers and to the nodes on an old CA, and no join token anywhere.
import { describe, expect, it } from 'vitest';
import { makeTheme } from '../../source/format/palette.js';
import type { SwarmCluster, SwarmNode } from '../../source/model.js';
import type { Action } from '../../source/state/actions.js';
import { reducer, startState, type State } from '../../source/state/reducer.js';
import { paneRows } from '../../source/state/selectors.js';
import { problemRows } from '../../source/views/problem-rows.js';
import { viewOfWord } from '../../source/views/registry.js';
import {
  durationText,
  managersFact,
  swarmColumns,
  swarmView,
  type SwarmRow,
} from '../../source/views/swarm.js';
import { caDaysLeft, isCaExpiring, nodesOnOldCa } from '../../source/views/swarm-trust.js';
import type { ViewData } from '../../source/views/view.js';
import { cluster, node } from '../helpers/factories.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const DAY = 24 * 3600_000;

const manager = (id: string, extra: Partial<SwarmNode> = {}) =>
  node({
    id,
    hostname: id,
    role: 'manager',
    manager: { reachability: id === 'm1' ? 'leader' : 'reachable', address: '127.0.0.1:2377' },
    ...extra,
  });
const three = [
  manager('m1'),
  manager('m2'),
  manager('m3'),
  node({ id: 'w1', hostname: 'worker-1' }),
];

const data = (swarm: SwarmCluster | null, nodes: SwarmNode[] = three) =>
  ({ swarm, nodes, clock: NOW, keys: () => 'Enter' }) as unknown as ViewData;
const byId = (rows: SwarmRow[]) => Object.fromEntries(rows.map((r) => [r.id, r]));
const rowsOf = (swarm: SwarmCluster | null, nodes: SwarmNode[] = three) =>
  byId(swarmView.rows(data(swarm, nodes)));

describe('swarm view rows', () => {
  it('is opened by 0 and :swarm', () => {
    expect(swarmView.binding.keys).toEqual(['0']);
    expect(viewOfWord('swarm')).toBe('swarm');
    expect(swarmView.needs).toEqual(['swarm']);
  });

  it('says one fact a row: cluster, managers, the CA, autolock and the settings', () => {
    const rows = rowsOf(cluster({ createdAt: new Date(NOW - 3 * DAY).toISOString() }));
    const values = Object.fromEntries(Object.values(rows).map((r) => [r.id, r.value]));
    expect(values).toMatchObject({
      'cluster-id': 'cluster-1',
      managers: '3: quorum 2, can lose 1',
      'ca-subject': 'CN=swarm-ca',
      'ca-rotation': 'none',
      'ca-old-nodes': 'none',
      'node-cert': '90 days',
      'external-ca': 'none',
      autolock: 'off',
      'raft-snapshot': '10000',
      'raft-keep': '0',
      'raft-slow': '500',
      'raft-heartbeat': '1',
      'raft-election': '10',
      'dispatcher-heartbeat': '5s',
      'task-history': '5',
      'addr-pool': '10.0.0.0/8',
      'subnet-size': '/24',
      'data-path-port': '4789/udp',
    });
    expect(values['created']).toMatch(/\(3d ago\)$/);
    expect(values['ca-expiry']).toMatch(/^2046-10-27 \(\d+ days left\)$/);
    expect(Object.values(rows).every((r) => r.mark === null)).toBe(true);
  });

  it("tells a young swarm's age by the clock, not by the minute the clock is in", () => {
    // Created a minute before NOW: the three clocks are in one minute, the three ages are not.
    const swarm = cluster({ createdAt: new Date(NOW - 60_000).toISOString() });
    const at = (clock: number) =>
      byId(swarmView.rows({ ...data(swarm), clock } as ViewData))['created']?.value;
    expect(at(NOW + 7_000)).toMatch(/\(1m ago\)$/);
    expect(at(NOW - 20_000)).toMatch(/\(40s ago\)$/);
    expect(at(NOW - 53_000)).toMatch(/\(7s ago\)$/);
  });

  it('names an even count of managers as adding no tolerance, and marks it', () => {
    const four = [...three, manager('m4')];
    expect(managersFact(four)).toEqual({
      value: '4: quorum 3, can lose 1 — an even count adds no tolerance',
      mark: 'warn',
    });
    expect(
      managersFact([
        manager('m1'),
        manager('m2', { state: 'down', manager: { reachability: 'unreachable', address: '' } }),
        manager('m3'),
      ]),
    ).toEqual({ value: '3, 2 reachable: quorum 2, can lose none', mark: 'bad' });
  });

  it('marks a root CA within 30 days of expiry, and an expired one', () => {
    const soon = cluster({
      rootCa: { subject: 'CN=swarm-ca', notAfter: new Date(NOW + 10 * DAY + 1000).toISOString() },
    });
    expect(rowsOf(soon)['ca-expiry']).toMatchObject({
      mark: 'warn',
      value: expect.stringContaining('(10 days left)'),
    });
    const gone = cluster({
      rootCa: { subject: 'CN=swarm-ca', notAfter: new Date(NOW - 2 * DAY).toISOString() },
    });
    expect(rowsOf(gone)['ca-expiry']).toMatchObject({
      mark: 'bad',
      value: expect.stringContaining('expired 2 days ago'),
    });
    const later = cluster({
      rootCa: { subject: 'CN=swarm-ca', notAfter: new Date(NOW + 31 * DAY).toISOString() },
    });
    expect(rowsOf(later)['ca-expiry']!.mark).toBeNull();
    expect(caDaysLeft(cluster({ rootCa: { subject: '', notAfter: null } }), NOW)).toBeNull();
    expect(isCaExpiring(later, NOW)).toBe(false);
    expect(isCaExpiring(soon, NOW)).toBe(true);
  });

  it('names the nodes whose issuer is not the current root, and Enter goes to them', () => {
    const nodes = [
      ...three.slice(0, 3),
      node({ id: 'w1', hostname: 'worker-1', tlsIssuerKey: 'OLD' }),
      node({ id: 'w2', hostname: 'worker-2', tlsIssuerKey: null }),
    ];
    const swarm = cluster({ rootRotationInProgress: true });
    expect(nodesOnOldCa(nodes, swarm).map((n) => n.hostname)).toEqual(['worker-1']);
    expect(nodesOnOldCa(nodes, cluster({ issuerKey: null }))).toEqual([]);
    const rows = rowsOf(swarm, nodes);
    expect(rows['ca-old-nodes']).toMatchObject({ value: '1: worker-1', mark: 'warn' });
    expect(rows['ca-rotation']).toMatchObject({ value: 'in progress', mark: 'busy' });
    expect(swarmView.enter!(rows['ca-old-nodes']!, data(swarm, nodes))).toMatchObject({
      view: 'nodes',
      filter: 'worker-1',
      selectId: 'w1',
    });
    expect(swarmView.enter!(rows['managers']!, data(swarm, nodes))).toEqual({ view: 'managers' });
    expect(swarmView.enter!(rows['autolock']!, data(swarm, nodes))).toEqual(expect.any(String));
  });

  it('`!` keeps the rows that are a problem, not a rotation under way', () => {
    const nodes = [
      ...three,
      manager('m4'),
      node({ id: 'w2', hostname: 'worker-2', tlsIssuerKey: 'OLD' }),
    ];
    const rows = swarmView.rows(data(cluster({ rootRotationInProgress: true }), nodes));
    const kept = rows.filter((r) => swarmView.trouble!(r, { flagged: new Set() }));
    expect(kept.map((r) => r.id)).toEqual(['managers', 'ca-old-nodes']);
    expect(swarmView.title(rows, data(cluster(), nodes))).toBe('SWARM cluster-1 · 2 to look at');
  });

  it('shows autolock, external CAs (credentials masked) and defaults', () => {
    const rows = rowsOf(
      cluster({
        autolock: true,
        externalCas: [{ protocol: 'cfssl', url: 'https://ca:hunter2@ca.example:8888/sign' }],
        nodeCertExpiryNs: null,
        taskHistoryLimit: null,
        subnetSize: null,
        dataPathPort: null,
        defaultAddrPool: [],
      }),
    );
    expect(rows['autolock']!.value).toBe('on');
    expect(rows['external-ca']!.value).toBe('cfssl https://ca:••••@ca.example:8888/sign');
    expect(rows['node-cert']!.value).toBe('engine default');
    expect(rows['task-history']!.value).toBe('engine default');
    expect(rows['data-path-port']!.value).toBe('engine default');
  });

  it('before the swarm is read, shows the quorum only', () => {
    const rows = swarmView.rows(data(null));
    expect(rows.map((r) => r.id)).toEqual(['managers']);
    expect(swarmView.title(rows, data(null))).toBe('SWARM settings not read yet');
  });

  it('the status line says the whole fact and where Enter goes', () => {
    const rows = rowsOf(cluster());
    expect(swarmView.detail(rows['managers'], data(cluster()))).toBe(
      'managers: 3: quorum 2, can lose 1 — three or five managers tolerate the loss of one or two (Enter: the managers)',
    );
  });

  it('has the columns GROUP, SETTING, VALUE after the mark', () => {
    expect(swarmColumns(makeTheme('mono')).map((c) => c.header)).toEqual([
      ' ',
      'GROUP',
      'SETTING',
      'VALUE',
    ]);
  });

  it('durations read as people say them', () => {
    expect(durationText(90 * 24 * 3600e9)).toBe('90 days');
    expect(durationText(5e9)).toBe('5s');
    expect(durationText(5400e9)).toBe('1h30m');
    expect(durationText(0.5e9)).toBe('0.5s');
    expect(durationText(null)).toBe('engine default');
  });
});

describe('swarm problems', () => {
  const problems = (nodes: SwarmNode[], swarm: SwarmCluster | null) =>
    problemRows({ nodes, services: [], tasks: [], troubled: [], nowMs: NOW, swarm });

  it('a root CA expiring within 30 days', () => {
    const swarm = cluster({
      rootCa: { subject: 'CN=swarm-ca', notAfter: new Date(NOW + 5 * DAY + 1000).toISOString() },
    });
    expect(problems(three, swarm)).toEqual([
      expect.objectContaining({
        id: 'ca-expiry',
        kind: 'trust',
        severity: 'warn',
        what: 'root CA expires in 5 days',
      }),
    ]);
    const expired = cluster({
      rootCa: { subject: 'CN=swarm-ca', notAfter: new Date(NOW - DAY).toISOString() },
    });
    expect(problems(three, expired)[0]).toMatchObject({ severity: 'bad', what: 'root CA expired' });
    expect(problems(three, cluster())).toEqual([]);
    expect(problems(three, null)).toEqual([]);
  });

  it('nodes on an old CA, named', () => {
    const nodes = [
      ...three.slice(0, 3),
      node({ id: 'w1', hostname: 'worker-1', tlsIssuerKey: 'OLD' }),
    ];
    expect(problems(nodes, cluster())).toEqual([
      expect.objectContaining({
        id: 'ca-old-nodes',
        kind: 'trust',
        what: '1 node on an old CA',
        detail: expect.stringContaining('worker-1'),
      }),
    ]);
  });

  it('an even number of managers', () => {
    const four = [...three, manager('m4')];
    expect(problems(four, cluster())).toEqual([
      expect.objectContaining({
        id: 'quorum',
        kind: 'quorum',
        severity: 'warn',
        what: '4 managers: an even count',
      }),
    ]);
  });
});

describe('the swarm view in the app state', () => {
  const run = (state: State, ...actions: Action[]): State => actions.reduce(reducer, state);
  const key = (name: string): Action => ({ type: 'key', name, pageSize: 10, at: 0 });
  const nodes = [...three, node({ id: 'w2', hostname: 'worker-2', tlsIssuerKey: 'OLD' })];
  const opened = run(
    { ...startState({ readOnly: false, scaleCeiling: 1000 }), clock: NOW },
    { type: 'nodes-loaded', nodes },
    { type: 'objects-loaded', objects: { swarm: cluster() } },
    key('0'),
  );

  it('0 opens it, its rows in their own order', () => {
    expect(opened.view).toBe('swarm');
    expect(
      paneRows(opened, 'swarm')
        .map((r) => r.id)
        .slice(0, 5),
    ).toEqual(['cluster-id', 'created', 'updated', 'managers', 'ca-subject']);
  });

  it('Enter on the managers row opens the managers; Esc comes back', () => {
    const managers = run(opened, key('j'), key('j'), key('j'), key('return'));
    expect(managers.view).toBe('managers');
    expect(run(managers, key('escape')).view).toBe('swarm');
  });

  it('Enter on the nodes on an old CA opens the nodes list on that node', () => {
    const toOld = run(opened, key('/'), ...[...'old CA'].map(key), key('return'), key('return'));
    expect(toOld.view).toBe('nodes');
    expect(toOld.lists.nodes).toMatchObject({ filter: 'worker-2', selectedId: 'w2' });
  });

  it('a trust problem leads to its row in the swarm view', () => {
    const problems = run(opened, key('5'));
    const rows = paneRows(problems, 'problems');
    expect(rows.map((r) => r.id)).toContain('ca-old-nodes');
    const at = rows.findIndex((r) => r.id === 'ca-old-nodes');
    const moved = run(problems, ...Array.from({ length: at }, () => key('j')), key('return'));
    expect(moved.view).toBe('swarm');
    expect(moved.lists.swarm.selectedId).toBe('ca-old-nodes');
  });
});
