import type { SwarmReads } from '../../source/docker/swarm-api.js';
import { createFreshnessStore } from '../../source/live/freshness.js';
import { startSwarmFeed } from '../../source/live/swarm-feed.js';
import type { Action } from '../../source/state/actions.js';

/** The swarm feed over `api`, and the actions it dispatched. */
export function feedOf(api: SwarmReads, refreshMs: number) {
  const actions: Action[] = [];
  const feed = startSwarmFeed({
    api,
    dispatch: (a) => actions.push(a),
    freshness: createFreshnessStore(),
    refreshMs,
  });
  return { feed, actions };
}
