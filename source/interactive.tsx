import chalk from 'chalk';
import { render } from 'ink';
import { App } from './app.js';
import type { ThemeName } from './format/palette.js';
import { ErrorBoundary } from './components/error-boundary.js';
import type { SwarmApi } from './docker/swarm-api.js';
import { SmarmError } from './docker/errors.js';
import { firstScreen, withNotes, type FirstLists } from './first-screen.js';
import { createFreshnessStore, type FreshnessStore } from './live/freshness.js';
import type { SeenLists } from './live/swarm-feed.js';
import type { ShownFrame } from './start-screen.js';
import type { State } from './state/state.js';
import { EXIT_WAIT_MS } from './live/operations.js';
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_PROBE_IMAGE,
  DEFAULT_PROBE_SOCKET,
  PROBE_LIFETIME_S,
} from './operations/kinds/probe.js';
import { startState } from './state/state.js';
import { initialUsage } from './state/usage.js';
import type { KeyTable } from './state/keymap.js';
import type { AuditRecord } from './operations/audit-log.js';
import { trace, tracing } from './trace.js';
import type { RecordingSink } from './live/recorder.js';
import { ReplayApi } from './recording/replay-api.js';

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

export interface InteractiveOptions {
  /** The engine; a replay's (--replay) has no write half. */
  api: SwarmApi | ReplayApi;
  refreshMs: number;
  theme: ThemeName;
  readOnly: boolean;
  /** --demo: a simulated swarm (the header says DEMO). */
  demo?: boolean;
  scaleCeiling: number;
  logCapacity: number;
  logBytes?: number;
  logDir: string;
  audit: (record: AuditRecord) => Promise<void>;
  user: string;
  revealSecrets: boolean;
  /** The key table in force (the config file's remapping). */
  keys: KeyTable;
  /**
   * Start-up notes and warnings (config entries that match nothing, certificates unused): they
   * went to stderr, which the full screen hides, so the first status line repeats them.
   */
  startNotes?: string[];
  /** The lists asked for while this code loaded, for a first frame with data. */
  first?: FirstLists;
  /**
   * The first screen already made (cli.tsx): its state with the start notes, the answers in it,
   * the freshness store they were recorded in, and the first frame written as text, if any.
   */
  prepared?: {
    state: State;
    seen?: SeenLists | undefined;
    freshness: FreshnessStore;
    shown: ShownFrame | null;
  };
  /** The flight recorder this session writes to (docs/recording.md). */
  recording?: RecordingSink | null;
  /** The stats probe's image (--probe-image, "probeImage"). */
  probeImage?: string;
  /** Each node's engine socket for the probe (--probe-socket, "probeSocket"). */
  probeSocket?: string;
  /** How long each probe task lives at most (--probe-lifetime). */
  probeLifetimeS?: number | undefined;
}

/** Full screen until the user quits; the terminal is restored on every way out. */
export async function runInteractive(options: InteractiveOptions): Promise<void> {
  const { api, theme, readOnly } = options;
  // Monochrome still needs inverse and bold (the selection, the focused pane); chalk turns all
  // styling off for --no-color, so it is kept at the basic level and the theme drops colours.
  if (theme === 'mono' && process.env['TERM'] !== 'dumb')
    chalk.level = Math.max(chalk.level, 1) as 1;

  const freshness = options.prepared?.freshness ?? createFreshnessStore();
  const base = startState({
    readOnly,
    scaleCeiling: options.scaleCeiling,
    keys: options.keys,
    // the stats probe's service is named after this session (issue 15)
    usage: {
      ...initialUsage,
      sessionId: randomBytes(4).toString('hex'),
      image: options.probeImage ?? DEFAULT_PROBE_IMAGE,
      socket: options.probeSocket ?? DEFAULT_PROBE_SOCKET,
      lifetimeS: options.probeLifetimeS ?? PROBE_LIFETIME_S,
    },
  });
  const { prepared } = options;
  const { state: loaded, seen } = prepared
    ? { state: { ...prepared.state, usage: base.usage }, seen: prepared.seen }
    : options.first
      ? await firstScreen(api, base, options.first, freshness)
      : { state: base, seen: undefined };
  const initial = prepared ? loaded : withNotes(loaded, options.startNotes);

  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  // A first frame written as text (cli.tsx) is drawn over by Ink's first frame, the same one.
  if (!prepared?.shown) process.stdout.write(ENTER_ALT_SCREEN);
  process.on('exit', restore);

  // A quit from outside the keys goes through the app, which waits for changes in flight.
  const quitListeners = new Set<() => void>();
  let quitAsked = false;
  const quitSignal = {
    subscribe(listener: () => void) {
      quitListeners.add(listener);
      if (quitAsked) listener();
      return () => void quitListeners.delete(listener);
    },
  };

  let failure: Error | null = null;
  const instance = render(
    <ErrorBoundary
      onError={(error) => {
        failure = error;
        instance.unmount();
      }}
    >
      <App
        api={api}
        writes={readOnly || api instanceof ReplayApi ? null : api}
        audit={options.audit}
        user={options.user}
        refreshMs={options.refreshMs}
        theme={theme}
        readOnly={readOnly}
        demo={options.demo ?? false}
        scaleCeiling={options.scaleCeiling}
        initial={initial}
        seen={seen}
        revealSecrets={options.revealSecrets}
        freshness={freshness}
        logCapacity={options.logCapacity}
        logBytes={options.logBytes}
        logDir={options.logDir}
        quitSignal={quitSignal}
        recording={options.recording ?? null}
        replay={api instanceof ReplayApi ? api : null}
      />
    </ErrorBoundary>,
    {
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 30,
      // Only the lines that changed are written (a tenth of the bytes of a full redraw under the
      // bench's churn, and what an SSH session carries); Ink's off-by-one for frames ending with a
      // newline is patched at build (scripts/build-patches.mjs).
      incrementalRendering: true,
      ...(tracing
        ? { onRender: ({ renderTime }) => trace({ event: 'render', ms: renderTime }) }
        : {}),
    },
  );
  const stop = (): void => {
    if (quitAsked) return;
    quitAsked = true;
    if (quitListeners.size === 0) {
      instance.unmount();
      return;
    }
    for (const listener of quitListeners) listener();
    // The app's wait is bounded; this only guards against a wait that itself hangs.
    setTimeout(() => instance.unmount(), EXIT_WAIT_MS + 5000).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  // The text frame's handlers go only now. A signal caught while this module loaded or Ink drew
  // its first frame (synchronous code, no event-loop turn) is dispatched at the next turn to the
  // listeners there are then: had the text frame's been removed first, with none left, node
  // would have closed its watcher for that signal and the caught signal would have been lost.
  prepared?.shown?.handOver();
  // A dropped SSH session closes stdin: leave instead of drawing to nobody. Drawing to a terminal
  // that is gone fails (EIO); the wait and the audit record must go on regardless.
  process.stdin.once('end', stop);
  const ignore = (): void => undefined;
  process.stdin.on('error', ignore);
  process.stdout.on('error', ignore);
  try {
    await instance.waitUntilExit();
  } finally {
    restore();
  }
  if (failure !== null) {
    throw new SmarmError(`internal error: ${(failure as Error).message}`, 1);
  }
}
