import { describe, expect, it } from 'vitest';
import { createFreshnessStore, partialStaleness } from '../../source/live/freshness.js';

describe('freshness store', () => {
  it('knows since when the oldest unanswered refresh has waited', () => {
    const f = createFreshnessStore();
    expect(f.waitingSince()).toBeNull();
    f.started('services', 1_000);
    f.started('tasks', 2_000);
    // A refresh sent again while still unanswered keeps its first time.
    f.started('services', 3_000);
    expect(f.waitingSince()).toBe(1_000);
    f.succeeded('services', 4_000);
    expect(f.waitingSince()).toBe(2_000);
    f.failed('tasks', 'no answer');
    expect(f.waitingSince()).toBeNull();
  });

  it('takes the event stream as live until it is known to have ended', () => {
    const f = createFreshnessStore();
    expect(f.get().eventsLive).toBe(true);
    f.setEventsLive(false);
    expect(f.get().eventsLive).toBe(false);
  });
});

describe('partialStaleness', () => {
  it('names the stale kinds with their own age while others stay live', () => {
    const f = createFreshnessStore();
    f.succeeded('nodes', 1_000);
    f.succeeded('services', 1_000);
    f.succeeded('tasks', 1_000);
    f.failed('nodes', 'rpc error: code = Unknown desc = The swarm does not have a leader');
    f.succeeded('services', 14_000);
    f.succeeded('tasks', 14_000);
    expect(f.get().stale).toEqual(['nodes']);
    expect(partialStaleness(f, 15_000)).toBe('nodes stale 14 s · services, tasks live');
    expect(partialStaleness(f, 1_000 + 180_000)).toBe('nodes stale 3 min · services, tasks live');
    f.failed('tasks', 'no answer');
    expect(partialStaleness(f, 15_000)).toBe('nodes stale 14 s · tasks stale 1 s · services live');
  });

  it('says nothing when nothing or everything is stale, and never loaded when it never was', () => {
    const f = createFreshnessStore();
    f.succeeded('services', 1_000);
    expect(partialStaleness(f, 2_000)).toBeNull();
    f.failed('nodes', 'no answer');
    // services has not answered since nodes failed: nothing is known to be live yet
    expect(partialStaleness(f, 2_000)).toBeNull();
    f.succeeded('services', 2_000);
    expect(partialStaleness(f, 2_000)).toBe('nodes never loaded · services live');
    f.failed('services', 'no answer');
    expect(partialStaleness(f, 2_000)).toBeNull();
    f.succeeded('nodes', 3_000);
    f.succeeded('services', 3_000);
    expect(f.get().stale).toEqual([]);
  });

  it('does not call live a kind whose last answer came before the trouble (polled now and then)', () => {
    const f = createFreshnessStore();
    // the troubled tasks are polled every fifth refresh: their last answer is from before
    f.succeeded('troubled tasks', 1_000);
    f.succeeded('services', 1_000);
    f.succeeded('nodes', 1_000);
    f.failed('services', 'Cannot connect');
    f.failed('nodes', 'Cannot connect');
    expect(partialStaleness(f, 60_000)).toBeNull();
    // …and one that answered after the trouble began is live
    f.succeeded('troubled tasks', 61_000);
    expect(partialStaleness(f, 62_000)).toBe(
      'services stale 1 min · nodes stale 1 min · troubled tasks live',
    );
    // …until its answer is older than the header's two refresh intervals: not live any more
    expect(partialStaleness(f, 62_000, 4_000)).not.toBeNull();
    expect(partialStaleness(f, 70_000, 4_000)).toBeNull();
  });

  it('tells listeners when the stale kinds change under the same error', () => {
    const f = createFreshnessStore();
    let heard = 0;
    f.subscribe(() => heard++);
    f.failed('nodes', 'no answer');
    const before = heard;
    f.failed('tasks', 'no answer');
    expect(heard).toBe(before + 1);
  });
});
