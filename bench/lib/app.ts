// smarm-top in a terminal, as a person runs it, driven through the tests' tmux driver.

import { TmuxSession, terminalCommand } from '../../test/helpers/tmux.js';
import type { TmuxWatch } from '../../test/helpers/tmux-watch.js';
import {
  CLI,
  COLUMNS,
  COMPLETE_FRAME,
  REFRESH_SECONDS,
  ROWS,
  SERVICE_ROW,
  TASK_ROW,
  env,
} from './env.js';
import { log, nowMs } from './harness.js';
import type { Target } from './engines.js';
import { NODE_FLAGS, startEnvironment } from '../../scripts/node-flags.mjs';

/** A server with an idle pane at the bench's terminal size. */
export const openTmux = (): Promise<TmuxSession> =>
  TmuxSession.open({ columns: COLUMNS, rows: ROWS, prefix: 'smarm-bench' });

/**
 * What cli.js's first line changes in the environment node runs smarm-top with, as entries to lay
 * over it (undefined: left out).
 */
export function startEnvChanges(): Record<string, string | undefined> {
  const started = startEnvironment(env);
  const names = new Set([...Object.keys(env), ...Object.keys(started)]);
  return Object.fromEntries(
    [...names].filter((name) => env[name] !== started[name]).map((name) => [name, started[name]]),
  );
}

/**
 * smarm-top in a terminal, as a person starts it (with the flags and environment cli.js's first
 * line gives node); `exec`, so the pane's pid is smarm-top's.
 */
export function interactiveCommand(
  host: string,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
): string {
  return terminalCommand(
    [
      process.execPath,
      ...NODE_FLAGS,
      ...nodeArgs,
      CLI,
      '--host',
      host,
      '--refresh',
      String(REFRESH_SECONDS),
    ],
    { ...startEnvChanges(), ...extraEnv },
    { exec: true },
  );
}

/** ms from `since` until `pattern` is on the screen, or NaN (and the screen logged) on timeout. */
export async function waitForScreen(
  watch: TmuxWatch,
  pattern: RegExp,
  since: number,
  timeoutMs = 60_000,
): Promise<number> {
  const { ms, screen } = await watch.timeUntil(pattern, since, timeoutMs);
  if (Number.isNaN(ms)) {
    log(`  (gave up waiting for ${String(pattern)}; screen:\n${screen.trimEnd()})`);
  }
  return ms;
}

/** Start → a complete first frame (nodes, services, the selected service's tasks), wall only. */
export async function firstFrame(
  host: string,
  extraEnv: Record<string, string> = {},
): Promise<number> {
  const tmux = await openTmux();
  try {
    const watch = await tmux.watch();
    const started = nowMs();
    await watch.respawn(interactiveCommand(host, extraEnv));
    return await waitForScreen(watch, COMPLETE_FRAME, started);
  } finally {
    tmux.kill();
  }
}

export interface RunningApp {
  tmux: TmuxSession;
  /** What times the screen (a control-mode client of the same session). */
  watch: TmuxWatch;
  /** The pane runs `exec env … node`: its pid is smarm-top's. */
  pid: number;
  firstFrameMs: number;
}

/** smarm-top in its own tmux server with its service list on screen, for `measure`; then quit. */
export async function withApp<T>(
  target: Target,
  extraEnv: Record<string, string>,
  measure: (app: RunningApp) => Promise<T>,
  { firstFrameTimeoutMs = 60_000, nodeArgs = [] as string[] } = {},
): Promise<T> {
  const tmux = await openTmux();
  try {
    const watch = await tmux.watch();
    const started = nowMs();
    await watch.respawn(interactiveCommand(target.host, extraEnv, nodeArgs));
    const firstFrameMs = await waitForScreen(watch, SERVICE_ROW, started, firstFrameTimeoutMs);
    if (!Number.isFinite(firstFrameMs)) throw new Error('the service list never appeared');
    return await measure({ tmux, watch, pid: await tmux.panePid(), firstFrameMs });
  } finally {
    await tmux.sendAsync('q').catch(() => undefined);
    tmux.kill();
  }
}

/** The method's own floor: a shell printing one line, seen the same way. */
export async function tmuxFloor(): Promise<number> {
  const tmux = await openTmux();
  try {
    const watch = await tmux.watch();
    const started = nowMs();
    await watch.respawn('echo " 1/1 replicated"; sleep 30');
    return await waitForScreen(watch, SERVICE_ROW, started);
  } finally {
    tmux.kill();
  }
}

/** The selected service's tasks are on screen: the first loads are done. */
export async function waitForTasksPane(watch: TmuxWatch): Promise<void> {
  if (!Number.isFinite(await waitForScreen(watch, TASK_ROW, nowMs()))) {
    throw new Error("the selected service's tasks never appeared");
  }
}
