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
  /**
   * Description.TLSInfo.CertIssuerPublicKey (base64): who signed the node's certificate. A node
   * whose issuer differs from the swarm's current one is still on an old CA.
   */
  tlsIssuerKey: string | null;
  /** Description.Platform: what node.platform.os / .arch constraints compare ("" when unset). */
  platform: { os: string; arch: string };
  /** Description.Engine.Labels: the daemon's own labels (engine.labels.* constraints). */
  engineLabels: Record<string, string>;
  /** Description.Engine.Plugins: the volume, network and log drivers the engine reports. */
  plugins: EnginePlugin[];
  createdAt: string | null;
  updatedAt: string | null;
}

export type ServiceMode = 'replicated' | 'global' | 'replicated-job' | 'global-job';

/** One of Description.Engine.Plugins: `Volume`, `Network`, `Log` (and others) by name. */
export interface EnginePlugin {
  type: string;
  name: string;
}

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
  /** Placement.Platforms: the os/arch pairs its image runs on (empty: any). */
  platforms: Array<{ os: string; arch: string }>;
  /** TaskTemplate.LogDriver.Name (null: the engine's default). */
  logDriver: string | null;
  /** Volume mounts' drivers other than `local`: each must be a plugin on the node. */
  volumeDrivers: string[];
  /** EndpointSpec.Mode: a virtual IP per network, or DNS round robin over the tasks. */
  endpointMode: 'vip' | 'dnsrr';
  /** Endpoint.VirtualIPs: the service's address on each network it is attached to. */
  virtualIps: ServiceVip[];
  /** TaskTemplate.Networks[].Target: network IDs (or names, as some clients send them). */
  networks: string[];
  /** ContainerSpec.Secrets / Configs: what is mounted where. */
  secrets: FileMount[];
  configs: FileMount[];
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ServiceVip {
  networkId: string;
  /** CIDR form as the engine gives it, e.g. "10.0.1.5/24". */
  addr: string;
}

/** A secret or config named by a service, and the file its tasks get. */
export interface FileMount {
  /** SecretID / ConfigID. */
  id: string;
  /** SecretName / ConfigName. */
  name: string;
  /** File.Name: relative to /run/secrets (secrets) or / (configs); "" for a runtime config. */
  target: string;
  uid: string;
  gid: string;
  /** File.Mode, e.g. 0o444. */
  mode: number;
}

/** A swarm-scope network (GET /networks with scope=swarm). */
export interface SwarmNetwork {
  id: string;
  name: string;
  driver: string;
  scope: string;
  attachable: boolean;
  internal: boolean;
  ingress: boolean;
  /** Options.encrypted: the data plane is IPsec-encrypted between nodes. */
  encrypted: boolean;
  ipam: { subnet: string; gateway: string }[];
  labels: Record<string, string>;
  /** Driver options (masked where shown: a key may name a secret). */
  options: Record<string, string>;
  createdAt: string | null;
}

/** A secret's metadata: the engine never returns its value, and nothing here asks for it. */
export interface SwarmSecret {
  id: string;
  version: number;
  name: string;
  labels: Record<string, string>;
  /** Spec.Driver.Name of an external secret store; null for the swarm's own. */
  driver: string | null;
  /** Spec.Templating.Name; null when not templated. */
  templating: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/** A config's metadata; its data is counted, never kept (it is shown only in inspect, masked). */
export interface SwarmConfig {
  id: string;
  version: number;
  name: string;
  labels: Record<string, string>;
  templating: string | null;
  /** Decoded size of Spec.Data. */
  dataBytes: number;
  createdAt: string | null;
  updatedAt: string | null;
}

/** The root CA certificate, parsed from TLSInfo.TrustRoot (the PEM itself is not kept). */
export interface RootCa {
  subject: string;
  /** ISO time the certificate expires; null when the PEM could not be parsed. */
  notAfter: string | null;
}

/**
 * GET /swarm without its join tokens: the parser never copies them (they let anyone join the
 * swarm), so no layer above docker/ can show, copy or write one.
 */
export interface SwarmCluster {
  id: string;
  version: number;
  createdAt: string | null;
  updatedAt: string | null;
  rootCa: RootCa | null;
  /** TLSInfo.CertIssuerPublicKey (base64): compared with each node's issuer. */
  issuerKey: string | null;
  rootRotationInProgress: boolean;
  /** Spec.CAConfig.NodeCertExpiry in nanoseconds (null: the engine default, 90 days). */
  nodeCertExpiryNs: number | null;
  externalCas: { protocol: string; url: string }[];
  autolock: boolean;
  taskHistoryLimit: number | null;
  raft: {
    snapshotInterval: number | null;
    keepOldSnapshots: number | null;
    logEntriesForSlowFollowers: number | null;
    electionTick: number | null;
    heartbeatTick: number | null;
  };
  /** Spec.Dispatcher.HeartbeatPeriod in nanoseconds. */
  dispatcherHeartbeatNs: number | null;
  defaultAddrPool: string[];
  subnetSize: number | null;
  dataPathPort: number | null;
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

/** One mount of a service's containers (ContainerSpec.Mounts[]). */
export interface ServiceMount {
  /** volume | bind | tmpfs | npipe | cluster */
  type: string;
  /** The volume's name or the host path; '' for tmpfs (and an anonymous volume). */
  source: string;
  target: string;
  readOnly: boolean;
  /** VolumeOptions.DriverConfig: the volume driver and its options (unmasked). */
  volumeDriver: string | null;
  volumeOptions: Record<string, string>;
  /** TmpfsOptions.SizeBytes; null when unlimited. */
  tmpfsSizeBytes: number | null;
}

/** One network of a service's tasks, with the VIP the manager gave the service on it. */
export interface ServiceNetworkRef {
  id: string;
  aliases: string[];
  /** Endpoint.VirtualIPs[].Addr for this network (CIDR form); null with dnsrr or before one. */
  vip: string | null;
}

/** Durations in nanoseconds; null when not set (the engine's or the image's default applies). */
export interface ServiceHealthcheck {
  /** As in the spec: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"] (disabled). Unmasked. */
  test: string[];
  intervalNs: number | null;
  timeoutNs: number | null;
  retries: number | null;
  startPeriodNs: number | null;
}

export interface ServiceRestartPolicy {
  /** none | on-failure | any; '' when not said. */
  condition: string;
  delayNs: number | null;
  /** 0 or null: no limit. */
  maxAttempts: number | null;
  windowNs: number | null;
}

/**
 * What a service's spec says about where and how its tasks run, for the inspect view's header
 * (GET /services/{id}, parsed by docker/parse-service-detail.ts). Strings are raw.
 */
export interface ServiceSpecDetail {
  name: string;
  mode: ServiceMode;
  image: string;
  mounts: ServiceMount[];
  /** EndpointSpec.Mode: vip (one virtual IP per network) or dnsrr. */
  endpointMode: string;
  networks: ServiceNetworkRef[];
  secrets: FileMount[];
  configs: FileMount[];
  /** null: none in the spec (the image's own HEALTHCHECK, if any, applies). */
  healthcheck: ServiceHealthcheck | null;
  /** null: none in the spec. */
  restartPolicy: ServiceRestartPolicy | null;
  limits: { nanoCpus: number | null; memoryBytes: number | null };
  reservations: { nanoCpus: number | null; memoryBytes: number | null };
  constraints: string[];
  maxReplicasPerNode: number | null;
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

/** One object of a stack: what removing the stack removes, by ID and name. */
export interface StackObject {
  id: string;
  name: string;
}

/**
 * A stack as `docker stack rm` finds it: every service, network, secret and config labelled
 * com.docker.stack.namespace=<name>, listed fresh (a stack has no object or version of its own).
 */
export interface StackDetail {
  name: string;
  services: StackObject[];
  networks: StackObject[];
  secrets: StackObject[];
  configs: StackObject[];
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
  /** Spec.Resources.Limits.MemoryBytes: the container is killed past it (0 when unset). */
  memoryLimitBytes: number;
  /** Task.JobIteration.Index: the run of its job it belongs to (null for a service's task). */
  jobIteration: number | null;
  /** The networks the task was attached to (NetworksAttachments), as the manager allocated them. */
  networks: TaskNetwork[];
  createdAt: string | null;
  updatedAt: string | null;
  /**
   * Its own ContainerSpec.TTY, when its own log driver lets the engine read its logs back: its
   * logs can be asked for without asking for the task first. Absent when they cannot, or when
   * that is not known (an older recording).
   */
  readableLogs?: ReadableLogs;
}

/** What reading a task's logs needs to know of it: its own ContainerSpec.TTY. */
export interface ReadableLogs {
  tty: boolean;
}

/** One network a task is attached to: what tells which network an engine error is about. */
export interface TaskNetwork {
  id: string;
  name: string;
  /** IPAM subnets ("10.0.1.0/24"): the engine names a network by its subnet in join errors. */
  subnets: string[];
  /** The overlay's data plane is IPsec-encrypted (the `encrypted` driver option). */
  encrypted: boolean;
  /** DriverState.Name ("overlay"): a driver the node's engine must have as a plugin. */
  driver: string;
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

/**
 * The lists a view may need beyond nodes, services and tasks: fetched while such a view is open
 * (and on their events), never on every refresh otherwise. `placements` is every task meant to
 * run: which nodes each service runs on (where a network, a secret or a config is delivered).
 */
export type SwarmObjectKind = 'networks' | 'secrets' | 'configs' | 'swarm' | 'placements';

/**
 * The lists only some views need (SwarmObjectKind): null until first fetched. `placements` is
 * every task meant to run, for where each service runs.
 */
export interface SwarmObjects {
  networks: SwarmNetwork[] | null;
  secrets: SwarmSecret[] | null;
  configs: SwarmConfig[] | null;
  swarm: SwarmCluster | null;
  placements: SwarmTask[] | null;
}

export interface Snapshot {
  nodes: SwarmNode[];
  services: SwarmService[];
  tasks: SwarmTask[];
  /** The rest of the swarm (--once): absent where not asked for, null where it could not be read. */
  networks?: SwarmNetwork[] | null;
  secrets?: SwarmSecret[] | null;
  configs?: SwarmConfig[] | null;
  swarm?: SwarmCluster | null;
  /** The last words of the crashed tasks the problems name, by task id (--once reads them). */
  lastWords?: Record<string, LastWords>;
  /** Every task meant to run (where secrets and configs are delivered); absent where not asked for. */
  placements?: SwarmTask[] | null;
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
  /**
   * `tty` is a task's own and its log driver is readable (SwarmTask.readableLogs): its logs are
   * asked for at once. Otherwise the target is asked for first (its TTY, its log driver).
   */
  known?: boolean;
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
  kind: 'service' | 'node' | 'task' | 'network' | 'secret' | 'config' | 'swarm';
  id: string;
  name: string;
}

/**
 * The last lines a task wrote before it ended (GET /tasks/{id}/logs?tail=5), sanitized and cut
 * for display, stderr first; or why they cannot be read back (one sentence).
 */
export interface LastWords {
  lines: { stream: 'stdout' | 'stderr' | 'tty'; text: string }[];
  /** The engine could not give them (log driver, node down, no answer): said instead. */
  error: string | null;
}
