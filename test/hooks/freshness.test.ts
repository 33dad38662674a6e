import { describe, expect, it } from 'vitest';
import { createFreshnessStore } from '../../source/hooks/freshness.js';

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
