// A control-mode client of one tmux session (`tmux -C attach`), for timing what a pane shows.
// tmux tells such a client each time the pane writes (`%output`), so the screen is read only after
// something changed, and through the one client already running: no tmux process is started per
// look. Polling with `capture-pane` started one every 10 ms, and on a two-core machine those took
// CPU from the program being timed (a shell's echo was seen after 68–93 ms that way, 16–24 ms so).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** One word in tmux's command syntax, whatever it contains (no escapes inside single quotes). */
export const tmuxQuote = (text: string): string => `'${text.split("'").join(`'"'"'`)}'`;

interface Waiting {
  resolve: (output: string) => void;
  reject: (error: Error) => void;
}

export class TmuxWatch {
  private readonly client: ChildProcessWithoutNullStreams;
  private pending = '';
  /** Commands sent, oldest first; the first is the attach itself, whose block opens the stream. */
  private readonly waiting: Waiting[] = [];
  private block: string[] | null = null;
  private onOutput: (() => void) | null = null;
  private closed: Error | null = null;

  private constructor(
    socket: string,
    private readonly target: string,
  ) {
    this.client = spawn('tmux', ['-L', socket, '-C', 'attach', '-t', target]);
    this.client.stdout.setEncoding('utf8');
    this.client.stdout.on('data', (chunk: string) => this.read(chunk));
    this.client.on('close', () => this.close(new Error('the tmux control client left')));
    this.client.on('error', (error) => this.close(error));
  }

  /** Attached, with the attach's own answer read. */
  static async attach(socket: string, target: string): Promise<TmuxWatch> {
    const watch = new TmuxWatch(socket, target);
    await new Promise<string>((resolve, reject) => watch.waiting.push({ resolve, reject }));
    return watch;
  }

  private read(chunk: string): void {
    this.pending += chunk;
    for (let end = this.pending.indexOf('\n'); end >= 0; end = this.pending.indexOf('\n')) {
      const line = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 1);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (this.block !== null) {
      const failed = line.startsWith('%error');
      if (!failed && !line.startsWith('%end')) {
        this.block.push(line);
        return;
      }
      const output = this.block.join('\n');
      this.block = null;
      const waiting = this.waiting.shift();
      if (failed) waiting?.reject(new Error(`tmux: ${output}`));
      else waiting?.resolve(output);
      return;
    }
    if (line.startsWith('%begin')) this.block = [];
    else if (line.startsWith('%output')) this.onOutput?.();
  }

  private close(error: Error): void {
    this.closed ??= error;
    for (const waiting of this.waiting.splice(0)) waiting.reject(error);
  }

  /** One tmux command (its words already in tmux's syntax); resolves to what it printed. */
  command(line: string): Promise<string> {
    if (this.closed !== null) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.client.stdin.write(`${line}\n`);
    });
  }

  /** Replaces the pane's program with `shellCommand`, without starting a tmux process. */
  async respawn(shellCommand: string): Promise<void> {
    await this.command(`respawn-pane -k -t ${tmuxQuote(this.target)} ${tmuxQuote(shellCommand)}`);
  }

  capture(): Promise<string> {
    return this.command(`capture-pane -p -t ${tmuxQuote(this.target)}`);
  }

  /**
   * ms from `since` (a `performance.now()`) until `pattern` is on the screen, read at once and
   * again after each write of the pane; NaN when `timeoutMs` passed first. `screen` is the last
   * one read.
   */
  timeUntil(
    pattern: RegExp,
    since: number,
    timeoutMs = 60_000,
  ): Promise<{ ms: number; screen: string }> {
    return new Promise((resolve) => {
      let screen = '';
      let reading = false;
      let changed = true;
      let done = false;
      const finish = (ms: number) => {
        done = true;
        this.onOutput = null;
        clearTimeout(timer);
        resolve({ ms, screen });
      };
      const look = async () => {
        if (reading) return;
        reading = true;
        while (changed && !done) {
          changed = false;
          screen = await this.capture().catch(() => screen);
          if (pattern.test(screen)) finish(performance.now() - since);
        }
        reading = false;
      };
      const timer = setTimeout(
        () => finish(NaN),
        Math.max(0, timeoutMs - (performance.now() - since)),
      );
      this.onOutput = () => {
        changed = true;
        void look();
      };
      void look();
    });
  }

  detach(): void {
    this.onOutput = null;
    this.client.stdin.end();
    this.client.kill();
  }
}
