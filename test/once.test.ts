import { describe, expect, it } from 'vitest';
import { collectSnapshot, formatSnapshotJson, formatSnapshotText } from '../source/once.js';
import type { SwarmReads } from '../source/docker/swarm-api.js';
import { MASK } from '../source/format/mask.js';
import type { SwarmCluster } from '../source/model.js';
import { cluster, config, node, secret, service, task } from './helpers/factories.js';

const now = new Date('2026-12-01T12:00:00Z');

function snapshot() {
  return {
    nodes: [
      node({
        id: 'n1',
        // A worker reports its own hostname: C1 controls, a bidi override, a tag character.
        hostname: 'evil\u009d0;x\u009c\u009b2J\u202egnp.exe\udb40\udc41',
        labels: { 'vault.token': 's.ABCDEF', zone: 'b' },
      }),
    ],
    services: [
      service({
        id: 's1',
        name: 'api',
        labels: {
          'com.example.db.password': 'hunter2',
          'com.example.url': 'postgres://app:pw1@db/app',
          tier: 'web',
        },
      }),
    ],
    tasks: [
      task({ id: 't1', serviceId: 's1', nodeId: 'n1', state: 'running', desiredState: 'running' }),
    ],
  };
}

describe('formatSnapshotJson', () => {
  it('masks labels by name, as the screen does', () => {
    const text = formatSnapshotJson(snapshot(), now);
    expect(text).not.toMatch(/hunter2|s\.ABCDEF|pw1/);
    const json = JSON.parse(text);
    expect(json.nodes[0].labels).toEqual({ 'vault.token': MASK, zone: 'b' });
    expect(json.services[0].labels).toEqual({
      'com.example.db.password': MASK,
      'com.example.url': `postgres://app:${MASK}@db/app`,
      tier: 'web',
    });
  });

  it('keeps the tasks as docs/once-json.md names them: what reading their logs needs stays out', () => {
    const withLogs = snapshot();
    withLogs.tasks = withLogs.tasks.map((t) => ({ ...t, readableLogs: { tty: false } }));
    const [shown] = JSON.parse(formatSnapshotJson(withLogs, now)).tasks as object[];
    expect(shown).toHaveProperty('memoryLimitBytes');
    expect(shown).not.toHaveProperty('readableLogs');
  });

  it('shows labels with --show-secrets', () => {
    const json = JSON.parse(formatSnapshotJson(snapshot(), now, { revealSecrets: true }));
    expect(json.services[0].labels['com.example.db.password']).toBe('hunter2');
    expect(json.nodes[0].labels['vault.token']).toBe('s.ABCDEF');
  });

  it('escapes C1, bidi and invisible characters in every string, and stays the same JSON', () => {
    const text = formatSnapshotJson(snapshot(), now);
    expect(text).not.toMatch(/[\u0080-\u009f\u202e]|\udb40/);
    expect(text).toContain('evil\\u009d0;x\\u009c\\u009b2J\\u202egnp.exe\\udb40\\udc41');
    const json = JSON.parse(text);
    expect(json.nodes[0].hostname).toBe(snapshot().nodes[0]!.hostname);
    expect(json.tasks[0].nodeName).toBe(snapshot().nodes[0]!.hostname);
  });
});

describe('--once: secrets and configs', () => {
  const file = (id: string, name: string, target: string) => ({
    id,
    name,
    target,
    uid: '1000',
    gid: '1000',
    mode: 0o400,
  });
  const withObjects = () => ({
    ...snapshot(),
    services: [
      service({
        id: 's1',
        name: 'api',
        secrets: [file('x1', 'db_password', 'db')],
        configs: [file('c1', 'app_conf', '/etc/app.yml')],
      }),
    ],
    secrets: [
      secret({ id: 'x1', name: 'db_password', labels: { 'backup.passphrase': 'hunter2' } }),
      secret({ id: 'x2', name: 'old_key' }),
    ],
    configs: [config({ id: 'c1', name: 'app_conf', dataBytes: 300 })],
    placements: [task({ id: 't1', serviceId: 's1', nodeId: 'n1' })],
  });

  it('JSON: each with its mounts, nodes and whether it is used; labels masked; no data', () => {
    const text = formatSnapshotJson(withObjects(), now);
    expect(text).not.toContain('hunter2');
    const json = JSON.parse(text);
    expect(json.secrets).toEqual([
      {
        id: 'x1',
        version: 1,
        name: 'db_password',
        labels: { 'backup.passphrase': MASK },
        driver: null,
        templating: null,
        createdAt: '2026-11-25T00:00:00Z',
        updatedAt: '2026-11-25T00:00:00Z',
        services: [
          {
            id: 's1',
            name: 'api',
            file: '/run/secrets/db',
            uid: '1000',
            gid: '1000',
            mode: '0400',
          },
        ],
        nodes: [snapshot().nodes[0]!.hostname],
        unused: false,
      },
      expect.objectContaining({ name: 'old_key', services: [], nodes: [], unused: true }),
    ]);
    expect(json.configs[0]).toMatchObject({ name: 'app_conf', dataBytes: 300, unused: false });
    expect(Object.keys(json.configs[0])).not.toContain('data');
  });

  it('JSON: a list that could not be read is null, one not asked for is absent', () => {
    const json = JSON.parse(formatSnapshotJson({ ...withObjects(), secrets: null }, now));
    expect(json.secrets).toBeNull();
    expect(json.configs).toHaveLength(1);
    expect(JSON.parse(formatSnapshotJson(snapshot(), now))).not.toHaveProperty('secrets');
  });

  it('text: SECRETS and CONFIGS tables, unused said in words', () => {
    const text = formatSnapshotText(withObjects(), now);
    expect(text).toMatch(/^SECRETS\nNAME +KIND +SERVICES +NODES +UPDATED/m);
    expect(text).toMatch(/^old_key +secret +unused/m);
    expect(text).toMatch(/^CONFIGS\nNAME .* SIZE/m);
    expect(text).toMatch(/^app_conf +config +1 +1 .* 300 B/m);
    expect(text).not.toContain('hunter2');
    expect(formatSnapshotText(withObjects(), now, { revealSecrets: true })).toContain('hunter2');
  });
});

describe('the swarm section', () => {
  const nodes = [
    node({
      id: 'm1',
      hostname: 'manager-1',
      role: 'manager',
      manager: { reachability: 'leader', address: 'a' },
    }),
    node({
      id: 'm2',
      hostname: 'manager-2',
      role: 'manager',
      manager: { reachability: 'reachable', address: 'b' },
    }),
    node({ id: 'w1', hostname: 'worker-1', tlsIssuerKey: 'OLD-KEY' }),
  ];
  const withSwarm = (swarm: SwarmCluster | null) => ({ ...snapshot(), nodes, swarm });

  it('--once --json holds the swarm, its verdicts, and external CA passwords masked', () => {
    const swarm = cluster({
      autolock: true,
      externalCas: [{ protocol: 'cfssl', url: 'https://u:pw9@ca.example/sign' }],
      rootCa: { subject: 'CN=swarm-ca', notAfter: '2026-12-11T12:00:00.000Z' },
    });
    const json = JSON.parse(formatSnapshotJson(withSwarm(swarm), now));
    expect(json.swarm).toMatchObject({
      id: 'cluster-1',
      autolock: true,
      rootCaDaysLeft: 10,
      nodesOnOldCa: ['worker-1'],
      managers: { count: 2, reachable: 2, quorum: 2, canLose: 0, evenCount: true },
      externalCas: [{ protocol: 'cfssl', url: `https://u:${MASK}@ca.example/sign` }],
      raft: { snapshotInterval: 10000 },
    });
    expect(json.problems.map((p: { what: string }) => p.what)).toEqual(
      expect.arrayContaining(['root CA expires in 10 days', '1 node on an old CA', 'two managers']),
    );
    expect(JSON.parse(formatSnapshotJson(withSwarm(null), now)).swarm).toBeNull();
  });

  it('--once ends with the SWARM settings, or says they were not read', () => {
    const text = formatSnapshotText(withSwarm(cluster()), now);
    const section = text.slice(text.indexOf('\nSWARM\n'));
    expect(section).toMatch(/cluster\s+cluster ID\s+cluster-1/);
    expect(section).toMatch(
      /managers\s+managers\s+2: quorum 2, can lose none — an even count adds no tolerance/,
    );
    expect(section).toMatch(/CA\s+nodes on an old CA\s+1: worker-1/);
    expect(formatSnapshotText(withSwarm(null), now)).toContain('SWARM\nnot read');
  });
});

describe('collectSnapshot', () => {
  it('leaves out the tasks of a removed service, which the engine keeps until its reaper runs', async () => {
    const failed = (id: string, serviceId: string) =>
      task({
        id,
        serviceId,
        nodeId: 'n1',
        state: 'failed',
        desiredState: 'shutdown',
        stateSince: '2026-12-01T11:59:00Z',
        error: 'task: non-zero exit (3)',
        exitCode: 3,
      });
    const api = {
      listNodes: async () => [node({ id: 'n1', hostname: 'manager-1' })],
      listServices: async () => [service({ id: 's1', name: 'crashy', running: 0 })],
      listTasks: async () => [failed('t1', 's1'), failed('t2', 'removed-service-id')],
      listNetworks: async () => [],
      listSecrets: async () => [],
      listConfigs: async () => [],
      inspectSwarm: async () => null,
    } as unknown as SwarmReads;
    const snapshot = await collectSnapshot(api, now.getTime());
    expect(snapshot.tasks.map((t) => t.id)).toEqual(['t1']);
    const text = formatSnapshotText(snapshot, now);
    expect(text).toMatch(/^✗ 1 task: task: non-zero exit \(3\) — crashy/m);
    expect(text).not.toContain('removed-serv');
  });
});
