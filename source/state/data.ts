// The swarm as the engine answered: lists shared with the last answer where unchanged (an
// unchanged poll returns the same state), the services seen in trouble, the events timeline.
import { deepEqual, shareList } from '../format/same.js';
import { isTaskProblem } from '../health.js';
import { appendEvent, describeEvent } from '../views/event-log.js';
import { troubledNow } from '../views/problem-rows.js';
import type { Action } from './actions.js';
import type { LastWords, SwarmObjects, SwarmService } from '../model.js';
import type { State } from './state.js';

/** Tasks whose last words are kept, at most (the oldest fetched go first). */
export const LAST_WORDS_KEPT = 200;

/** Services whose tasks are followed for the problems view, at most. */
export const TROUBLED_LIMIT = 30;

export type DataAction = Extract<
  Action,
  {
    type:
      | 'nodes-loaded'
      | 'services-loaded'
      | 'services-patched'
      | 'tasks-loaded'
      | 'troubled-tasks-loaded'
      | 'last-words-loaded'
      | 'swarm-events'
      | 'objects-loaded'
      | 'tick';
  }
>;

/**
 * A whole list that was on its way while some of its services were patched: the patched ones as
 * the store has them (absent when the patch found them gone), in the list's order, the rest as
 * listed.
 */
function withNewer(
  listed: readonly SwarmService[],
  stored: readonly SwarmService[],
  newer: readonly string[],
): SwarmService[] {
  const patched = new Set(newer);
  const mine = new Map(stored.filter((s) => patched.has(s.id)).map((s) => [s.id, s]));
  const out: SwarmService[] = [];
  for (const service of listed) {
    if (!patched.has(service.id)) out.push(service);
    else if (mine.has(service.id)) out.push(mine.get(service.id)!);
    mine.delete(service.id);
  }
  // Patched in since the list was made (created meanwhile).
  return [...out, ...mine.values()];
}

/**
 * The services followed for their tasks once `services` is the list: every service ever seen in
 * trouble while it exists (a crash loop is 1/1 half the time), oldest first. `troubled` itself
 * when that is no change. The feed asks it too, to fetch the newcomers' tasks with the list.
 */
export function troubledAfter(troubled: string[], services: readonly SwarmService[]): string[] {
  const exists = new Set(services.map((s) => s.id));
  const kept = troubled.filter((id) => exists.has(id));
  const degraded = troubledNow(services);
  const known = new Set(kept);
  const added = degraded.filter((id) => !known.has(id));
  if (added.length === 0 && kept.length === troubled.length) return troubled;
  // Past the limit the oldest that are healthy again go first: the tasks of every service that
  // ever failed would grow into the whole cluster's task list under churn.
  let next = [...kept, ...added];
  if (next.length > TROUBLED_LIMIT) {
    const below = new Set(degraded);
    const healthy = next.filter((id) => !below.has(id));
    const drop = new Set(healthy.slice(0, next.length - TROUBLED_LIMIT));
    next = next.filter((id) => !drop.has(id)).slice(-TROUBLED_LIMIT);
  }
  return next;
}

function trackTroubled(state: State): State {
  const troubled = troubledAfter(state.troubled, state.services);
  return troubled === state.troubled ? state : { ...state, troubled };
}

/**
 * A service leaves the troubled list once it is at its count and the tasks just fetched for it
 * show no failure in the recent window.
 */
function pruneTroubled(state: State, answered: ReadonlySet<string>): State {
  const below = new Set(troubledNow(state.services));
  const failing = new Set(
    state.troubledTasks.filter((t) => isTaskProblem(t, state.clock)).map((t) => t.serviceId),
  );
  const troubled = state.troubled.filter(
    (id) => !answered.has(id) || below.has(id) || failing.has(id),
  );
  return troubled.length === state.troubled.length ? state : { ...state, troubled };
}

export function dataSlice(state: State, action: DataAction): State {
  switch (action.type) {
    case 'nodes-loaded': {
      const nodes = shareList(state.nodes, action.nodes);
      return nodes === state.nodes ? state : { ...state, nodes };
    }
    case 'services-loaded': {
      const listed =
        action.newer === undefined || action.newer.length === 0
          ? action.services
          : withNewer(action.services, state.services, action.newer);
      const services = shareList(state.services, listed);
      return services === state.services ? state : trackTroubled({ ...state, services });
    }
    case 'services-patched': {
      const fresh = new Map(action.services.map((s) => [s.id, s]));
      const named = new Set(action.ids);
      const kept = state.services.flatMap((s) => {
        if (!named.has(s.id)) return [s];
        const now = fresh.get(s.id);
        fresh.delete(s.id);
        return now === undefined ? [] : [now];
      });
      // What is left in `fresh` was created since the last list.
      const services = shareList(state.services, [...kept, ...fresh.values()]);
      return services === state.services ? state : trackTroubled({ ...state, services });
    }
    case 'tasks-loaded': {
      const sameScope = state.tasks.scopeKey === action.scopeKey;
      const items = shareList(sameScope ? state.tasks.items : [], action.tasks);
      if (sameScope && items === state.tasks.items) return state;
      return { ...state, tasks: { scopeKey: action.scopeKey, items } };
    }
    case 'troubled-tasks-loaded': {
      const items = shareList(state.troubledTasks, action.tasks);
      if (items === state.troubledTasks) return state;
      return pruneTroubled({ ...state, troubledTasks: items }, new Set(action.key.split(',')));
    }
    case 'last-words-loaded': {
      const kept = Object.entries(state.lastWords).filter(([id]) => id !== action.taskId);
      // Keyed by task ids that come and go: an object with no prototype is a dictionary from
      // the start, where one built key by key gets a new hidden class per key and order (under
      // churn, tens of thousands of them within minutes).
      const lastWords = Object.create(null) as Record<string, LastWords>;
      for (const [id, words] of [...kept, [action.taskId, action.words] as const].slice(
        -LAST_WORDS_KEPT,
      )) {
        lastWords[id] = words;
      }
      return { ...state, lastWords };
    }
    case 'swarm-events': {
      let { events, eventSeq } = state;
      for (const event of action.events) {
        eventSeq += 1;
        events = appendEvent(events, describeEvent(event, eventSeq));
      }
      return { ...state, eventSeq, events };
    }
    case 'objects-loaded': {
      const before = state.objects;
      const after = { ...before };
      let changed = false;
      for (const [kind, value] of Object.entries(action.objects) as [
        keyof SwarmObjects,
        SwarmObjects[keyof SwarmObjects],
      ][]) {
        const old = before[kind];
        const next =
          Array.isArray(value) && Array.isArray(old)
            ? shareList<{ id: string }>(old, value)
            : deepEqual(old, value)
              ? old
              : value;
        if (next !== old) {
          (after as Record<string, unknown>)[kind] = next;
          changed = true;
        }
      }
      return changed ? { ...state, objects: after } : state;
    }
    case 'tick':
      return action.at === state.clock ? state : { ...state, clock: action.at };
  }
}
