import { describe, expect, it } from 'vitest';
import type { Action } from '../../source/state/actions.js';
import { logOffset } from '../../source/state/log-view.js';
import { initialState, reducer, type State } from '../../source/state/reducer.js';
import { service, task } from '../helpers/factories.js';

const press = (state: State, logTotal: number, ...names: string[]): State =>
  names.reduce(
    (s, name) => reducer(s, { type: 'key', name, pageSize: 10, at: 1, logTotal }),
    state,
  );

const base: State = [
  {
    type: 'services-loaded',
    services: [
      service({ id: 's-web', name: 'web' }),
      service({ id: 's-tty', name: 'ttylog', tty: true }),
    ],
  },
  {
    type: 'tasks-loaded',
    scopeKey: 'service:s-tty',
    tasks: [task({ id: 't1', serviceId: 's-tty', slot: 1 })],
  },
].reduce((s, a) => reducer(s, a as Action), initialState);

describe('logs view', () => {
  it('l on a service opens its merged logs, following, tail 200', () => {
    const state = press(base, 0, 'l');
    expect(state.view).toBe('logs');
    expect(state.logView).toMatchObject({
      target: { kind: 'service', id: 's-tty', name: 'ttylog', tty: true },
      follow: true,
      range: 0,
    });
    expect(state.places.at(-1)?.view).toBe('services');
  });

  it('l on a task opens that task only; Esc goes back where it came from', () => {
    const onTask = press(base, 0, 'tab');
    const state = press(onTask, 0, 'l');
    expect(state.logView?.target).toMatchObject({
      kind: 'task',
      id: 't1',
      name: 'ttylog.1',
      serviceId: 's-tty',
    });
    const back = press(state, 0, 'escape');
    expect(back.view).toBe('services');
    expect(back.logView).toBeNull();
  });

  it('f pauses at the current count; lines that come later are counted, not shown', () => {
    const paused = press(press(base, 0, 'l'), 500, 'f');
    expect(paused.logView).toMatchObject({ follow: false, pausedAt: 500 });
    expect(logOffset(paused.logView!, 530)).toBe(30);
    const resumed = press(paused, 530, 'f');
    expect(resumed.logView).toMatchObject({ follow: true, pausedAt: null });
    expect(logOffset(resumed.logView!, 600)).toBe(0);
  });

  it('scrolling up pauses, G follows again', () => {
    let state = press(press(base, 0, 'l'), 100, 'k', 'k', 'k');
    expect(state.logView).toMatchObject({ follow: false, scroll: 3, pausedAt: 100 });
    state = press(state, 120, 'j');
    expect(state.logView?.scroll).toBe(2);
    state = press(state, 120, 'G');
    expect(state.logView?.follow).toBe(true);
  });

  it('t, w and r toggle timestamps, wrap and cycle the range; o asks for a save', () => {
    let state = press(press(base, 0, 'l'), 0, 't', 'w', 'r', 'o');
    expect(state.logView).toMatchObject({ timestamps: true, wrap: true, range: 1 });
    expect(state.outbox).toEqual([
      { id: 1, kind: 'save-logs', target: expect.objectContaining({ kind: 'service' }) },
    ]);
    state = press(state, 0, 'r', 'r', 'r', 'r', 'r');
    expect(state.logView?.range).toBe(0);
  });

  it('/ filters the log lines; Esc clears the filter before leaving', () => {
    let state = press(press(base, 0, 'l'), 0, '/', 'e', 'r', 'r', 'return');
    expect(state.lists.logs.filter).toBe('err');
    state = press(state, 0, 'escape');
    expect(state.lists.logs.filter).toBe('');
    expect(state.view).toBe('logs');
  });

  it('the log keys do nothing outside the logs view', () => {
    expect(press(base, 0, 'f', 't', 'w', 'r', 'o')).toBe(base);
  });

  it('asks for a selection when there is nothing to show logs of', () => {
    const empty = press(initialState, 0, 'l');
    expect(empty.view).toBe('services');
    expect(empty.message).toMatch(/Select a service or a task/);
  });
});
