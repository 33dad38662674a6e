import { describe, expect, it } from 'vitest';
import { initialState, reducer, type State } from '../../source/state/reducer.js';
import type { Action } from '../../source/state/actions.js';
import { paneRows, selectedRow, taskScope } from '../../source/state/selectors.js';
import { node, service, task } from '../helpers/factories.js';

const run = (state: State, ...actions: Action[]): State => actions.reduce(reducer, state);

const services = [service({ id: 's-web', name: 'web' }), service({ id: 's-api', name: 'api' })];
const nodes = [
  node({ id: 'n-w1', hostname: 'worker-1' }),
  node({
    id: 'n-m1',
    hostname: 'manager-1',
    role: 'manager',
    manager: { reachability: 'leader', address: '127.0.0.1:2377' },
  }),
];
const loaded = run(
  initialState,
  { type: 'services-loaded', services },
  { type: 'nodes-loaded', nodes },
);

describe('reducer: refreshes', () => {
  it('returns the same state object when a refresh brings nothing new', () => {
    const again = reducer(loaded, {
      type: 'services-loaded',
      services: services.map((s) => ({ ...s, labels: { ...s.labels } })),
    });
    expect(again).toBe(loaded);
    expect(reducer(loaded, { type: 'nodes-loaded', nodes: structuredClone(nodes) })).toBe(loaded);
  });

  it('keeps unchanged objects and replaces changed ones', () => {
    const changed = reducer(loaded, {
      type: 'services-loaded',
      services: [{ ...services[0]!, running: 0 }, structuredClone(services[1]!)],
    });
    expect(changed).not.toBe(loaded);
    expect(changed.services[1]).toBe(loaded.services[1]);
    expect(changed.services[0]!.running).toBe(0);
  });

  it('ignores an identical task answer for the same scope, keeps a new scope', () => {
    const tasks = [task({ id: 't1', serviceId: 's-web' })];
    const first = reducer(loaded, { type: 'tasks-loaded', scopeKey: 'service:s-web', tasks });
    expect(
      reducer(first, {
        type: 'tasks-loaded',
        scopeKey: 'service:s-web',
        tasks: structuredClone(tasks),
      }),
    ).toBe(first);
    const other = reducer(first, {
      type: 'tasks-loaded',
      scopeKey: 'service:s-api',
      tasks: structuredClone(tasks),
    });
    expect(other.tasks.scopeKey).toBe('service:s-api');
  });
});

describe('reducer: selection and navigation', () => {
  it('selects by id, so the selection follows its service when the list is re-sorted', () => {
    // rows are sorted by name: api, web
    const moved = reducer(loaded, { type: 'move', delta: 1 });
    expect(moved.lists.services.selectedId).toBe('s-web');
    const renamed = reducer(moved, {
      type: 'services-loaded',
      services: [{ ...services[0]!, name: 'aaa-web' }, services[1]!],
    });
    expect(selectedRow(paneRows(renamed, 'services'), renamed.lists.services.selectedId)?.id).toBe(
      's-web',
    );
    expect(paneRows(renamed, 'services')[0]!.id).toBe('s-web');
  });

  it('clamps moves at both ends and jumps to top and bottom', () => {
    expect(run(loaded, { type: 'move', delta: -5 }).lists.services.selectedId).toBe('s-api');
    expect(run(loaded, { type: 'move', delta: 50 }).lists.services.selectedId).toBe('s-web');
    expect(
      run(loaded, { type: 'move-to', edge: 'bottom' }, { type: 'move-to', edge: 'top' }).lists
        .services.selectedId,
    ).toBe('s-api');
  });

  it('cycles panes with Tab in both directions', () => {
    expect(reducer(loaded, { type: 'cycle-pane', step: 1 }).focus).toBe('tasks');
    expect(
      run(loaded, { type: 'cycle-pane', step: 1 }, { type: 'cycle-pane', step: 1 }).focus,
    ).toBe('services');
    expect(reducer(loaded, { type: 'cycle-pane', step: -1 }).focus).toBe('tasks');
  });

  it('drills from a service into its tasks and back with Esc', () => {
    const drilled = run(loaded, { type: 'move', delta: 1 }, { type: 'drill' });
    expect(drilled.view).toBe('tasks');
    expect(taskScope(drilled)).toEqual({ kind: 'service', id: 's-web' });
    const back = reducer(drilled, { type: 'back' });
    expect(back.view).toBe('services');
    expect(back.lists.services.selectedId).toBe('s-web');
  });

  it('drills from a node into the tasks on it', () => {
    const drilled = run(loaded, { type: 'show-view', view: 'nodes' }, { type: 'drill' });
    // managers sort first
    expect(taskScope(drilled)).toEqual({ kind: 'node', id: 'n-m1' });
  });

  it('shows every task on 3, scoped to nothing', () => {
    const tasksView = reducer(loaded, { type: 'show-view', view: 'tasks' });
    expect(taskScope(tasksView)).toEqual({ kind: 'all' });
  });

  it('the services view polls the selected service, the nodes view the selected node', () => {
    expect(taskScope(loaded)).toEqual({ kind: 'service', id: 's-api' });
    expect(taskScope(reducer(loaded, { type: 'show-view', view: 'nodes' }))).toEqual({
      kind: 'node',
      id: 'n-m1',
    });
  });
});

describe('reducer: filter', () => {
  it('filters live while typing, Enter keeps it and selects the first match', () => {
    let state = run(loaded, { type: 'filter-start' }, { type: 'filter-input', text: 'we' });
    expect(paneRows(state, 'services').map((s) => s.name)).toEqual(['web']);
    expect(state.input).toEqual({ mode: 'filter', text: 'we' });
    state = reducer(state, { type: 'filter-accept' });
    expect(state.input).toBeNull();
    expect(state.lists.services.filter).toBe('we');
    expect(state.lists.services.selectedId).toBe('s-web');
  });

  it('Esc while typing clears the filter', () => {
    const state = run(
      loaded,
      { type: 'filter-start' },
      { type: 'filter-input', text: 'we' },
      { type: 'filter-cancel' },
    );
    expect(state.lists.services.filter).toBe('');
    expect(paneRows(state, 'services')).toHaveLength(2);
  });

  it('Esc after a kept filter clears it before going back', () => {
    const state = run(
      loaded,
      { type: 'filter-start' },
      { type: 'filter-input', text: 'we' },
      { type: 'filter-accept' },
      { type: 'back' },
    );
    expect(state.lists.services.filter).toBe('');
  });
});

describe('reducer: command mode', () => {
  it('switches views by name and alias', () => {
    expect(
      run(
        loaded,
        { type: 'command-start' },
        { type: 'command-input', text: 'nodes' },
        { type: 'command-run' },
      ).view,
    ).toBe('nodes');
    expect(
      run(
        loaded,
        { type: 'command-start' },
        { type: 'command-input', text: 'ps' },
        { type: 'command-run' },
      ).view,
    ).toBe('tasks');
  });

  it('says so for an unknown command and changes nothing else', () => {
    const state = run(
      loaded,
      { type: 'command-start' },
      { type: 'command-input', text: 'rm -rf' },
      { type: 'command-run' },
    );
    expect(state.view).toBe('services');
    expect(state.message).toMatch(/Unknown command ":rm"/);
  });
});

describe('reducer: history and help', () => {
  it('hides shut-down history unless toggled, but never hides failures', () => {
    const tasks = [
      task({ id: 'cur', serviceId: 's-api', slot: 1, createdAt: '2026-11-25T00:03:00Z' }),
      task({
        id: 'old',
        serviceId: 's-api',
        slot: 1,
        desiredState: 'shutdown',
        state: 'shutdown',
        createdAt: '2026-11-25T00:01:00Z',
      }),
      task({
        id: 'bad',
        serviceId: 's-api',
        slot: 1,
        desiredState: 'shutdown',
        state: 'failed',
        error: 'task: non-zero exit (3)',
        exitCode: 3,
        createdAt: '2026-11-25T00:02:00Z',
      }),
    ];
    const state = reducer(loaded, { type: 'tasks-loaded', scopeKey: 'service:s-api', tasks });
    expect(paneRows(state, 'tasks').map((r) => r.id)).toEqual(['cur', 'bad']);
    const withHistory = reducer(state, { type: 'toggle-history' });
    expect(paneRows(withHistory, 'tasks').map((r) => r.id)).toEqual(['cur', 'bad', 'old']);
    expect(paneRows(withHistory, 'tasks')[0]!.name).toBe('api.1');
  });

  it('toggles help, and Esc closes it first', () => {
    const open = reducer(loaded, { type: 'toggle-help' });
    expect(open.help).toBe(true);
    expect(reducer(open, { type: 'back' }).help).toBe(false);
  });
});

describe('task order', () => {
  it('puts the newest task of a slot first, whichever node it runs on', () => {
    const tasks = [
      task({
        id: 'old',
        serviceId: 's-api',
        slot: 1,
        nodeId: 'n-m1',
        state: 'failed',
        desiredState: 'shutdown',
        error: 'boom',
        createdAt: '2026-11-25T00:01:00Z',
      }),
      task({
        id: 'new',
        serviceId: 's-api',
        slot: 1,
        nodeId: 'n-w1',
        createdAt: '2026-11-25T00:02:00Z',
      }),
      task({
        id: 'two',
        serviceId: 's-api',
        slot: 2,
        nodeId: 'n-m1',
        createdAt: '2026-11-25T00:00:00Z',
      }),
    ];
    const state = reducer(loaded, { type: 'tasks-loaded', scopeKey: 'service:s-api', tasks });
    expect(paneRows(state, 'tasks').map((r) => r.id)).toEqual(['new', 'old', 'two']);
  });
});

describe('reducer: a new filter', () => {
  it('/ starts from an empty filter, replacing the kept one', () => {
    const kept = [
      { type: 'filter-start' },
      { type: 'filter-input', text: 'we' },
      { type: 'filter-accept' },
    ].reduce((s, a) => reducer(s, a as Action), loaded);
    const again = reducer(kept, { type: 'filter-start' });
    expect(again.input).toEqual({ mode: 'filter', text: '' });
    expect(again.lists.services.filter).toBe('');
  });
});
