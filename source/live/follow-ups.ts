/**
 * Answers that follow from what the screen shows (the crashed tasks' last words) and can wait for
 * the next render: held, they reach the store just before the next action does (one render for
 * both), or after `capMs` when none comes. Under churn each crash's words used to cost a render of
 * their own a few milliseconds after the one that asked for them (issue 17).
 */
export interface FollowUps<A> {
  /** An action for the store now; what was held goes first, in the same render. */
  dispatch(action: A): void;
  /** An action that can wait; dispatched at once while `holding` is off. */
  hold(action: A): void;
  /** Off: what is asked to wait goes at once (a view that shows it is open). */
  setHolding(on: boolean): void;
  stop(): void;
}

export function followUps<A>(dispatch: (action: A) => void, capMs: number): FollowUps<A> {
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
