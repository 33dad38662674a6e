import type {
  SwarmEvent,
  SwarmNode,
  SwarmObjectKind,
  SwarmObjects,
  SwarmService,
  SwarmTask,
  TaskQuery,
} from '../model.js';
import type { SwarmReads } from '../docker/swarm-api.js';
import type { Action, TaskScope } from '../state/actions.js';
import { EVENT_LOG_LIMIT } from '../views/event-log.js';
import { scopeKey } from '../state/selectors.js';
import { troubledAfter } from '../state/data.js';
import { coalescedRun } from './coalesced-run.js';
import { holdActions } from './held-actions.js';
import { trace } from '../trace.js';
import type { FreshnessStore } from './freshness.js';
import { errorText } from '../format/error-text.js';

export interface FeedOptions {
  api: SwarmReads;
  dispatch: (action: Action) => void;
  freshness: FreshnessStore;
  /** Task and service poll interval. */
  refreshMs: number;
  /** Events arrive in bursts (one update is several events): wait this long, then refetch once. */
  debounceMs?: number;
  /** Node state comes with events; the node poll is only a safety net, this many intervals apart. */
  nodePollEvery?: number;
  /** While the swarm converges (after an event, during a rollout) poll this often instead. */
  fastMs?: number;
  /** How long after an event the fast polling lasts. */
  fastWindowMs?: number;
  now?: () => number;
  /** Lists the store already holds (a first screen drawn before the feed started). */
  seen?: SeenLists;
  /**
   * The first event stream starts this far in the past, so the events timeline shows what
   * happened just before the start (0: from now on). Reconnects resume after the last event.
   */
  eventHistoryMs?: number;
  /** Called with every event of every type, as it arrives. */
  onEvent?: (event: SwarmEvent) => void;
}

/** How much history the app asks for at start: enough to show how an incident began. */
export const EVENT_HISTORY_MS = 10 * 60_000;

/**
 * While the events view is open, events reach the store in batches this far apart: a rollout's
 * stream of events costs a render per batch, not per event.
 */
const EVENT_BATCH_MS = 250;

/** Events remembered to drop the repeats a reconnect brings (`since` includes its own instant). */
const RECENT_EVENT_KEYS = 256;

function eventKey(event: SwarmEvent): string {
  return `${event.timeNano}|${event.type}|${event.id}|${event.action}|${JSON.stringify(event.attributes)}`;
}

export interface SeenLists {
  services: SwarmService[];
  nodes: SwarmNode[];
  tasks: SwarmTask[] | null;
  /**
   * When they were asked for (epoch ms): a change the engine made after it may be missing from
   * them, so its event refetches even though it came before the feed started.
   */
  askedAt?: number;
}

export interface SwarmFeed {
  setScope(scope: TaskScope | null): void;
  /** The events view is open: events reach the store (in batches); else they wait, bounded. */
  setEventsOpen(open: boolean): void;
  /**
   * The services seen in trouble: their tasks are polled too, for the problems they show —
   * every refresh while `urgent` (the problems view is open), else every few.
   */
  setTroubled(ids: readonly string[], urgent: boolean): void;
  /**
   * The lists the open view needs (networks, secrets, configs, the swarm, placements): each is
   * fetched when it becomes needed, then on its events and every refresh while needed.
   */
  setNeeds(kinds: readonly SwarmObjectKind[]): void;
  refreshAll(): void;
  /** Poll fast for a while: an operation is converging. */
  hurry(): void;
  stop(): void;
}

const MAX_BACKOFF_MS = 5_000;
/** An answer waits this long at most for the other answers of its poll (see `dispatch`). */
const HOLD_MS = 250;
/**
 * The swarm (its CA, its settings) is asked for this many refreshes apart while no view needs it:
 * the problems view judges the CA's expiry and nodes on an old CA from it (a minute at 2 s).
 */
const SWARM_POLL_EVERY = 30;
const ROLLING = new Set(['updating', 'rollback_started']);
/** More services than this moving at once: the whole list is cheaper than the parts. */
const PATCH_LIMIT = 20;

export function queryFor(scope: TaskScope): TaskQuery {
  if (scope.kind === 'service') return { serviceId: scope.id };
  if (scope.kind === 'troubled') return { serviceIds: scope.ids };
  if (scope.kind === 'node') return { nodeId: scope.id };
  return {};
}

/**
 * Keeps the store fed: one /events stream triggers targeted, debounced refetches; services and
 * the on-screen tasks are polled; nothing is fetched twice at once.
 */
export function startSwarmFeed(options: FeedOptions): SwarmFeed {
  const { api, freshness, refreshMs } = options;
  const debounceMs = options.debounceMs ?? 100;
  const nodePollEvery = options.nodePollEvery ?? 5;
  const fastMs = Math.min(options.fastMs ?? 1000, refreshMs);
  const fastWindowMs = options.fastWindowMs ?? 10_000;
  const now = options.now ?? Date.now;
  // Polling speeds up while the swarm is converging: for a while after a service or node event
  // (a scale, a drain), and as long as a service is rolling out or rolling back.
  let fastUntil = 0;
  // The nodes list is asked for at that pace only after a node event (a drain, a node going
  // down): a rollout changes services and tasks, not nodes (0.2 MB a second at 100 nodes).
  let nodesFastUntil = 0;
  // Likewise the whole service list (about a megabyte at 1,000 services): at the fast pace only
  // after a node event or an operation, when any service may move. A rollout or a service's event
  // names the services that move: at the fast pace only they are asked for, and the whole list
  // keeps the normal interval.
  let wholeFastUntil = 0;
  const rolling = new Set<string>();
  const namedUntil = new Map<string, number>();
  const noteRolling = (list: readonly SwarmService[]): void => {
    for (const s of list) if (ROLLING.has(s.updateState ?? '')) rolling.add(s.id);
  };
  const movingServices = (at: number): string[] => {
    for (const [id, until] of namedUntil) if (until <= at) namedUntil.delete(id);
    return [...new Set([...rolling, ...namedUntil.keys()])];
  };
  let stopped = false;
  let scope: TaskScope | null = null;
  // The troubled services as the store orders them (oldest first), and sorted (a request's key).
  let troubledOrder: string[] = [];
  let troubled: readonly string[] = [];
  let troubledUrgent = false;

  // One poll asks for several lists at once. An answer that comes while others are still out
  // waits for them (at most HOLD_MS), so that the poll's answers reach the store together: one
  // render of the screen, not one per list.
  let inFlight = 0;
  const held = holdActions(options.dispatch, HOLD_MS);
  const dispatch = (action: Action): void => {
    if (inFlight === 0) held.dispatch(action);
    else held.hold(action);
  };

  const guarded = (what: string, fetch: () => Promise<void>) =>
    coalescedRun(async () => {
      inFlight += 1;
      try {
        freshness.started(what, now());
        await fetch();
        if (!stopped) freshness.succeeded(what, now());
      } catch (error) {
        if (!stopped) freshness.failed(what, errorText(error));
      } finally {
        inFlight -= 1;
        if (inFlight === 0 && !stopped) held.release();
      }
    });

  // The API hands back the very same list when the engine's answer did not change: then there
  // is nothing to tell the store (not even a comparison to make).
  const last = {
    services: (options.seen?.services ?? null) as unknown,
    nodes: (options.seen?.nodes ?? null) as unknown,
    tasks: (options.seen?.tasks ?? null) as unknown,
  };
  // The services patched while a whole list is on its way: the list is older news for them.
  let patchedMeanwhile: Set<string> | null = null;
  const services = guarded('services', async () => {
    const newer = new Set<string>();
    patchedMeanwhile = newer;
    let list: SwarmService[];
    try {
      list = await api.listServices();
    } finally {
      patchedMeanwhile = null;
    }
    rolling.clear();
    noteRolling(list);
    if (stopped || (list === last.services && newer.size === 0)) return;
    last.services = list;
    trace({ event: 'loaded', what: 'services', count: list.length });
    joinTroubled(list);
    dispatch({
      type: 'services-loaded',
      services: list,
      ...(newer.size > 0 ? { newer: [...newer] } : {}),
    });
  });
  const nodes = guarded('nodes', async () => {
    const list = await api.listNodes();
    if (stopped || list === last.nodes) return;
    last.nodes = list;
    trace({ event: 'loaded', what: 'nodes', count: list.length });
    dispatch({ type: 'nodes-loaded', nodes: list });
  });
  const tasks = guarded('tasks', async () => {
    const wanted = scope;
    if (wanted === null) return;
    const list = await api.listTasks(queryFor(wanted));
    // Only skip when the scope shown is still the one this list answers.
    if (stopped || (list === last.tasks && wanted === scope)) return;
    last.tasks = list;
    trace({ event: 'loaded', what: 'tasks', count: list.length });
    dispatch({ type: 'tasks-loaded', scopeKey: scopeKey(wanted)!, tasks: list });
  });

  // A crash loop is 1/1 half the time: its failures are only seen in its tasks, so the tasks of
  // every service seen in trouble are asked for (one request, the engine filters). When services
  // join the set only theirs are asked for, and merged with what is known: under churn the set
  // grows every second or two, and the whole set's tasks are hundreds of kilobytes at 1,000
  // services; all of them are asked for again at the troubled pace (see `poll`).
  let troubledKnown: { ids: readonly string[]; tasks: SwarmTask[] } | null = null;
  let troubledWhole = true;
  const troubledTasks = guarded('troubled tasks', async () => {
    const ids = troubled;
    if (ids.length === 0) {
      // What is known would be old news for a service that comes back into the set later.
      troubledKnown = null;
      return;
    }
    const known = troubledKnown;
    const whole = troubledWhole || known === null;
    troubledWhole = false;
    const knownIds = new Set(known?.ids);
    const asked = whole ? ids : ids.filter((id) => !knownIds.has(id));
    // What is known of the services still followed and not asked for again.
    const wanted = new Set(ids);
    const fresh = new Set(asked);
    const kept = whole
      ? []
      : known!.tasks.filter((t) => wanted.has(t.serviceId) && !fresh.has(t.serviceId));
    if (asked.length === 0) {
      // A set that only shrank needs no answer (the store shows only the followed services'
      // tasks); what is known shrinks with it, so that a service coming back is asked for anew.
      troubledKnown = { ids, tasks: kept };
      return;
    }
    const answer = await api.listTasks({ serviceIds: asked });
    if (stopped) return;
    // The API hands back the very same answer when nothing changed.
    if (whole && answer === known?.tasks && ids === troubled) return;
    const list = whole ? answer : [...kept, ...answer];
    troubledKnown = { ids, tasks: list };
    dispatch({ type: 'troubled-tasks-loaded', key: ids.join(','), tasks: list });
  });
  // The services a whole list puts into the troubled set: their tasks are asked for at once, and
  // reach the store with the list (held while asked) instead of after the render it causes.
  const joinTroubled = (list: readonly SwarmService[]): void => {
    const next = troubledAfter(troubledOrder, list);
    const current = new Set(troubled);
    // Only a newcomer is worth asking for; the store says what leaves (setTroubled).
    if (next.every((id) => current.has(id))) return;
    troubledOrder = next;
    troubled = [...next].sort();
    troubledTasks.trigger();
  };
  const allTroubledTasks = (): void => {
    troubledWhole = true;
    troubledTasks.trigger();
  };

  // After a service event only the services it names are asked for: a few hundred bytes where
  // the whole list is about a megabyte at 1,000 services (P6: a scale on screen within 500 ms).
  const changedServices = new Set<string>();
  const servicePatch = (take: () => string[]) =>
    guarded('services', async () => {
      const ids = take();
      if (ids.length === 0) return;
      const whole = patchedMeanwhile;
      const list = await api.listServices(ids);
      if (stopped) return;
      for (const id of ids) {
        rolling.delete(id);
        whole?.add(id);
      }
      noteRolling(list);
      trace({ event: 'loaded', what: 'services', count: list.length });
      dispatch({ type: 'services-patched', ids, services: list });
    });
  const patchServices = servicePatch(() => {
    const ids = [...changedServices];
    changedServices.clear();
    return ids;
  });
  // The fast pace's: apart from the events' own (whose debounce would find its ids taken).
  const patchMoving = servicePatch(() => movingServices(now()));

  // The rest of the swarm's objects: small lists that change only with their own events.
  let needs = new Set<SwarmObjectKind>();
  // The API hands back the very same answer when nothing changed: nothing to tell the store.
  const lastObjects = new Map<SwarmObjectKind, unknown>();
  const objectFetcher = <K extends SwarmObjectKind>(
    kind: K,
    fetch: () => Promise<NonNullable<SwarmObjects[K]>>,
  ) =>
    guarded(kind, async () => {
      const value = await fetch();
      if (stopped || lastObjects.get(kind) === value) return;
      lastObjects.set(kind, value);
      dispatch({ type: 'objects-loaded', objects: { [kind]: value } });
    });
  const objectFetch = {
    networks: objectFetcher('networks', () => api.listNetworks()),
    secrets: objectFetcher('secrets', () => api.listSecrets()),
    configs: objectFetcher('configs', () => api.listConfigs()),
    swarm: objectFetcher('swarm', () => api.inspectSwarm()),
    placements: objectFetcher('placements', () => api.listTasks({ desiredRunningOnly: true })),
  } satisfies Record<SwarmObjectKind, { trigger(): void }>;
  // Which events make a needed list old.
  const LIST_OF_EVENT: Partial<Record<SwarmEvent['type'], SwarmObjectKind>> = {
    network: 'networks',
    secret: 'secrets',
    config: 'configs',
  };

  // The lists asked for every few refreshes count refresh intervals, not the fast pace's ticks:
  // else a rollout would ask for them twice as often (the nodes every 5 s instead of 10).
  let refreshes = 0;
  let lastRefresh = now();
  let lastWholePoll = lastRefresh;
  const poll = setInterval(() => {
    const at = now();
    const fast = rolling.size > 0 || at < fastUntil;
    // The timer ticks at the fast pace; a normal poll waits for the whole interval.
    const halfTick = fastMs / 2;
    const due = at - lastWholePoll >= refreshMs - halfTick;
    if (!fast && !due) return;
    const newRefresh = at - lastRefresh >= refreshMs - halfTick;
    if (newRefresh) {
      lastRefresh = at;
      refreshes += 1;
    }
    const every = (n: number): boolean => newRefresh && refreshes % n === 0;
    const moving = movingServices(at);
    if (due || at < wholeFastUntil || moving.length > PATCH_LIMIT) {
      lastWholePoll = at;
      services.trigger();
    } else if (moving.length > 0) patchMoving.trigger();
    tasks.trigger();
    if (troubledUrgent || every(nodePollEvery)) allTroubledTasks();
    if (at < nodesFastUntil || every(nodePollEvery)) nodes.trigger();
    // Networks, secrets and configs change only with their events: the poll is a safety net.
    for (const kind of needs) {
      if (kind === 'swarm' || kind === 'placements' || every(nodePollEvery)) {
        objectFetch[kind].trigger();
      }
    }
    if (!needs.has('swarm') && every(SWARM_POLL_EVERY)) objectFetch.swarm.trigger();
  }, fastMs);

  // Debounced, targeted refetch after events.
  const pending = { services: false, nodes: false };
  let debounce: ReturnType<typeof setTimeout> | null = null;
  // Events from before the start (the history asked for) are for the timeline only: the lists
  // fetched at start are newer than they are. The start is when the first lists were asked for
  // (a first screen drawn before the feed started). Our clock against the engine's: a skew only
  // costs a refetch, or leaves one to the next poll.
  const historyMs = options.eventHistoryMs ?? 0;
  const startedNano =
    historyMs > 0 ? BigInt(Math.trunc(options.seen?.askedAt ?? now())) * 1_000_000n : 0n;
  // The timeline's events wait here while the events view is closed (bounded like the timeline):
  // then no event costs the app a render.
  let eventsOpen = false;
  let unsent: SwarmEvent[] = [];
  let eventBatch: ReturnType<typeof setTimeout> | null = null;
  const sendEvents = (): void => {
    eventBatch = null;
    if (unsent.length === 0 || stopped) return;
    const events = unsent;
    unsent = [];
    dispatch({ type: 'swarm-events', events });
  };
  const recent = new Set<string>();
  const onEvent = (event: SwarmEvent): void => {
    const key = eventKey(event);
    if (recent.has(key)) return;
    recent.add(key);
    if (recent.size > RECENT_EVENT_KEYS) recent.delete(recent.values().next().value!);
    lastEvent = event.timeNano;
    unsent.push(event);
    if (unsent.length > EVENT_LOG_LIMIT) unsent.shift();
    if (eventsOpen) eventBatch ??= setTimeout(sendEvents, EVENT_BATCH_MS);
    options.onEvent?.(event);
    if (event.timeNano < startedNano) return;
    const list = LIST_OF_EVENT[event.type];
    if (list !== undefined) {
      // Only while a view shows it; the view fetches it anew when it opens.
      if (needs.has(list)) objectDebounce(list);
      return;
    }
    if (event.type === 'service') {
      pending.services = true;
      if (event.id !== '') {
        changedServices.add(event.id);
        namedUntil.set(event.id, now() + fastWindowMs);
      } else wholeFastUntil = now() + fastWindowMs;
    } else if (event.type === 'node') {
      pending.nodes = true;
      nodesFastUntil = now() + fastWindowMs;
      wholeFastUntil = now() + fastWindowMs;
    } else return;
    fastUntil = now() + fastWindowMs;
    debounce ??= setTimeout(() => {
      debounce = null;
      if (pending.services && changedServices.size > 0 && changedServices.size <= PATCH_LIMIT) {
        patchServices.trigger();
      } else if (pending.services) {
        changedServices.clear();
        services.trigger();
      }
      if (pending.nodes) nodes.trigger();
      pending.services = pending.nodes = false;
      // A scale or a drain changes tasks as well. (Not the troubled services' tasks: failures
      // come with no event, and a rollout's stream of events would ask for them again and again.)
      tasks.trigger();
    }, debounceMs);
  };

  const objectTimers = new Map<SwarmObjectKind, ReturnType<typeof setTimeout>>();
  const objectDebounce = (kind: SwarmObjectKind): void => {
    if (objectTimers.has(kind)) return;
    objectTimers.set(
      kind,
      setTimeout(() => {
        objectTimers.delete(kind);
        objectFetch[kind].trigger();
      }, debounceMs),
    );
  };

  const abort = new AbortController();
  // Until the first event arrives, (re)connects ask for the history; after it, for what follows.
  let lastEvent: bigint | undefined =
    historyMs > 0 ? BigInt(Math.trunc(now() - historyMs)) * 1_000_000n : undefined;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const watch = (attempt: number): void => {
    if (stopped) return;
    const startedAt = now();
    freshness.setEventsLive(true);
    api
      .watchEvents({ since: lastEvent, signal: abort.signal, onEvent })
      .catch(() => undefined)
      .then(() => {
        if (stopped) return;
        freshness.setEventsLive(false);
        // A stream that lived a while was healthy: start the backoff over.
        const next = now() - startedAt > MAX_BACKOFF_MS ? 0 : attempt + 1;
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** next);
        retry = setTimeout(() => {
          retry = null;
          // Whatever happened while the stream was down is fetched once, then followed again.
          refreshAll();
          watch(next);
        }, delay);
      });
  };

  const refreshAll = (): void => {
    services.trigger();
    nodes.trigger();
    tasks.trigger();
    allTroubledTasks();
    // The swarm also when no view needs it: the problems judge its CA.
    objectFetch.swarm.trigger();
    for (const kind of needs) if (kind !== 'swarm') objectFetch[kind].trigger();
  };

  refreshAll();
  watch(0);

  return {
    setScope(next) {
      if (scopeKey(next) === scopeKey(scope)) return;
      scope = next;
      tasks.trigger();
    },
    setEventsOpen(open) {
      eventsOpen = open;
      if (open) sendEvents();
    },
    setTroubled(ids, urgent) {
      const becameUrgent = urgent && !troubledUrgent;
      troubledUrgent = urgent;
      // Sorted: the same set is the same request (and the same cached answer).
      troubledOrder = [...ids];
      const sorted = [...ids].sort();
      if (sorted.join(',') === troubled.join(',') && !becameUrgent) return;
      troubled = sorted;
      // Opening the problems view asks for every troubled service's tasks anew.
      if (becameUrgent) allTroubledTasks();
      else troubledTasks.trigger();
    },
    setNeeds(kinds) {
      const next = new Set(kinds);
      for (const kind of next) if (!needs.has(kind)) objectFetch[kind].trigger();
      needs = next;
    },
    refreshAll,
    hurry() {
      fastUntil = Math.max(fastUntil, now() + fastWindowMs);
      wholeFastUntil = Math.max(wholeFastUntil, now() + fastWindowMs);
    },
    stop() {
      stopped = true;
      clearInterval(poll);
      if (debounce) clearTimeout(debounce);
      if (retry) clearTimeout(retry);
      if (eventBatch) clearTimeout(eventBatch);
      held.stop();
      for (const timer of objectTimers.values()) clearTimeout(timer);
      abort.abort();
    },
  };
}
