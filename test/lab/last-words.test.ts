// The last words of crashed tasks and what their exit means, against the real lab: the docker CLI
// is the witness (docker service logs / docker service ps / docker inspect).
import { spawnSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { docker } from '../helpers/docker-cli.js';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait-for.js';

interface Problem {
  kind: string;
  what: string;
  detail: string;
  lastWords?: {
    taskId: string;
    task: string;
    meaning: string | null;
    lines: { stream: string; text: string }[] | null;
    error: string | null;
  };
}

describeWithLab('last words and exit codes against the lab', (lab) => {
  const host = lab.dockerHost;
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const oom = `oom-${suffix}`;
  const created: string[] = [];

  afterAll(() => {
    for (const name of created) {
      try {
        docker(host, 'service', 'rm', name);
      } catch {
        // already gone
      }
    }
  });

  const problems = (): Problem[] => {
    const result = runCli(['--once', '--json', '--host', host]);
    expect(result.stderr).toBe('');
    return (JSON.parse(result.stdout) as { problems: Problem[] }).problems;
  };

  it("--once --json carries crashy's last words, as docker service logs has them", async () => {
    const found = await waitFor(
      "crashy's last words",
      () => {
        const row = problems().find((p) => p.lastWords && /^crashy\./.test(p.lastWords.task));
        return row?.lastWords?.lines?.length ? row.lastWords : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2_000 },
    );
    // stderr first: the crash's cause.
    expect(found.lines![0]).toEqual({ stream: 'stderr', text: 'failing' });
    expect(found.lines).toContainEqual({ stream: 'stdout', text: 'starting' });
    expect(found.error).toBeNull();
    expect(found.meaning).toBe("exit 3: the program's own error");
    // The engine's own log of that task says the same lines (the CLI writes the task's stderr
    // to its own stderr, and its stdout to stdout).
    const theirs = spawnSync(
      'docker',
      ['-H', host, 'service', 'logs', '--raw', '--tail', '5', found.taskId],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const lines = (text: string) =>
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
    expect(lines(theirs.stderr)).toEqual(
      found.lines!.filter((l) => l.stream === 'stderr').map((l) => l.text),
    );
    expect(lines(theirs.stdout)).toEqual(
      found.lines!.filter((l) => l.stream === 'stdout').map((l) => l.text),
    );
    // And docker service ps names the task's end as exit 3.
    const error = docker(host, 'inspect', '--format', '{{.Status.Err}}', found.taskId);
    expect(error).toBe('task: non-zero exit (3)');
  });

  it('an out-of-memory kill is named as such', async () => {
    created.push(oom);
    docker(
      host,
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      '--name',
      oom,
      '--limit-memory',
      '16m',
      '--restart-delay',
      '2s',
      '--stop-grace-period',
      '2s',
      'lab/busybox:1',
      'sh',
      '-c',
      'echo allocating; x=a; while true; do x=$x$x; done',
    );
    // The engine's word for it: exit 137, and the container was OOM-killed.
    const taskId = await waitFor(
      'a task killed with 137',
      () => {
        const lines = docker(
          host,
          'service',
          'ps',
          oom,
          '--no-trunc',
          '--format',
          '{{.ID}} {{.Error}}',
        );
        const hit = lines.split('\n').find((line) => line.includes('non-zero exit (137)'));
        return hit?.split(' ')[0];
      },
      { timeoutMs: 120_000, intervalMs: 2_000 },
    );
    const status = docker(
      host,
      'inspect',
      '--format',
      '{{.Status.ContainerStatus.ExitCode}} {{.Spec.Resources.Limits.MemoryBytes}}',
      taskId,
    );
    expect(status).toBe(`137 ${16 * 1024 * 1024}`);
    const row = await waitFor(
      'the oom row',
      () =>
        problems().find(
          (p) =>
            p.detail.includes(oom) ||
            p.what.startsWith(`${oom}:`) ||
            p.lastWords?.task.startsWith(`${oom}.`),
        ),
      { timeoutMs: 60_000, intervalMs: 2_000 },
    );
    const meaning = 'killed (SIGKILL) — out of memory (limit 16 MiB), or stop timeout';
    expect(`${row.detail} ${row.lastWords?.meaning ?? ''}`).toContain(meaning);
  });
});
