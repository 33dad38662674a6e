// Drives the built CLI in a real terminal, as a person would: tmux send-keys and capture-pane.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { waitFor } from './wait-for.js';

let counter = 0;

export class TmuxSession {
  private constructor(
    private readonly socket: string,
    readonly name: string,
  ) {}

  /** Starts `command` in a detached session of the given size. CI is unset: see DESIGN.md §5. */
  static start(
    command: string[],
    { columns = 100, rows = 30, env = {} as Record<string, string> } = {},
  ) {
    const socket = `smarm-test-${process.pid}-${counter++}`;
    const session = new TmuxSession(socket, 'app');
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const shellCommand = ['env', '-u', 'CI', 'TERM=xterm-256color', ...envArgs, ...command]
      .map((part) => `'${part.replaceAll("'", `'\\''`)}'`)
      .join(' ');
    execFileSync('tmux', [
      '-L',
      socket,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      session.name,
      '-x',
      String(columns),
      '-y',
      String(rows),
      // keep the pane after the program exits so the test can read what it left behind
      `${shellCommand}; echo "[exited $?]"; sleep 600`,
    ]);
    execFileSync('tmux', ['-L', socket, 'set-option', '-t', session.name, 'remain-on-exit', 'on']);
    return session;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Any tmux command against this session's own server (options, paste buffers). */
  command(...args: string[]): string {
    return this.tmux(...args);
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

  /** The screen with its SGR attributes (colours, bold, inverse) kept as escape sequences. */
  captureWithEscapes(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.name);
  }

  /** The pid of the program started in the pane (the pane's shell runs it as its child). */
  programPid(): number | null {
    const shell = this.tmux('display-message', '-p', '-t', this.name, '#{pane_pid}').trim();
    let children = '';
    try {
      children = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim();
    } catch {
      return null;
    }
    const first = children.split(/\s+/)[0];
    return first === undefined || first === '' ? null : Number(first);
  }

  /** The pane's title, which an OSC 0/2 sequence reaching the terminal would change. */
  title(): string {
    return this.tmux('display-message', '-p', '-t', this.name, '#{pane_title}').trim();
  }

  /** Keys in tmux notation: 'j', 'Enter', 'Escape', 'C-c', or literal text with literal=true. */
  send(keys: string | string[], literal = false): void {
    const list = Array.isArray(keys) ? keys : [keys];
    this.tmux('send-keys', '-t', this.name, ...(literal ? ['-l'] : []), '--', ...list);
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

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
