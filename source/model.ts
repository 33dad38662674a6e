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
  /** ServiceStatus.CompletedTasks: tasks of a job that ended well (0 for services). */
  completed: number;
  /** ReplicatedJob.TotalCompletions: how many successful runs the job asks for (null otherwise). */
  totalCompletions: number | null;
  /** JobStatus.JobIteration.Index: which run of the job this is (null for services). */
  jobIteration: number | null;
  /** JobStatus.LastExecution: when this run of the job was started (null for services). */
  jobLastExecution: string | null;
  updateState: string | null;
  updateMessage: string | null;
  /** UpdateStatus.StartedAt: tells this update's status from an earlier one's. */
  updateStartedAt: string | null;
  ports: PublishedPort[];
  stack: string | null;
  hasPreviousSpec: boolean;
  tty: boolean;
  labels: Record<string, string>;
  /** Placement constraints, e.g. "node.role==manager", "node.labels.zone==b". */
  constraints: string[];
  /** Placement.MaxReplicas: at most this many tasks per node (null: no limit). */
  maxReplicasPerNode: number | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/** The parts of a service spec an operator reads in a rollback diff (our shape, not the Engine's). */
export interface ServiceSpecView {
  image: string;
  /** KEY=VALUE entries as in the spec, unmasked: masking happens where specs are shown. */
  env: string[];
  command: string[];
  args: string[];
  /** null for global services and jobs. */
  replicas: number | null;
  constraints: string[];
  /** NanoCPUs and bytes; null when not set. */
  limits: { nanoCpus: number | null; memoryBytes: number | null };
  reservations: { nanoCpus: number | null; memoryBytes: number | null };
  labels: Record<string, string>;
  containerLabels: Record<string, string>;
  ports: PublishedPort[];
  /** Update and rollback config flattened to readable key → value pairs ("Parallelism" → "1"). */
  updateConfig: Record<string, string>;
  rollbackConfig: Record<string, string>;
}

/**
 * A fresh GET /services/{id}: what a mutation is decided on. `token` is the seam's own handle on
 * the raw spec (opaque above docker/), so that an update sends back exactly what was inspected.
 */
export interface ServiceDetail {
  service: SwarmService;
  version: number;
  spec: ServiceSpecView;
  previousSpec: ServiceSpecView | null;
  /**
   * Spec and PreviousSpec whole, as the engine sent them (read-only, unmasked): the rollback
   * diff shows every field that differs, not only those of ServiceSpecView.
   */
  specJson: Readonly<Record<string, unknown>>;
  previousSpecJson: Readonly<Record<string, unknown>> | null;
  /** TaskTemplate.ForceUpdate: a force redeploy sends it + 1. */
  forceUpdate: number;
  readonly token: unknown;
}

/** A fresh GET /nodes/{id}, with the seam's handle on the full raw spec. */
export interface NodeDetail {
  node: SwarmNode;
  version: number;
  readonly token: unknown;
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
  /** Spec.Resources.Reservations: what the scheduler set aside on the node (0 when unset). */
  reservedNanoCpus: number;
  reservedMemoryBytes: number;
  /** Task.JobIteration.Index: the run of its job it belongs to (null for a service's task). */
  jobIteration: number | null;
  /** The networks the task was attached to (NetworksAttachments), as the manager allocated them. */
  networks: TaskNetwork[];
  createdAt: string | null;
  updatedAt: string | null;
}

/** One network a task is attached to: what tells which network an engine error is about. */
export interface TaskNetwork {
  id: string;
  name: string;
  /** IPAM subnets ("10.0.1.0/24"): the engine names a network by its subnet in join errors. */
  subnets: string[];
  /** The overlay's data plane is IPsec-encrypted (the `encrypted` driver option). */
  encrypted: boolean;
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
  /** Tasks of any of these services (one request, the engine ORs a filter's values). */
  serviceIds?: readonly string[];
  nodeId?: string;
  /** Only tasks whose desired state is running (the engine-side filter). */
  desiredRunningOnly?: boolean;
}

export interface Snapshot {
  nodes: SwarmNode[];
  services: SwarmService[];
  tasks: SwarmTask[];
}

/** One line of a service's or task's log, as the engine attributed it. Text is raw (unsanitized). */
export interface LogLine {
  /** From the engine's log details (details=true); null when it did not say. */
  serviceId: string | null;
  taskId: string | null;
  nodeId: string | null;
  /** `tty` for services with a TTY: their output is not split into stdout and stderr. */
  stream: 'stdout' | 'stderr' | 'tty';
  /** RFC 3339 with nanoseconds, as the engine timestamps it (timestamps=true). */
  time: string | null;
  text: string;
}

export interface LogQuery {
  target: { kind: 'service' | 'task'; id: string };
  /** ContainerSpec.TTY: such logs come as one raw stream, not multiplexed. */
  tty: boolean;
  /** Last N lines per task ("all" when undefined and no `since`). */
  tail?: number;
  /** Unix seconds: only lines from then on. */
  since?: number;
  follow: boolean;
}

/** GET /version: what the engine is and the newest Engine API it speaks. */
export interface EngineVersion {
  /** Docker's own version, e.g. "24.0.7"; "" when the engine does not say. */
  version: string;
  /** The newest Engine API version it speaks, e.g. "1.43"; "" when the engine does not say. */
  apiVersion: string;
}

/**
 * Which tasks the tasks pane shows: one service's, one node's, all, or those of the services
 * seen in trouble this session (what the problems view groups).
 */
export type TaskScope =
  | { kind: 'service'; id: string }
  | { kind: 'node'; id: string }
  | { kind: 'troubled'; ids: string[] }
  | { kind: 'all' };

/** What `i` inspects and `c` copies. */
export interface ObjectRef {
  kind: 'service' | 'node' | 'task';
  id: string;
  name: string;
}
