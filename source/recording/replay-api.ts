// `--replay DIR`: the reading half of the engine seam, answered from a recording at a chosen
// moment. There is no writing half: a replay cannot change a swarm, by construction.
import type { InspectKind, SwarmReads } from '../docker/swarm-api.js';
import type {
  EngineInfo,
  EngineVersion,
  SwarmCluster,
  SwarmEvent,
  SwarmNode,
  SwarmService,
  SwarmTask,
  TaskQuery,
} from '../model.js';
import type { RecordedState } from './format.js';
import { eventMs, type Timeline } from './timeline.js';

export class ReplayApi implements SwarmReads {
  readonly endpoint: string;
  private at: number;
  private cache: { at: number; state: RecordedState } | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(events: SwarmEvent[]) => void>();

  constructor(
    readonly timeline: Timeline,
    at: number,
    label: string,
  ) {
    this.endpoint = `replay of ${label}`;
    this.at = this.clamp(at);
  }

  private clamp(t: number): number {
    return Math.min(Math.max(t, this.timeline.start), this.timeline.end);
  }

  /** The moment shown. */
  moment(): number {
    return this.at;
  }

  /** Moves to another moment (kept within the recording); listeners hear of it. */
  moveTo(t: number): void {
    const next = this.clamp(t);
    if (next === this.at) return;
    const before = this.at;
    this.at = next;
    if (next > before) {
      const events = this.timeline.events
        .filter((e) => eventMs(e.event) > before && eventMs(e.event) <= next)
        .map((e) => e.event);
      if (events.length > 0) for (const listener of this.eventListeners) listener(events);
    }
    for (const listener of this.listeners) listener();
  }

  subscribeMoment(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** The swarm at the moment shown; the same object while the moment stays. */
  state(): RecordedState {
    if (this.cache?.at !== this.at) {
      this.cache = { at: this.at, state: this.timeline.stateAt(this.at) };
    }
    return this.cache.state;
  }

  info(): Promise<EngineInfo> {
    return Promise.resolve({
      hostname: 'replay',
      serverVersion: '',
      localNodeState: 'active',
      nodeId: null,
      controlAvailable: true,
      remoteManagers: [],
      clusterId: this.state().swarm?.id ?? null,
    });
  }

  version(): Promise<EngineVersion> {
    return Promise.resolve({ version: '', apiVersion: '1.44' });
  }

  ping(): Promise<string> {
    return Promise.resolve('1.44');
  }

  listNodes(): Promise<SwarmNode[]> {
    return Promise.resolve(this.state().nodes);
  }

  listServices(ids?: readonly string[]): Promise<SwarmService[]> {
    const all = this.state().services;
    if (ids === undefined) return Promise.resolve(all);
    const wanted = new Set(ids);
    return Promise.resolve(all.filter((s) => wanted.has(s.id)));
  }

  listTasks(query: TaskQuery): Promise<SwarmTask[]> {
    const all = this.state().tasks;
    const services = query.serviceIds
      ? new Set(query.serviceIds)
      : query.serviceId
        ? new Set([query.serviceId])
        : null;
    const tasks = all.filter(
      (t) =>
        (services === null || services.has(t.serviceId)) &&
        (query.nodeId === undefined || t.nodeId === query.nodeId) &&
        (!query.desiredRunningOnly || t.desiredState === 'running'),
    );
    return Promise.resolve(tasks.length === all.length ? all : tasks);
  }

  listNetworks() {
    return Promise.resolve([]);
  }

  listSecrets() {
    return Promise.resolve([]);
  }

  listConfigs() {
    return Promise.resolve([]);
  }

  inspectSwarm(): Promise<SwarmCluster> {
    const swarm = this.state().swarm;
    return swarm === null
      ? Promise.reject(new Error('The swarm itself was not recorded at this moment.'))
      : Promise.resolve(swarm);
  }

  inspectObject(kind: InspectKind, id: string): Promise<Record<string, unknown>> {
    const state = this.state();
    if (kind === 'swarm') {
      return state.swarm === null
        ? Promise.reject(new Error('The swarm itself was not recorded at this moment.'))
        : Promise.resolve({
            ...state.swarm,
            note: 'As recorded (smarm-top --replay), not the engine spec.',
          });
    }
    const list: { id: string }[] =
      kind === 'service'
        ? state.services
        : kind === 'node'
          ? state.nodes
          : kind === 'task'
            ? state.tasks
            : [];
    const found = list.find((item) => item.id === id);
    return found === undefined
      ? Promise.reject(new Error(`No such ${kind} at this moment of the recording.`))
      : Promise.resolve({
          ...found,
          note: 'As recorded (smarm-top --replay), not the engine spec.',
        });
  }

  watchEvents(options: {
    since?: bigint;
    signal: AbortSignal;
    onEvent: (event: SwarmEvent) => void;
  }): Promise<void> {
    const since = options.since ?? 0n;
    for (const { event } of this.timeline.events) {
      if (eventMs(event) > this.at) break;
      if (event.timeNano > since) options.onEvent(event);
    }
    return new Promise((resolve) => {
      const listener = (events: SwarmEvent[]) => events.forEach(options.onEvent);
      this.eventListeners.add(listener);
      options.signal.addEventListener('abort', () => {
        this.eventListeners.delete(listener);
        resolve();
      });
    });
  }

  streamLogs(): Promise<void> {
    return Promise.reject(new Error('Logs are not recorded: a replay shows none.'));
  }
}
