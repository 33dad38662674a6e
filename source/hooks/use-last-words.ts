import { useEffect, useRef } from 'react';
import type { SwarmReads } from '../docker/swarm-api.js';
import type { Action } from '../state/actions.js';
import { startLastWords, type LastWordsFeed } from '../live/last-words.js';

/** Fetches the last words of the tasks `wanted` names (each once), off the frame. */
export function useLastWords({
  api,
  dispatch,
  wanted,
}: {
  api: SwarmReads;
  dispatch: (action: Action) => void;
  wanted: readonly string[];
}): void {
  const feed = useRef<LastWordsFeed | null>(null);
  const last = useRef<readonly string[]>([]);
  useEffect(() => {
    const started = startLastWords({ api, dispatch });
    started.want(last.current);
    feed.current = started;
    return () => {
      started.stop();
      feed.current = null;
    };
  }, [api, dispatch]);
  // The same ids in a new array (a new render) are not a change.
  const key = wanted.join(',');
  useEffect(() => {
    const ids = key === '' ? [] : key.split(',');
    last.current = ids;
    feed.current?.want(ids);
  }, [key]);
}
