// The last words of crashed tasks: for each task a problem row (or a status line) names, its
// last lines are asked for once (GET /tasks/{id}/logs?tail=5), one request at a time, off the
// frame; the answer reaches the store as an action. A task's lines never change once it ended,
// so a task is asked about once per session.
import type { LogLine, ReadableLogs } from '../model.js';
import type { SwarmReads } from '../docker/swarm-api.js';
import type { Action } from '../state/actions.js';
import { errorText } from '../format/error-text.js';
import { LAST_WORDS_TAIL, lastWordsError, toLastWords } from '../format/last-words.js';
import { holdActions } from './held-actions.js';

/** Tasks asked about per wish, at most (the problems view's groups, most urgent first). */
export const LAST_WORDS_GROUPS = 30;
/** A task's lines that did not arrive in this long are given up on, and that is said. */
export const LAST_WORDS_TIMEOUT_MS = 10_000;
/** An answer waits this long at most for the next ones to reach the store with it. */
const HOLD_MS = 250;
/** Task ids remembered as asked (beyond, the oldest are forgotten). */
const ASKED_KEPT = 2_000;

export interface LastWordsOptions {
  api: Pick<SwarmReads, 'streamLogs'>;
  dispatch: (action: Action) => void;
  timeoutMs?: number;
  /** What the listed tasks say of their logs (SwarmTask.readableLogs), read when one is asked. */
  logsOf?: (taskId: string) => ReadableLogs | undefined;
}

export interface LastWordsFeed {
  /** The tasks whose last words are wanted now, most urgent first: the new ones are fetched. */
  want(taskIds: readonly string[]): void;
  stop(): void;
}

/** Reads one task's last lines; resolves with what to show (the lines, or why there are none). */
export async function readLastWords(
  api: Pick<SwarmReads, 'streamLogs'>,
  taskId: string,
  {
    signal,
    timeoutMs = LAST_WORDS_TIMEOUT_MS,
    logs,
  }: {
    signal?: AbortSignal;
    timeoutMs?: number;
    /** The task's SwarmTask.readableLogs, when the task was listed: the task is not asked for. */
    logs?: ReadableLogs | undefined;
  } = {},
) {
  const abort = new AbortController();
  const onStop = () => abort.abort();
  signal?.addEventListener('abort', onStop);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  const lines: LogLine[] = [];
  try {
    await api.streamLogs(
      {
        target: { kind: 'task', id: taskId },
        ...(logs === undefined ? { tty: false } : { tty: logs.tty, known: true }),
        tail: LAST_WORDS_TAIL,
        follow: false,
      },
      { signal: abort.signal, onLines: (batch) => lines.push(...batch) },
    );
    if (timedOut) {
      return lastWordsError(`its logs did not arrive within ${Math.round(timeoutMs / 1000)} s`);
    }
    return toLastWords(lines);
  } catch (error) {
    return lastWordsError(errorText(error));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onStop);
  }
}

export function startLastWords({
  api,
  dispatch,
  timeoutMs,
  logsOf,
}: LastWordsOptions): LastWordsFeed {
  const asked = new Set<string>();
  let queue: string[] = [];
  let running = false;
  let stopped = false;
  const abort = new AbortController();

  // Answers that follow each other closely reach the store together (one render for several
  // tasks): held while more are queued, HOLD_MS at most.
  const held = holdActions<Action>((action) => {
    if (!stopped) dispatch(action);
  }, HOLD_MS);

  const pump = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    try {
      for (let id = queue.shift(); id !== undefined && !stopped; id = queue.shift()) {
        if (asked.has(id)) continue;
        asked.add(id);
        if (asked.size > ASKED_KEPT) asked.delete(asked.values().next().value!);
        const words = await readLastWords(api, id, {
          signal: abort.signal,
          timeoutMs,
          logs: logsOf?.(id),
        });
        held.hold({ type: 'last-words-loaded', taskId: id, words });
        if (queue.length === 0) held.release();
      }
    } finally {
      held.release();
      running = false;
    }
  };

  return {
    want(taskIds) {
      // Only what is wanted now: a group that went away while waiting is not asked about.
      queue = [...new Set(taskIds)].slice(0, LAST_WORDS_GROUPS).filter((id) => !asked.has(id));
      void pump();
    },
    stop() {
      stopped = true;
      held.stop();
      abort.abort();
    },
  };
}
