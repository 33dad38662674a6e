import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { holdActions } from '../../source/live/held-actions.js';

describe('held actions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds an action until the next one, which it goes just before', () => {
    const seen: string[] = [];
    const later = holdActions<string>((a) => seen.push(a), 2000);
    later.hold('words of a');
    later.hold('words of b');
    expect(seen).toEqual([]);
    later.dispatch('services');
    expect(seen).toEqual(['words of a', 'words of b', 'services']);
    vi.advanceTimersByTime(5000);
    expect(seen).toHaveLength(3);
  });

  it('lets a held action go after the cap when no other comes', () => {
    const seen: string[] = [];
    const later = holdActions<string>((a) => seen.push(a), 2000);
    later.hold('words');
    vi.advanceTimersByTime(1999);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['words']);
  });

  it('holds nothing while holding is off, and lets go what it held when turned off', () => {
    const seen: string[] = [];
    const later = holdActions<string>((a) => seen.push(a), 2000);
    later.hold('first');
    later.setHolding(false);
    expect(seen).toEqual(['first']);
    later.hold('second');
    expect(seen).toEqual(['first', 'second']);
    later.setHolding(true);
    later.hold('third');
    expect(seen).toEqual(['first', 'second']);
  });

  it('drops what it holds when stopped (the app is gone)', () => {
    const seen: string[] = [];
    const later = holdActions<string>((a) => seen.push(a), 2000);
    later.hold('words');
    later.stop();
    vi.advanceTimersByTime(5000);
    expect(seen).toEqual([]);
  });
});
