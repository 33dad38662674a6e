import { render } from 'ink';
import { App } from './app.js';
import type { SwarmReads } from './docker/swarm-api.js';

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

export interface InteractiveOptions {
  api: SwarmReads;
  refreshMs: number;
  color: boolean;
}

/** Full screen until the user quits; the terminal is restored on every way out. */
export async function runInteractive({ api, refreshMs, color }: InteractiveOptions): Promise<void> {
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  process.stdout.write(ENTER_ALT_SCREEN);
  process.on('exit', restore);

  const instance = render(<App api={api} refreshMs={refreshMs} color={color} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 30,
  });
  const stop = (): void => instance.unmount();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  // A dropped SSH session closes stdin: leave instead of drawing to nobody.
  process.stdin.once('end', stop);
  try {
    await instance.waitUntilExit();
  } finally {
    restore();
  }
}
