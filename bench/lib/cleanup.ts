// Every child, tmux server and temporary file goes with the bench, also on a signal.

import { rmSync } from 'node:fs';
import { TmuxSession } from '../../test/helpers/tmux.js';
import { TMP } from './env.js';
import { children } from './processes.js';

function cleanup(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  TmuxSession.killAll();
  rmSync(TMP, { recursive: true, force: true });
}

export function installCleanup(): void {
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
}
