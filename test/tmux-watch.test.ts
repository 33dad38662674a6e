// The bench's eye on the screen (test/helpers/tmux-watch.ts): a tmux control-mode client that
// starts a program in a pane and reads the screen after each write of it.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxSession } from './helpers/tmux.js';
import { tmuxQuote } from './helpers/tmux-watch.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

// Without tmux the tests below say so as one skipped test; where the lab is required (CI, which
// installs tmux for the end-to-end tests) a missing tmux fails instead.
if (!hasTmux) {
  describe('TmuxWatch without tmux', () => {
    if (process.env['SMARM_LAB_REQUIRED'] === '1') {
      it('needs tmux, which SMARM_LAB_REQUIRED=1 requires', () => expect(hasTmux).toBe(true));
    } else it.skip('needs tmux (apt install tmux)', () => {});
  });
}

describe('tmuxQuote', () => {
  it('makes one word of anything, quotes included', () => {
    expect(tmuxQuote('plain')).toBe(`'plain'`);
    expect(tmuxQuote(`it's`)).toBe(`'it'"'"'s'`);
  });
});

describe.skipIf(!hasTmux)('TmuxWatch', () => {
  let tmux: TmuxSession | null = null;
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  it('starts a shell line as written and sees what it prints', async () => {
    tmux = await TmuxSession.open({ columns: 60, rows: 10 });
    const watch = await tmux.watch();
    const since = performance.now();
    // quotes, $ and #{…} reach the shell untouched by tmux
    await watch.respawn(`sleep 0.2; printf '%s\\n' "it's \\$HOME #{pane_id} ;"; sleep 30`);
    const { ms, screen } = await watch.timeUntil(/it's \$HOME #\{pane_id\} ;/, since, 10_000);
    expect(ms).toBeGreaterThan(0);
    expect(screen).toContain(`it's $HOME #{pane_id} ;`);
  });

  it('gives NaN and the last screen when the pattern never shows', async () => {
    tmux = await TmuxSession.open({ columns: 60, rows: 10 });
    const watch = await tmux.watch();
    await watch.respawn('echo something else; sleep 30');
    const { ms, screen } = await watch.timeUntil(/never shown/, performance.now(), 1_000);
    expect(ms).toBeNaN();
    expect(screen).toContain('something else');
  });

  it('says what tmux refused', async () => {
    tmux = await TmuxSession.open({ columns: 60, rows: 10 });
    const watch = await tmux.watch();
    await expect(watch.command('no-such-command')).rejects.toThrow(/tmux: .*unknown command/);
  });
});
