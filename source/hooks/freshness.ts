// How fresh the data on screen is. Kept outside the reducer on purpose: every successful
// refresh moves `lastSuccess`, and only the header should re-render for that.

export interface Freshness {
  /** Epoch ms of the last successful refresh, null before the first. */
  lastSuccess: number | null;
  /** The last refresh failure, cleared by the next success; non-null means the data is stale. */
  error: string | null;
  eventsLive: boolean;
}

export interface FreshnessStore {
  get(): Freshness;
  subscribe(listener: () => void): () => void;
  succeeded(at: number): void;
  failed(message: string): void;
  setEventsLive(live: boolean): void;
}

export function createFreshnessStore(): FreshnessStore {
  let current: Freshness = { lastSuccess: null, error: null, eventsLive: false };
  const listeners = new Set<() => void>();
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
    succeeded: (at) => set({ ...current, lastSuccess: at, error: null }),
    failed: (message) => set({ ...current, error: message }),
    setEventsLive: (eventsLive) => set({ ...current, eventsLive }),
  };
}
