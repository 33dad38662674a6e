import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { ConnectionError } from '../../source/docker/errors.js';
import type { LogLine, LogQuery } from '../../source/model.js';
import { docker } from '../helpers/docker-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// Log streams of the lab's log services (scripts/lab.sh): logger (3 replicas, one per node,
// "logger line N from HOST" every 500 ms, "logger warn N" on stderr every 10th), ttylog (a TTY
// service, "tty line N" every second) and hostile (escape sequences). Read-only: the lab can be
// shared. What the engine says is checked against the docker CLI.

const LOGGER_LINE = /^logger line (\d+) from ([0-9a-f]{12})$/;

function connect(host: string): DockerodeSwarmApi {
  return new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
}

describeWithLab('streamLogs against the lab', (lab) => {
  const host = lab?.dockerHost ?? 'unix:///nonexistent';
  const api = connect(host);
  afterAll(() => api.close());

  const service = (name: string, rest: Partial<LogQuery> = {}): LogQuery => ({
    target: { kind: 'service', id: name },
    tty: false,
    follow: false,
    ...rest,
  });

  /** Every line of a finite (follow: false) stream, and the batches they came in. */
  async function collect(query: LogQuery): Promise<{ lines: LogLine[]; batches: number }> {
    const lines: LogLine[] = [];
    let batches = 0;
    await api.streamLogs(query, {
      signal: AbortSignal.timeout(60_000),
      onLines: (batch) => {
        expect(batch.length).toBeGreaterThan(0);
        batches += 1;
        lines.push(...batch);
      },
    });
    return { lines, batches };
  }

  /** Follows until `until` says enough (or 30 s), then aborts; the promise must resolve. */
  async function follow(query: LogQuery, until: (lines: LogLine[]) => boolean): Promise<LogLine[]> {
    const lines: LogLine[] = [];
    const controller = new AbortController();
    const stop = setTimeout(() => controller.abort(), 30_000);
    await api.streamLogs(
      { ...query, follow: true },
      {
        signal: controller.signal,
        onLines: (batch) => {
          lines.push(...batch);
          if (until(lines)) controller.abort();
        },
      },
    );
    clearTimeout(stop);
    return lines;
  }

  /** Task id → node hostname, every task of the service (history too), from the docker CLI. */
  function tasksOf(name: string): Map<string, string> {
    const out = docker(host, 'service', 'ps', name, '--no-trunc', '--format', '{{.ID}} {{.Node}}');
    return new Map(out.split('\n').map((row) => row.split(' ') as [string, string]));
  }

  function runningTasks(name: string): string[] {
    const args = ['--no-trunc', '--filter', 'desired-state=running', '--format', '{{.ID}}'];
    return docker(host, 'service', 'ps', name, ...args).split('\n');
  }

  function nodeIds(): Map<string, string> {
    const out = docker(host, 'node', 'ls', '--format', '{{.Hostname}} {{.ID}}');
    return new Map(out.split('\n').map((row) => row.split(' ') as [string, string]));
  }

  it("attributes logger's lines to the task and node the docker CLI names", async () => {
    const { lines } = await collect(service('logger', { tail: 20 }));
    const tasks = tasksOf('logger');
    const nodes = nodeIds();
    const serviceId = docker(host, 'service', 'inspect', 'logger', '--format', '{{.ID}}');
    expect(lines.length).toBeGreaterThanOrEqual(3 * 20);
    const seenTasks = new Set<string>();
    for (const line of lines) {
      expect(line.serviceId).toBe(serviceId);
      expect(line.taskId).not.toBeNull();
      const hostname = tasks.get(line.taskId!);
      expect(hostname, `task ${line.taskId} is a task of logger`).toBeDefined();
      expect(line.nodeId).toBe(nodes.get(hostname!));
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
      seenTasks.add(line.taskId!);
    }
    expect(seenTasks.size).toBeGreaterThanOrEqual(3);
    // The running replicas, one per node (--replicas-max-per-node 1), each with its own node.
    const running = runningTasks('logger');
    const runningNodes = lines.filter((l) => running.includes(l.taskId!)).map((l) => l.nodeId);
    expect(new Set(runningNodes).size).toBe(running.length);
  });

  it('delivers every line exactly once: per task the numbers go up by one', async () => {
    const { lines, batches } = await collect(service('logger'));
    expect(batches).toBeGreaterThan(0);
    const byTask = new Map<string, { numbers: number[]; hosts: Set<string> }>();
    for (const line of lines.filter((l) => l.stream === 'stdout')) {
      const match = LOGGER_LINE.exec(line.text);
      expect(match, line.text).not.toBeNull();
      const entry = byTask.get(line.taskId!) ?? { numbers: [], hosts: new Set() };
      entry.numbers.push(Number(match![1]));
      entry.hosts.add(match![2]!);
      byTask.set(line.taskId!, entry);
    }
    expect(byTask.size).toBeGreaterThanOrEqual(3);
    for (const { numbers, hosts } of byTask.values()) {
      expect(hosts.size).toBe(1); // one container per task
      expect(numbers[0]).toBe(1); // the whole log, from its first line
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('marks the warnings written to stderr as stderr', async () => {
    const { lines } = await collect(service('logger', { tail: 30 }));
    const warnings = lines.filter((l) => l.text.startsWith('logger warn '));
    expect(warnings.length).toBeGreaterThan(0);
    for (const line of warnings) {
      expect(line.stream).toBe('stderr');
      expect(Number(line.text.slice('logger warn '.length)) % 10).toBe(0);
    }
    for (const line of lines.filter((l) => LOGGER_LINE.test(l.text))) {
      expect(line.stream).toBe('stdout');
    }
  });

  it('follows: a line written after the stream opened arrives, once', async () => {
    const { lines: before } = await collect(service('logger', { tail: 1 }));
    const last = new Map(before.map((l) => [l.taskId, Number(LOGGER_LINE.exec(l.text)?.[1])]));
    const followed = await follow(service('logger', { tail: 0 }), (lines) =>
      lines.some((l) => {
        const n = Number(LOGGER_LINE.exec(l.text)?.[1]);
        return n > (last.get(l.taskId) ?? Infinity) + 2;
      }),
    );
    const newer = followed.filter((l) => {
      const n = Number(LOGGER_LINE.exec(l.text)?.[1]);
      return n > (last.get(l.taskId) ?? Infinity);
    });
    expect(newer.length).toBeGreaterThan(0);
    const keys = followed.map((l) => `${l.taskId} ${l.stream} ${l.text}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads the TTY service as one raw stream marked tty', async () => {
    const { lines } = await collect(service('ttylog', { tty: true, tail: 5 }));
    // tail counts per task, and an earlier test's drain may have moved ttylog's one replica,
    // leaving an exited task with logs of its own: 5 lines for each task.
    const perTask = new Map<string | null, number>();
    for (const line of lines) perTask.set(line.taskId, (perTask.get(line.taskId) ?? 0) + 1);
    expect(perTask.size).toBeGreaterThan(0);
    for (const count of perTask.values()) expect(count).toBe(5);
    for (const line of lines) {
      expect(line.stream).toBe('tty');
      expect(line.text).toMatch(/^tty line \d+$/);
      expect(line.taskId).not.toBeNull();
    }
    // The spec decides, as it does for the engine: a stale `tty: false` still reads it right.
    const stale = await collect(service('ttylog', { tty: false, tail: 2 }));
    // Two per task (a drained node may have left an exited task of ttylog with logs of its own).
    expect(stale.lines.length).toBe(2 * perTask.size);
    expect(new Set(stale.lines.map((l) => l.stream))).toEqual(new Set(['tty']));
    const followed = await follow(service('ttylog', { tty: true, tail: 0 }), (l) => l.length > 0);
    expect(followed[0]?.text).toMatch(/^tty line \d+$/);
  });

  it("reads one task's logs", async () => {
    const taskId = runningTasks('logger')[0]!;
    const { lines } = await collect({
      target: { kind: 'task', id: taskId },
      tty: false,
      follow: false,
      tail: 10,
    });
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(new Set(lines.map((l) => l.taskId))).toEqual(new Set([taskId]));
  });

  it('passes hostile text on raw (the screen sanitizes it)', async () => {
    const { lines } = await collect(service('hostile', { tail: 8 }));
    const texts = lines.map((l) => l.text);
    expect(texts.some((t) => /^hostile-marker \d+$/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('\x1b]52;c;'))).toBe(true);
  });

  it('ends quietly when aborted, also before anything arrived', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const streaming = api.streamLogs(service('logger', { follow: true, tail: 0 }), {
      signal: controller.signal,
      onLines: () => undefined,
    });
    setTimeout(() => controller.abort(), 300);
    await expect(streaming).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);

    const aborted = AbortSignal.abort();
    await expect(
      api.streamLogs(service('logger', { follow: true }), {
        signal: aborted,
        onLines: () => undefined,
      }),
    ).resolves.toBeUndefined();

    // the connection pool is still usable afterwards
    await waitFor('a read after the aborts', async () => (await api.listNodes()).length > 0, {
      timeoutMs: 10_000,
    });
  });

  it('says in one sentence when the service or task is gone', async () => {
    const err: unknown = await collect(service('no-such-service')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(
      /^The service no-such-service no longer exists \(the engine says: service no-such-service not found\)\.$/,
    );
    const taskErr: unknown = await collect({
      target: { kind: 'task', id: 'nosuchtask' },
      tty: false,
      follow: false,
    }).catch((e: unknown) => e);
    expect(taskErr).toBeInstanceOf(ConnectionError);
    expect((taskErr as Error).message).toMatch(/^The task nosuchtask no longer exists \(/);
  });
});
