import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { SwarmReads } from '../docker/swarm-api.js';
import type { Action } from '../state/actions.js';

const noSubscription = (): (() => void) => () => undefined;

/**
 * The endpoint in use as the header shows it; after a move to another manager (failover) the
 * header names the one left, and the status line says why it was left.
 */
export interface EndpointOptions {
  /** The seam, which may move to another manager (failover). */
  api: SwarmReads;
  /** Where the reason for a move is said (the status line). */
  dispatch: (action: Action) => void;
}

export function useEndpoint({ api, dispatch }: EndpointOptions): string {
  const subscribe = useMemo(() => api.subscribeEndpoint?.bind(api) ?? noSubscription, [api]);
  const endpoint = useSyncExternalStore(subscribe, () => api.endpoint);
  const moved = api.lastFailover?.() ?? null;
  const arrived = moved !== null && moved.to === endpoint ? moved : null;
  useEffect(() => {
    if (arrived === null) return;
    dispatch({
      type: 'say',
      message: `${arrived.from} stopped answering (${arrived.reason}); now on ${arrived.to}.`,
    });
  }, [arrived, dispatch]);
  return arrived === null ? endpoint : `${endpoint} (failed over from ${arrived.from})`;
}
