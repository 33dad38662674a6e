import type {
  EngineInfo,
  EngineVersion,
  LogLine,
  LogQuery,
  NodeAvailability,
  NodeRole,
  NodeDetail,
  ServiceDetail,
  StackDetail,
  SwarmCluster,
  SwarmConfig,
  SwarmEvent,
  SwarmNetwork,
  SwarmSecret,
  SwarmNode,
  SwarmService,
  SwarmTask,
  TaskQuery,
} from '../model.js';
import { answerWithin } from '../answer-within.js';
import { ConnectionError, UsageError } from './errors.js';
import type { Failover, InspectKind, ProbeServiceSpec, SwarmApi } from './swarm-api.js';

// Several managers given (--host more than once): when the one in use stops answering, the next
// that answers as an active manager takes over, and reading goes on there. Writes are never
// retried on another manager (the first may have applied them); the read that follows a failed
// write moves on, and the operation path inspects afresh before any write.

/** How long a candidate manager gets to answer during a failover. */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * True when another manager may do better: the engine did not answer at all, or it answered
 * 503 for a reason of its own (demoted, left the swarm). A swarm without a leader answers 503
 * from every manager, so that one is not a reason to move.
 */
export function warrantsFailover(error: unknown): boolean {
  if (!(error instanceof ConnectionError)) return false;
  if (error.statusCode === null) return true;
  return error.statusCode === 503 && !/leader/i.test(error.message);
}

function isActiveManager(info: EngineInfo): boolean {
  return info.controlAvailable && info.localNodeState === 'active';
}

export class FailoverSwarmApi implements SwarmApi {
  private index = 0;
  private moving: Promise<boolean> | null = null;
  private readonly listeners = new Set<() => void>();
  private last: Failover | null = null;
  /** The swarm the managers must belong to: learnt from the first info, checked at failover. */
  private clusterId: string | null = null;

  /** `managers` in the order given; the first is used first. */
  constructor(
    private readonly managers: readonly SwarmApi[],
    private readonly probeTimeoutMs = PROBE_TIMEOUT_MS,
  ) {
    if (managers.length === 0) throw new Error('FailoverSwarmApi needs at least one manager');
  }

  get endpoint(): string {
    return this.current.endpoint;
  }

  /** The last move from one manager to another, null before any. */
  lastFailover(): Failover | null {
    return this.last;
  }

  /** Hears of every move to another manager. */
  subscribeEndpoint(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private get current(): SwarmApi {
    return this.managers[this.index]!;
  }

  /** A read on the manager in use; after a failure that warrants it, once more on another. */
  private async read<T>(call: (api: SwarmApi) => Promise<T>): Promise<T> {
    const api = this.current;
    try {
      return await call(api);
    } catch (error) {
      if (!warrantsFailover(error) || !(await this.moveOn(api, error as ConnectionError))) {
        throw error;
      }
      return call(this.current);
    }
  }

  /**
   * At start: every manager that answers must be of one swarm. A second --host of another swarm
   * (prod and staging in one shell history) would switch the view to that swarm at the first
   * outage. Throws a one-sentence UsageError naming the two hosts; a host that does not answer now
   * is checked when a failover probes it.
   */
  async checkOneSwarm(): Promise<void> {
    const answers = await Promise.all(
      this.managers.map((api) => answerWithin(api.info(), this.probeTimeoutMs).catch(() => null)),
    );
    let first: { endpoint: string; clusterId: string } | null = null;
    for (const [i, answer] of answers.entries()) {
      const clusterId = answer?.clusterId ?? null;
      if (clusterId === null) continue;
      const endpoint = this.managers[i]!.endpoint;
      if (first === null) {
        first = { endpoint, clusterId };
      } else if (clusterId !== first.clusterId) {
        throw new UsageError(
          `--host ${first.endpoint} and --host ${endpoint} are managers of different swarms (cluster ${first.clusterId} and ${clusterId}); give managers of one swarm only.`,
        );
      }
    }
    if (first !== null) this.clusterId ??= first.clusterId;
  }

  /** Leaves `failed` for the first other manager that answers as an active manager. */
  private moveOn(failed: SwarmApi, error: ConnectionError): Promise<boolean> {
    // Another read already moved on from this manager.
    if (this.current !== failed) return Promise.resolve(true);
    this.moving ??= this.findAnother(failed, error).finally(() => {
      this.moving = null;
    });
    return this.moving;
  }

  private async findAnother(failed: SwarmApi, error: ConnectionError): Promise<boolean> {
    const others = this.managers
      .map((api, index) => ({ api, index }))
      .filter(({ api }) => api !== failed);
    // All at once: a hung candidate must not hold up one that answers.
    const answers = await Promise.all(
      others.map(({ api }) => answerWithin(api.info(), this.probeTimeoutMs)),
    );
    // The earliest in the order given among those that answered as active managers.
    const found = others.find((_, i) => {
      const answer = answers[i];
      return (
        answer !== null &&
        answer !== undefined &&
        isActiveManager(answer) &&
        // Never a manager of another swarm, nor one that does not say which it belongs to.
        (this.clusterId === null || answer.clusterId === this.clusterId)
      );
    });
    if (found === undefined) return false;
    this.index = found.index;
    this.last = { from: failed.endpoint, to: found.api.endpoint, reason: error.message };
    for (const listener of this.listeners) listener();
    return true;
  }

  async info(): Promise<EngineInfo> {
    const info = await this.read((api) => api.info());
    this.clusterId ??= info.clusterId;
    return info;
  }

  version(): Promise<EngineVersion> {
    return this.read((api) => api.version());
  }

  ping(): Promise<string> {
    return this.read((api) => api.ping());
  }

  listNodes(): Promise<SwarmNode[]> {
    return this.read((api) => api.listNodes());
  }

  listServices(ids?: readonly string[]): Promise<SwarmService[]> {
    return this.read((api) => api.listServices(ids));
  }

  listTasks(query: TaskQuery): Promise<SwarmTask[]> {
    return this.read((api) => api.listTasks(query));
  }

  listNetworks(): Promise<SwarmNetwork[]> {
    return this.read((api) => api.listNetworks());
  }

  listSecrets(): Promise<SwarmSecret[]> {
    return this.read((api) => api.listSecrets());
  }

  listConfigs(): Promise<SwarmConfig[]> {
    return this.read((api) => api.listConfigs());
  }

  inspectSwarm(): Promise<SwarmCluster> {
    return this.read((api) => api.inspectSwarm());
  }

  inspectObject(kind: InspectKind, id: string): Promise<Record<string, unknown>> {
    return this.read((api) => api.inspectObject(kind, id));
  }

  watchEvents(options: {
    since?: bigint;
    signal: AbortSignal;
    onEvent: (event: SwarmEvent) => void;
  }): Promise<void> {
    // Opening is a read; a stream that ends later is reopened by the feed, here, on whoever is
    // in use by then.
    return this.read((api) => api.watchEvents(options));
  }

  streamLogs(
    query: LogQuery,
    options: { signal: AbortSignal; onLines: (lines: LogLine[]) => void },
  ): Promise<void> {
    return this.read((api) => api.streamLogs(query, options));
  }

  inspectService(id: string): Promise<ServiceDetail> {
    return this.read((api) => api.inspectService(id));
  }

  inspectNode(id: string): Promise<NodeDetail> {
    return this.read((api) => api.inspectNode(id));
  }

  scaleService(detail: ServiceDetail, replicas: number): Promise<void> {
    return this.current.scaleService(detail, replicas);
  }

  forceUpdateService(detail: ServiceDetail): Promise<void> {
    return this.current.forceUpdateService(detail);
  }

  rollbackService(detail: ServiceDetail): Promise<void> {
    return this.current.rollbackService(detail);
  }

  setNodeAvailability(detail: NodeDetail, availability: NodeAvailability): Promise<void> {
    return this.current.setNodeAvailability(detail, availability);
  }

  setNodeRole(detail: NodeDetail, role: NodeRole): Promise<void> {
    return this.current.setNodeRole(detail, role);
  }

  setNodeLabels(detail: NodeDetail, labels: Readonly<Record<string, string>>): Promise<void> {
    return this.current.setNodeLabels(detail, labels);
  }

  setServiceImage(detail: ServiceDetail, image: string): Promise<void> {
    return this.current.setServiceImage(detail, image);
  }

  inspectStack(name: string): Promise<StackDetail> {
    return this.read((api) => api.inspectStack(name));
  }

  removeService(id: string): Promise<void> {
    return this.current.removeService(id);
  }

  removeNetwork(id: string): Promise<void> {
    return this.current.removeNetwork(id);
  }

  removeSecret(id: string): Promise<void> {
    return this.current.removeSecret(id);
  }

  removeConfig(id: string): Promise<void> {
    return this.current.removeConfig(id);
  }

  createProbeService(spec: ProbeServiceSpec): Promise<string> {
    const api = this.current;
    return api.createProbeService?.(spec) ?? Promise.reject(new Error('no write half'));
  }
}
