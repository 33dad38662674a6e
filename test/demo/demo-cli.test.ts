// `smarm-top --demo` from the built CLI: a snapshot of the simulated swarm, no engine contacted,
// the private folder gone at exit, and --host/--context refused.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'smarm-demo-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Settings that would make any real connection fail loudly: --demo must read none of them.
const elsewhere = {
  DOCKER_HOST: 'bogus://not-a-scheme',
  DOCKER_CONTEXT: 'no-such-context',
  TMPDIR: tmp,
};

describe('smarm-top --demo', () => {
  it('--once --json prints the 5 simulated nodes and leaves no folder behind', () => {
    const result = runCli(['--demo', '--once', '--json'], elsewhere);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const snapshot = JSON.parse(result.stdout) as {
      nodes: Array<{ hostname: string; role: string; availability: string }>;
      services: Array<{ name: string }>;
    };
    expect(snapshot.nodes.map((n) => n.hostname)).toEqual([
      'manager-1',
      'manager-2',
      'manager-3',
      'worker-001',
      'worker-002',
    ]);
    expect(snapshot.nodes.filter((n) => n.role === 'manager')).toHaveLength(3);
    expect(snapshot.nodes.find((n) => n.hostname === 'worker-002')?.availability).toBe('drain');
    expect(snapshot.services.map((s) => s.name)).toContain('billing_invoices');
    expect(readdirSync(tmp).filter((name) => name.startsWith('smarm-demo-'))).toEqual([]);
  });

  it('--once prints the problems of the simulation, the pending reason among them', () => {
    const result = runCli(['--demo', '--once'], elsewhere);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      'DEMO: a simulated swarm (smarm-top --demo), not a real one.',
    );
    expect(result.stdout).toContain('task: non-zero exit (1)');
    expect(result.stdout).toMatch(/no suitable node \(.*scheduling constraints not satisfied/);
  });

  it.each([
    [
      ['--demo', '--host', 'x'],
      '--demo runs a simulated swarm and connects to no engine; leave out --host.',
    ],
    [
      ['--demo', '--once', '--host', 'unix:///x'],
      '--demo runs a simulated swarm and connects to no engine; leave out --host.',
    ],
    [
      ['--demo', '--context', 'x'],
      '--demo runs a simulated swarm and connects to no engine; leave out --context.',
    ],
  ])('refuses %j with one sentence and exit code 2', (args, sentence) => {
    const result = runCli(args, elsewhere);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`smarm-top: ${sentence}\n`);
  });

  it('is in --help', () => {
    expect(runCli(['--help']).stdout).toMatch(/--demo +try smarm-top on a simulated swarm/);
  });

  it('costs a normal start nothing: the engine and its recordings are only in dist/demo.js', () => {
    const cli = readFileSync(path.join(path.dirname(CLI), 'main.js'), 'utf8');
    const demo = readFileSync(path.join(path.dirname(CLI), 'demo.js'), 'utf8');
    // the recorded lab swarm the simulation is made from
    const recorded = (
      JSON.parse(readFileSync(new URL('../fixtures/lab/swarm.json', import.meta.url), 'utf8')) as {
        ID: string;
      }
    ).ID;
    for (const text of ['FakeCluster', 'FakeEngineServer', recorded]) {
      expect(cli).not.toContain(text);
      expect(demo).toContain(text);
    }
    expect(cli).toContain('require("./demo.js")');
  });

  it('runs from a copy of just dist/, in another folder (nothing read from the clone)', () => {
    const copy = path.join(tmp, 'copied-dist');
    cpSync(path.dirname(CLI), copy, { recursive: true });
    const result = spawnSync(
      process.execPath,
      [path.join(copy, 'cli.js'), '--demo', '--once', '--json'],
      {
        cwd: tmp,
        encoding: 'utf8',
        env: { ...process.env, ...elsewhere },
        timeout: 60_000,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { nodes: unknown[] }).nodes).toHaveLength(5);
  });
});
