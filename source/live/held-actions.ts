/**
 * Actions held back so that several reach the store together (one render for all): released by
 * `release`, by the next action that goes through `dispatch` (which they go just before), or
 * after `capMs`. The feed holds a poll's answers while others are out; the last words feed holds a
 * burst of answers; the app holds the crashed tasks' last words for the next render (issue 17).
 */
export interface HeldActions<A> {
  /** An action for the store now; what was held goes first, in the same render. */
  dispatch(action: A): void;
  /** An action that can wait; dispatched at once while `holding` is off. */
  hold(action: A): void;
  /** What is held, now. */
  release(): void;
  /** Off: what is asked to wait goes at once (a view that shows it is open). */
  setHolding(on: boolean): void;
  /** Drops what is held (its reader is gone). */
  stop(): void;
}

export function holdActions<A>(dispatch: (action: A) => void, capMs: number): HeldActions<A> {
  let held: A[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let holding = true;
  const release = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const actions = held;
    held = [];
    for (const action of actions) dispatch(action);
  };
  return {
    dispatch(action) {
      release();
      dispatch(action);
    },
    hold(action) {
      held.push(action);
      if (!holding) release();
      else timer ??= setTimeout(release, capMs);
    },
    release,
    setHolding(on) {
      holding = on;
      if (!on) release();
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      held = [];
    },
  };
}
