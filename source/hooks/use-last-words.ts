import { useEffect, useRef } from 'react';
import type { ReadableLogs } from '../model.js';
import type { SwarmReads } from '../docker/swarm-api.js';
import type { Action } from '../state/actions.js';
import { startLastWords, type LastWordsFeed } from '../live/last-words.js';

/** Fetches the last words of the tasks `wanted` names (each once), off the frame. */
export function useLastWords({
  api,
  dispatch,
  wanted,
  logsOf,
}: {
  api: SwarmReads;
  dispatch: (action: Action) => void;
  wanted: readonly string[];
  /** What the listed tasks say of their logs, as the screen now knows them. */
  logsOf: (taskId: string) => ReadableLogs | undefined;
}): void {
  const feed = useRef<LastWordsFeed | null>(null);
  const last = useRef<readonly string[]>([]);
  // The feed outlives renders: it reads the tasks known when it asks.
  const known = useRef(logsOf);
  useEffect(() => {
    known.current = logsOf;
  });
  useEffect(() => {
    const started = startLastWords({ api, dispatch, logsOf: (id) => known.current(id) });
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
