// How fresh the data on screen is. Kept outside the reducer on purpose: every successful refresh
// moves the time of the last success, and that alone must not re-render anything. Listeners hear
// only of changes in state that is shown (stale or not, events live or not); the header's own
// clock reads the time of the last success when it ticks.

export interface Freshness {
  /** A refresh failure not yet followed by a success of the same kind; non-null means stale. */
  error: string | null;
  eventsLive: boolean;
  /** False until the first successful refresh. */
  loaded: boolean;
}

export interface FreshnessStore {
  get(): Freshness;
  /** Epoch ms of the last successful refresh, null before the first. */
  lastSuccess(): number | null;
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
  let current: Freshness = { error: null, eventsLive: true, loaded: false };
  let lastSuccess: number | null = null;
  const listeners = new Set<() => void>();
  const errors = new Map<string, string>();
  const pending = new Map<string, number>();
  const update = (patch: Partial<Freshness>): void => {
    const next = { ...current, ...patch };
    if (
      next.error === current.error &&
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
      lastSuccess = at;
      update({ error: firstError(), loaded: true });
    },
    failed(what, message) {
      pending.delete(what);
      errors.set(what, message);
      update({ error: firstError() });
    },
    setEventsLive: (eventsLive) => update({ eventsLive }),
  };
}
