import type { InspectKind, SwarmReads } from '../../source/docker/swarm-api.js';
import type {
  EngineInfo,
  EngineVersion,
  LogLine,
  LogQuery,
  SwarmCluster,
  SwarmConfig,
  SwarmNetwork,
  SwarmSecret,
  SwarmNode,
  SwarmService,
  SwarmTask,
  TaskQuery,
} from '../../source/model.js';

import { cluster } from './factories.js';

/** An in-memory SwarmReads for component tests: data is set by the test, calls are counted. */
/** An active manager as /info tells it. */
export const MANAGER_INFO: EngineInfo = {
  hostname: 'manager-1',
  serverVersion: '20.10.24',
  localNodeState: 'active',
  nodeId: 'n1',
  controlAvailable: true,
  remoteManagers: [],
  clusterId: 'c1',
};

export class FakeSwarm implements SwarmReads {
  readonly endpoint = 'unix:///fake/docker.sock';
  nodes: SwarmNode[] = [];
  services: SwarmService[] = [];
  tasks: SwarmTask[] = [];
  networks: SwarmNetwork[] = [];
  secrets: SwarmSecret[] = [];
  configs: SwarmConfig[] = [];
  /** null: answers as a node that is not a manager. */
  swarm: SwarmCluster | null = cluster();
  calls: string[] = [];
  failWith: string | null = null;

  async info(): Promise<EngineInfo> {
    return { ...MANAGER_INFO };
  }

  async version(): Promise<EngineVersion> {
    return { version: '20.10.24', apiVersion: '1.41' };
  }

  async ping(): Promise<string> {
    return '1.41';
  }

  private answer<T>(what: string, value: T): Promise<T> {
    this.calls.push(what);
    if (this.failWith !== null) return Promise.reject(new Error(this.failWith));
    return Promise.resolve(structuredClone(value));
  }

  listNodes() {
    return this.answer('nodes', this.nodes);
  }

  listServices() {
    return this.answer('services', this.services);
  }

  listTasks(query: TaskQuery) {
    return this.answer(
      `tasks:${query.serviceId ?? query.serviceIds?.join(',') ?? query.nodeId ?? 'all'}`,
      this.tasks.filter(
        (t) =>
          (query.serviceId === undefined || t.serviceId === query.serviceId) &&
          (query.serviceIds === undefined || query.serviceIds.includes(t.serviceId)) &&
          (query.nodeId === undefined || t.nodeId === query.nodeId) &&
          (query.desiredRunningOnly !== true || t.desiredState === 'running'),
      ),
    );
  }

  listNetworks() {
    return this.answer('networks', this.networks);
  }

  listSecrets() {
    return this.answer('secrets', this.secrets);
  }

  listConfigs() {
    return this.answer('configs', this.configs);
  }

  inspectSwarm() {
    if (this.swarm === null) {
      this.calls.push('swarm');
      return Promise.reject(new Error('This node is not a swarm manager.'));
    }
    return this.answer('swarm', this.swarm);
  }

  /** Raw Engine JSON answered by inspectObject, keyed `kind:id`; a missing key answers "no longer exists". */
  raw = new Map<string, Record<string, unknown>>();

  inspectObject(kind: InspectKind, id: string): Promise<Record<string, unknown>> {
    const found = this.raw.get(`${kind}:${id}`);
    if (found === undefined && this.failWith === null) {
      this.calls.push(`inspect:${kind}:${id}`);
      return Promise.reject(new Error(`The ${kind} ${id} no longer exists.`));
    }
    return this.answer(`inspect:${kind}:${id}`, found ?? {});
  }

  /** Log lines handed to every log stream when it opens; `logQueries` records what was asked. */
  logLines: LogLine[] = [];
  logQueries: LogQuery[] = [];
  /** Pushes more lines into the open log streams. */
  private logListeners = new Set<(lines: LogLine[]) => void>();

  pushLogs(lines: LogLine[]): void {
    for (const listener of this.logListeners) listener(lines);
  }

  streamLogs(
    query: LogQuery,
    options: { signal: AbortSignal; onLines: (lines: LogLine[]) => void },
  ): Promise<void> {
    this.logQueries.push(query);
    if (this.logLines.length > 0) options.onLines(structuredClone(this.logLines));
    if (!query.follow) return Promise.resolve();
    this.logListeners.add(options.onLines);
    return new Promise((resolve) =>
      options.signal.addEventListener('abort', () => {
        this.logListeners.delete(options.onLines);
        resolve();
      }),
    );
  }

  watchEvents(options: { signal: AbortSignal }): Promise<void> {
    return new Promise((resolve) => options.signal.addEventListener('abort', () => resolve()));
  }
}
