// Drives the built CLI in a real terminal, as a person would: tmux send-keys and capture-pane.
// The one tmux driver of the project: the tests use its blocking calls; the bench uses the `…Async`
// ones, because it serves the fake engine from its own event loop, which a blocking call would
// stall in the middle of what it times.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TmuxWatch } from './tmux-watch.js';
import { waitFor } from './wait-for.js';

const execFileAsync = promisify(execFile);
const pause = new Int32Array(new SharedArrayBuffer(4));

/** `pid` and every process under it. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(/\s+/)
      .filter((child) => child !== '')
      .map(Number);
  } catch {
    // gone already
  }
  return [pid, ...children.flatMap(processTree)];
}

/** True while `pid` runs: a zombie has left already, only its exit status is still kept. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
let counter = 0;
/** Every server not yet killed, so that an exit handler can take them all down. */
const live = new Set<TmuxSession>();

/** One word for `sh`, whatever it contains. */
export const shellQuote = (part: string): string => `'${part.replaceAll("'", `'\\''`)}'`;

/**
 * `command` as one shell line for a pane, as a person's terminal runs it: CI unset (Ink draws no
 * frames under CI, see DESIGN.md §5), TERM set, `env` added (an undefined value: left out). With
 * `exec`, the pane's own pid is the program's.
 */
export function terminalCommand(
  command: string[],
  env: Record<string, string | undefined> = {},
  { exec = false } = {},
): string {
  const entries = Object.entries(env);
  // env takes its options (-u) before any assignment.
  const unset = entries.flatMap(([k, v]) => (v === undefined ? ['-u', k] : []));
  const envArgs = entries.flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
  return [
    ...(exec ? ['exec'] : []),
    'env',
    '-u',
    'CI',
    ...unset,
    'TERM=xterm-256color',
    ...envArgs,
    ...command,
  ]
    .map(shellQuote)
    .join(' ');
}

interface OpenOptions {
  columns?: number;
  rows?: number;
  /** The start of the server's socket name (the bench's servers are told apart from the tests'). */
  prefix?: string;
}

export class TmuxSession {
  private readonly watches: TmuxWatch[] = [];

  private constructor(
    private readonly socket: string,
    readonly name: string,
  ) {
    live.add(this);
  }

  /** Starts `command` in a detached session of the given size. CI is unset: see DESIGN.md §5. */
  static start(
    command: string[],
    { columns = 100, rows = 30, env = {} as Record<string, string> } = {},
  ) {
    const session = new TmuxSession(`smarm-test-${process.pid}-${counter++}`, 'app');
    execFileSync('tmux', [
      ...session.serverArgs(columns, rows),
      // keep the pane after the program exits so the test can read what it left behind
      `${terminalCommand(command, env)}; echo "[exited $?]"; sleep 600`,
    ]);
    session.tmux('set-option', '-t', session.name, 'remain-on-exit', 'on');
    return session;
  }

  /**
   * A server whose pane idles, so that its own start is not part of what the caller then times:
   * `respawn` puts the program in.
   */
  static async open({ columns = 100, rows = 30, prefix = 'smarm-test' }: OpenOptions = {}) {
    const session = new TmuxSession(`${prefix}-${process.pid}-${counter++}`, 'app');
    await execFileAsync('tmux', [...session.serverArgs(columns, rows), 'sleep 600']);
    return session;
  }

  /** Takes every server still up down with it (an exit or signal handler). */
  static killAll(): void {
    for (const session of [...live]) session.kill();
  }

  private serverArgs(columns: number, rows: number): string[] {
    return [
      '-L',
      this.socket,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(columns),
      '-y',
      String(rows),
    ];
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  private async tmuxAsync(...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('tmux', ['-L', this.socket, ...args]);
    return stdout;
  }

  /** Any tmux command against this session's own server (options, paste buffers). */
  command(...args: string[]): string {
    return this.tmux(...args);
  }

  /** Replaces the pane's program with `shellCommand` (see `terminalCommand`). */
  async respawn(shellCommand: string): Promise<void> {
    await this.tmuxAsync('respawn-pane', '-k', '-t', this.name, shellCommand);
  }

  /** `/text` Enter: filters the focused list down to `text`, its first row selected. */
  filterTo(text: string): void {
    this.send('/');
    this.send(text, true);
    this.send('Enter');
  }

  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  captureAsync(): Promise<string> {
    return this.tmuxAsync('capture-pane', '-p', '-t', this.name);
  }

  /** The screen with its SGR attributes (colours, bold, inverse) kept as escape sequences. */
  captureWithEscapes(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.name);
  }

  /** The pid of the program started in the pane (the pane's shell runs it as its child). */
  programPid(): number | null {
    const shell = this.tmux('display-message', '-p', '-t', this.name, '#{pane_pid}').trim();
    return processTree(Number(shell))[1] ?? null;
  }

  /** The pid of the pane's own process: the program's when `respawn` was given an `exec` line. */
  async panePid(): Promise<number> {
    return Number(
      (await this.tmuxAsync('display-message', '-p', '-t', this.name, '#{pane_pid}')).trim(),
    );
  }

  /** The pane's title, which an OSC 0/2 sequence reaching the terminal would change. */
  title(): string {
    return this.tmux('display-message', '-p', '-t', this.name, '#{pane_title}').trim();
  }

  /** Keys in tmux notation: 'j', 'Enter', 'Escape', 'C-c', or literal text with literal=true. */
  send(keys: string | string[], literal = false): void {
    this.tmux('send-keys', ...this.keyArgs(keys, literal));
  }

  async sendAsync(keys: string | string[], literal = false): Promise<void> {
    await this.tmuxAsync('send-keys', ...this.keyArgs(keys, literal));
  }

  private keyArgs(keys: string | string[], literal: boolean): string[] {
    const list = Array.isArray(keys) ? keys : [keys];
    return ['-t', this.name, ...(literal ? ['-l'] : []), '--', ...list];
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  async waitForText(pattern: string | RegExp, timeoutMs = 30_000): Promise<string> {
    return waitFor(
      `screen to show ${String(pattern)}`,
      () => {
        const screen = this.capture();
        const found = typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen);
        return found ? screen : undefined;
      },
      { timeoutMs },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- screen ---\n${this.capture()}`);
    });
  }

  /** A control-mode client of this session, for timing what the pane shows (see tmux-watch.ts). */
  async watch(): Promise<TmuxWatch> {
    const watch = await TmuxWatch.attach(this.socket, this.name);
    this.watches.push(watch);
    return watch;
  }

  /**
   * Takes the server down and waits (5 s at most) for what ran in its panes to leave: the program
   * writes its code cache as it exits, and a test removing its HOME at once would race that write.
   */
  kill(): void {
    live.delete(this);
    for (const watch of this.watches.splice(0)) watch.detach();
    let running: number[] = [];
    try {
      const panes = execFileSync(
        'tmux',
        ['-L', this.socket, 'list-panes', '-a', '-F', '#{pane_pid}'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      running = panes
        .split('\n')
        .filter((pid) => pid !== '')
        .flatMap((pid) => processTree(Number(pid)));
    } catch {
      // no server: nothing of it runs
    }
    try {
      // Quietly: the server is gone already when the program left and took its pane with it.
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    const until = Date.now() + 5000;
    while (running.some(isRunning) && Date.now() < until) Atomics.wait(pause, 0, 0, 20);
    // tmux leaves its socket file behind after kill-server.
    const dir = path.join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
    rmSync(path.join(dir, this.socket), { force: true });
  }
}
