// The start in a real terminal (tmux): the first frame is written as text before the UI code has
// loaded (source/start-screen.ts), then Ink draws the same frame over it. Keys typed before the
// app is ready — even before smarm-top runs, and while only that text frame is up — are not
// lost: they take effect, in order, once the app has mounted. The demo's engine runs inside
// smarm-top, so no lab is needed.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'smarm-start-e2e-'));
/** The services list's rows, e.g. "shop_web   3/3 replicated". */
const SERVICE_ROW = /\s\d+\/\d+\s+(replicated|global)/;

/** The start marks smarm-top traced so far (SMARM_TRACE): which stage it is in right now. */
function marks(trace: string): string[] {
  if (!existsSync(trace)) return [];
  return readFileSync(trace, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"mark"'))
    .map((line) => (JSON.parse(line) as { name: string }).name);
}

describe('the start in a terminal', () => {
  let tmux: TmuxSession | null = null;
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  it('keeps keys typed before smarm-top has even started', async () => {
    const t = TmuxSession.start([process.execPath, CLI, '--demo'], {
      columns: 120,
      rows: 36,
      env: { TMPDIR: tmp },
    });
    tmux = t;
    // At once: the shell has barely started node.
    t.send('2');
    const screen = await t.waitForText(/▸ NODES \(\d+\)/);
    expect(screen.split('\n')[0]).toContain('DEMO · simulated swarm');
    t.send('q');
    await t.waitForText('[exited 0]');
  });

  it('keeps keys typed while only the text frame is up, and they act in order', async () => {
    // The keys must land after the text frame was written and before the UI code has loaded:
    // the trace says which stage smarm-top is in when they are sent. SMARM_TEST_HOLD_UI_MS makes
    // that moment last 3 s (on a quiet machine it is shorter than tmux's polling); a machine so
    // slow that the hold was over is given another try.
    let landed = false;
    for (let attempt = 0; attempt < 5 && !landed; attempt++) {
      const trace = path.join(tmp, `trace-${attempt}.jsonl`);
      const t = TmuxSession.start([process.execPath, CLI, '--demo'], {
        columns: 120,
        rows: 36,
        env: { TMPDIR: tmp, SMARM_TRACE: trace, SMARM_TEST_HOLD_UI_MS: '3000' },
      });
      tmux = t;
      // The text frame: the services with the selected one's tasks, before the app runs.
      const first = await t.waitForText(SERVICE_ROW);
      // Three keys: the nodes view, down one row, down one more.
      t.send(['2', 'j', 'j']);
      const stage = marks(trace);
      landed = stage.includes('text-frame') && !stage.includes('loaded-ui');
      expect(first.split('\n')[0]).toContain('DEMO · simulated swarm');
      expect(first).toMatch(/TASKS OF SERVICE/);
      // In order, once the app is up: the third node is selected (its name in the status line).
      const nodes = await t.waitForText(/▸ NODES \(\d+\)/);
      const rows = nodes.split('\n');
      const header = rows.findIndex((row) => /^\s+HOSTNAME/.test(row));
      const third = rows[header + 3]!.trim().split(/\s+/)[0]!;
      await t.waitForText(new RegExp(`^${third}: `, 'm'));
      t.send('q');
      await t.waitForText('[exited 0]');
      t.kill();
      tmux = null;
    }
    expect(landed, 'the keys never landed while only the text frame was up').toBe(true);
  });

  it('leaves the full screen when stopped while only the text frame is up', async () => {
    let landed = false;
    for (let attempt = 0; attempt < 5 && !landed; attempt++) {
      const trace = path.join(tmp, `signal-${attempt}.jsonl`);
      const t = TmuxSession.start([process.execPath, CLI, '--demo'], {
        columns: 120,
        rows: 36,
        env: { TMPDIR: tmp, SMARM_TRACE: trace, SMARM_TEST_HOLD_UI_MS: '3000' },
      });
      tmux = t;
      await t.waitForText(SERVICE_ROW);
      const pid = t.programPid();
      expect(pid).not.toBeNull();
      const stage = marks(trace);
      process.kill(pid!, 'SIGTERM');
      // The shell's screen is back, whoever handled the signal.
      const screen = await t.waitForText(/\[exited \d+\]/);
      expect(screen).not.toMatch(SERVICE_ROW);
      // Before the UI code had loaded, it ended by the signal, as it would have without a frame.
      landed = stage.includes('text-frame') && !marks(trace).includes('loaded-ui');
      if (landed) expect(screen).toContain('[exited 143]');
      t.kill();
      tmux = null;
    }
    expect(landed, 'the signal never came while only the text frame was up').toBe(true);
  });

  it('keeps the compiled program while the first session goes on, not only at its end', async () => {
    // By the end of a long session V8 has dropped the compiled code of what only the start ran:
    // the cache is written a few seconds in (source/launcher.ts). Here it must appear while the
    // app still runs.
    const cacheHome = path.join(tmp, 'code-cache');
    const dir = path.join(cacheHome, 'smarm-top');
    const cached = () => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.v8cache'));
    const t = TmuxSession.start([process.execPath, CLI, '--demo'], {
      columns: 120,
      rows: 36,
      env: { TMPDIR: tmp, XDG_CACHE_HOME: cacheHome },
    });
    tmux = t;
    await t.waitForText(SERVICE_ROW);
    await waitFor('the code cache', cached, { timeoutMs: 30_000, intervalMs: 100 }).catch(
      () => undefined,
    );
    expect(cached()).toBe(true);
    expect(t.capture()).not.toContain('[exited');
    t.send('q');
    await t.waitForText('[exited 0]');
  });
});
