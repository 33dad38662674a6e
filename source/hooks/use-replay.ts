import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReplayApi } from '../recording/replay-api.js';
import { agoText, clockText, MOMENT_FORMS, parseMoment } from '../recording/time.js';
import type { Action } from '../state/actions.js';

export interface ReplayUi {
  /** The header's badge: "REPLAY 03:12:05 · 2 h 13 min ago" (or the time being typed). */
  badge: string | null;
  /** Handles the time keys; true when the key was one of them. */
  onKey(
    input: string,
    key: { return?: boolean; escape?: boolean; backspace?: boolean; delete?: boolean },
  ): boolean;
}

export function replayBadge(at: number, nowMs: number): string {
  return `REPLAY ${clockText(at)} · ${agoText(at, nowMs)}`;
}

/**
 * `--replay`: `[` `]` step to the previous / next recorded change, `{` `}` to the previous / next
 * moment a problem started or ended, `@` types a time. Every move is a new moment for the API
 * (the feed reads it at its next poll) and for the clock (the problems' window).
 */
export function useReplay(replay: ReplayApi | null, dispatch: (action: Action) => void): ReplayUi {
  const [at, setAt] = useState(() => replay?.moment() ?? 0);
  // A ref as well as state: keys typed in one burst arrive before a render.
  // The wall clock, for "2 h 13 min ago" (moved every 5 s like the app's own clock).
  const [wall, setWall] = useState(() => Date.now());
  useEffect(() => {
    if (replay === null) return;
    const timer = setInterval(() => setWall(Date.now()), 5000);
    return () => clearInterval(timer);
  }, [replay]);
  const [typing, setTypingState] = useState<string | null>(null);
  const typed = useRef<string | null>(null);
  const setTyping = useCallback((text: string | null) => {
    typed.current = text;
    setTypingState(text);
  }, []);
  useEffect(() => {
    if (replay === null) return;
    return replay.subscribeMoment(() => {
      setAt(replay.moment());
      dispatch({ type: 'tick', at: replay.moment() });
    });
  }, [replay, dispatch]);

  const onKey = useCallback<ReplayUi['onKey']>(
    (input, key) => {
      if (replay === null) return false;
      const { timeline } = replay;
      const typing = typed.current;
      if (typing !== null) {
        if (key.escape) setTyping(null);
        else if (key.return) {
          const moment = parseMoment(typing, Date.now());
          setTyping(null);
          if (moment === null) {
            dispatch({ type: 'say', message: `A time is ${MOMENT_FORMS}, not "${typing}".` });
          } else replay.moveTo(moment);
        } else if (key.backspace || key.delete) setTyping(typing.slice(0, -1));
        else setTyping(typing + input.replace(/[^\w:.+\- ]/g, ''));
        return true;
      }
      const current = replay.moment();
      const step = (target: number | null, none: string) => {
        if (target === null) dispatch({ type: 'say', message: none });
        else replay.moveTo(target);
      };
      const problemTimes = () => timeline.problemTimes();
      switch (input) {
        case '[':
          step(timeline.changeBefore(current), 'No recorded change before this moment.');
          return true;
        case ']':
          step(timeline.changeAfter(current), 'No recorded change after this moment.');
          return true;
        case '{':
          step(
            [...problemTimes()].reverse().find((t) => t < current) ?? null,
            'No problem started or ended before this moment.',
          );
          return true;
        case '}':
          step(
            problemTimes().find((t) => t > current) ?? null,
            'No problem starts or ends after this moment.',
          );
          return true;
        case '@':
          setTyping('');
          return true;
        default:
          // "@06:05" in one burst.
          if (input.startsWith('@') && input.length > 1) {
            setTyping(input.slice(1).replace(/[^\w:.+\- ]/g, ''));
            return true;
          }
          return false;
      }
    },
    [replay, dispatch, setTyping],
  );

  if (replay === null) return { badge: null, onKey };
  return {
    badge: typing !== null ? `REPLAY go to: ${typing}_` : replayBadge(at, wall),
    onKey,
  };
}
