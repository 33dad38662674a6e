import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SwarmReads } from '../../source/docker/swarm-api.js';
import type { SwarmEvent, TaskQuery } from '../../source/model.js';
import { createFreshnessStore } from '../../source/live/freshness.js';
import { startSwarmFeed } from '../../source/live/swarm-feed.js';
import { coalescedRun } from '../../source/live/coalesced-run.js';
import { cluster, service, task } from '../helpers/factories.js';
import { feedOf } from '../helpers/feed.js';

interface FakeApi extends SwarmReads {
  calls: string[];
  emit(event: Partial<SwarmEvent>): void;
  endStream(): void;
  sinceSeen: Array<bigint | undefined>;
  failServices: boolean;
}

function fakeApi(): FakeApi {
  let onEvent: ((e: SwarmEvent) => void) | null = null;
  let end: (() => void) | null = null;
  const api: FakeApi = {
    endpoint: 'unix:///fake.sock',
    calls: [],
    sinceSeen: [],
    failServices: false,
    info: async () => {
      throw new Error('unused');
    },
    version: async () => {
      throw new Error('unused');
    },
    ping: async () => {
      throw new Error('unused');
    },
    listNodes: async () => {
      api.calls.push('nodes');
      return [];
    },
    listServices: async () => {
      api.calls.push('services');
      if (api.failServices)
        throw new Error('Cannot connect to the Docker engine at unix:///fake.sock.');
      return [];
    },
    streamLogs: async () => undefined,
    inspectObject: async () => {
      throw new Error('unused');
    },
    listNetworks: async () => {
      api.calls.push('networks');
      return [];
    },
    listSecrets: async () => {
      api.calls.push('secrets');
      return [];
    },
    listConfigs: async () => {
      api.calls.push('configs');
      return [];
    },
    inspectSwarm: async () => {
      api.calls.push('swarm');
      return cluster();
    },
    listTasks: async (q: TaskQuery) => {
      api.calls.push(`tasks:${q.serviceId ?? q.serviceIds?.join('+') ?? q.nodeId ?? 'all'}`);
      return [];
    },
    watchEvents: (options) =>
      new Promise<void>((resolve) => {
        api.sinceSeen.push(options.since);
        onEvent = options.onEvent;
        end = resolve;
        options.signal.addEventListener('abort', () => resolve());
      }),
    emit(event) {
      onEvent?.({
        type: 'service',
        action: 'update',
        id: 'x',
        name: null,
        attributes: {},
        timeNano: 5n,
        ...event,
      });
    },
    endStream() {
      end?.();
    },
  };
  return api;
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('swarm feed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fetches everything once at start, then polls services and on-screen tasks', async () => {
    const api = fakeApi();
    const { feed } = feedOf(api, 2000);
    feed.setScope({ kind: 'service', id: 'web' });
    await flush();
    // The swarm too: the problems judge its CA.
    expect(api.calls.sort()).toEqual(['nodes', 'services', 'swarm', 'tasks:web']);
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(2000);
    expect(api.calls.sort()).toEqual(['services', 'tasks:web']);
    feed.stop();
  });

  it('fetches networks, secrets, configs and placements only while a view needs them', async () => {
    const api = fakeApi();
    const { feed, actions } = feedOf(api, 2000);
    await flush();
    api.calls.length = 0;
    // Twenty idle refreshes ask for none of them.
    await vi.advanceTimersByTimeAsync(40_000);
    expect(api.calls.filter((c) => c !== 'services' && c !== 'nodes')).toEqual([]);
    api.calls.length = 0;
    feed.setNeeds(['networks', 'placements']);
    await flush();
    expect(api.calls.sort()).toEqual(['networks', 'tasks:all']);
    expect(actions.some((a) => a.type === 'objects-loaded' && 'networks' in a.objects)).toBe(true);
    api.calls.length = 0;
    // Placements every refresh (tasks move without events), networks only on their events.
    await vi.advanceTimersByTimeAsync(2000);
    expect(api.calls.filter((c) => c !== 'services' && c !== 'nodes')).toEqual(['tasks:all']);
    api.calls.length = 0;
    api.emit({ type: 'network', action: 'create', id: 'net1' });
    api.emit({ type: 'secret', action: 'create', id: 'sec1' });
    await vi.advanceTimersByTimeAsync(500);
    expect(api.calls.filter((c) => c === 'networks' || c === 'secrets')).toEqual(['networks']);
    feed.setNeeds([]);
    api.calls.length = 0;
    api.emit({ type: 'network', action: 'remove', id: 'net1' });
    await vi.advanceTimersByTimeAsync(4000);
    expect(api.calls.filter((c) => c !== 'services' && c !== 'nodes')).toEqual([]);
    feed.stop();
  });

  it('asks for the swarm every thirtieth refresh when no view needs it, every refresh when one does', async () => {
    const api = fakeApi();
    const feed = startSwarmFeed({
      api,
      dispatch: () => undefined,
      freshness: createFreshnessStore(),
      refreshMs: 2000,
    });
    await flush();
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.calls.filter((c) => c === 'swarm')).toHaveLength(1);
    feed.setNeeds(['swarm']);
    await flush();
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(6000);
    expect(api.calls.filter((c) => c === 'swarm')).toHaveLength(3);
    feed.stop();
  });

  it("polls the troubled services' tasks in one request: every refresh while urgent, else every fifth", async () => {
    const api = fakeApi();
    const { feed, actions } = feedOf(api, 2000);
    const troubledCalls = () => api.calls.filter((c) => c === 'tasks:crashy+web').length;
    await flush();
    expect(api.calls.filter((c) => c.includes('+'))).toEqual([]);
    // in any order: the same set is the same request
    feed.setTroubled(['web', 'crashy'], false);
    await flush();
    expect(troubledCalls()).toBe(1);
    expect(actions).toContainEqual({ type: 'troubled-tasks-loaded', key: 'crashy,web', tasks: [] });
    api.calls.length = 0;
    feed.setTroubled(['crashy', 'web'], false);
    await flush();
    expect(api.calls).toEqual([]);
    // in the background: with the fifth refresh, as nodes
    await vi.advanceTimersByTimeAsync(4 * 2000);
    expect(troubledCalls()).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(troubledCalls()).toBe(1);
    // the problems view open: at once, then every refresh
    api.calls.length = 0;
    feed.setTroubled(['crashy', 'web'], true);
    await flush();
    expect(troubledCalls()).toBe(1);
    await vi.advanceTimersByTimeAsync(2 * 2000);
    expect(troubledCalls()).toBe(3);
    feed.stop();
  });

  it('asks only for the tasks of services that join the troubled set, and merges them', async () => {
    const api = fakeApi();
    api.listTasks = async (q: TaskQuery) => {
      const ids = q.serviceIds ?? [];
      api.calls.push(`tasks:${ids.join('+')}`);
      return ids.map((id) => task({ id: `${id}.1`, serviceId: id }));
    };
    const { feed, actions } = feedOf(api, 2000);
    await flush();
    const troubledLoaded = () =>
      actions
        .filter((a) => a.type === 'troubled-tasks-loaded')
        .map((a) => [a.key, a.tasks.map((t) => t.id).sort()]);
    feed.setTroubled(['a'], false);
    await flush();
    feed.setTroubled(['a', 'b'], false);
    await flush();
    // one gone, one joining: only the new one's tasks are asked for
    feed.setTroubled(['b', 'c'], false);
    await flush();
    // one gone: nothing to ask, and nothing to tell the store (it shows the followed ones only)
    feed.setTroubled(['c'], false);
    await flush();
    // the one gone comes back: it is asked for anew
    feed.setTroubled(['b', 'c'], false);
    await flush();
    feed.setTroubled(['c'], false);
    await flush();
    expect(api.calls.filter((c) => c.startsWith('tasks:') && c !== 'tasks:')).toEqual([
      'tasks:a',
      'tasks:b',
      'tasks:c',
      'tasks:b',
    ]);
    expect(troubledLoaded()).toEqual([
      ['a', ['a.1']],
      ['a,b', ['a.1', 'b.1']],
      ['b,c', ['b.1', 'c.1']],
      ['b,c', ['b.1', 'c.1']],
    ]);
    // at the troubled pace (the fifth refresh), and when the problems view opens: all of them
    feed.setTroubled(['c', 'd'], false);
    await flush();
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(5 * 2000);
    expect(api.calls.filter((c) => c.startsWith('tasks:c'))).toEqual(['tasks:c+d']);
    api.calls.length = 0;
    feed.setTroubled(['c', 'd'], true);
    await flush();
    expect(api.calls).toEqual(['tasks:c+d']);
    // none in trouble, then one again: its tasks are asked for anew, not taken from before
    feed.setTroubled([], false);
    await flush();
    feed.setTroubled(['c'], false);
    await flush();
    expect(api.calls).toEqual(['tasks:c+d', 'tasks:c']);
    feed.stop();
  });

  it('brings the tasks of a service a whole list puts in trouble with that list: one release, not a second after it is rendered', async () => {
    const api = fakeApi();
    let listed = [service({ id: 'web' }), service({ id: 'crashy' })];
    api.listServices = async () => {
      api.calls.push('services');
      return listed;
    };
    api.listTasks = async (q: TaskQuery) => {
      const ids = q.serviceIds ?? [];
      api.calls.push(`tasks:${ids.join('+')}`);
      return ids.map((id) => task({ id: `${id}.1`, serviceId: id }));
    };
    const released: string[][] = [];
    let batch: string[] | null = null;
    const feed = startSwarmFeed({
      api,
      // What is dispatched in one synchronous run is one render of the screen.
      dispatch: (a) => {
        if (batch === null) {
          const current: string[] = [];
          batch = current;
          released.push(current);
          queueMicrotask(() => (batch = null));
        }
        batch.push(a.type === 'troubled-tasks-loaded' ? `${a.type} ${a.key}` : a.type);
      },
      freshness: createFreshnessStore(),
      refreshMs: 2000,
    });
    await flush();
    feed.setScope(null);
    released.length = 0;
    api.calls.length = 0;
    // crashy falls below its count: the next whole list asks for its tasks before it is released
    listed = [service({ id: 'web' }), service({ id: 'crashy', running: 0 })];
    await vi.advanceTimersByTimeAsync(2000);
    expect(api.calls.filter((c) => c.startsWith('tasks:crashy'))).toEqual(['tasks:crashy']);
    expect(released.filter((b) => b.includes('services-loaded'))).toEqual([
      ['services-loaded', 'troubled-tasks-loaded crashy'],
    ]);
    // the store's set, once rendered, is the same: nothing more is asked or told
    api.calls.length = 0;
    released.length = 0;
    feed.setTroubled(['crashy'], false);
    await flush();
    expect(api.calls).toEqual([]);
    expect(released).toEqual([]);
    feed.stop();
  });

  it('turns a burst of service events into one debounced refetch', async () => {
    const api = fakeApi();
    const feed = startSwarmFeed({
      api,
      dispatch: () => undefined,
      freshness: createFreshnessStore(),
      refreshMs: 60_000,
    });
    await flush();
    api.calls.length = 0;
    api.emit({ type: 'service' });
    api.emit({ type: 'service' });
    api.emit({ type: 'service' });
    await vi.advanceTimersByTimeAsync(150);
    expect(api.calls.filter((c) => c === 'services')).toHaveLength(1);
    expect(api.calls).not.toContain('nodes');
    api.calls.length = 0;
    api.emit({ type: 'node' });
    await vi.advanceTimersByTimeAsync(150);
    expect(api.calls).toContain('nodes');
    feed.stop();
  });

  it('reconnects the event stream with since = the last event seen, and refetches', async () => {
    const api = fakeApi();
    const freshness = createFreshnessStore();
    const feed = startSwarmFeed({ api, dispatch: () => undefined, freshness, refreshMs: 60_000 });
    await flush();
    api.emit({ timeNano: 1_700_000_000_123_456_789n });
    api.endStream();
    await flush();
    expect(freshness.get().eventsLive).toBe(false);
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(6000);
    expect(api.sinceSeen).toEqual([undefined, 1_700_000_000_123_456_789n]);
    expect(api.calls).toContain('services');
    feed.stop();
  });

  it('marks the data stale when a refresh fails and fresh again when one succeeds', async () => {
    const api = fakeApi();
    const freshness = createFreshnessStore();
    api.failServices = true;
    const feed = startSwarmFeed({ api, dispatch: () => undefined, freshness, refreshMs: 1000 });
    await flush();
    expect(freshness.get().error).toMatch(/Cannot connect/);
    api.failServices = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(freshness.get().error).toBeNull();
    expect(freshness.lastSuccess()).not.toBeNull();
    feed.stop();
  });

  it('stops polling after stop()', async () => {
    const api = fakeApi();
    const feed = startSwarmFeed({
      api,
      dispatch: () => undefined,
      freshness: createFreshnessStore(),
      refreshMs: 1000,
    });
    await flush();
    feed.stop();
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.calls).toEqual([]);
  });
});

describe('swarm feed: one poll, one batch of answers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds an answer until the other answers of its poll are in, and no longer than 250 ms', async () => {
    const api = fakeApi();
    let answerServices: (() => void) | null = null;
    api.listServices = () =>
      new Promise((resolve) => {
        answerServices = () => resolve([service({ id: 's' })]);
      });
    const { feed, actions } = feedOf(api, 2000);
    feed.setScope({ kind: 'service', id: 's' });
    await flush();
    // Nodes and tasks answered; the services are still out: nothing reaches the store yet.
    expect(actions).toEqual([]);
    answerServices!();
    await flush();
    expect(actions.map((a) => a.type).sort()).toEqual([
      'nodes-loaded',
      'objects-loaded',
      'services-loaded',
      'tasks-loaded',
    ]);
    // A list that never answers holds the others back for 250 ms at most.
    actions.length = 0;
    api.listServices = () => new Promise(() => undefined);
    api.listTasks = async () => [task({ id: 'x', serviceId: 's' })];
    await vi.advanceTimersByTimeAsync(2000);
    expect(actions).toEqual([]);
    await vi.advanceTimersByTimeAsync(250);
    expect(actions.map((a) => a.type)).toContain('tasks-loaded');
    feed.stop();
  });
});

describe('coalescedRun', () => {
  it('never runs a job twice at once and runs once more after triggers during a run', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release: () => void = () => undefined;
    const run = coalescedRun(async () => {
      active++;
      runs++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => {
        release = r;
      });
      active--;
    });
    run.trigger();
    run.trigger();
    run.trigger();
    expect(runs).toBe(1);
    release();
    await flush();
    expect(runs).toBe(2);
    release();
    await flush();
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
  });
});

describe('swarm feed: faster while the swarm converges', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls every second for a while after an event, then at the normal interval', async () => {
    const api = fakeApi();
    const feed = startSwarmFeed({
      api,
      dispatch: () => undefined,
      freshness: createFreshnessStore(),
      refreshMs: 30_000,
      fastWindowMs: 5_000,
    });
    await flush();
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.calls.filter((c) => c === 'services')).toHaveLength(0);
    api.emit({ type: 'node' });
    await vi.advanceTimersByTimeAsync(5_000);
    // one debounced refetch plus about one poll a second
    expect(api.calls.filter((c) => c === 'services').length).toBeGreaterThanOrEqual(4);
    expect(api.calls.filter((c) => c === 'nodes').length).toBeGreaterThanOrEqual(4);
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.calls.filter((c) => c === 'services')).toHaveLength(0);
    feed.stop();
  });

  it('polls fast as long as a service is rolling out', async () => {
    const api = fakeApi();
    api.listServices = async () => {
      api.calls.push('services');
      return [service({ id: 's', updateState: 'updating' })];
    };
    const feed = startSwarmFeed({
      api,
      dispatch: () => undefined,
      freshness: createFreshnessStore(),
      refreshMs: 30_000,
    });
    await flush();
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(api.calls.filter((c) => c === 'services').length).toBeGreaterThanOrEqual(4);
    // a rollout changes no node: the nodes list keeps its pace (every fifth refresh)
    expect(api.calls.filter((c) => c === 'nodes').length).toBeLessThanOrEqual(1);
    feed.stop();
  });

  it('asks for the lists of every fifth refresh no more often while a rollout is polled fast', async () => {
    const api = fakeApi();
    api.listServices = async () => {
      api.calls.push('services');
      return [service({ id: 's', updateState: 'updating' })];
    };
    const { feed } = feedOf(api, 2000);
    feed.setNeeds(['networks']);
    feed.setTroubled(['s', 'web'], false);
    await flush();
    api.calls.length = 0;
    await vi.advanceTimersByTimeAsync(20_000);
    const count = (name: string) => api.calls.filter((c) => c === name).length;
    // The rolling service each second, the whole list each refresh …
    expect(count('services')).toBeGreaterThanOrEqual(19);
    // … and the background lists every fifth refresh (10 s), as at rest: twice in 20 s. Counted
    // in the fast pace's ticks they were asked for four times.
    expect(count('nodes')).toBe(2);
    expect(count('tasks:s+web')).toBe(2);
    expect(count('networks')).toBe(2);
    feed.stop();
  });
});
