import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SwarmReads } from '../../source/docker/swarm-api.js';
import { createFreshnessStore } from '../../source/live/freshness.js';
import { startSwarmFeed } from '../../source/live/swarm-feed.js';
import type { SwarmEvent } from '../../source/model.js';
import type { Action } from '../../source/state/actions.js';
import { reducer, startState } from '../../source/state/reducer.js';
import { service } from '../helpers/factories.js';

describe('services-patched', () => {
  const base = {
    ...startState({ readOnly: false, scaleCeiling: 1000 }),
    services: [service({ id: 'a', name: 'api' }), service({ id: 'w', name: 'web', running: 2 })],
  };

  it('replaces the services named, removes those gone, adds new ones, keeps the rest', () => {
    const next = reducer(base, {
      type: 'services-patched',
      ids: ['w', 'gone', 'n'],
      services: [service({ id: 'w', name: 'web', running: 5 }), service({ id: 'n', name: 'new' })],
    });
    expect(next.services.map((s) => [s.id, s.running])).toEqual([
      ['a', base.services[0]!.running],
      ['w', 5],
      ['n', service({ id: 'n', name: 'new' }).running],
    ]);
    expect(next.services[0]).toBe(base.services[0]);
  });

  it('removes a service whose event named it and the engine no longer has', () => {
    const next = reducer(base, { type: 'services-patched', ids: ['a'], services: [] });
    expect(next.services.map((s) => s.id)).toEqual(['w']);
  });

  it('keeps the same state when nothing changed', () => {
    const same = reducer(base, {
      type: 'services-patched',
      ids: ['w'],
      services: [structuredClone(base.services[1]!)],
    });
    expect(same).toBe(base);
  });
});

describe('the feed after a service event', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function feedWith() {
    let onEvent: ((e: SwarmEvent) => void) | null = null;
    const asked: Array<readonly string[] | undefined> = [];
    const api = {
      endpoint: 'unix:///fake.sock',
      info: async () => {
        throw new Error('unused');
      },
      version: async () => {
        throw new Error('unused');
      },
      listNodes: async () => [],
      listServices: async (ids?: readonly string[]) => {
        asked.push(ids);
        return [];
      },
      listTasks: async () => [],
      streamLogs: async () => undefined,
      watchEvents: (options: { onEvent: (e: SwarmEvent) => void; signal: AbortSignal }) =>
        new Promise<void>((resolve) => {
          onEvent = options.onEvent;
          options.signal.addEventListener('abort', () => resolve());
        }),
    } as unknown as SwarmReads;
    const actions: Action[] = [];
    const feed = startSwarmFeed({
      api,
      dispatch: (a) => actions.push(a),
      freshness: createFreshnessStore(),
      refreshMs: 60_000,
    });
    const emit = (id: string) =>
      onEvent?.({ type: 'service', action: 'update', id, name: id, attributes: {}, timeNano: 1n });
    return { feed, asked, actions, emit };
  }

  it('asks only for the services the events named', async () => {
    const { feed, asked, actions, emit } = feedWith();
    await vi.advanceTimersByTimeAsync(10);
    asked.length = 0;
    emit('s1');
    emit('s2');
    emit('s1');
    await vi.advanceTimersByTimeAsync(200);
    expect(asked).toEqual([['s1', 's2']]);
    expect(actions.at(-1)).toEqual({ type: 'services-patched', ids: ['s1', 's2'], services: [] });
    feed.stop();
  });

  it('asks for the whole list after a burst about many services', async () => {
    const { feed, asked, emit } = feedWith();
    await vi.advanceTimersByTimeAsync(10);
    asked.length = 0;
    for (let i = 0; i < 25; i++) emit(`s${i}`);
    await vi.advanceTimersByTimeAsync(200);
    expect(asked).toEqual([undefined]);
    feed.stop();
  });
});
