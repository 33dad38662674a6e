// Our own picture of a swarm. The docker/ seam turns Engine JSON into these types; every other
// layer works with them only. Strings here are raw (unsanitized): sanitizing happens once, where
// text is turned into terminal cells.

export type NodeRole = 'manager' | 'worker';
export type NodeAvailability = 'active' | 'pause' | 'drain';
/** Engine node states: unknown | down | ready | disconnected. */
export type NodeState = string;
export type ManagerReachability = 'leader' | 'reachable' | 'unreachable' | 'unknown';

export interface SwarmNode {
  id: string;
  version: number;
  hostname: string;
  role: NodeRole;
  availability: NodeAvailability;
  state: NodeState;
  statusMessage: string;
  address: string;
  /** null for workers. */
  manager: { reachability: ManagerReachability; address: string } | null;
  engineVersion: string;
  nanoCpus: number;
  memoryBytes: number;
  labels: Record<string, string>;
  createdAt: string | null;
  updatedAt: string | null;
}

export type ServiceMode = 'replicated' | 'global' | 'replicated-job' | 'global-job';

export interface PublishedPort {
  published: number;
  target: number;
  protocol: string;
  mode: string;
}

export interface SwarmService {
  id: string;
  version: number;
  name: string;
  mode: ServiceMode;
  /** Image reference without the @sha256 digest. */
  image: string;
  /** Replicas asked for in the spec (replicated services only). */
  specReplicas: number | null;
  /** From ServiceStatus (GET /services?status=true). */
  running: number;
  desired: number;
  updateState: string | null;
  updateMessage: string | null;
  ports: PublishedPort[];
  stack: string | null;
  hasPreviousSpec: boolean;
  tty: boolean;
  labels: Record<string, string>;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface SwarmTask {
  id: string;
  version: number;
  serviceId: string;
  nodeId: string | null;
  /** Replicated tasks have a slot; global tasks are identified by their node. */
  slot: number | null;
  desiredState: string;
  state: string;
  /** When the task entered its current state. */
  stateSince: string | null;
  message: string;
  error: string | null;
  exitCode: number | null;
  containerId: string | null;
  image: string;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface RemoteManager {
  nodeId: string;
  address: string;
}

/** What GET /info says about the engine's place in a swarm. */
export interface EngineInfo {
  hostname: string;
  serverVersion: string;
  /** inactive | pending | active | error | locked */
  localNodeState: string;
  nodeId: string | null;
  controlAvailable: boolean;
  remoteManagers: RemoteManager[];
  clusterId: string | null;
}

export type SwarmEventType = 'service' | 'node' | 'secret' | 'config' | 'network' | 'other';

export interface SwarmEvent {
  type: SwarmEventType;
  action: string;
  id: string;
  name: string | null;
  attributes: Record<string, string>;
  /** Nanoseconds since the epoch, as the engine sends them (used for `since` on reconnect). */
  timeNano: bigint;
}

export interface TaskQuery {
  serviceId?: string;
  nodeId?: string;
  /** Only tasks whose desired state is running (the engine-side filter). */
  desiredRunningOnly?: boolean;
}

export interface Snapshot {
  nodes: SwarmNode[];
  services: SwarmService[];
  tasks: SwarmTask[];
}
