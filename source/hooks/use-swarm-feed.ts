import { useCallback, useEffect, useRef } from 'react';
import type { SwarmReads } from '../docker/swarm-api.js';
import type { Action, TaskScope } from '../state/actions.js';
import type { FreshnessStore } from './freshness.js';
import { startSwarmFeed, type SwarmFeed } from './swarm-feed.js';

/** Starts the feed once per API and tells it which tasks are on screen; returns `hurry`. */
export function useSwarmFeed(
  api: SwarmReads,
  dispatch: (action: Action) => void,
  freshness: FreshnessStore,
  refreshMs: number,
  scope: TaskScope | null,
): () => void {
  const feed = useRef<SwarmFeed | null>(null);
  // The scope last handed to a feed, so that a feed restarted for a new API starts with it.
  const lastScope = useRef<TaskScope | null>(null);

  useEffect(() => {
    const started = startSwarmFeed({ api, dispatch, freshness, refreshMs });
    started.setScope(lastScope.current);
    feed.current = started;
    return () => {
      started.stop();
      feed.current = null;
    };
  }, [api, dispatch, freshness, refreshMs]);

  useEffect(() => {
    lastScope.current = scope;
    feed.current?.setScope(scope);
  }, [scope]);

  return useCallback(() => feed.current?.hurry(), []);
}
