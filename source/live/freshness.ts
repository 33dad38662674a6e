// How fresh the data on screen is. Kept outside the reducer on purpose: every successful refresh
// moves the time of the last success, and that alone must not re-render anything. Listeners hear
// only of changes in state that is shown (stale or not, events live or not); the header's own
// clock reads the time of the last success when it ticks.

export interface Freshness {
  /** A refresh failure not yet followed by a success of the same kind; non-null means stale. */
  error: string | null;
  /** The kinds of refresh (nodes, services …) whose last attempt failed, in order of failure. */
  stale: readonly string[];
  eventsLive: boolean;
  /** False until the first successful refresh. */
  loaded: boolean;
}

export interface FreshnessStore {
  get(): Freshness;
  /** Epoch ms of the last successful refresh, null before the first. */
  lastSuccess(): number | null;
  /** Epoch ms of the last successful refresh of kind `what`, null before its first. */
  lastSuccessOf(what: string): number | null;
  /** Every kind of refresh that has succeeded or failed at least once, in first-seen order. */
  kinds(): readonly string[];
  /**
   * The kinds that succeeded since the first failure of a kind now stale: a kind polled now and
   * then (troubled tasks) whose last answer came before the trouble says nothing about now.
   */
  liveKinds(): readonly string[];
  /** Epoch ms since which the oldest unanswered refresh has been waiting, null if none. */
  waitingSince(): number | null;
  /** A refresh of kind `what` was sent at `at`. */
  started(what: string, at: number): void;
  subscribe(listener: () => void): () => void;
  /** `what` names the kind of refresh (services, nodes, tasks): each clears only its own error. */
  succeeded(what: string, at: number): void;
  failed(what: string, message: string): void;
  setEventsLive(live: boolean): void;
}

export function createFreshnessStore(): FreshnessStore {
  // The event stream is taken as live until one is known to have ended: the feed opens it at
  // once, and a first frame saying "reconnecting" would be wrong (and redrawn a moment later).
  let current: Freshness = { error: null, stale: [], eventsLive: true, loaded: false };
  let lastSuccess: number | null = null;
  const successes = new Map<string, number | null>();
  const listeners = new Set<() => void>();
  const errors = new Map<string, string>();
  const pending = new Map<string, number>();
  // Order of answers, not clock time: "succeeded after that failure" must hold at equal times.
  let answers = 0;
  const successAt = new Map<string, number>();
  const failingSince = new Map<string, number>();
  const update = (patch: Partial<Freshness>): void => {
    const next = { ...current, ...patch };
    if (
      next.error === current.error &&
      next.stale.length === current.stale.length &&
      next.stale.every((what, i) => current.stale[i] === what) &&
      next.eventsLive === current.eventsLive &&
      next.loaded === current.loaded
    ) {
      return;
    }
    current = next;
    for (const listener of listeners) listener();
  };
  const firstError = (): string | null => errors.values().next().value ?? null;
  return {
    get: () => current,
    lastSuccess: () => lastSuccess,
    lastSuccessOf: (what) => successes.get(what) ?? null,
    kinds: () => [...successes.keys()],
    liveKinds() {
      const trouble = Math.min(...failingSince.values());
      return [...successes.keys()].filter(
        (what) => !errors.has(what) && (successAt.get(what) ?? -1) > trouble,
      );
    },
    waitingSince: () => (pending.size === 0 ? null : Math.min(...pending.values())),
    started(what, at) {
      if (!pending.has(what)) pending.set(what, at);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    succeeded(what, at) {
      pending.delete(what);
      errors.delete(what);
      successAt.set(what, ++answers);
      failingSince.delete(what);
      lastSuccess = at;
      successes.set(what, at);
      update({ error: firstError(), stale: [...errors.keys()], loaded: true });
    },
    failed(what, message) {
      pending.delete(what);
      if (!failingSince.has(what)) failingSince.set(what, ++answers);
      errors.set(what, message);
      if (!successes.has(what)) successes.set(what, null);
      update({ error: firstError(), stale: [...errors.keys()] });
    },
    setEventsLive: (eventsLive) => update({ eventsLive }),
  };
}

/** "14 s", "3 min", "2 h", "4 d": how long ago `since` was. */
function ageWords(since: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/**
 * When some kinds of refresh fail while others succeed, which data is stale and how old it is:
 * "nodes stale 14 s · services, tasks live". Null when nothing is stale or everything is: then
 * one age says it all.
 */
export function partialStaleness(
  store: FreshnessStore,
  now: number,
  /** A kind last answered longer ago than this is not called live (the header: two intervals). */
  liveWithinMs = Infinity,
): string | null {
  const { stale } = store.get();
  if (stale.length === 0) return null;
  const live = store
    .liveKinds()
    .filter((what) => now - (store.lastSuccessOf(what) ?? -Infinity) <= liveWithinMs);
  if (live.length === 0) return null;
  const old = stale.map((what) => {
    const since = store.lastSuccessOf(what);
    return since === null ? `${what} never loaded` : `${what} stale ${ageWords(since, now)}`;
  });
  return `${old.join(' · ')} · ${live.join(', ')} live`;
}
