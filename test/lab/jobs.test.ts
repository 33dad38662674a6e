// Jobs against the real swarm: counted as `docker service ls` counts them, a finished job not a
// problem, a failed one a problem with the engine's words.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { runCli } from '../helpers/cli.js';
import { docker, dockerJsonLines } from '../helpers/docker-cli.js';
import { waitFor } from '../helpers/wait-for.js';

interface Snapshot {
  problems: Array<{ kind: string; what: string; detail: string }>;
  services: Array<{ name: string; mode: string; replicas: string; jobIteration: number | null }>;
}

const DONE = 'fx-job-done';
const GLOBAL = 'fx-job-global';
const FAILS = 'fx-job-fails';

describeWithLab('jobs against the lab swarm', (lab) => {
  const host = lab.dockerHost;
  const snapshot = (): Snapshot => {
    const result = runCli(['--once', '--json', '--host', host]);
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as Snapshot;
  };
  const cliReplicas = (): Map<string, string> =>
    new Map(
      dockerJsonLines<{ Name: string; Replicas: string }>(host, 'service', 'ls').map((s) => [
        s.Name,
        s.Replicas,
      ]),
    );

  beforeAll(() => {
    for (const name of [DONE, GLOBAL, FAILS]) {
      try {
        docker(host, 'service', 'rm', name);
      } catch {
        // not there: nothing to clean
      }
    }
    const common = ['service', 'create', '--detach', '--quiet'];
    docker(
      host,
      ...common,
      '--name',
      DONE,
      '--mode',
      'replicated-job',
      '--replicas',
      '3',
      '--max-concurrent',
      '3',
      'lab/busybox:1',
      'true',
    );
    docker(host, ...common, '--name', GLOBAL, '--mode', 'global-job', 'lab/busybox:1', 'true');
    docker(
      host,
      ...common,
      '--name',
      FAILS,
      '--mode',
      'replicated-job',
      '--replicas',
      '1',
      '--restart-condition',
      'none',
      'lab/busybox:1',
      'sh',
      '-c',
      'echo no; exit 3',
    );
  }, 120_000);

  afterAll(() => {
    for (const name of [DONE, GLOBAL, FAILS]) {
      try {
        docker(host, 'service', 'rm', name);
      } catch {
        // already gone
      }
    }
  });

  it('counts a finished replicated job and a global job as docker service ls does', async () => {
    const done = await waitFor(
      'both jobs to complete in docker service ls',
      () => {
        const cli = cliReplicas();
        const finished = /^0\/3 \(3\/3 completed\)$/.test(cli.get(DONE) ?? '');
        const global = /^0\/0 \((\d+)\/\1 completed\)$/.test(cli.get(GLOBAL) ?? '');
        return finished && global ? cli : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    const ours = new Map(snapshot().services.map((s) => [s.name, s]));
    expect(ours.get(DONE)?.replicas).toBe(done.get(DONE));
    expect(ours.get(GLOBAL)?.replicas).toBe(cliReplicas().get(GLOBAL));
    expect(ours.get(DONE)?.mode).toBe('replicated-job');
    expect(ours.get(GLOBAL)?.mode).toBe('global-job');
    // The first run of a job is iteration 0, as `docker service inspect` says.
    const iteration = docker(
      host,
      'service',
      'inspect',
      DONE,
      '--format',
      '{{.JobStatus.JobIteration.Index}}',
    );
    expect(String(ours.get(DONE)?.jobIteration)).toBe(iteration);
  }, 180_000);

  it('does not call a finished job a problem, and calls a failed one a problem', async () => {
    await waitFor(
      'the failing job to fail in docker service ps',
      () =>
        docker(host, 'service', 'ps', FAILS, '--format', '{{.CurrentState}}').startsWith('Failed')
          ? true
          : undefined,
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    // The CLI quotes the error it prints in a --format.
    const error = docker(host, 'service', 'ps', FAILS, '--no-trunc', '--format', '{{.Error}}')
      .split('\n')[0]!
      .replace(/^"(.*)"$/, '$1');
    const problems = snapshot().problems;
    const about = (name: string) => problems.filter((p) => `${p.what} ${p.detail}`.includes(name));
    expect(about(DONE)).toEqual([]);
    expect(about(GLOBAL)).toEqual([]);
    const failed = about(FAILS);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((p) => `${p.what} ${p.detail}`).join('\n')).toContain(error);
  }, 180_000);
});
