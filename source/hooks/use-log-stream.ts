import { useEffect, useRef, useState } from 'react';
import type { LogLine, LogQuery } from '../model.js';
import type { SwarmReads } from '../docker/swarm-api.js';
import { LogBuffer } from '../state/log-buffer.js';
import { LOG_RANGES, type LogViewState } from '../state/log-view.js';
import { errorText } from '../format/error-text.js';

/** The screen follows the buffer at most this often, however fast lines arrive. */
const FRAME_MS = 100;
const MAX_RETRY_MS = 10_000;

export interface LogStream {
  buffer: LogBuffer;
  /** Changes when the buffer did (at most every FRAME_MS). */
  version: number;
  error: string | null;
  /** Lines received since the view opened or the range changed (evicted ones included). */
  received: number;
}

export interface LogStreamOptions {
  /** The engine the logs are read from. */
  api: SwarmReads;
  /** The logs view (target, range, follow); null: no logs view open, nothing is streamed. */
  view: LogViewState | null;
  /** Ids of the service's current tasks: a change (scale, update) re-subscribes. */
  taskSet: string;
  /** Lines kept in the ring buffer (10,000 unless given). */
  capacity?: number;
  /** Bytes kept at most; undefined for the buffer's default (64 MiB). */
  maxBytes?: number;
}

/** Sortable form of the engine's RFC 3339 nanosecond times (their fraction has no fixed length). */
export function timeKey(time: string): string {
  const match = /^(.{19})(?:\.(\d+))?(.*)$/.exec(time);
  if (!match) return time;
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}${match[3]}`;
}

/**
 * Follows the logs of the view's target into a bounded buffer. When the stream ends, fails, or
 * the service's tasks change, it subscribes again from the last line seen (marking the gap) and
 * drops the lines it already has, so every line is shown once.
 */
export function useLogStream({
  api,
  view,
  taskSet,
  capacity = 10_000,
  maxBytes,
}: LogStreamOptions): LogStream {
  const [buffer] = useState(() => new LogBuffer(capacity, maxBytes));
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [receivedShown, setReceivedShown] = useState(0);
  const received = useRef(0);
  const lastSeen = useRef(new Map<string, string>());
  /** Ends the current request so the loop subscribes again from the last line seen. */
  const restart = useRef<(() => void) | null>(null);
  const target = view?.target ?? null;
  const range = view?.range ?? 0;
  const key = target ? `${target.kind}:${target.id}:${range}` : null;

  useEffect(() => {
    if (target === null || key === null) return;
    buffer.clear();
    lastSeen.current.clear();
    received.current = 0;
    const outer = new AbortController();
    let inner: AbortController | null = null;
    let restarting = false;
    restart.current = () => {
      restarting = true;
      inner?.abort();
    };
    const preset = LOG_RANGES[range] ?? LOG_RANGES[0]!;
    // After a re-subscription from `since` (whole seconds, inclusive), lines up to the last one
    // already shown for each task come again: they are dropped. Within one stream every line
    // counts, even several with the same timestamp.
    let cutoff = new Map<string, string>();
    const onLines = (lines: LogLine[]): void => {
      const seen = lastSeen.current;
      const kept = lines.filter((line) => {
        if (line.time === null) return true;
        const id = line.taskId ?? '';
        const at = timeKey(line.time);
        const until = cutoff.get(id);
        if (until !== undefined && at <= until) return false;
        seen.set(id, at);
        return true;
      });
      received.current += kept.length;
      if (kept.length > 0) buffer.push(kept);
    };
    /** From the newest line seen; before any line, what the range asks for. */
    const history = (): Pick<LogQuery, 'tail' | 'since'> => {
      let newest: string | undefined;
      for (const at of lastSeen.current.values()) {
        if (newest === undefined || at > newest) newest = at;
      }
      if (newest !== undefined)
        return { since: Math.floor(Date.parse(`${newest.slice(0, 19)}Z`) / 1000) };
      if (preset.tail !== undefined) return { tail: preset.tail };
      if (preset.sinceSeconds !== undefined) {
        return { since: Math.floor(Date.now() / 1000) - preset.sinceSeconds };
      }
      return {};
    };
    void (async () => {
      let delay = 1000;
      while (!outer.signal.aborted) {
        cutoff = new Map(lastSeen.current);
        // One request's controller, also ended by the outer one (unmount, other target).
        const request = new AbortController();
        inner = request;
        const endRequest = (): void => request.abort();
        outer.signal.addEventListener('abort', endRequest, { once: true });
        const signal = request.signal;
        const query: LogQuery = {
          target: { kind: target.kind, id: target.id },
          tty: target.tty,
          follow: true,
          ...history(),
        };
        try {
          await api
            .streamLogs(query, { signal, onLines })
            .finally(() => outer.signal.removeEventListener('abort', endRequest));
          if (outer.signal.aborted) return;
          setError(null);
          if (restarting) {
            restarting = false;
            buffer.markGap(
              'tasks changed: following the new ones (lines in between may be missing)',
            );
            continue;
          }
          buffer.markGap('log stream ended; following again (lines in between may be missing)');
          delay = 1000;
        } catch (err) {
          if (outer.signal.aborted) return;
          setError(errorText(err));
          buffer.markGap(`log stream failed: ${errorText(err)}`);
          delay = Math.min(MAX_RETRY_MS, delay * 2);
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    })();
    return () => {
      outer.abort();
      restart.current = null;
    };
    // The target and range are identified by `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, buffer]);

  // A scale or an update changes the service's tasks: follow the new ones. The first answer
  // after the view opens (from no tasks known to some) is not a change.
  const previousTasks = useRef(taskSet);
  useEffect(() => {
    const before = previousTasks.current;
    previousTasks.current = taskSet;
    if (before !== '' && taskSet !== '' && before !== taskSet) restart.current?.();
  }, [taskSet]);

  useEffect(() => {
    if (key === null) return;
    const timer = setInterval(() => {
      setVersion((current) => (current === buffer.version ? current : buffer.version));
      setReceivedShown(received.current);
    }, FRAME_MS);
    return () => clearInterval(timer);
  }, [key, buffer]);

  return { buffer, version, error, received: receivedShown };
}
