import type {
  EngineInfo,
  SwarmCluster,
  SwarmConfig,
  SwarmNetwork,
  SwarmSecret,
  EngineVersion,
  LogLine,
  LogQuery,
  NodeAvailability,
  NodeDetail,
  NodeRole,
  ServiceDetail,
  StackDetail,
  SwarmEvent,
  SwarmNode,
  SwarmService,
  SwarmTask,
  TaskQuery,
} from '../model.js';

/** One move from a manager that stopped answering to the next (see failover-api.ts). */
export interface Failover {
  from: string;
  to: string;
  /** Why the previous manager was left, in one sentence. */
  reason: string;
}

/** What the inspect view can show: one of the objects the engine lets us GET by id. */
export type InspectKind = 'service' | 'node' | 'task' | 'network' | 'secret' | 'config' | 'swarm';

/** Reads: everything smarm-top needs to show a swarm. Every call is bounded by a timeout. */
export interface SwarmReads {
  /** Human label of the endpoint in use, e.g. "unix:///var/run/docker.sock". */
  readonly endpoint: string;
  /** With several managers: hears of every move to another one (see failover-api.ts). */
  subscribeEndpoint?(listener: () => void): () => void;
  /** With several managers: the last move, null before any. */
  lastFailover?(): Failover | null;
  info(): Promise<EngineInfo>;
  /** GET /version: the preflight checks that the engine speaks a new enough Engine API. */
  version(): Promise<EngineVersion>;
  /** GET /_ping: the Engine API version its Api-Version header names, '' when it names none. */
  ping(): Promise<string>;
  listNodes(): Promise<SwarmNode[]>;
  /**
   * GET /services?status=true: running/desired counts without listing tasks. With `ids`, only
   * those services (the refetch after an event names the service it is about).
   */
  listServices(ids?: readonly string[]): Promise<SwarmService[]>;
  listTasks(query: TaskQuery): Promise<SwarmTask[]>;
  /** GET /networks?filters={"scope":["swarm"]}: the overlay (and ingress) networks. */
  listNetworks(): Promise<SwarmNetwork[]>;
  /** GET /secrets: metadata only (the engine never returns a secret's value). */
  listSecrets(): Promise<SwarmSecret[]>;
  /** GET /configs: metadata and the data's size (the data itself is not kept). */
  listConfigs(): Promise<SwarmConfig[]>;
  /** GET /swarm, without the join tokens (managers only). Never GET /swarm/unlockkey. */
  inspectSwarm(): Promise<SwarmCluster>;
  /**
   * GET /services/{id}, /nodes/{id} or /tasks/{id}: the engine's JSON as it is, for the inspect
   * view (which shows and copies the whole spec). A 404 says the object no longer exists.
   */
  inspectObject(kind: InspectKind, id: string): Promise<Record<string, unknown>>;
  /**
   * Follows GET /events (swarm-scoped service, node, secret, config and network events) and calls onEvent for each.
   * Resolves when the stream ends or `signal` aborts; rejects if it cannot be opened.
   */
  watchEvents(options: {
    since?: bigint;
    signal: AbortSignal;
    onEvent: (event: SwarmEvent) => void;
  }): Promise<void>;
  /**
   * Streams GET /services/{id}/logs or /tasks/{id}/logs: demultiplexed unless TTY, split into
   * lines, each with its task, node and stream. Lines arrive in batches (one per chunk read).
   * Resolves when the stream ends or `signal` aborts; rejects with a ConnectionError whose
   * message is one sentence (e.g. a logging driver that cannot be read back).
   */
  streamLogs(
    query: LogQuery,
    options: { signal: AbortSignal; onLines: (lines: LogLine[]) => void },
  ): Promise<void>;
}

/**
 * Writes. Each takes the detail from a fresh inspect and sends its `version`, so a change made
 * by someone else in between is rejected by the engine ("update out of sequence", thrown as
 * OutOfSequenceError) instead of being overwritten.
 */
export interface SwarmWrites {
  inspectService(id: string): Promise<ServiceDetail>;
  inspectNode(id: string): Promise<NodeDetail>;
  /** Replicated services only; sends the inspected spec with Mode.Replicated.Replicas changed. */
  scaleService(detail: ServiceDetail, replicas: number): Promise<void>;
  /** Rolling restart: the inspected spec with TaskTemplate.ForceUpdate + 1. */
  forceUpdateService(detail: ServiceDetail): Promise<void>;
  /** Server-side rollback: POST /services/{id}/update?version=N&rollback=previous. */
  rollbackService(detail: ServiceDetail): Promise<void>;
  /** The node's full inspected spec with the new Availability (role and labels preserved). */
  setNodeAvailability(detail: NodeDetail, availability: NodeAvailability): Promise<void>;
  /** Promote or demote: the node's full inspected spec with the new Role. */
  setNodeRole(detail: NodeDetail, role: NodeRole): Promise<void>;
  /** The node's full inspected spec with these Labels (all of them: they replace the old ones). */
  setNodeLabels(detail: NodeDetail, labels: Readonly<Record<string, string>>): Promise<void>;
  /** The inspected spec with TaskTemplate.ContainerSpec.Image replaced: a rolling update. */
  setServiceImage(detail: ServiceDetail, image: string): Promise<void>;
  /**
   * A stack's objects, listed fresh by the label com.docker.stack.namespace=<name> (services,
   * networks, secrets, configs), as `docker stack rm` finds them.
   */
  inspectStack(name: string): Promise<StackDetail>;
  /**
   * DELETE /services/{id}, /networks/{id}, /secrets/{id}, /configs/{id}. Removals carry no
   * version. A 404 (already gone) is thrown as a ConnectionError with statusCode 404.
   */
  removeService(id: string): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  removeSecret(id: string): Promise<void>;
  removeConfig(id: string): Promise<void>;
  /** The stats probe (issue 15): POST /services/create of its global service; its ID. */
  createProbeService?(spec: ProbeServiceSpec): Promise<string>;
}

/** The stats probe's service, as smarm-top asks for it (docker/ builds the engine's spec). */
export interface ProbeServiceSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  /** Arguments after the image's entrypoint: ["probe", "--lifetime", "600"]. */
  args: string[];
  nanoCpus: number;
  memoryBytes: number;
  /** The engine's socket on each node, mounted read-only (a Go template may name the node). */
  socket: string;
}

export type SwarmApi = SwarmReads & SwarmWrites;
