// Small builders for model objects, so tests state only what they are about.
import type { ServiceSpecView, SwarmNode, SwarmService, SwarmTask } from '../../source/model.js';

export function node(overrides: Partial<SwarmNode> & { id: string }): SwarmNode {
  return {
    version: 1,
    hostname: overrides.id,
    role: 'worker',
    availability: 'active',
    state: 'ready',
    statusMessage: '',
    address: '127.0.0.1',
    manager: null,
    engineVersion: '20.10.24',
    nanoCpus: 2e9,
    memoryBytes: 8 * 1024 ** 3,
    labels: {},
    createdAt: '2026-11-25T00:00:00Z',
    updatedAt: '2026-11-25T00:00:00Z',
    ...overrides,
  };
}

export function service(overrides: Partial<SwarmService> & { id: string }): SwarmService {
  return {
    version: 1,
    name: overrides.id,
    mode: 'replicated',
    image: 'lab/busybox:1',
    specReplicas: 1,
    running: 1,
    desired: 1,
    completed: 0,
    totalCompletions: null,
    jobIteration: null,
    jobLastExecution: null,
    updateState: null,
    updateMessage: null,
    updateStartedAt: null,
    ports: [],
    stack: null,
    hasPreviousSpec: false,
    tty: false,
    labels: {},
    constraints: [],
    maxReplicasPerNode: null,
    createdAt: '2026-11-25T00:00:00Z',
    updatedAt: '2026-11-25T00:00:00Z',
    ...overrides,
  };
}

export function task(overrides: Partial<SwarmTask> & { id: string; serviceId: string }): SwarmTask {
  return {
    version: 1,
    nodeId: null,
    slot: 1,
    desiredState: 'running',
    state: 'running',
    stateSince: '2026-11-25T00:00:00Z',
    message: 'started',
    error: null,
    exitCode: null,
    containerId: null,
    image: 'lab/busybox:1',
    reservedNanoCpus: 0,
    reservedMemoryBytes: 0,
    jobIteration: null,
    networks: [],
    createdAt: '2026-11-25T00:00:00Z',
    updatedAt: '2026-11-25T00:00:00Z',
    ...overrides,
  };
}

export function specView(overrides: Partial<ServiceSpecView> = {}): ServiceSpecView {
  return {
    image: 'lab/busybox:1',
    env: [],
    command: [],
    args: [],
    replicas: 2,
    constraints: [],
    limits: { nanoCpus: null, memoryBytes: null },
    reservations: { nanoCpus: null, memoryBytes: null },
    labels: {},
    containerLabels: {},
    ports: [],
    updateConfig: {},
    rollbackConfig: {},
    ...overrides,
  };
}
