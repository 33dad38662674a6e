import { describe, expect, it } from 'vitest';
import type { Action } from '../../source/state/actions.js';
import { initialState, reducer, type State } from '../../source/state/reducer.js';
import { node, service, task } from '../helpers/factories.js';

const run = (state: State, ...actions: Action[]) => actions.reduce(reducer, state);

const loaded = run(
  initialState,
  { type: 'nodes-loaded', nodes: [node({ id: 'n1', hostname: 'worker-1' })] },
  {
    type: 'services-loaded',
    services: [
      service({ id: 's-web', name: 'web', stack: 'shop' }),
      service({ id: 's-api', name: 'api', stack: 'shop' }),
      service({ id: 's-db', name: 'db', stack: 'data' }),
    ],
  },
);

describe('navigation: a stack of places', () => {
  it('Enter pushes, Esc pops back through every level with what each place showed', () => {
    // stacks → the services of stack "shop" → the tasks of api → its logs
    const stacks = run(loaded, { type: 'show-view', view: 'stacks' }, { type: 'move', delta: 1 });
    expect(stacks.lists.stacks.selectedId).toBe('shop');
    const shop = run(stacks, { type: 'drill' });
    expect(shop).toMatchObject({ view: 'services', stack: 'shop' });
    const tasks = run(shop, { type: 'drill' });
    expect(tasks).toMatchObject({ view: 'tasks', drill: { kind: 'service', id: 's-api' } });
    const withTasks = run(tasks, {
      type: 'tasks-loaded',
      scopeKey: 'service:s-api',
      tasks: [task({ id: 't1', serviceId: 's-api', nodeId: 'n1' })],
    });
    const logs = run(withTasks, { type: 'open-logs' });
    expect(logs.view).toBe('logs');
    expect(logs.places.map((p) => p.view)).toEqual(['stacks', 'services', 'tasks']);

    const back1 = run(logs, { type: 'back' });
    expect(back1).toMatchObject({ view: 'tasks', logView: null });
    const back2 = run(back1, { type: 'back' });
    // The stack's narrowing belongs to that place, so it is back with it.
    expect(back2).toMatchObject({ view: 'services', stack: 'shop', focus: 'services' });
    const back3 = run(back2, { type: 'back' });
    expect(back3).toMatchObject({ view: 'stacks', stack: null, places: [] });
    // At the bottom of the stack Esc changes nothing.
    expect(run(back3, { type: 'back' })).toBe(back3);
  });

  it('a view key starts over: nothing to go back to', () => {
    const deep = run(
      loaded,
      { type: 'show-view', view: 'stacks' },
      { type: 'drill' },
      { type: 'drill' },
    );
    expect(deep.places).toHaveLength(2);
    const nodes = run(deep, { type: 'show-view', view: 'nodes' });
    expect(nodes).toMatchObject({ view: 'nodes', places: [], stack: null });
    expect(run(nodes, { type: 'back' })).toBe(nodes);
  });
});
