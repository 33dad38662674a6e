import { describe, expect, it } from 'vitest';
import {
  isHistory,
  isNodeTrouble,
  isServiceDegraded,
  isTaskLive,
  isTaskProblem,
  isTaskTrouble,
  RECENT_FAILURE_MS,
  STUCK_PENDING_MS,
  timeMs,
} from '../source/health.js';
import { node, service, task } from './helpers/factories.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const t = (overrides: Partial<Parameters<typeof task>[0]>) =>
  task({ id: 't', serviceId: 's', ...overrides });

describe('health: one verdict on a task', () => {
  it.each([
    ['failed', 'shutdown', true],
    ['rejected', 'shutdown', true],
    ['orphaned', 'shutdown', true],
    ['pending', 'running', true],
    ['assigned', 'running', true],
    ['pending', 'shutdown', false],
    ['running', 'running', false],
    ['shutdown', 'shutdown', false],
    ['complete', 'shutdown', false],
  ])('%s (desired %s): trouble %s', (state, desiredState, trouble) => {
    expect(isTaskTrouble(t({ state, desiredState }))).toBe(trouble);
  });

  it('an error text alone is not trouble: the state says what happened', () => {
    expect(isTaskTrouble(t({ state: 'running', error: 'a past hiccup' }))).toBe(false);
  });

  it('a problem is a trouble that is current: a recent failure, a wait long enough to be stuck', () => {
    const failed = (ms: number) =>
      t({ state: 'failed', desiredState: 'shutdown', stateSince: ago(ms) });
    expect(isTaskProblem(failed(RECENT_FAILURE_MS - 1000), NOW)).toBe(true);
    expect(isTaskProblem(failed(RECENT_FAILURE_MS + 1000), NOW)).toBe(false);
    const waiting = (ms: number) => t({ state: 'pending', stateSince: ago(ms) });
    expect(isTaskProblem(waiting(STUCK_PENDING_MS + 1000), NOW)).toBe(true);
    expect(isTaskProblem(waiting(1000), NOW)).toBe(false);
    expect(isTaskProblem(t({ state: 'running', stateSince: ago(1000) }), NOW)).toBe(false);
  });

  it('live: desired running and holding or about to hold a slot (what a drain waits to see gone)', () => {
    for (const state of [
      'new',
      'pending',
      'assigned',
      'accepted',
      'preparing',
      'ready',
      'starting',
      'running',
    ]) {
      expect(isTaskLive(t({ state }))).toBe(true);
    }
    expect(isTaskLive(t({ state: 'running', desiredState: 'shutdown' }))).toBe(false);
    expect(isTaskLive(t({ state: 'failed' }))).toBe(false);
  });

  it('history: retired cleanly; a failure never is', () => {
    expect(isHistory(t({ state: 'shutdown', desiredState: 'shutdown' }))).toBe(true);
    expect(isHistory(t({ state: 'failed', desiredState: 'shutdown' }))).toBe(false);
    expect(isHistory(t({ state: 'running' }))).toBe(false);
  });

  it('history: a task told to shut down that is still seen running is not (a node gone down)', () => {
    expect(isHistory(t({ state: 'running', desiredState: 'shutdown' }))).toBe(false);
    expect(isHistory(t({ state: 'running', desiredState: 'remove' }))).toBe(false);
    expect(isHistory(t({ state: 'complete', desiredState: 'shutdown' }))).toBe(true);
  });
});

describe('health: services and nodes', () => {
  it('a service is degraded below its count or in a stopped or undone rollout', () => {
    expect(isServiceDegraded(service({ id: 's', running: 1, desired: 2 }))).toBe(true);
    expect(isServiceDegraded(service({ id: 's', updateState: 'paused' }))).toBe(true);
    expect(isServiceDegraded(service({ id: 's', updateState: 'rollback_started' }))).toBe(true);
    expect(isServiceDegraded(service({ id: 's', updateState: 'updating' }))).toBe(false);
    expect(isServiceDegraded(service({ id: 's' }))).toBe(false);
  });

  it('a node is in trouble when not ready, not active, or an unreachable manager', () => {
    expect(isNodeTrouble(node({ id: 'n' }))).toBe(false);
    expect(isNodeTrouble(node({ id: 'n', state: 'down' }))).toBe(true);
    expect(isNodeTrouble(node({ id: 'n', availability: 'drain' }))).toBe(true);
    const manager = (reachability: 'leader' | 'reachable' | 'unreachable') =>
      node({ id: 'n', role: 'manager', manager: { reachability, address: '127.0.0.1:2377' } });
    expect(isNodeTrouble(manager('leader'))).toBe(false);
    expect(isNodeTrouble(manager('reachable'))).toBe(false);
    expect(isNodeTrouble(manager('unreachable'))).toBe(true);
  });
});

describe('timeMs: engine times read once and remembered', () => {
  it('answers as Date.parse does, asked again and past what it remembers', () => {
    const base = Date.parse('2026-12-06T10:00:00Z');
    const times = Array.from(
      { length: 10_500 },
      (_, i) => `${new Date(base + i * 1000).toISOString().slice(0, 19)}.${i}123456Z`,
    );
    for (const time of [...times, ...times.slice(0, 100), ...times.slice(-100)]) {
      expect(timeMs(time)).toBe(Date.parse(time));
    }
    expect(timeMs('not a time')).toBeNull();
    expect(timeMs('not a time')).toBeNull();
    expect(timeMs(null)).toBeNull();
  });
});
