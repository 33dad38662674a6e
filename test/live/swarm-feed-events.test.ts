// The feed hands every swarm event to the store (the events timeline) while refetching only on
// service and node events; at start it asks for the last minutes of history.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SwarmReads } from '../../source/docker/swarm-api.js';
import type { SwarmEvent, SwarmEventType } from '../../source/model.js';
import { EVENT_LOG_LIMIT } from '../../source/views/event-log.js';
import type { Action } from '../../source/state/actions.js';
import { createFreshnessStore } from '../../source/live/freshness.js';
import { startSwarmFeed, type SeenLists, type SwarmFeed } from '../../source/live/swarm-feed.js';

const START_MS = 1_795_588_000_000;
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

interface Fake {
  api: SwarmReads;
  calls: string[];
  since: Array<bigint | undefined>;
  emit(event: Partial<SwarmEvent>): void;
  endStream(): void;
}

function fake(): Fake {
  let onEvent: ((e: SwarmEvent) => void) | null = null;
  let end: (() => void) | null = null;
  const unused = async (): Promise<never> => {
    throw new Error('unused');
  };
  const f: Fake = {
    calls: [],
    since: [],
    api: {
      endpoint: 'unix:///fake.sock',
      info: unused,
      version: unused,
      ping: unused,
      inspectObject: unused,
      streamLogs: async () => undefined,
      listNetworks: async () => [],
      listSecrets: async () => [],
      listConfigs: async () => [],
      inspectSwarm: unused,
      listNodes: async () => {
        f.calls.push('nodes');
        return [];
      },
      listServices: async () => {
        f.calls.push('services');
        return [];
      },
      listTasks: async () => {
        f.calls.push('tasks');
        return [];
      },
      watchEvents: (options) =>
        new Promise<void>((resolve) => {
          f.since.push(options.since);
          onEvent = options.onEvent;
          end = resolve;
          options.signal.addEventListener('abort', () => resolve());
        }),
    } as SwarmReads,
    emit(event) {
      onEvent?.({
        type: 'service',
        action: 'update',
        id: 'x',
        name: 'x',
        attributes: {},
        timeNano: ns(Date.now()),
        ...event,
      });
    },
    endStream() {
      end?.();
    },
  };
  return f;
}

let feed: SwarmFeed | null = null;
let actions: Action[] = [];
const swarmEvents = () =>
  actions.flatMap((a) =>
    a.type === 'swarm-events' ? a.events.map((e) => `${e.type}:${e.action}`) : [],
  );

function start(
  f: Fake,
  options: { eventHistoryMs?: number; onEvent?: (e: SwarmEvent) => void; seen?: SeenLists },
) {
  feed = startSwarmFeed({
    api: f.api,
    dispatch: (action) => actions.push(action),
    freshness: createFreshnessStore(),
    refreshMs: 60_000,
    ...options,
  });
  // The events view open: events reach the store.
  feed.setEventsOpen(true);
}

describe('swarm feed: events for the timeline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START_MS);
    actions = [];
  });
  afterEach(() => {
    feed?.stop();
    feed = null;
    vi.useRealTimers();
  });

  it('dispatches every event, but refetches only for services and nodes', async () => {
    const f = fake();
    const seen: SwarmEvent[] = [];
    start(f, { onEvent: (e) => seen.push(e) });
    await vi.advanceTimersByTimeAsync(50);
    f.calls.length = 0;

    const quiet: SwarmEventType[] = ['secret', 'config', 'network'];
    for (const type of quiet) f.emit({ type, action: 'create', id: type });
    await vi.advanceTimersByTimeAsync(500);
    expect(swarmEvents()).toEqual(['secret:create', 'config:create', 'network:create']);
    expect(seen.map((e) => e.type)).toEqual(quiet);
    expect(f.calls).toEqual([]);

    f.emit({ type: 'node', action: 'update', id: 'n1' });
    await vi.advanceTimersByTimeAsync(500);
    expect(swarmEvents().at(-1)).toBe('node:update');
    expect(f.calls).toContain('nodes');
  });

  it('while the events view is closed, events wait (bounded) and come in one batch when it opens', async () => {
    const f = fake();
    start(f, {});
    feed!.setEventsOpen(false);
    await vi.advanceTimersByTimeAsync(50);
    for (let i = 0; i < EVENT_LOG_LIMIT + 20; i++) {
      f.emit({
        type: 'secret',
        action: 'create',
        id: `sec${i}`,
        timeNano: ns(Date.now()) + BigInt(i),
      });
    }
    await vi.advanceTimersByTimeAsync(1_000);
    expect(actions.filter((a) => a.type === 'swarm-events')).toEqual([]);
    feed!.setEventsOpen(true);
    const batches = actions.filter((a) => a.type === 'swarm-events');
    expect(batches).toHaveLength(1);
    const ids = batches[0]!.type === 'swarm-events' ? batches[0]!.events.map((e) => e.id) : [];
    // the oldest went, as they would from the timeline
    expect(ids).toHaveLength(EVENT_LOG_LIMIT);
    expect(ids[0]).toBe('sec20');
    expect(ids.at(-1)).toBe(`sec${EVENT_LOG_LIMIT + 19}`);
  });

  it('without history, follows from now on', async () => {
    const f = fake();
    start(f, {});
    await vi.advanceTimersByTimeAsync(10);
    expect(f.since).toEqual([undefined]);
  });

  it('asks for the history at start, and history events fill the timeline without refetching', async () => {
    const f = fake();
    start(f, { eventHistoryMs: 600_000 });
    await vi.advanceTimersByTimeAsync(50);
    expect(f.since).toEqual([ns(START_MS - 600_000)]);
    f.calls.length = 0;

    f.emit({ action: 'create', id: 'old', timeNano: ns(START_MS - 300_000) });
    f.emit({ type: 'node', id: 'n1', timeNano: ns(START_MS - 200_000) });
    await vi.advanceTimersByTimeAsync(500);
    expect(swarmEvents()).toEqual(['service:create', 'node:update']);
    expect(f.calls).toEqual([]);

    f.emit({ id: 'new', timeNano: ns(Date.now()) });
    await vi.advanceTimersByTimeAsync(500);
    expect(swarmEvents()).toHaveLength(3);
    expect(f.calls).toContain('services');
  });

  it('refetches on an event after the first lists were asked for, even before the feed started', async () => {
    const f = fake();
    // The first screen's lists were asked for 5 s before the feed started (the UI code loading).
    start(f, {
      eventHistoryMs: 600_000,
      seen: { services: [], nodes: [], tasks: null, askedAt: START_MS - 5_000 },
    });
    await vi.advanceTimersByTimeAsync(50);
    f.calls.length = 0;
    f.emit({ id: 'older', timeNano: ns(START_MS - 8_000) });
    await vi.advanceTimersByTimeAsync(500);
    expect(f.calls).toEqual([]);
    // A scale made while the first frame was up: the lists on screen may not have it.
    f.emit({ id: 'scaled', timeNano: ns(START_MS - 2_000) });
    await vi.advanceTimersByTimeAsync(500);
    expect(f.calls).toContain('services');
  });

  it('on reconnect resumes after the last event and drops the repeat of it', async () => {
    const f = fake();
    start(f, { eventHistoryMs: 600_000 });
    await vi.advanceTimersByTimeAsync(50);
    const last = { id: 's1', action: 'update', timeNano: ns(START_MS + 10) };
    f.emit(last);
    f.endStream();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.since).toEqual([ns(START_MS - 600_000), ns(START_MS + 10)]);

    // The engine's `since` includes its own instant: the last event comes again.
    f.emit(last);
    f.emit({ id: 's2', timeNano: ns(START_MS + 20) });
    await vi.advanceTimersByTimeAsync(500);
    expect(
      actions.flatMap((a) => (a.type === 'swarm-events' ? a.events.map((e) => e.id) : [])),
    ).toEqual(['s1', 's2']);
  });

  it('a stream that ends before any event asks for the same history again', async () => {
    const f = fake();
    start(f, { eventHistoryMs: 60_000 });
    await vi.advanceTimersByTimeAsync(50);
    f.endStream();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.since).toEqual([ns(START_MS - 60_000), ns(START_MS - 60_000)]);
  });
});
