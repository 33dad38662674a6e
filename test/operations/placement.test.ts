import { describe, expect, it } from 'vitest';
import {
  askOf,
  checkNode,
  engineWords,
  explainPlacement,
  nodeLoads,
  parseEngineExplanation,
  placeReplicas,
  verdictText,
} from '../../source/operations/placement.js';
import { node, service, task } from '../helpers/factories.js';

const GiB = 1024 ** 3;

const nodes = [
  node({ id: 'm1', hostname: 'manager-1', role: 'manager', labels: { zone: 'earth' } }),
  node({ id: 'w1', hostname: 'worker-1', labels: { zone: 'mars' } }),
  node({ id: 'w2', hostname: 'worker-2', availability: 'drain' }),
  node({ id: 'w3', hostname: 'worker-3', state: 'down', statusMessage: 'heartbeat failure' }),
];

describe('checkNode: the scheduler filters in order', () => {
  it('stops a drained, paused or down node first, whatever else it lacks', () => {
    const ask = askOf(service({ id: 's', constraints: ['node.labels.zone==nowhere'] }));
    expect(checkNode(ask, nodes[2]!)?.reason).toBe(
      'not available for new tasks: the node is drained',
    );
    expect(checkNode(ask, nodes[3]!)?.reason).toBe(
      'not available for new tasks: the node is down (heartbeat failure)',
    );
    expect(checkNode(ask, node({ id: 'p', availability: 'pause' }))?.reason).toBe(
      'not available for new tasks: the node is paused',
    );
  });

  it('counts what the tasks on a node reserve against what it has', () => {
    const s = service({ id: 's' });
    const ask = askOf(s, undefined, { nanoCpus: 0, memoryBytes: 100 * GiB });
    const loads = nodeLoads(
      [task({ id: 't', serviceId: 'x', nodeId: 'w1', reservedMemoryBytes: 0.5 * GiB })],
      [s],
    );
    expect(checkNode(ask, nodes[1]!, loads.get('w1'))?.reason).toBe(
      'memory: needs 100 GiB reserved, 7.5 GiB free of 8 GiB',
    );
    const cpu = askOf(s, undefined, { nanoCpus: 3e9, memoryBytes: 0 });
    expect(checkNode(cpu, nodes[1]!)?.reason).toBe('CPU: needs 3 reserved, 2 free of 2');
  });

  it('leaves out tasks that no longer hold the node', () => {
    const loads = nodeLoads(
      [
        task({ id: 'a', serviceId: 'x', nodeId: 'w1', state: 'failed', reservedNanoCpus: 2e9 }),
        task({ id: 'b', serviceId: 'x', nodeId: 'w1', state: 'running', reservedNanoCpus: 1e9 }),
        task({ id: 'c', serviceId: 'x', nodeId: null, state: 'pending', reservedNanoCpus: 1e9 }),
      ],
      [],
    );
    expect(loads.get('w1')?.nanoCpus).toBe(1e9);
  });

  it('names the constraint and why, a missing label included', () => {
    const ask = askOf(service({ id: 's', constraints: ['node.labels.zone==mars'] }));
    expect(checkNode(ask, nodes[0]!)?.reason).toBe(
      "node.labels.zone==mars: the node's label zone is earth",
    );
    expect(checkNode(ask, node({ id: 'x' }))?.reason).toBe(
      'node.labels.zone==mars: the node has no label zone',
    );
    expect(checkNode(ask, nodes[1]!)).toBeNull();
  });

  it('checks volume and network drivers against the engine plugins, and log drivers only when the node reports some', () => {
    const plugins = [
      { type: 'Volume', name: 'local' },
      { type: 'Network', name: 'overlay' },
    ];
    const n = node({ id: 'n', plugins });
    const withVolume = askOf(service({ id: 's', volumeDrivers: ['rexray'] }));
    expect(checkNode(withVolume, n)?.reason).toBe('no volume plugin rexray on the node');
    expect(
      checkNode(
        withVolume,
        node({ id: 'n', plugins: [...plugins, { type: 'Volume', name: 'rexray:latest' }] }),
      ),
    ).toBeNull();
    const withLog = askOf(service({ id: 's', logDriver: 'gelf' }));
    expect(checkNode(withLog, n)).toBeNull();
    expect(
      checkNode(
        withLog,
        node({ id: 'n', plugins: [...plugins, { type: 'Log', name: 'json-file' }] }),
      )?.reason,
    ).toBe('no log driver gelf on the node');
  });

  it('matches platforms with x86_64 as amd64', () => {
    const ask = askOf(service({ id: 's', platforms: [{ os: 'linux', arch: 'amd64' }] }));
    expect(checkNode(ask, node({ id: 'n', platform: { os: 'linux', arch: 'x86_64' } }))).toBeNull();
    expect(
      checkNode(ask, node({ id: 'n', platform: { os: 'linux', arch: 'aarch64' } }))?.reason,
    ).toBe('the node is linux/aarch64; the image is for linux/amd64');
  });

  it('names the task holding a host-mode port, and the max replicas already there', () => {
    const front = service({
      id: 'f',
      name: 'front',
      ports: [{ published: 9555, target: 80, protocol: 'tcp', mode: 'host' }],
      maxReplicasPerNode: 1,
    });
    const loads = nodeLoads(
      [task({ id: 't', serviceId: 'f', nodeId: 'w1', slot: 1, state: 'running' })],
      [front],
    );
    const other = service({
      id: 'o',
      ports: [{ published: 9555, target: 81, protocol: 'tcp', mode: 'host' }],
    });
    expect(checkNode(askOf(other), nodes[1]!, loads.get('w1'))?.reason).toBe(
      'port 9555/tcp (host mode) taken by front.1',
    );
    const capped = askOf({ ...front, ports: [] });
    expect(checkNode(capped, nodes[1]!, loads.get('w1'))?.reason).toBe(
      'max 1 per node: 1 already here',
    );
  });
});

describe('explainPlacement', () => {
  it('puts the nodes that fit first and counts as the engine does', () => {
    const ask = askOf(service({ id: 's', constraints: ['node.labels.zone==mars'] }));
    const placement = explainPlacement(ask, nodes, new Map());
    expect(placement.verdicts.map((v) => [v.node.hostname, v.rule])).toEqual([
      ['worker-1', null],
      ['worker-2', 'ready'],
      ['worker-3', 'ready'],
      ['manager-1', 'constraints'],
    ]);
    expect(placement.engineText).toBe(
      '2 nodes not available for new tasks; scheduling constraints not satisfied on 1 node',
    );
    expect(placement.summary).toBe(
      '1 of 4 nodes fit: 1 down, 1 drained, 1 fail node.labels.zone==mars',
    );
  });

  it('names the rules after the first that would still turn a node away, in order', () => {
    const ask = askOf(service({ id: 's', constraints: ['node.labels.zone==nowhere'] }), undefined, {
      nanoCpus: 0,
      memoryBytes: 100 * GiB,
    });
    const placement = explainPlacement(ask, nodes, new Map());
    const byHost = new Map(placement.verdicts.map((v) => [v.node.hostname, v]));
    // The engine's first rule is unchanged: memory for the active nodes, ready for the others.
    expect(byHost.get('worker-1')?.rule).toBe('resources');
    expect(byHost.get('worker-1')?.also).toEqual([
      { rule: 'constraints', reason: "node.labels.zone==nowhere: the node's label zone is mars" },
    ]);
    expect(byHost.get('worker-2')?.also.map((a) => a.rule)).toEqual(['resources', 'constraints']);
    expect(verdictText(byHost.get('worker-1')!)).toBe(
      "memory: needs 100 GiB reserved, 8 GiB free of 8 GiB · also node.labels.zone==nowhere: the node's label zone is mars",
    );
    expect(placement.summary).toBe('0 of 4 nodes fit: 2 lack memory, 1 down, 1 drained');
    const fits = explainPlacement(askOf(service({ id: 's' })), nodes.slice(0, 1), new Map());
    expect(fits.verdicts[0]?.also).toEqual([]);
    expect(verdictText(fits.verdicts[0]!)).toBe(fits.verdicts[0]!.reason);
  });

  it('says which label the nodes lack', () => {
    const ask = askOf(service({ id: 's', constraints: ['node.labels.region==north'] }));
    const placement = explainPlacement(ask, nodes.slice(0, 2), new Map());
    expect(placement.summary).toBe('0 of 2 nodes fit: 2 lack label region=north');
  });

  it('masks a secret-looking label value unless revealed', () => {
    const ask = askOf(service({ id: 's', constraints: ['node.labels.api_token==abc123'] }));
    const masked = explainPlacement(ask, [node({ id: 'x' })], new Map());
    expect(JSON.stringify(masked)).not.toContain('abc123');
    const shown = explainPlacement(ask, [node({ id: 'x' })], new Map(), { reveal: true });
    expect(shown.summary).toContain('abc123');
  });
});

describe('the engine words', () => {
  it('round-trips every rule', () => {
    const error =
      'no suitable node (scheduling constraints not satisfied on 5 nodes; 1 node not available for new tasks; insufficient resources on 2 nodes; host-mode port already in use on 1 node; missing plugin on 3 nodes; unsupported platform on 1 node; max replicas per node limit exceed)';
    expect(parseEngineExplanation(error)).toEqual([
      { rule: 'constraints', count: 5 },
      { rule: 'ready', count: 1 },
      { rule: 'resources', count: 2 },
      { rule: 'host-port', count: 1 },
      { rule: 'plugins', count: 3 },
      { rule: 'platform', count: 1 },
      { rule: 'max-replicas', count: null },
    ]);
    expect(engineWords('ready', 1)).toBe('1 node not available for new tasks');
    expect(parseEngineExplanation('task: non-zero exit (1)')).toEqual([]);
  });
});

describe('placeReplicas: the scale what-if', () => {
  it('places one per node under max replicas per node and says why the rest wait', () => {
    const s = service({ id: 's', maxReplicasPerNode: 1 });
    const ready = [node({ id: 'a' }), node({ id: 'b' }), node({ id: 'c', availability: 'drain' })];
    const loads = nodeLoads(
      [task({ id: 't', serviceId: 's', nodeId: 'a', state: 'running' })],
      [s],
    );
    expect(placeReplicas(askOf(s), ready, loads, 3)).toEqual({
      placed: 1,
      pending: 2,
      why: '0 of 3 nodes fit: 2 already run 1 (max 1 per node), 1 drained',
    });
  });

  it('fills memory reservations node by node', () => {
    const s = service({ id: 's' });
    const ask = askOf(s, undefined, { nanoCpus: 0, memoryBytes: 3 * GiB });
    const two = [node({ id: 'a' }), node({ id: 'b' })];
    // 8 GiB each: two of 3 GiB fit on each node, the fifth does not.
    expect(placeReplicas(ask, two, new Map(), 5)).toMatchObject({ placed: 4, pending: 1 });
  });
});
