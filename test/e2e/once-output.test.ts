// `--once` writes a snapshot that can be much larger than a pipe holds (64 KB): at 300 services
// the JSON is several hundred kilobytes. The built CLI must write all of it before it exits, and
// go quietly when its reader leaves early (`| head`). Only the fake engine: no lab needed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEngine, type FakeEngine } from '../fake-engine/index.js';
import { CLI, runCliAsync } from '../helpers/cli.js';

describe('--once into a pipe', () => {
  let dir: string;
  let engine: FakeEngine;
  let host: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-once-output-'));
    const socketPath = path.join(dir, 'engine.sock');
    engine = await startFakeEngine({
      socketPath,
      nodes: 10,
      services: 300,
      tasksPerService: 2,
      historyPerTask: 1,
    });
    host = `unix://${socketPath}`;
  });
  afterAll(async () => {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the whole JSON snapshot before it exits', async () => {
    const result = await runCliAsync(['--once', '--json', '--host', host], process.env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(4 * 65_536);
    const snapshot = JSON.parse(result.stdout) as { services: unknown[]; tasks: unknown[] };
    expect(snapshot.services).toHaveLength(300);
    expect(snapshot.tasks.length).toBeGreaterThanOrEqual(600);
  });

  it('writes the whole text snapshot before it exits', async () => {
    const result = await runCliAsync(['--once', '--host', host], process.env);
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(65_536);
    const names = engine.cluster.services.map((s) => s.Spec.Name);
    // Every service has its row.
    for (const name of names) expect(result.stdout).toContain(`${name} `);
    expect(result.stdout.endsWith('\n')).toBe(true);
  });

  it('leaves quietly when its reader goes away after the first chunk', async () => {
    const child = spawn(process.execPath, [CLI, '--once', '--json', '--host', host], {
      env: process.env,
      timeout: 60_000,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
