import { describe, expect, it } from 'vitest';
import type { SwarmNode, SwarmService, SwarmTask } from '../../source/model.js';
import {
  availabilityImpact,
  type AvailabilityTarget,
} from '../../source/operations/drain-impact.js';
import { node, service, task } from '../helpers/factories.js';

const leader = node({
  id: 'm1',
  hostname: 'manager-1',
  role: 'manager',
  manager: { reachability: 'leader', address: '10.0.0.1:2377' },
  labels: { zone: 'a' },
});
const manager2 = node({
  id: 'm2',
  hostname: 'manager-2',
  role: 'manager',
  manager: { reachability: 'reachable', address: '10.0.0.2:2377' },
  labels: { zone: 'b' },
});
const worker1 = node({ id: 'w1', hostname: 'worker-1', labels: { zone: 'a', disk: 'ssd' } });
const worker2 = node({ id: 'w2', hostname: 'worker-2', labels: { zone: 'b' } });

function impact(
  target: AvailabilityTarget,
  subject: SwarmNode,
  nodes: SwarmNode[],
  services: SwarmService[] = [],
  tasksOnNode: SwarmTask[] = [],
  placements: SwarmTask[] = tasksOnNode,
) {
  return availabilityImpact({ node: subject, target, nodes, services, tasksOnNode, placements });
}

function tasksOf(serviceId: string, nodeId: string, n: number, extra: Partial<SwarmTask> = {}) {
  return Array.from({ length: n }, (_, i) =>
    task({ id: `${serviceId}-${nodeId}-${i}`, serviceId, nodeId, slot: i + 1, ...extra }),
  );
}

describe('availabilityImpact: drain', () => {
  const web = service({ id: 's-web', name: 'web', specReplicas: 3, desired: 3 });
  const agent = service({ id: 's-agent', name: 'agent', mode: 'global', specReplicas: null });

  it('counts the live tasks it moves per service', () => {
    const tasks = [
      ...tasksOf('s-web', 'w1', 2),
      task({ id: 'g', serviceId: 's-agent', nodeId: 'w1', slot: null }),
      task({
        id: 'done',
        serviceId: 's-web',
        nodeId: 'w1',
        state: 'complete',
        desiredState: 'shutdown',
      }),
      task({
        id: 'old',
        serviceId: 's-web',
        nodeId: 'w1',
        state: 'running',
        desiredState: 'shutdown',
      }),
      task({ id: 'prep', serviceId: 's-web', nodeId: 'w1', state: 'preparing' }),
    ];
    const result = impact('drain', worker1, [leader, worker1, worker2], [web, agent], tasks);
    expect(result.moved).toEqual([
      { serviceId: 's-web', serviceName: 'web', count: 3, global: false },
      { serviceId: 's-agent', serviceName: 'agent', count: 1, global: true },
    ]);
    expect(result.summary).toEqual([
      'worker-1 is a worker.',
      '3 tasks of web will be moved to other nodes.',
      'The agent task on this node stops (global services are not moved).',
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('says when no tasks run on the node', () => {
    const result = impact('drain', worker1, [leader, worker1]);
    expect(result.summary).toContain('No tasks run on this node.');
    expect(result.moved).toEqual([]);
  });

  it('uses the service id when the service is gone, and a slot-less task as global', () => {
    const result = impact(
      'drain',
      worker1,
      [leader, worker1],
      [],
      [
        task({ id: 't', serviceId: 'gone', nodeId: 'w1', slot: 1 }),
        task({ id: 'g', serviceId: 'gone-global', nodeId: 'w1', slot: null }),
      ],
    );
    expect(result.summary).toContain('1 task of gone will be moved to other nodes.');
    expect(result.moved.map((m) => m.global)).toEqual([false, true]);
  });

  it('says the leader keeps its manager role and Raft vote', () => {
    const result = impact('drain', leader, [leader, manager2, worker1]);
    expect(result.summary[0]).toBe(
      'manager-1 is the swarm leader; draining moves its tasks but it keeps its manager role and Raft vote.',
    );
    expect(result.warnings).toEqual([]);
    const other = impact('pause', manager2, [leader, manager2, worker1]);
    expect(other.summary[0]).toMatch(/^manager-2 is a manager; pausing .* keeps its manager role/);
  });

  it('warns when draining the last active manager', () => {
    const paused = { ...manager2, availability: 'pause' as const };
    const result = impact('drain', leader, [leader, paused, worker1]);
    expect(result.warnings).toEqual([
      'manager-1 is the last active manager: afterwards no manager takes new tasks, so tasks constrained to node.role==manager stay pending (the swarm itself is still managed).',
    ]);
    const downManager = { ...manager2, state: 'down' };
    expect(impact('pause', leader, [leader, downManager, worker1]).warnings).toHaveLength(1);
  });

  it('warns when no other node is active and ready', () => {
    const down = { ...worker2, state: 'down' };
    const result = impact('drain', worker1, [worker1, down], [web], tasksOf('s-web', 'w1', 1));
    expect(result.warnings).toEqual([
      'No other node is active and ready: tasks moved off worker-1 will stay pending.',
    ]);
  });

  it('names the moved tasks no other node takes, and why', () => {
    const pinned = service({
      id: 's-db',
      name: 'db',
      constraints: ['node.labels.disk==ssd'],
    });
    const result = impact(
      'drain',
      worker1,
      [leader, worker1, worker2],
      [pinned],
      tasksOf('s-db', 'w1', 1),
    );
    expect(result.warnings).toEqual([
      'db.1 would find no node and stay pending: 0 of 3 nodes fit: 2 lack label disk=ssd, 1 drained.',
    ]);
  });

  it('reads engine labels too, as the scheduler does', () => {
    const gpu = service({ id: 's-gpu', name: 'gpu', constraints: ['engine.labels.gpu==true'] });
    const withGpu = { ...worker2, engineLabels: { gpu: 'true' } };
    const moved = tasksOf('s-gpu', 'w1', 1);
    expect(impact('drain', worker1, [leader, worker1, withGpu], [gpu], moved).warnings).toEqual([]);
    expect(impact('drain', worker1, [leader, worker1, worker2], [gpu], moved).warnings).toEqual([
      'gpu.1 would find no node and stay pending: 0 of 3 nodes fit: 2 fail engine.labels.gpu==true, 1 drained.',
    ]);
  });

  it('counts max replicas per node against what already runs on the other nodes', () => {
    const spread = service({
      id: 's-spread',
      name: 'spread',
      specReplicas: 4,
      desired: 4,
      maxReplicasPerNode: 1,
      constraints: ['node.role==worker'],
    });
    const worker3 = node({ id: 'w3', hostname: 'worker-3' });
    const nodes = [leader, worker1, worker2, worker3];
    const here = tasksOf('s-spread', 'w1', 1);
    const elsewhere = [
      ...here,
      task({ id: 'x2', serviceId: 's-spread', nodeId: 'w2', slot: 2 }),
      task({ id: 'x3', serviceId: 's-spread', nodeId: 'w3', slot: 3 }),
    ];
    expect(impact('drain', worker1, nodes, [spread], here, elsewhere).warnings).toEqual([
      'spread.1 would find no node and stay pending: 0 of 4 nodes fit: 2 already run 1 (max 1 per node), 1 drained, 1 fail node.role==worker.',
    ]);
    const roomy = { ...spread, maxReplicasPerNode: 2 };
    expect(impact('drain', worker1, nodes, [roomy], here, elsewhere).warnings).toEqual([]);
  });

  it('skips constraint checks for global services', () => {
    const pinnedGlobal = { ...agent, constraints: ['node.labels.disk==ssd'] };
    const result = impact(
      'drain',
      worker1,
      [leader, worker1],
      [pinnedGlobal],
      [task({ id: 'g', serviceId: 's-agent', nodeId: 'w1', slot: null })],
    );
    expect(result.warnings).toEqual([]);
  });
});

describe('availabilityImpact: pause and active', () => {
  const web = service({ id: 's-web', name: 'web' });

  it('pause moves nothing and lists what keeps running', () => {
    const result = impact('pause', worker1, [leader, worker1], [web], tasksOf('s-web', 'w1', 2));
    expect(result.moved).toEqual([]);
    expect(result.summary).toEqual([
      'worker-1 is a worker.',
      'No tasks are moved; worker-1 gets no new tasks.',
      'Keeps running: web (2 tasks).',
    ]);
  });

  it('pause warns when no other node takes new tasks', () => {
    expect(impact('pause', worker1, [worker1]).warnings).toEqual([
      'No other node is active and ready: new tasks will stay pending.',
    ]);
  });

  it('active says running tasks are not rebalanced', () => {
    const drained = { ...worker1, availability: 'drain' as const };
    const result = impact('active', drained, [drained]);
    expect(result.summary).toEqual([
      'worker-1 is a worker.',
      'worker-1 becomes available for new tasks; running tasks are not rebalanced (docker service update --force <service> spreads them).',
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('says when nothing changes', () => {
    expect(impact('active', worker1, [worker1]).summary).toContain(
      'worker-1 is already active; nothing changes.',
    );
  });
});

describe('a job on a drained node', () => {
  it('says its running tasks stay (a drain does not move a job, seen on 20.10) and moves none', () => {
    const job = service({ id: 'j', name: 'report', mode: 'replicated-job', specReplicas: null });
    const result = impact(
      'drain',
      worker1,
      [leader, manager2, worker1, worker2],
      [job],
      [
        ...tasksOf('j', 'w1', 2, { desiredState: 'complete', state: 'running' }),
        task({
          id: 'done',
          serviceId: 'j',
          nodeId: 'w1',
          desiredState: 'complete',
          state: 'complete',
        }),
      ],
    );
    expect(result.summary).toContain(
      'The 2 running tasks of job report are not moved by a drain: they run here until they complete.',
    );
    expect(result.moved).toEqual([]);
  });
});
