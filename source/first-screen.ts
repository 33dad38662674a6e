import { answerWithin } from './answer-within.js';
import type { SwarmReads } from './docker/swarm-api.js';
import type { FreshnessStore } from './live/freshness.js';
import { queryFor, type SeenLists } from './live/swarm-feed.js';
import type { SwarmNode, SwarmService } from './model.js';
import { reducer, type State } from './state/reducer.js';
import { scopeKey, taskScope } from './state/selectors.js';

// The first frame is drawn with data rather than as an empty "loading" screen that is redrawn
// a moment later: the lists are asked for while the UI code loads (see cli.tsx), and the tasks
// of the row that will be selected right after. What is not there in time is left to the feed.

export interface FirstLists {
  services: Promise<SwarmService[]>;
  nodes: Promise<SwarmNode[]>;
  /** When they were asked for (epoch ms). */
  askedAt?: number;
}

/** How long the first frame waits for data before it is drawn without. */
export const FIRST_SCREEN_WAIT_MS = 1000;

/** Starts the requests; a failure is left for the feed to report. */
export function askFirstLists(api: SwarmReads): FirstLists {
  const askedAt = Date.now();
  const services = api.listServices();
  const nodes = api.listNodes();
  services.catch(() => undefined);
  nodes.catch(() => undefined);
  return { services, nodes, askedAt };
}

export interface FirstScreen {
  state: State;
  /** The answers as the API gave them, so that the feed does not dispatch them again. */
  seen?: SeenLists;
}

/** `base` with the first lists applied, as the feed would have applied them. */
export async function firstScreen(
  api: SwarmReads,
  base: State,
  first: FirstLists,
  freshness: FreshnessStore,
  waitMs = FIRST_SCREEN_WAIT_MS,
): Promise<FirstScreen> {
  const lists = await answerWithin(Promise.all([first.services, first.nodes]), waitMs);
  if (lists === null) return { state: base };
  const [services, nodes] = lists;
  let state = reducer(base, { type: 'services-loaded', services });
  state = reducer(state, { type: 'nodes-loaded', nodes });
  freshness.succeeded('services', Date.now());
  freshness.succeeded('nodes', Date.now());
  const scope = taskScope(state);
  const tasks = scope === null ? null : await answerWithin(api.listTasks(queryFor(scope)), waitMs);
  const askedAt = first.askedAt;
  if (scope === null || tasks === null) {
    return { state, seen: { services, nodes, tasks: null, askedAt } };
  }
  freshness.succeeded('tasks', Date.now());
  state = reducer(state, { type: 'tasks-loaded', scopeKey: scopeKey(scope)!, tasks });
  return { state, seen: { services, nodes, tasks, askedAt } };
}

/** The start notes (config entries that match nothing …) as the first status line says them. */
export function withNotes(state: State, notes: readonly string[] = []): State {
  return notes.length === 0 ? state : { ...state, message: notes.join(' ') };
}
