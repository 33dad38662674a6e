import { existsSync } from 'node:fs';
import nodeModule from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import meow from 'meow';
import { plainWithCertsWarning, resolveEndpoints, type Endpoint } from './docker/connection.js';
import { DockerodeSwarmApi } from './docker/dockerode-api.js';
import { setRetryKeyLabel } from './docker/ssh-transport.js';
import { FailoverSwarmApi } from './docker/failover-api.js';
import { SmarmError, UsageError } from './docker/errors.js';
import { ONCE_LISTS_WAIT_MS, preflightEngine, startCheck } from './docker/preflight.js';
import { askFirstLists, firstScreen, withNotes } from './first-screen.js';
import { createFreshnessStore } from './live/freshness.js';
import { startState } from './state/reducer.js';
import { headerAge } from './format/header-text.js';
import { leaveFirstFrame, showFirstFrame } from './start-screen.js';
import { colourLevel, styledFrame, textFrame } from './text-frame.js';
import { sanitizeLine } from './format/sanitize.js';
import {
  endpointsReadOnly,
  isImageName,
  isSocketPath,
  isRefreshSeconds,
  loadConfig,
  REFRESH_MAX_SECONDS,
  REFRESH_MIN_SECONDS,
  unmatchedEndpoints,
} from './config.js';
import { chooseTheme, isThemeName, THEME_NAMES, type ThemeName } from './format/palette.js';
import { remapKeys } from './state/key-remap.js';
import { createKeyTable, KEY_BINDINGS } from './state/keymap.js';
import { PACKAGE_INFO } from './package-info.js';
import { trace } from './trace.js';
import { appendAudit, auditUser, defaultAuditPath, stateDir } from './operations/audit-log.js';
import { errorText } from './format/error-text.js';
import { RECORD_COMMANDS } from './commands.js';
import { setProgramFlags } from './v8-flags.js';
import { loadUi } from './ui-runtime.js';
import { keepCompiledCode } from './compiled-code.js';
import { takeHandedOverCaFile } from './docker/extra-ca.js';

// Node 24 warns (DEP0169) about url.parse(), which docker-modem calls for tcp:// and ssh://
// endpoints: a library's deprecation means nothing to an operator, and it would be written
// across the full-screen view.
process.noDeprecation = true;

setProgramFlags();
takeHandedOverCaFile();

// Node ≥ 22.1 keeps the code it compiled on disk (in the temporary folder; NODE_COMPILE_CACHE
// moves it, NODE_DISABLE_COMPILE_CACHE turns it off): the UI code loaded below (React, Ink,
// yoga: the larger part of the start, issue 17) is then read, not compiled, from the second start
// on. Older Node has no such call and compiles it every time.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

function timeValuesJoined(argv: string[]): string[] {
  const takesTime = new Set(['--at', '--since', '--until']);
  return argv.flatMap((arg, i) =>
    takesTime.has(argv[i - 1] ?? '') && /^-\d/.test(arg)
      ? []
      : takesTime.has(arg) && /^-\d/.test(argv[i + 1] ?? '')
        ? [`${arg}=${argv[i + 1]}`]
        : [arg],
  );
}

const cli = meow(
  `
  Usage
    $ smarm-top [options]
    $ smarm-top record --dir DIR     record the swarm until stopped (no terminal)
    $ smarm-top postmortem DIR [--since TIME] [--until TIME]
    $ smarm-top probe [--lifetime S]  the stats probe the usage view (u) runs
                                      on every node (docs/stats-probe.md)

  Options
    --host URL          engine to connect to: unix:///path, tcp://host:port or
                        ssh://[user@]host[:port]; several --host: failover
                        (default: $DOCKER_HOST, else the docker CLI context,
                        else unix:///var/run/docker.sock)
    --context NAME      docker CLI context to use, as with docker --context
                        (default: $DOCKER_CONTEXT, else the current context)
    --refresh SECONDS   task and service refresh interval (default 2, or
                        "refreshSeconds" in the config file; record: 30)
    --read-only         look, never change: the action keys (s R F D P A) are off
    --theme NAME        colours: dark (default), light or mono
    --audit-log PATH    where actions are recorded (default
                        $XDG_STATE_HOME/smarm-top/audit.log, else ~/.local/state/…)
    --once              print a plain snapshot and exit
    --json              with --once: print the snapshot as JSON
    --no-color          no colours, as --theme mono (also when NO_COLOR is set)
    --probe-image NAME  image of the stats probe the usage view (u) starts on
                        every node (default smarm-top; docs/stats-probe.md)
    --probe-socket PATH each node's engine socket for the probe (default
                        /var/run/docker.sock; {{.Node.Hostname}} may name the node)
    --probe-lifetime S  seconds each probe task lives at most (default 600)
    --show-secrets      show env and label values whose names look secret
                        (PASSWORD, TOKEN, KEY…); they are masked by default
    --demo              try smarm-top on a simulated swarm (5 nodes, a crash
                        loop, a rollout…) run inside smarm-top; no engine is
                        contacted, and every action works on the simulation
    --replay DIR        the same screens on a recording, read-only
    --at TIME           with --replay: the moment (03:12, -15m or ISO)
    --help, --version

  Keys: ? in the app lists them all.
  Config file: $XDG_CONFIG_HOME/smarm-top/config.json (else ~/.config/…):
    theme, refreshSeconds, readOnly, endpoints, keys, scaleCeiling,
    logBufferLines, logBufferBytes; see docs/config.md.
  Exit codes: 0 ok, 1 runtime or connection error, 2 usage error.
`,
  {
    importMeta: import.meta,
    pkg: PACKAGE_INFO,
    // "--at -15m": a time ago is the flag's value, not a flag of its own.
    argv: timeValuesJoined(process.argv.slice(2)),
    // Checked below, so that an unknown flag gets the same one-sentence error as every other.
    allowUnknownFlags: true,
    flags: {
      host: { type: 'string', isMultiple: true },
      context: { type: 'string' },
      refresh: { type: 'string' },
      theme: { type: 'string' },
      once: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      color: { type: 'boolean', default: true },
      readOnly: { type: 'boolean', default: false },
      auditLog: { type: 'string' },
      showSecrets: { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      dir: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      replay: { type: 'string' },
      at: { type: 'string' },
      probeImage: { type: 'string' },
      probeSocket: { type: 'string' },
      probeLifetime: { type: 'string' },
    },
  },
);

function fail(error: unknown): never {
  // An error before the app took the screen over is said on the normal screen.
  leaveFirstFrame();
  if (error instanceof SmarmError) {
    process.stderr.write(`smarm-top: ${sanitizeLine(error.message)}\n`);
    process.exit(error.exitCode);
  }
  const message = errorText(error);
  process.stderr.write(`smarm-top: unexpected error: ${sanitizeLine(message)}\n`);
  process.exit(1);
}

/** Seconds from --refresh; undefined when the flag is not given. */
function parseRefresh(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !isRefreshSeconds(seconds)) {
    throw new UsageError(
      `--refresh must be a number of seconds between ${REFRESH_MIN_SECONDS} and ${REFRESH_MAX_SECONDS}, not "${value}".`,
    );
  }
  return seconds;
}

/** The text an endpoint was given as, for matching the config file's "endpoints". */
function givenAs(endpoint: Endpoint, host: string | undefined): string | undefined {
  if (endpoint.source === '--host') return host;
  return endpoint.source === 'DOCKER_HOST' ? process.env['DOCKER_HOST'] : undefined;
}

/** --probe-lifetime: whole seconds from 10 to 3600; undefined when not given. */
function parseProbeLifetime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || seconds < 10 || seconds > 3600) {
    throw new UsageError(
      `--probe-lifetime must be a whole number of seconds from 10 to 3600, not "${value}".`,
    );
  }
  return seconds;
}

function parseTheme(value: string | undefined): ThemeName | undefined {
  if (value === undefined || isThemeName(value)) return value;
  throw new UsageError(
    `--theme must be ${THEME_NAMES.join(', ').replace(/, (?=[^,]*$)/, ' or ')}, not "${value}".`,
  );
}

/** `record` polls every 30 s unless told: at 1,000 services a whole list costs (bench: REC). */
const RECORD_REFRESH_SECONDS = 30;

const KNOWN_FLAGS = new Set([
  'host',
  'context',
  'refresh',
  'theme',
  'once',
  'json',
  'color',
  'readOnly',
  'auditLog',
  'showSecrets',
  'demo',
  'dir',
  'since',
  'until',
  'replay',
  'at',
  'probeImage',
  'probeSocket',
  'probeLifetime',
  'help',
  'version',
]);

function checkFlags(): void {
  const unknown = Object.keys(cli.flags).filter((name) => !KNOWN_FLAGS.has(name));
  if (unknown.length > 0) {
    const flag = unknown[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new UsageError(`Unknown option --${flag}; run smarm-top --help for the options.`);
  }
  if (cli.flags.auditLog !== undefined && cli.flags.auditLog.trim() === '') {
    throw new UsageError('--audit-log needs a file path.');
  }
  if (cli.input.length > 0 && !RECORD_COMMANDS.has(cli.input[0]!)) {
    throw new UsageError(
      `Unexpected argument "${cli.input[0]}"; smarm-top takes options only (see --help).`,
    );
  }
}

/**
 * The interactive start found no usable engine: its sentence, then how to try smarm-top anyway
 * (in a clone, the lab's real swarm or the demo through npm; installed, the demo).
 */
function withTryAnyway(error: unknown): unknown {
  // A usage error (two swarms' managers) is not a missing engine: its sentence is the whole answer.
  if (!(error instanceof SmarmError) || error instanceof UsageError) return error;
  const inClone = existsSync(fileURLToPath(new URL('../scripts/lab.sh', import.meta.url)));
  const hint = inClone
    ? 'To try smarm-top anyway: `sudo npm run lab -- up` (a real local swarm) or `npm start -- --demo` (a simulated one).'
    : 'To try smarm-top anyway: `smarm-top --demo` (a simulated swarm).';
  return new SmarmError(`${error.message} ${hint}`, error.exitCode, { cause: error });
}

async function main(): Promise<void> {
  trace({ event: 'mark', name: 'main' });
  checkFlags();
  const { flags } = cli;
  const command = cli.input[0];
  if (command === 'postmortem') {
    const { runPostmortem } = await import('./record-cli.js');
    process.stdout.write(runPostmortem(cli.input, flags));
    return;
  }
  if (flags.at !== undefined && flags.replay === undefined) {
    throw new UsageError('--at goes with --replay DIR.');
  }
  const refreshFlag = parseRefresh(flags.refresh);
  const themeFlag = parseTheme(flags.theme);
  // Read and checked before anything is sent to an engine: a bad file stops the program with exit 2.
  const config = loadConfig(process.env, os.homedir());
  // The recorder polls less often than the screen: events time the changes (docs/recording.md).
  const refreshMs =
    (refreshFlag ?? (command === 'record' ? RECORD_REFRESH_SECONDS : config.refreshSeconds)) * 1000;
  const keys = createKeyTable(remapKeys(KEY_BINDINGS, config.keys));
  // The held-back ssh message names the retry key only where a key can be pressed.
  if (!flags.once) setRetryKeyLabel(keys.bindingOf('retry-ssh')?.label ?? null);
  if (flags.demo && ((flags.host ?? []).length > 0 || flags.context !== undefined)) {
    throw new UsageError(
      `--demo runs a simulated swarm and connects to no engine; leave out ${(flags.host ?? []).length > 0 ? '--host' : '--context'}.`,
    );
  }
  if (flags.json && !flags.once) throw new UsageError('--json only goes with --once.');
  parseProbeLifetime(flags.probeLifetime);
  if (flags.probeImage !== undefined && !isImageName(flags.probeImage)) {
    throw new UsageError(
      `--probe-image must be an image name, like smarm-top:0.1.0, not "${flags.probeImage}".`,
    );
  }
  if (flags.probeSocket !== undefined && !isSocketPath(flags.probeSocket)) {
    throw new UsageError(
      `--probe-socket must be an absolute path, like /var/run/docker.sock, not "${flags.probeSocket}".`,
    );
  }
  const interactive = !flags.once && command !== 'record';
  if (interactive && !(process.stdin.isTTY && process.stdout.isTTY)) {
    throw new UsageError(
      'the interactive view needs a terminal; for a snapshot in a pipe or script use --once (add --json for JSON).',
    );
  }
  const hosts = flags.host ?? [];
  // --demo never reads DOCKER_HOST or a context: its only engine is the simulation, in this process.
  const replay =
    flags.replay !== undefined
      ? await import('./record-cli.js').then((m) => m.openReplay(flags.replay!, flags.at))
      : null;
  if (replay !== null && !interactive) {
    const { replaySnapshot } = await import('./record-cli.js');
    process.stdout.write(
      await replaySnapshot(replay, { json: flags.json, revealSecrets: flags.showSecrets }),
    );
    return;
  }
  if (replay !== null) {
    const { runInteractive } = await loadInteractive();
    await runInteractive({
      api: replay,
      // The recording is in memory: the screens follow a move at once.
      refreshMs: 500,
      theme: chooseTheme({
        color: flags.color,
        env: process.env,
        flag: themeFlag,
        config: config.theme,
      }),
      readOnly: true,
      scaleCeiling: config.scaleCeiling,
      logCapacity: config.logBufferLines,
      logDir: path.join(stateDir(process.env, os.homedir()), 'logs'),
      audit: async () => undefined,
      user: auditUser(),
      revealSecrets: flags.showSecrets,
      keys,
      startNotes: ['Replay: [ ] step through changes, { } through problems, @ goes to a time.'],
    });
    return;
  }
  const demo = flags.demo ? await import('./demo/index.js').then((m) => m.startDemo()) : null;
  const endpoints =
    demo !== null
      ? [demo.endpoint]
      : resolveEndpoints({
          hosts,
          context: flags.context,
          env: process.env,
          homeDir: os.homedir(),
        });
  const inUse = endpoints.map((endpoint, i) => ({
    endpoint,
    given: givenAs(endpoint, hosts[i]),
  }));
  // A misspelt or stale entry would leave its endpoint writable without a word: say so at start.
  const unmatched = unmatchedEndpoints(config, inUse);
  const startNotes: string[] = [];
  const note = (kind: 'note' | 'warning', sentence: string): void => {
    process.stderr.write(`smarm-top: ${kind}: ${sentence}\n`);
    startNotes.push(`${kind === 'note' ? 'Note' : 'Warning'}: ${sentence}`);
  };
  if (unmatched.length > 0 && demo === null) {
    const names = unmatched.map((n) => `"${sanitizeLine(n)}"`).join(', ');
    const one = unmatched.length === 1;
    note(
      'note',
      `the config file's "endpoints" ${one ? 'entry' : 'entries'} ${names} name${one ? 's' : ''} no endpoint in use.`,
    );
  }
  const plainWarning = demo === null ? plainWithCertsWarning(process.env, endpoints) : null;
  if (plainWarning !== null) note('warning', sanitizeLine(plainWarning));
  // --read-only always wins; the file can only add read-only, per endpoint or for all.
  const readOnly = flags.readOnly || config.readOnly || endpointsReadOnly(config, inUse);
  // Several managers: reading moves on to the next that answers when one stops (failover).
  const managers = endpoints.map((endpoint) => new DockerodeSwarmApi(endpoint));
  const failover = managers.length === 1 ? null : new FailoverSwarmApi(managers);
  const api = failover ?? managers[0]!;
  if (command === 'record') {
    const { runRecord } = await import('./record-cli.js');
    await runRecord({
      api,
      dir: flags.dir,
      maxBytes: config.recordMaxBytes,
      refreshMs,
      preflight: Promise.all([preflightEngine(api), failover?.checkOneSwarm()]),
    });
    return;
  }

  // Startup is measured (P1): what the first output needs is asked for together with the
  // start's check (startCheck: a ping beside the lists, the full preflight only when they do not
  // come) and while the code that shows it loads; the check decides whether it is used.
  // Failover only ever within one swarm: every --host that answers now must report the same one
  // (asked alongside the check, so start-up does not wait for it first).
  const checked = (lists: Promise<unknown>, waitMs?: number): Promise<unknown> =>
    Promise.all([startCheck(api, lists, waitMs), failover?.checkOneSwarm()]);
  if (!interactive) {
    const snapshot = import('./once.js').then(async (once) => ({
      once,
      snapshot: await once.collectSnapshot(api, Date.now()),
    }));
    snapshot.catch(() => undefined);
    await checked(snapshot, ONCE_LISTS_WAIT_MS);
    const { once, snapshot: taken } = await snapshot;
    // A pasted demo snapshot must not pass for a real swarm (JSON keeps its shape).
    if (demo !== null && !flags.json) {
      process.stdout.write('DEMO: a simulated swarm (smarm-top --demo), not a real one.\n\n');
    }
    process.stdout.write(
      flags.json
        ? once.formatSnapshotJson(taken, new Date(), { revealSecrets: flags.showSecrets })
        : once.formatSnapshotText(taken, new Date(), { revealSecrets: flags.showSecrets }),
    );
    keepCompiledCode();
    return;
  }

  const first = askFirstLists(api);
  const preflight = checked(Promise.all([first.services, first.nodes]));
  // chalk (the colour level the text frame is drawn at) is read by the interactive start only.
  const chalkCode = import('chalk');
  chalkCode.catch(() => undefined);
  await preflight.catch((error: unknown) => {
    throw demo === null ? withTryAnyway(error) : error;
  });
  trace({ event: 'mark', name: 'preflight' });
  const theme = chooseTheme({
    color: flags.color,
    env: process.env,
    flag: themeFlag,
    config: config.theme,
  });
  // The first frame is written as text as soon as its data is in, before the UI code (Ink,
  // React: most of the start-up) loads; the app then draws the same frame over it.
  const freshness = createFreshnessStore();
  const loaded = await firstScreen(
    api,
    startState({ readOnly, scaleCeiling: config.scaleCeiling, keys }),
    first,
    freshness,
  );
  const prepared = { ...loaded, state: withNotes(loaded.state, startNotes), freshness };
  const { default: chalk } = await chalkCode;
  const now = Date.now();
  const lines =
    loaded.seen === undefined
      ? null
      : textFrame({
          state: { ...prepared.state, theme, clock: now },
          columns: process.stdout.columns,
          rows: process.stdout.rows,
          endpoint: api.endpoint,
          age: headerAge(freshness, now, refreshMs, false),
          error: freshness.get().error,
          eventsLive: true,
          refreshMs,
          demo: demo !== null,
        });
  const shown =
    lines === null ? null : showFirstFrame(styledFrame(lines, colourLevel(chalk.level, theme)));
  trace({ event: 'mark', name: shown === null ? 'no-text-frame' : 'text-frame' });
  keepCompiledCode();
  // The tests of what happens while only the text frame is up make that moment last: on a fast
  // machine it is too short to type into (test/e2e/start.test.ts).
  const holdMs = Number(process.env['SMARM_TEST_HOLD_UI_MS'] ?? 0);
  if (shown !== null && holdMs > 0 && holdMs <= 10_000) {
    await new Promise((resolve) => setTimeout(resolve, holdMs));
  }
  const { runInteractive } = await loadInteractive();
  trace({ event: 'mark', name: 'loaded-ui' });
  // The demo's actions change nothing real: unless asked, they are recorded in its own folder.
  const auditPath =
    flags.auditLog ??
    (demo !== null
      ? path.join(demo.dir, 'audit.log')
      : defaultAuditPath(process.env, os.homedir()));
  // The session records what it sees (not the demo's simulation); a recording that cannot be
  // opened is said in the first status line, and the app goes on without it.
  const recording =
    config.record && demo === null
      ? await import('./record-cli.js').then((m) =>
          m.openSessionRecording(api.endpoint, config.recordMaxBytes, (s) => note('warning', s)),
        )
      : null;
  await runInteractive({
    recording,
    api,
    refreshMs,
    theme,
    readOnly,
    demo: demo !== null,
    scaleCeiling: config.scaleCeiling,
    logCapacity: config.logBufferLines,
    logBytes: config.logBufferBytes,
    logDir: path.join(stateDir(process.env, os.homedir()), 'logs'),
    audit: (record) => {
      recording?.op(record);
      return appendAudit(auditPath, record);
    },
    user: auditUser(),
    revealSecrets: flags.showSecrets,
    keys,
    startNotes,
    prepared: { ...prepared, shown },
    probeImage: flags.probeImage ?? config.probeImage,
    probeSocket: flags.probeSocket ?? config.probeSocket,
    probeLifetimeS: parseProbeLifetime(flags.probeLifetime),
  });
  recording?.close();
}

/** The interactive app, with the UI bundle it draws with (ui-runtime.ts). */
async function loadInteractive(): Promise<typeof import('./interactive.js')> {
  await loadUi();
  return import('./interactive.js');
}

// `smarm-top probe`: the stats probe, run as a task on every node (issue 15; source/probe/).
const run =
  process.argv[2] === 'probe'
    ? import('./probe/run-probe.js').then((probe) => probe.runProbe(process.argv.slice(3)))
    : main().then(() => 0);
run.then(
  (code) => exitWhenWritten(code),
  (error: unknown) => fail(error),
);

/**
 * Exits once what was written to stdout is out: a pipe takes 64 KB at a time, and exiting with
 * more queued would cut a large snapshot (`--once --json | jq` at a few hundred services). A
 * reader that went away (`| head`) ends it quietly.
 */
function exitWhenWritten(code: number): void {
  process.stdout.once('error', () => process.exit(code));
  process.stdout.write('', () => process.exit(code));
}
