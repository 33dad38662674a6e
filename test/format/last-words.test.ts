import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../source/model.js';
import { exitCodeMeaning, exitWords, taskEndMeaning } from '../../source/format/exit-codes.js';
import {
  lastWordsError,
  lastWordsLine,
  lastWordsText,
  toLastWords,
} from '../../source/format/last-words.js';
import { restartRate, restartRateText } from '../../source/format/restarts.js';
import { problemRows } from '../../source/views/problem-rows.js';
import { withLastWords } from '../../source/views/problems.js';
import { service, task } from '../helpers/factories.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MiB = 1024 * 1024;

const line = (stream: LogLine['stream'], text: string): LogLine => ({
  serviceId: 's1',
  taskId: 't1',
  nodeId: 'n1',
  stream,
  time: null,
  text,
});

describe('exit codes', () => {
  it('names the codes operators meet', () => {
    expect(exitCodeMeaning(137, 16 * MiB)).toBe(
      'killed (SIGKILL) — out of memory (limit 16 MiB), or stop timeout',
    );
    expect(exitCodeMeaning(137)).toMatch(/^killed \(SIGKILL\) — stop timeout/);
    expect(exitCodeMeaning(143)).toBe('terminated (SIGTERM)');
    expect(exitCodeMeaning(139)).toBe('segmentation fault');
    expect(exitCodeMeaning(126)).toBe('command not executable');
    expect(exitCodeMeaning(127)).toBe('command not found');
    expect(exitCodeMeaning(1)).toBe("the program's own error");
    expect(exitCodeMeaning(2)).toBe("the program's own error");
    expect(exitCodeMeaning(130)).toBe('killed by SIGINT');
    expect(exitCodeMeaning(0)).toBeNull();
  });

  it("reads a task: its container's code, the code in the engine's error, a failed health check", () => {
    const oom = task({ id: 't', serviceId: 's', exitCode: 137, memoryLimitBytes: 16 * MiB });
    expect(taskEndMeaning(oom)).toBe(
      'exit 137: killed (SIGKILL) — out of memory (limit 16 MiB), or stop timeout',
    );
    const fromError = task({ id: 't', serviceId: 's', error: 'task: non-zero exit (127)' });
    expect(exitWords(fromError)).toBe('command not found');
    const unhealthy = task({ id: 't', serviceId: 's', error: 'dockerexec: unhealthy container' });
    expect(taskEndMeaning(unhealthy)).toBe('health check failed');
    expect(taskEndMeaning(task({ id: 't', serviceId: 's', exitCode: 0 }))).toBeNull();
  });
});

describe('last words', () => {
  it('puts stderr first, sanitizes, drops blank lines, keeps five', () => {
    const words = toLastWords([
      line('stdout', 'connecting'),
      line('stderr', 'fatal: \u001b]0;pwned\u0007no db'),
      line('stdout', '   '),
    ]);
    expect(words.lines.map((l) => l.stream)).toEqual(['stderr', 'stdout']);
    expect(words.lines[0]!.text).not.toContain('\u001b');
    expect(words.lines[0]!.text).not.toContain('\u0007');
    expect(lastWordsLine(words)).toMatch(/^stderr: fatal: .*no db$/);
    expect(lastWordsText(words)).toMatch(/^stderr: fatal: .*no db · stdout: connecting$/);
    expect(
      toLastWords(Array.from({ length: 9 }, (_, i) => line('stdout', `l${i}`))).lines,
    ).toHaveLength(5);
  });

  it('says when there is nothing, or why the logs cannot be read', () => {
    expect(lastWordsLine(toLastWords([]))).toBe('it wrote nothing before it ended');
    const none = lastWordsError(
      'The logs of task x cannot be read back: its logging driver is none.',
    );
    expect(lastWordsLine(none)).toBe(
      'no logs: The logs of task x cannot be read back: its logging driver is none.',
    );
  });
});

describe('restart rate', () => {
  const failed = (id: string, slot: number, ms: number) =>
    task({
      id,
      serviceId: 's1',
      slot,
      state: 'failed',
      desiredState: 'shutdown',
      stateSince: ago(ms),
    });

  it('counts failures of the window; older ones and other services do not count', () => {
    const tasks = [
      failed('a', 1, 60_000),
      failed('b', 1, 120_000),
      failed('c', 1, 11 * 60_000),
      task({ id: 'r', serviceId: 's1', slot: 1, stateSince: ago(5_000) }),
      { ...failed('x', 1, 1_000), serviceId: 's2' },
    ];
    const rate = restartRate(tasks, 's1', NOW);
    expect(rate).toEqual({ count: 2, atLeast: false });
    expect(restartRateText(rate)).toBe('2 restarts in 10 min');
  });

  it('says "at least" when the retained history is full inside the window', () => {
    // The lab at the default limit of 5: a crash loop shows its new task and 4 failures.
    const tasks = [1, 2, 3, 4].map((i) => failed(`f${i}`, 1, i * 30_000));
    tasks.push(task({ id: 'r', serviceId: 's1', slot: 1, stateSince: ago(1_000) }));
    expect(restartRateText(restartRate(tasks, 's1', NOW, 5))).toBe('at least 4 restarts in 10 min');
    // A bigger retention limit keeps more: the four are all there were.
    expect(restartRateText(restartRate(tasks, 's1', NOW, 10))).toBe('4 restarts in 10 min');
    expect(restartRateText(restartRate(tasks.slice(0, 1), 's1', NOW))).toBeNull();
  });
});

describe('problem rows with last words', () => {
  const crashy = service({ id: 's1', name: 'crashy', running: 0, desired: 1 });
  const crashed = (id: string, ms: number, containerId: string | null = `c-${id}`) =>
    task({
      id,
      serviceId: 's1',
      nodeId: 'n1',
      slot: 1,
      state: 'failed',
      desiredState: 'shutdown',
      error: 'task: non-zero exit (3)',
      exitCode: 3,
      containerId,
      stateSince: ago(ms),
    });

  it('names the newest crashed task that ran, its exit, and its words once fetched', () => {
    const input = {
      nodes: [],
      services: [crashy],
      tasks: [crashed('old', 60_000), crashed('new', 5_000), crashed('never-ran', 1_000, null)],
      troubled: ['s1'],
      nowMs: NOW,
    };
    const before = problemRows(input);
    const serviceRow = before.find((r) => r.kind === 'service')!;
    expect(serviceRow.lastWords).toEqual({
      taskId: 'new',
      task: 'crashy.1',
      meaning: "exit 3: the program's own error",
      words: null,
    });
    expect(serviceRow.detail).toBe(
      "newest task error: task: non-zero exit (3) — the program's own error · 3 restarts in 10 min",
    );
    const shown = withLastWords(before);
    // One line under the first row naming the task, not under the group naming it again.
    expect(shown.filter((r) => r.id.endsWith('#words')).map((r) => r.detail)).toEqual([
      'reading its logs…',
    ]);
    const words = toLastWords([line('stderr', 'failing')]);
    const after = withLastWords(problemRows({ ...input, lastWords: { new: words } }));
    const index = after.findIndex((r) => r.kind === 'service');
    expect(after[index + 1]).toMatchObject({
      what: '  └ crashy.1 said',
      detail: 'stderr: failing',
    });
  });
});
