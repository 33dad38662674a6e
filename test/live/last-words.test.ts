import { describe, expect, it } from 'vitest';
import type { LogLine, LogQuery } from '../../source/model.js';
import type { Action } from '../../source/state/actions.js';
import { LAST_WORDS_GROUPS, startLastWords } from '../../source/live/last-words.js';
import { ConnectionError } from '../../source/docker/errors.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function engine(answer: (id: string) => LogLine[] | Error | 'hang') {
  const asked: LogQuery[] = [];
  return {
    asked,
    api: {
      streamLogs(
        query: LogQuery,
        options: { signal: AbortSignal; onLines: (lines: LogLine[]) => void },
      ): Promise<void> {
        asked.push(query);
        const a = answer(query.target.id);
        if (a === 'hang') {
          return new Promise((resolve) =>
            options.signal.addEventListener('abort', () => resolve()),
          );
        }
        if (a instanceof Error) return Promise.reject(a);
        options.onLines(a);
        return Promise.resolve();
      },
    },
  };
}

const said = (text: string): LogLine => ({
  serviceId: 's',
  taskId: 't',
  nodeId: 'n',
  stream: 'stderr',
  time: null,
  text,
});

describe('last words feed', () => {
  it('holds an answer while more are asked for, 250 ms at most', async () => {
    const { api } = engine((id) => (id === 't2' ? 'hang' : [said(`from ${id}`)]));
    const actions: Action[] = [];
    const feed = startLastWords({ api, dispatch: (a) => actions.push(a), timeoutMs: 60_000 });
    feed.want(['t1', 't2']);
    await settle();
    // t1 answered, t2 is still out: t1 waits for it …
    expect(actions).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // … but not for long.
    expect(actions.map((a) => (a.type === 'last-words-loaded' ? a.taskId : a.type))).toEqual([
      't1',
    ]);
    feed.stop();
  });

  it('asks for each task once, tail 5, not following, and dispatches what it said', async () => {
    const { api, asked } = engine(() => [said('failing')]);
    const actions: Action[] = [];
    const feed = startLastWords({ api, dispatch: (a) => actions.push(a) });
    feed.want(['t1', 't2']);
    await settle();
    feed.want(['t1', 't2']);
    feed.want(['t2', 't1', 't3']);
    await settle();
    feed.stop();
    expect(asked.map((q) => q.target.id)).toEqual(['t1', 't2', 't3']);
    expect(asked[0]).toMatchObject({ target: { kind: 'task', id: 't1' }, tail: 5, follow: false });
    expect(actions[0]).toEqual({
      type: 'last-words-loaded',
      taskId: 't1',
      words: { lines: [{ stream: 'stderr', text: 'failing' }], error: null },
    });
  });

  it("asks for a listed task's logs with its own TTY, known; for another, asks the engine", async () => {
    const { api, asked } = engine(() => [said('failing')]);
    const logsOf = (id: string) => (id === 'listed' ? { tty: true } : undefined);
    const feed = startLastWords({ api, dispatch: () => undefined, logsOf });
    feed.want(['listed', 'unlisted']);
    await settle();
    feed.stop();
    expect(asked).toMatchObject([
      { target: { id: 'listed' }, tty: true, known: true },
      { target: { id: 'unlisted' }, tty: false },
    ]);
    expect(asked[1]!.known).toBeUndefined();
  });

  it('at most 30 tasks per wish; one that is no longer wanted is not asked about', async () => {
    const { api, asked } = engine(() => []);
    const feed = startLastWords({ api, dispatch: () => undefined });
    feed.want(Array.from({ length: 50 }, (_, i) => `t${i}`));
    await settle();
    feed.stop();
    expect(asked.length).toBe(LAST_WORDS_GROUPS);
  });

  it('says why when the logs cannot be read back, and gives up on a silent engine', async () => {
    const { api } = engine((id) =>
      id === 'bad'
        ? new ConnectionError(
            'The logs of task bad cannot be read back: its logging driver is none.',
          )
        : 'hang',
    );
    const actions: Action[] = [];
    const feed = startLastWords({ api, dispatch: (a) => actions.push(a), timeoutMs: 30 });
    feed.want(['bad', 'slow']);
    await new Promise((resolve) => setTimeout(resolve, 120));
    feed.stop();
    const words = actions.map((a) => (a.type === 'last-words-loaded' ? a.words.error : null));
    expect(words).toEqual([
      'The logs of task bad cannot be read back: its logging driver is none.',
      expect.stringMatching(/^its logs did not arrive within/),
    ]);
  });
});
