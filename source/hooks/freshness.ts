// How fresh the data on screen is. Kept outside the reducer on purpose: every successful
// refresh moves `lastSuccess`, and only the header should re-render for that.

export interface Freshness {
  /** Epoch ms of the last successful refresh, null before the first. */
  lastSuccess: number | null;
  /** A refresh failure not yet followed by a success of the same kind; non-null means stale. */
  error: string | null;
  eventsLive: boolean;
}

export interface FreshnessStore {
  get(): Freshness;
  subscribe(listener: () => void): () => void;
  /** `what` names the kind of refresh (services, nodes, tasks): each clears only its own error. */
  succeeded(what: string, at: number): void;
  failed(what: string, message: string): void;
  setEventsLive(live: boolean): void;
}

export function createFreshnessStore(): FreshnessStore {
  let current: Freshness = { lastSuccess: null, error: null, eventsLive: false };
  const listeners = new Set<() => void>();
  const errors = new Map<string, string>();
  const firstError = (): string | null => errors.values().next().value ?? null;
  const set = (next: Freshness): void => {
    if (
      next.lastSuccess === current.lastSuccess &&
      next.error === current.error &&
      next.eventsLive === current.eventsLive
    ) {
      return;
    }
    current = next;
    for (const listener of listeners) listener();
  };
  return {
    get: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    succeeded(what, at) {
      errors.delete(what);
      set({ ...current, lastSuccess: at, error: firstError() });
    },
    failed(what, message) {
      errors.set(what, message);
      set({ ...current, error: firstError() });
    },
    setEventsLive: (eventsLive) => set({ ...current, eventsLive }),
  };
}
