import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SwarmReads } from '../../source/docker/swarm-api.js';
import type { SwarmEvent, SwarmService } from '../../source/model.js';
import { reducer, startState } from '../../source/state/reducer.js';
import { service } from '../helpers/factories.js';
import { feedOf } from '../helpers/feed.js';

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

  it('takes a whole list but keeps the services patched while it was on its way', () => {
    const patched = reducer(base, {
      type: 'services-patched',
      ids: ['w', 'a'],
      services: [service({ id: 'w', name: 'web', running: 7 }), service({ id: 'n', name: 'new' })],
    });
    // The list was asked for before the patch: it still has 'a' and the old 'w', not 'n'.
    const next = reducer(patched, {
      type: 'services-loaded',
      services: [
        service({ id: 'a', name: 'api' }),
        service({ id: 'w', name: 'web', running: 3 }),
        service({ id: 'x', name: 'other', running: 4 }),
      ],
      newer: ['w', 'a', 'n'],
    });
    expect(next.services.map((s) => [s.id, s.running])).toEqual([
      ['w', 7],
      ['x', 4],
      ['n', service({ id: 'n', name: 'new' }).running],
    ]);
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

  function feedWith({
    refreshMs = 60_000,
    listed = async () => [],
  }: {
    refreshMs?: number;
    listed?: (ids?: readonly string[]) => Promise<SwarmService[]>;
  } = {}) {
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
      listServices: (ids?: readonly string[]) => {
        asked.push(ids);
        return listed(ids);
      },
      listTasks: async () => [],
      streamLogs: async () => undefined,
      watchEvents: (options: { onEvent: (e: SwarmEvent) => void; signal: AbortSignal }) =>
        new Promise<void>((resolve) => {
          onEvent = options.onEvent;
          options.signal.addEventListener('abort', () => resolve());
        }),
    } as unknown as SwarmReads;
    const { feed, actions } = feedOf(api, refreshMs);
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

  it('during a rollout asks each second only for the rolling service, the whole list every refresh', async () => {
    const { feed, asked } = feedWith({
      refreshMs: 2000,
      listed: async (ids) =>
        ids === undefined
          ? [service({ id: 'r', updateState: 'updating' }), service({ id: 'q' })]
          : [service({ id: 'r', updateState: 'updating' })],
    });
    await vi.advanceTimersByTimeAsync(10);
    asked.length = 0;
    await vi.advanceTimersByTimeAsync(8000);
    const whole = asked.filter((ids) => ids === undefined).length;
    const patches = asked.filter((ids) => ids !== undefined);
    expect(whole).toBe(4);
    expect(patches).toHaveLength(4);
    expect(new Set(patches.map((ids) => ids!.join(',')))).toEqual(new Set(['r']));
    feed.stop();
  });

  it('when the rollout is over, polls at the normal interval again', async () => {
    let rolling = true;
    const { feed, asked } = feedWith({
      refreshMs: 2000,
      listed: async () => [service({ id: 'r', updateState: rolling ? 'updating' : 'completed' })],
    });
    await vi.advanceTimersByTimeAsync(10);
    rolling = false;
    await vi.advanceTimersByTimeAsync(1000);
    asked.length = 0;
    await vi.advanceTimersByTimeAsync(8000);
    expect(asked).toEqual([undefined, undefined, undefined, undefined]);
    feed.stop();
  });

  it('after a service event asks for that service at the fast pace, the whole list every refresh', async () => {
    const { feed, asked, emit } = feedWith({ refreshMs: 4000 });
    await vi.advanceTimersByTimeAsync(10);
    asked.length = 0;
    emit('s1');
    await vi.advanceTimersByTimeAsync(8000);
    expect(asked.filter((ids) => ids === undefined)).toHaveLength(2);
    // the event's own patch, then one a second (but at the whole list's polls)
    expect(asked.filter((ids) => ids !== undefined).length).toBeGreaterThanOrEqual(6);
    expect(asked.filter((ids) => ids !== undefined && ids.join(',') !== 's1')).toEqual([]);
    feed.stop();
  });

  it('patches an event that comes just before a fast poll, not with the whole list', async () => {
    const rolling = [service({ id: 'r', updateState: 'updating' })];
    const { feed, asked, emit } = feedWith({ refreshMs: 4000, listed: async () => rolling });
    await vi.advanceTimersByTimeAsync(10);
    asked.length = 0;
    // the fast polls tick every second; an event for the rolling service 50 ms before each
    for (let i = 0; i < 8; i++) {
      await vi.advanceTimersByTimeAsync(940);
      emit('r');
      await vi.advanceTimersByTimeAsync(60);
    }
    expect(asked.filter((ids) => ids === undefined)).toHaveLength(2);
    feed.stop();
  });

  it('hands a whole list on its way during a patch to the store with the patched services as newer', async () => {
    let answerWhole: (() => void) | null = null;
    const { feed, actions, emit } = feedWith({
      listed: (ids) =>
        ids === undefined
          ? new Promise((resolve) => {
              answerWhole = () => resolve([service({ id: 's1', running: 1 })]);
            })
          : Promise.resolve([service({ id: 's1', running: 9 })]),
    });
    await vi.advanceTimersByTimeAsync(10);
    emit('s1');
    await vi.advanceTimersByTimeAsync(200);
    answerWhole!();
    await vi.advanceTimersByTimeAsync(300);
    const loaded = actions.filter((a) => a.type === 'services-loaded');
    expect(loaded).toEqual([
      { type: 'services-loaded', services: [service({ id: 's1', running: 1 })], newer: ['s1'] },
    ]);
    feed.stop();
  });
});
