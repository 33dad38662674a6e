import { useEffect, useRef } from 'react';
import type { Action } from '../state/actions.js';
import type { Effect } from '../state/effects.js';
import { errorText } from '../format/error-text.js';

export interface EffectsOptions {
  /** The state's outbox: what the reducer asked for, oldest first. */
  outbox: readonly Effect[];
  dispatch: (action: Action) => void;
  /** Carries one effect out (it may read the latest render's values). */
  run: (effect: Effect) => void;
}

/**
 * Drains the outbox: each effect is taken out of the state and run once. Running follows the
 * outbox, not `run` (a new function every render), so an effect never runs twice.
 */
export function useEffects({ outbox, dispatch, run }: EffectsOptions): void {
  const latest = useRef(run);
  // Declared first, so it runs before the drain in the same commit.
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    const last = outbox.at(-1);
    if (last === undefined) return;
    dispatch({ type: 'effects-taken', through: last.id });
    for (const effect of outbox) {
      // One effect that throws must not keep the ones after it from running.
      try {
        latest.current(effect);
      } catch (error) {
        dispatch({ type: 'say', message: `Could not ${effect.kind}: ${errorText(error)}` });
      }
    }
  }, [outbox, dispatch]);
}
