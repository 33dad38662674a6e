import { useEffect, useMemo, useState } from 'react';
import type { InspectKind, SwarmReads } from '../docker/swarm-api.js';
import { fetchAnswer, renderAnswer, type Answer } from '../live/inspect.js';
import { errorText } from '../format/error-text.js';

export interface InspectTarget {
  kind: InspectKind;
  id: string;
}

export interface InspectResult {
  /** The engine's JSON from the last answer (kept on screen when a refresh fails). */
  raw: Record<string, unknown> | null;
  lines: string[];
  /** One sentence; the last answer's lines stay while it shows. */
  error: string | null;
  /** True until the first answer (or failure) for the current target. */
  loading: boolean;
}

interface State {
  key: string | null;
  answer: Answer | null;
  error: string | null;
}

const EMPTY: string[] = [];

export interface InspectOptions {
  /** The engine the object is fetched from. */
  api: SwarmReads;
  /** The object shown; null: the inspect view is closed and nothing is fetched. */
  target: InspectTarget | null;
  /** How often the open object is fetched again, in milliseconds. */
  refreshMs: number;
  /** --show-secrets: values with secret-looking names are shown unmasked. */
  revealSecrets: boolean;
  /** A network's name by its ID (a service's header names its networks); absent: their IDs. */
  networkName?: (id: string) => string | undefined;
}

/**
 * The inspect view's data: the target's engine JSON as lines, fetched when the target changes and
 * every `refreshMs` while it is open. An answer equal to the last one changes nothing (same
 * `lines` array), so an idle inspect view does not redraw; an answer for a target no longer shown
 * is dropped.
 */
export function useInspect({
  api,
  target,
  refreshMs,
  revealSecrets,
  networkName,
}: InspectOptions): InspectResult {
  const key = target === null ? null : `${target.kind}:${target.id}`;
  const [state, setState] = useState<State>({ key: null, answer: null, error: null });

  useEffect(() => {
    if (target === null || key === null) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const answer = await fetchAnswer(api, target);
        if (!active) return;
        setState((s) => {
          const same = s.key === key && s.answer?.fingerprint === answer.fingerprint;
          if (same && s.error === null) return s;
          return { key, answer: same ? s.answer : answer, error: null };
        });
      } catch (error) {
        if (!active) return;
        const text = errorText(error);
        setState((s) =>
          s.key === key && s.error === text
            ? s
            : { key, answer: s.key === key ? s.answer : null, error: text },
        );
      }
      // The next refresh is timed from the end of this one, so a slow engine is never asked twice at once.
      if (active) timer = setTimeout(() => void load(), refreshMs);
    };
    void load();
    return () => {
      active = false;
      clearTimeout(timer);
    };
    // `target` is read through `key`: a new object for the same target must not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, refreshMs]);

  const current = state.key === key ? state : null;
  const answer = current?.answer ?? null;
  const lines = useMemo(
    () => (answer === null ? EMPTY : renderAnswer(answer, revealSecrets, networkName)),
    [answer, revealSecrets, networkName],
  );
  return {
    raw: answer?.raw ?? null,
    lines,
    error: current?.error ?? null,
    loading: key !== null && answer === null && (current?.error ?? null) === null,
  };
}
