import chalk from 'chalk';
import { render } from 'ink';
import { App } from './app.js';
import { ErrorBoundary } from './components/error-boundary.js';
import type { SwarmReads } from './docker/swarm-api.js';
import { SmarmError } from './docker/errors.js';

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
  // Monochrome still needs inverse and bold (the selection, the focused pane); chalk turns all
  // styling off for --no-color, so it is kept at the basic level and the theme drops colours.
  if (!color && process.env['TERM'] !== 'dumb') chalk.level = Math.max(chalk.level, 1) as 1;

  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  process.stdout.write(ENTER_ALT_SCREEN);
  process.on('exit', restore);

  let failure: Error | null = null;
  const instance = render(
    <ErrorBoundary
      onError={(error) => {
        failure = error;
        instance.unmount();
      }}
    >
      <App api={api} refreshMs={refreshMs} color={color} />
    </ErrorBoundary>,
    { exitOnCtrlC: false, patchConsole: false, maxFps: 30 },
  );
  const stop = (): void => instance.unmount();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  // A dropped SSH session closes stdin: leave instead of drawing to nobody.
  process.stdin.once('end', stop);
  try {
    await instance.waitUntilExit();
  } finally {
    restore();
  }
  if (failure !== null) {
    throw new SmarmError(`internal error: ${(failure as Error).message}`, 1);
  }
}
