// What smarm-top shows must match what the docker CLI reports for the same real swarm.
import { expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { docker, dockerJsonLines } from '../helpers/docker-cli.js';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait-for.js';

interface JsonSnapshot {
  nodes: Array<{
    id: string;
    hostname: string;
    role: string;
    availability: string;
    state: string;
    manager: { reachability: string } | null;
  }>;
  services: Array<{
    id: string;
    name: string;
    mode: string;
    running: number;
    desired: number;
    image: string;
  }>;
  tasks: Array<{
    id: string;
    name: string;
    state: string;
    error: string | null;
    serviceName: string;
  }>;
}

describeWithLab('--once against the lab swarm', (lab) => {
  const host = lab.dockerHost;

  const snapshot = (): JsonSnapshot => {
    const result = runCli(['--once', '--json', '--host', host]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout) as JsonSnapshot;
  };

  it('lists the same nodes as docker node ls', () => {
    const ours = snapshot().nodes;
    const theirs = dockerJsonLines<{
      ID: string;
      Hostname: string;
      Status: string;
      Availability: string;
      ManagerStatus: string;
    }>(host, 'node', 'ls');
    expect(ours.map((n) => n.hostname).sort()).toEqual(theirs.map((n) => n.Hostname).sort());
    expect(ours.map((n) => n.hostname).sort()).toEqual([...lab.nodes].sort());
    for (const node of theirs) {
      const mine = ours.find((n) => n.id === node.ID)!;
      expect(mine.state).toBe(node.Status.toLowerCase());
      expect(mine.availability).toBe(node.Availability.toLowerCase());
      expect(mine.manager?.reachability ?? '').toBe(
        node.ManagerStatus === 'Leader' ? 'leader' : node.ManagerStatus.toLowerCase(),
      );
    }
  });

  it('reports the same services, modes and replica counts as docker service ls', async () => {
    // crashy's count moves while it restarts: compare until both tools saw the same moment
    await waitFor(
      'smarm-top and docker service ls to agree',
      () => {
        const ours = snapshot().services;
        const theirs = dockerJsonLines<{
          ID: string;
          Name: string;
          Mode: string;
          Replicas: string;
        }>(host, 'service', 'ls');
        const mine = ours.map((s) => `${s.name} ${s.mode} ${s.running}/${s.desired}`).sort();
        const cli = theirs.map((s) => `${s.Name} ${s.Mode} ${s.Replicas.split(' ')[0]}`).sort();
        expect(ours.map((s) => s.name).sort()).toEqual(theirs.map((s) => s.Name).sort());
        return JSON.stringify(mine) === JSON.stringify(cli) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  });

  it("shows the crash-looping service's failure with the engine's error text", async () => {
    const failed = await waitFor('a failed crashy task', () =>
      snapshot().tasks.find((t) => t.serviceName === 'crashy' && t.state === 'failed'),
    );
    expect(failed.error).toBe('task: non-zero exit (3)');
    const text = runCli(['--once', '--host', host]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^NODES/m);
    expect(text.stdout).toMatch(/^SERVICES/m);
    expect(text.stdout).toMatch(/^TASKS/m);
    expect(text.stdout).toContain('task: non-zero exit (3)');
    for (const hostname of lab.nodes) expect(text.stdout).toContain(hostname);
    // plain text: no escape sequences in a snapshot meant for pipes
    expect(text.stdout).not.toContain('\u001b');
  });

  it('refuses a worker endpoint with the managers it knows, exit code 1', () => {
    const worker = lab.workerSockets[0]!;
    const result = runCli(['--once', '--host', worker]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/worker/i);
    expect(result.stderr).toContain('127.0.0.1:');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(docker(host, 'node', 'ls', '-q').split('\n').length).toBe(lab.nodes.length);
  });
});

describeWithLab('--once problems against the lab swarm', (lab) => {
  it("starts with the crash-looping service's error, as docker service ps reports it", () => {
    const host = lab.dockerHost;
    // The engine's own words for crashy's failures.
    const errors = docker(host, 'service', 'ps', 'crashy', '--no-trunc', '--format', '{{.Error}}')
      .split('\n')
      // --no-trunc quotes the error
      .map((line) => line.trim().replace(/^"(.*)"$/, '$1'))
      .filter((line) => line !== '');
    expect(errors).toContain('task: non-zero exit (3)');
    const result = runCli(['--once', '--host', host]);
    expect(result.status).toBe(0);
    const [title, ...rest] = result.stdout.split('\n');
    expect(title).toBe('PROBLEMS');
    const problems = rest.slice(0, rest.indexOf(''));
    expect(
      problems.some((line) => /^✗ \d+ tasks?: task: non-zero exit \(3\) — crashy/.test(line)),
    ).toBe(true);
    const json = JSON.parse(runCli(['--once', '--json', '--host', host]).stdout) as {
      problems: Array<{ kind: string; what: string }>;
    };
    expect(
      json.problems.some((p) => p.kind === 'tasks' && p.what.includes('non-zero exit (3)')),
    ).toBe(true);
  });
});
