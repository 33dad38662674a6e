import type {
  EngineInfo,
  SwarmEvent,
  SwarmNode,
  SwarmService,
  SwarmTask,
  TaskQuery,
} from '../model.js';

/** Reads: everything smarm-top needs to show a swarm. Every call is bounded by a timeout. */
export interface SwarmReads {
  /** Human label of the endpoint in use, e.g. "unix:///var/run/docker.sock". */
  readonly endpoint: string;
  info(): Promise<EngineInfo>;
  listNodes(): Promise<SwarmNode[]>;
  /** GET /services?status=true: running/desired counts without listing tasks. */
  listServices(): Promise<SwarmService[]>;
  listTasks(query: TaskQuery): Promise<SwarmTask[]>;
  /**
   * Follows GET /events (swarm-scoped service and node events) and calls onEvent for each.
   * Resolves when the stream ends or `signal` aborts; rejects if it cannot be opened.
   */
  watchEvents(options: {
    since?: bigint;
    signal: AbortSignal;
    onEvent: (event: SwarmEvent) => void;
  }): Promise<void>;
}

export type SwarmApi = SwarmReads;
