import { useCallback, useEffect, useRef } from 'react';
import type { SwarmReads } from '../docker/swarm-api.js';
import type { SwarmEvent, SwarmObjectKind } from '../model.js';
import type { Action, TaskScope } from '../state/actions.js';
import type { FreshnessStore } from '../live/freshness.js';
import {
  EVENT_HISTORY_MS,
  startSwarmFeed,
  type SeenLists,
  type SwarmFeed,
} from '../live/swarm-feed.js';

/** What the app tells the feed: the engine, where answers go, and what is on screen. */
export interface SwarmFeedOptions {
  /** The engine read from; a new one (a reconnect) starts a new feed. */
  api: SwarmReads;
  /** Where every answer goes, as an action for the reducer. */
  dispatch: (action: Action) => void;
  /** Records when each kind of data last answered, for the header's staleness. */
  freshness: FreshnessStore;
  /** How often the lists are polled, in milliseconds. */
  refreshMs: number;
  /** The tasks on screen (a service's, a node's, all of them); null: none. */
  scope: TaskScope | null;
  /** Services seen in trouble this session: their tasks are polled for the problems view. */
  troubled: readonly string[];
  /** The problems view is open: their tasks are polled every refresh, not every few. */
  urgent: boolean;
  /** The events view is open: events reach the store. */
  eventsOpen: boolean;
  /** The lists the open view needs beyond nodes, services and tasks. */
  needs: readonly SwarmObjectKind[];
  /** What the store held when the app started: the same answers are not dispatched again. */
  seen?: SeenLists;
  /** Hears every event as it arrives (the flight recorder). */
  onEvent?: (event: SwarmEvent) => void;
}

/** Starts the feed once per API and tells it which tasks are on screen; returns `hurry`. */
export function useSwarmFeed({
  api,
  dispatch,
  freshness,
  refreshMs,
  scope,
  troubled,
  urgent,
  eventsOpen,
  needs,
  seen,
  onEvent,
}: SwarmFeedOptions): () => void {
  const feed = useRef<SwarmFeed | null>(null);
  // The scope last handed to a feed, so that a feed restarted for a new API starts with it.
  const lastScope = useRef<TaskScope | null>(null);
  const lastTroubled = useRef<readonly string[]>([]);
  const lastUrgent = useRef(false);
  const lastEventsOpen = useRef(false);
  const lastNeeds = useRef<readonly SwarmObjectKind[]>([]);

  const firstSeen = useRef(seen);
  useEffect(() => {
    const started = startSwarmFeed({
      api,
      dispatch,
      freshness,
      refreshMs,
      seen: firstSeen.current,
      // The events timeline opens with the last minutes, not empty.
      eventHistoryMs: EVENT_HISTORY_MS,
      onEvent,
    });
    started.setScope(lastScope.current);
    started.setTroubled(lastTroubled.current, lastUrgent.current);
    started.setEventsOpen(lastEventsOpen.current);
    started.setNeeds(lastNeeds.current);
    feed.current = started;
    return () => {
      started.stop();
      feed.current = null;
    };
  }, [api, dispatch, freshness, refreshMs, onEvent]);

  useEffect(() => {
    lastScope.current = scope;
    feed.current?.setScope(scope);
  }, [scope]);

  useEffect(() => {
    lastTroubled.current = troubled;
    lastUrgent.current = urgent;
    feed.current?.setTroubled(troubled, urgent);
  }, [troubled, urgent]);

  useEffect(() => {
    lastEventsOpen.current = eventsOpen;
    feed.current?.setEventsOpen(eventsOpen);
  }, [eventsOpen]);

  // The same kinds in a new array (a new render) are not a change.
  const needsKey = needs.join(',');
  useEffect(() => {
    const kinds = needsKey === '' ? [] : (needsKey.split(',') as SwarmObjectKind[]);
    lastNeeds.current = kinds;
    feed.current?.setNeeds(kinds);
  }, [needsKey]);

  return useCallback(() => feed.current?.hurry(), []);
}
