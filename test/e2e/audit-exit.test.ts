// Leaving while a change is in flight: the engine answers a service update only after 1.5 s, and
// quitting (q) or the terminal going away (SIGHUP) at once must still leave the attempt and its
// outcome in the audit log. Only the fake engine: no lab needed (SMARM_LAB_NO_START=1).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeEngine, type FakeEngine } from '../fake-engine/index.js';
import { CLI } from '../helpers/cli.js';
import { isAlive } from '../helpers/processes.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

describe('quitting while an action is in flight', () => {
  let dir: string;
  let engine: FakeEngine;
  let tmux: TmuxSession | null = null;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-audit-exit-'));
    engine = await startFakeEngine({
      socketPath: path.join(dir, 'engine.sock'),
      nodes: 3,
      services: 2,
      tasksPerService: 2,
      historyPerTask: 0,
      updateAnswerDelayMs: 1500,
    });
  });
  afterEach(async () => {
    tmux?.kill();
    tmux = null;
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const auditFile = () => path.join(dir, 'state', 'smarm-top', 'audit.log');
  function records(): { id: string; result: string; after: unknown }[] {
    try {
      return readFileSync(auditFile(), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { id: string; result: string; after: unknown });
    } catch {
      return [];
    }
  }

  /** Started, the first replicated service selected, its scale to 5 confirmed. */
  async function scaleTo5(): Promise<{ t: TmuxSession; pid: number }> {
    const name = engine.cluster.services.find((s) => s.Spec.Mode?.Replicated)!.Spec.Name;
    const t = TmuxSession.start([process.execPath, CLI, '--host', `unix://${engine.socketPath}`], {
      columns: 120,
      rows: 30,
      env: { XDG_STATE_HOME: path.join(dir, 'state'), XDG_CONFIG_HOME: path.join(dir, 'config') },
    });
    tmux = t;
    await t.waitForText(name);
    const pid = await waitFor('the program in the pane', () => t.programPid() ?? undefined);
    t.filterTo(name);
    t.send('s');
    await t.waitForText('New number of replicas');
    t.send('5', true);
    t.send('Enter');
    return { t, pid };
  }

  it.each(['q', 'C-c'])(
    '%s at once: the screen says it waits, and the log has the attempt and the acceptance',
    async (key) => {
      const { t } = await scaleTo5();
      t.send(key);
      await t.waitForText('waiting for 1 operation to be answered');
      const after = await t.waitForText(/\[exited \d+\]/);
      expect(after).toContain('[exited 0]');
      const log = records();
      expect(log.map((r) => r.result)).toEqual(['attempt', 'accepted']);
      expect(log[0]!.id).toBe(log[1]!.id);
      expect(log[1]!.after).toEqual({ replicas: 5 });
    },
  );

  it('the terminal gone (SIGHUP) after the request: it still waits and writes the outcome', async () => {
    const { t, pid } = await scaleTo5();
    await waitFor('the attempt record', () => records().length === 1 || undefined);
    t.kill(); // tmux kill-server: the pane's terminal goes away, the program gets SIGHUP
    tmux = null;
    await waitFor(`pid ${pid} to be gone`, () => !isAlive(pid), { timeoutMs: 20_000 });
    expect(records().map((r) => r.result)).toEqual(['attempt', 'accepted']);
  });

  it('SIGTERM after the request: it waits, writes the outcome and exits 0', async () => {
    const { t, pid } = await scaleTo5();
    await waitFor('the attempt record', () => records().length === 1 || undefined);
    process.kill(pid, 'SIGTERM');
    const after = await t.waitForText(/\[exited \d+\]/);
    expect(after).toContain('[exited 0]');
    expect(records().map((r) => r.result)).toEqual(['attempt', 'accepted']);
  });
});
