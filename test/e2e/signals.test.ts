// Every way out restores the terminal and leaves no process behind: signals sent from outside,
// and the terminal going away as when an SSH session drops.
import { afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { isAlive } from '../helpers/processes.js';

describeWithLab('leaving smarm-top', (lab) => {
  let tmux: TmuxSession | null = null;
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  async function started(): Promise<{ t: TmuxSession; pid: number }> {
    const t = TmuxSession.start([process.execPath, CLI, '--host', lab.dockerHost], {
      columns: 100,
      rows: 30,
    });
    tmux = t;
    await t.waitForText(/crashy/);
    const pid = await waitFor('the program in the pane', () => t.programPid() ?? undefined);
    return { t, pid };
  }

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s restores the terminal and exits',
    async (signal) => {
      const { t, pid } = await started();
      process.kill(pid, signal);
      const after = await t.waitForText(/\[exited \d+\]/);
      // The alternate screen is gone (none of the app's frame is left) and the cursor is back.
      expect(after).not.toContain('SERVICES');
      expect(after).not.toContain('crashy');
      await waitFor(`pid ${pid} to be gone`, () => !isAlive(pid));
    },
  );

  it('exits when its terminal goes away (a dropped SSH session)', async () => {
    const { t, pid } = await started();
    t.kill();
    tmux = null;
    await waitFor(`pid ${pid} to be gone`, () => !isAlive(pid), { timeoutMs: 15_000 });
  });
});
