// Small builders for model objects, so tests state only what they are about.
import type {
  ServiceSpecView,
  SwarmCluster,
  SwarmConfig,
  SwarmNetwork,
  SwarmNode,
  SwarmSecret,
  SwarmService,
  SwarmTask,
} from '../../source/model.js';

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
    tlsIssuerKey: 'ISSUER-KEY-1',
    platform: { os: 'linux', arch: 'x86_64' },
    engineLabels: {},
    plugins: [],
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
    platforms: [],
    logDriver: null,
    volumeDrivers: [],
    endpointMode: 'vip',
    virtualIps: [],
    networks: [],
    secrets: [],
    configs: [],
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
    memoryLimitBytes: 0,
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

export function network(overrides: Partial<SwarmNetwork> & { id: string }): SwarmNetwork {
  return {
    name: overrides.id,
    driver: 'overlay',
    scope: 'swarm',
    attachable: false,
    internal: false,
    ingress: false,
    encrypted: false,
    ipam: [{ subnet: '10.0.1.0/24', gateway: '10.0.1.1' }],
    labels: {},
    options: {},
    createdAt: '2026-11-25T00:00:00Z',
    ...overrides,
  };
}

export function secret(overrides: Partial<SwarmSecret> & { id: string }): SwarmSecret {
  return {
    version: 1,
    name: overrides.id,
    labels: {},
    driver: null,
    templating: null,
    createdAt: '2026-11-25T00:00:00Z',
    updatedAt: '2026-11-25T00:00:00Z',
    ...overrides,
  };
}

export function config(overrides: Partial<SwarmConfig> & { id: string }): SwarmConfig {
  return {
    version: 1,
    name: overrides.id,
    labels: {},
    templating: null,
    dataBytes: 12,
    createdAt: '2026-11-25T00:00:00Z',
    updatedAt: '2026-11-25T00:00:00Z',
    ...overrides,
  };
}

export function cluster(overrides: Partial<SwarmCluster> = {}): SwarmCluster {
  return {
    id: 'cluster-1',
    version: 10,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-25T00:00:00Z',
    rootCa: { subject: 'CN=swarm-ca', notAfter: '2046-10-27T00:00:00.000Z' },
    issuerKey: 'ISSUER-KEY-1',
    rootRotationInProgress: false,
    nodeCertExpiryNs: 90 * 24 * 3600 * 1e9,
    externalCas: [],
    autolock: false,
    taskHistoryLimit: 5,
    raft: {
      snapshotInterval: 10000,
      keepOldSnapshots: 0,
      logEntriesForSlowFollowers: 500,
      electionTick: 10,
      heartbeatTick: 1,
    },
    dispatcherHeartbeatNs: 5e9,
    defaultAddrPool: ['10.0.0.0/8'],
    subnetSize: 24,
    dataPathPort: 4789,
    ...overrides,
  };
}
