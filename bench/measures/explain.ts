// Issue 14: what explaining a pending group costs (operations/placement.ts) at full size: every
// node against one task's ask, with what the cluster's tasks reserve on each node. Pure CPU, in
// this process; the target is ≤ 5 ms per pending group.

import type { SwarmNode, SwarmService, SwarmTask } from '../../source/model.js';
import { explainPending } from '../../source/operations/placement.js';
import { nowMs } from '../lib/harness.js';
import { yes, type Row } from '../lib/table.js';

export interface ExplainMeasure {
  nodes: number;
  tasks: number;
  groups: number;
  msPerGroup: number;
}

function cluster(nodeCount: number, serviceCount: number, tasksPerService: number) {
  const nodes = Array.from({ length: nodeCount }, (_, i): SwarmNode => ({
    id: `n${i}`,
    version: 1,
    hostname: `node-${i}`,
    role: i < 3 ? 'manager' : 'worker',
    availability: i % 17 === 5 ? 'drain' : 'active',
    state: 'ready',
    statusMessage: '',
    address: '127.0.0.1',
    manager: null,
    engineVersion: '26.1.5',
    nanoCpus: 8e9,
    memoryBytes: 32 * 2 ** 30,
    labels: { zone: `z${i % 4}` },
    tlsIssuerKey: null,
    platform: { os: 'linux', arch: 'x86_64' },
    engineLabels: {},
    plugins: [
      { type: 'Volume', name: 'local' },
      { type: 'Network', name: 'overlay' },
    ],
    createdAt: null,
    updatedAt: null,
  }));
  const services: SwarmService[] = [];
  const tasks: SwarmTask[] = [];
  for (let s = 0; s < serviceCount; s++) {
    services.push({
      id: `s${s}`,
      version: 1,
      name: `svc-${s}`,
      mode: 'replicated',
      image: 'img',
      specReplicas: tasksPerService,
      running: tasksPerService,
      desired: tasksPerService,
      completed: 0,
      totalCompletions: null,
      jobIteration: null,
      jobLastExecution: null,
      updateState: null,
      updateMessage: null,
      updateStartedAt: null,
      ports:
        s % 50 === 0 ? [{ published: 9000 + s, target: 80, protocol: 'tcp', mode: 'host' }] : [],
      stack: null,
      hasPreviousSpec: false,
      tty: false,
      labels: {},
      constraints: s % 3 === 0 ? ['node.labels.zone==z9', 'node.role==worker'] : [],
      maxReplicasPerNode: s % 7 === 0 ? 1 : null,
      platforms: [],
      logDriver: null,
      volumeDrivers: [],
      endpointMode: 'vip',
      virtualIps: [],
      networks: [],
      secrets: [],
      configs: [],
      createdAt: null,
      updatedAt: null,
    });
    for (let t = 0; t < tasksPerService; t++) {
      tasks.push({
        id: `t${s}-${t}`,
        version: 1,
        serviceId: `s${s}`,
        nodeId: `n${(s * tasksPerService + t) % nodeCount}`,
        slot: t + 1,
        desiredState: 'running',
        state: 'running',
        stateSince: null,
        message: '',
        error: null,
        exitCode: null,
        containerId: null,
        image: 'img',
        reservedNanoCpus: 1e8,
        reservedMemoryBytes: 256 * 2 ** 20,
        memoryLimitBytes: 0,
        jobIteration: null,
        networks: [],
        createdAt: null,
        updatedAt: null,
      });
    }
  }
  return { nodes, services, tasks };
}

export function measureExplain({
  nodes: nodeCount = 100,
  services: serviceCount = 1000,
  tasksPerService = 10,
  groups = 30,
} = {}): ExplainMeasure {
  const { nodes, services, tasks } = cluster(nodeCount, serviceCount, tasksPerService);
  // One pending task in each of `groups` services: each its own explanation.
  const pending = Array.from({ length: groups }, (_, g) => ({
    ...tasks[g * tasksPerService]!,
    id: `pending-${g}`,
    nodeId: null,
    state: 'pending',
    reservedMemoryBytes: (g % 2) * 64 * 2 ** 30,
  }));
  const runs = 20;
  explainPending(pending, nodes, services, tasks);
  const t0 = nowMs();
  for (let i = 0; i < runs; i++) explainPending(pending, nodes, services, tasks);
  const ms = (nowMs() - t0) / runs;
  return { nodes: nodeCount, tasks: tasks.length, groups, msPerGroup: ms / groups };
}

export function explainRows(m: ExplainMeasure): Row[] {
  return [
    {
      id: 'W1',
      what: `why pending, ${m.groups} groups, ${m.nodes} nodes, ${m.tasks} tasks`,
      wall: '',
      cpu: `${m.msPerGroup.toFixed(2)} ms/group`,
      detail: "explainPending: every node against each group, the nodes' loads built once per call",
      target: '≤ 5 ms per pending group',
      met: yes(m.msPerGroup <= 5),
    },
  ];
}
