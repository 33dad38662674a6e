import { describe, expect, it } from 'vitest';
import { askFirstLists, firstScreen } from '../source/first-screen.js';
import { createFreshnessStore } from '../source/live/freshness.js';
import { startSwarmFeed } from '../source/live/swarm-feed.js';
import type { Action } from '../source/state/actions.js';
import { startState } from '../source/state/reducer.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { node, service, task } from './helpers/factories.js';

function swarm(): FakeSwarm {
  const fake = new FakeSwarm();
  fake.services = [service({ id: 'w', name: 'web' }), service({ id: 'a', name: 'api' })];
  fake.nodes = [node({ id: 'n1', hostname: 'manager-1' })];
  fake.tasks = [
    task({ id: 't1', serviceId: 'a', nodeId: 'n1' }),
    task({ id: 't2', serviceId: 'w', nodeId: 'n1' }),
  ];
  return fake;
}

const base = startState({ readOnly: false, scaleCeiling: 1000 });

describe('first screen', () => {
  it('starts with the lists and the tasks of the row that will be selected', async () => {
    const fake = swarm();
    const freshness = createFreshnessStore();
    const { state, seen } = await firstScreen(fake, base, askFirstLists(fake), freshness);
    expect(state.services.map((s) => s.name).sort()).toEqual(['api', 'web']);
    expect(state.nodes).toHaveLength(1);
    // "api" sorts first, so its tasks are the ones on screen.
    expect(state.tasks.items.map((t) => t.id)).toEqual(['t1']);
    expect(fake.calls).toEqual(['services', 'nodes', 'tasks:a']);
    expect(seen?.tasks?.map((t) => t.id)).toEqual(['t1']);
    expect(freshness.get().loaded).toBe(true);
  });

  it('leaves everything to the feed when the lists fail', async () => {
    const fake = swarm();
    fake.failWith = 'Cannot connect to the Docker engine';
    const result = await firstScreen(fake, base, askFirstLists(fake), createFreshnessStore());
    expect(result.state).toBe(base);
    expect(result.seen).toBeUndefined();
  });

  it('does not wait longer than it is told for lists that do not come', async () => {
    const fake = swarm();
    const never = new Promise<never>(() => undefined);
    const result = await firstScreen(
      fake,
      base,
      { services: never, nodes: never },
      createFreshnessStore(),
      10,
    );
    expect(result.state).toBe(base);
  });

  it('keeps the feed from dispatching the same answers again', async () => {
    const fake = swarm();
    const actions: Action[] = [];
    const lists = { services: fake.services, nodes: fake.nodes, tasks: null };
    const same = new FakeSwarm();
    // The API hands back the very same arrays for unchanged answers.
    same.listServices = async () => lists.services;
    same.listNodes = async () => lists.nodes;
    const feed = startSwarmFeed({
      api: same,
      dispatch: (a) => actions.push(a),
      freshness: createFreshnessStore(),
      refreshMs: 60_000,
      seen: lists,
    });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    feed.stop();
    // (The swarm is not one of the first screen's lists: its first answer is news.)
    expect(actions.filter((a) => a.type !== 'objects-loaded')).toEqual([]);
  });
});
