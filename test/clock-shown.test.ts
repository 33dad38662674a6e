import { describe, expect, it, vi } from 'vitest';
import { createClockGate, holdingTicks } from '../source/clock-shown.js';
import { makeTheme } from '../source/format/palette.js';
import type { Action } from '../source/state/actions.js';
import { reducer, startState, type State } from '../source/state/reducer.js';
import { node, service, task } from './helpers/factories.js';

const T0 = Date.parse('2024-05-01T12:00:00Z');
const theme = makeTheme('dark');

/** One service and its one task, which has been running for `ageMs` at T0. */
function swarm(ageMs: number): State {
  let state: State = { ...startState({ readOnly: false, scaleCeiling: 100 }), clock: T0 };
  state = reducer(state, { type: 'nodes-loaded', nodes: [node({ id: 'n1', hostname: 'n1' })] });
  state = reducer(state, {
    type: 'services-loaded',
    services: [service({ id: 's0', name: 'web', running: 1, desired: 1 })],
  });
  const since = new Date(T0 - ageMs).toISOString();
  return reducer(state, {
    type: 'tasks-loaded',
    scopeKey: 'service:s0',
    tasks: [
      task({
        id: 't1',
        serviceId: 's0',
        nodeId: 'n1',
        state: 'running',
        desiredState: 'running',
        stateSince: since,
        createdAt: since,
      }),
    ],
  });
}

describe('clockShown: a tick that changes nothing on screen need not render', () => {
  it('matters when a task on screen is seconds old, not when it is days old', () => {
    expect(createClockGate().matters(swarm(10_000), T0 + 5000, 120, 40, theme)).toBe(true);
    expect(createClockGate().matters(swarm(3 * 86_400_000), T0 + 5000, 120, 40, theme)).toBe(false);
    // … until the day turns.
    expect(createClockGate().matters(swarm(3 * 86_400_000), T0 + 86_400_000, 120, 40, theme)).toBe(
      true,
    );
  });

  it('the gate answers the same', () => {
    const gate = createClockGate();
    const old = swarm(3 * 86_400_000);
    expect(gate.matters(old, T0 + 5000, 120, 40, theme)).toBe(false);
    expect(gate.matters(old, T0 + 10_000, 120, 40, theme)).toBe(false);
    expect(gate.matters(swarm(10_000), T0 + 5000, 120, 40, theme)).toBe(true);
  });

  it('a held tick reaches the store right before the next action', () => {
    const seen: Action[] = [];
    const ticks = holdingTicks<Action>((a) => seen.push(a as Action));
    ticks.hold(T0 + 5000);
    ticks.hold(T0 + 10_000);
    expect(seen).toEqual([]);
    ticks.dispatch({ type: 'say', message: 'hi' });
    expect(seen).toEqual([
      { type: 'tick', at: T0 + 10_000 },
      { type: 'say', message: 'hi' },
    ]);
    ticks.dispatch({ type: 'say', message: 'again' });
    expect(seen).toHaveLength(3);
    ticks.hold(T0 + 15_000);
    ticks.release();
    expect(seen.at(-1)).toEqual({ type: 'tick', at: T0 + 15_000 });
  });

  it('a waiting tick goes with the next action, in its render; without one, `due` decides', () => {
    vi.useFakeTimers();
    try {
      const seen: Action[] = [];
      const ticks = holdingTicks<Action>((a) => seen.push(a as Action));
      let dues = 0;
      ticks.wait(T0 + 5000, 2500, () => dues++);
      vi.advanceTimersByTime(2000);
      ticks.dispatch({ type: 'say', message: 'an answer' });
      expect(seen).toEqual([
        { type: 'tick', at: T0 + 5000 },
        { type: 'say', message: 'an answer' },
      ]);
      // It went with the action: nothing is left to be due.
      vi.advanceTimersByTime(5000);
      expect(dues).toBe(0);

      ticks.wait(T0 + 10_000, 2500, () => dues++);
      vi.advanceTimersByTime(2499);
      expect(dues).toBe(0);
      vi.advanceTimersByTime(1);
      expect(dues).toBe(1);
      // Still held for the next action, as a tick held back is.
      ticks.dispatch({ type: 'say', message: 'later' });
      expect(seen.slice(-2)).toEqual([
        { type: 'tick', at: T0 + 10_000 },
        { type: 'say', message: 'later' },
      ]);

      ticks.wait(T0 + 15_000, 2500, () => dues++);
      ticks.stop();
      vi.advanceTimersByTime(5000);
      ticks.dispatch({ type: 'say', message: 'after stop' });
      expect(dues).toBe(1);
      expect(seen.at(-1)).toEqual({ type: 'say', message: 'after stop' });
      expect(seen.at(-2)).toEqual({ type: 'say', message: 'later' });
    } finally {
      vi.useRealTimers();
    }
  });
});
