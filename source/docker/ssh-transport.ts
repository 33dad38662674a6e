// ssh:// endpoints, the way the docker CLI reaches them (docker/cli cli/connhelper): the system
// `ssh` runs `docker system dial-stdio` on the remote host, and HTTP goes over the child's stdin
// and stdout. Being the user's own ssh, it honours ~/.ssh/config, the agent and known_hosts; host
// keys are checked by ssh as always. BatchMode=yes: it never prompts inside the TUI.
//
// Each connection of the keep-alive agent below is one ssh process, reused for request after
// request: polling costs no new ssh login. Requests wait briefly for a busy connection rather
// than start another ssh, so only long-lived streams (events, logs) hold more than one.
//
// Only node:child_process and node:stream: nothing of ssh2, which docker-modem's own ssh:// would
// load (and which opens a connection per request).
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { Duplex } from 'node:stream';
import type { Endpoint } from './connection.js';
import { lazyChildProcess } from './lazy-builtins.js';

export interface SshTarget {
  /** null: ssh's own default (~/.ssh/config, else the local user name). */
  user: string | null;
  host: string;
  /** null: ssh's own default (~/.ssh/config, else 22). */
  port: number | null;
}

/** What runs on the remote host, as the docker CLI runs it (Docker 18.09 or later there). */
export const REMOTE_COMMAND = 'docker system dial-stdio';

/** The docker CLI's default when no ConnectTimeout is given; requests time out sooner anyway. */
const CONNECT_TIMEOUT_S = 30;
/** ssh's stderr kept for the error message: its last lines are the ones that explain. */
const STDERR_KEPT = 4096;
/** After ssh exits, how long its stderr may take to drain before the request fails anyway. */
const DRAIN_MS = 250;
/**
 * How long requests wait for a busy connection before another ssh is started: a poll takes a few
 * milliseconds, a new ssh login 0.3 s and more.
 */
const BUSY_WAIT_MS = 250;
/** After a permanent ssh failure no ssh is started for this long, doubling up to the maximum. */
export const SSH_BACKOFF_FIRST_MS = 5_000;
export const SSH_BACKOFF_MAX_MS = 300_000;
/** As the docker CLI: SIGTERM first, SIGKILL if ssh is still there this much later. */
const KILL_AFTER_MS = 3000;

/** The arguments for `ssh`, as docker/cli's connhelper builds them, plus BatchMode. */
export function sshArgs(target: SshTarget): string[] {
  return [
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${CONNECT_TIMEOUT_S}`,
    // No pseudo-terminal: the channel carries HTTP bytes, and no escape character is read.
    '-T',
    ...(target.user === null ? [] : ['-l', target.user]),
    ...(target.port === null ? [] : ['-p', String(target.port)]),
    // Nothing after this is taken as an option, whatever the host name looks like.
    '--',
    target.host,
    REMOTE_COMMAND,
  ];
}

/** A failure of the ssh transport; its message completes "Cannot talk to the Docker engine at …: ". */
export class SshTransportError extends Error {
  /**
   * A node error code when one already says it (ENOTFOUND, EHOSTUNREACH, ENETUNREACH: the
   * engine error path words those), else ERR_SSH so that the message is used as it is.
   */
  readonly code: string;
  /**
   * ssh itself refused (login denied, host key, unknown host): trying again at once cannot
   * help and, every poll, would look like a password-guessing attack to fail2ban on the manager.
   */
  readonly permanent: boolean;

  constructor(message: string, code = 'ERR_SSH', permanent = false) {
    super(message);
    this.name = 'SshTransportError';
    this.code = code;
    this.permanent = permanent;
  }
}

export interface SshExit {
  /** The exit status, null when ssh was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function hostPort(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return target.port === null ? host : `${host} port ${target.port}`;
}

/** How the user would run ssh by hand to see or fix the problem. */
function sshCommand(target: SshTarget): string {
  const port = target.port === null ? '' : ` -p ${target.port}`;
  const user = target.user === null ? '' : `${target.user}@`;
  return `ssh${port} ${user}${target.host}`;
}

/** The line of ssh's stderr that explains: the last one, skipping warnings and help hints. */
export function explainingLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const telling = lines.filter(
    (line) => !/^(warning:|@+|run '.*--help')/i.test(line) && !/^\*+$/.test(line),
  );
  const line = telling.at(-1) ?? lines.at(-1) ?? '';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** One sentence for an ssh process that ended before (or while) talking HTTP. */
export function describeSshExit(exit: SshExit, target: SshTarget): SshTransportError {
  const { code, signal } = exit;
  if (code === null) return new SshTransportError(`ssh was ended by ${signal ?? 'a signal'}.`);
  // 255 is ssh's own failure; any other status is the remote command's.
  return code === 255 ? sshFailure(exit.stderr, target) : remoteFailure(exit.stderr, code);
}

function sshFailure(stderr: string, target: SshTarget): SshTransportError {
  const line = explainingLine(stderr);
  const at = hostPort(target);
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr)) {
    const entry = target.port === null ? target.host : `[${target.host}]:${target.port}`;
    return new SshTransportError(
      `ssh refused to connect because the host key of ${at} is not the one in known_hosts (the host was reinstalled, or someone is in between); if the change is expected, remove the old key with ssh-keygen -R "${entry}" and check the new one with ${sshCommand(target)}.`,
      'ERR_SSH',
      true,
    );
  }
  if (/Host key verification failed/i.test(stderr)) {
    return new SshTransportError(
      `ssh could not verify the host key of ${at} (Host key verification failed): it is not in known_hosts; connect once with ${sshCommand(target)} to check and accept it.`,
      'ERR_SSH',
      true,
    );
  }
  const denied = /Permission denied \([^)]*\)|Too many authentication failures/i.exec(stderr);
  if (denied !== null) {
    const as = target.user === null ? '' : ` as ${target.user}`;
    return new SshTransportError(
      `ssh could not log in${as} to ${at} (${denied[0]}); check the user name and that your key is in ssh-agent or named in ~/.ssh/config (ssh runs with BatchMode=yes: no password or passphrase prompts).`,
      'ERR_SSH',
      true,
    );
  }
  if (/Could not resolve hostname|Name or service not known|unknown host/i.test(stderr)) {
    return new SshTransportError(
      `ssh could not resolve the host name ${target.host}.`,
      'ENOTFOUND',
      true,
    );
  }
  if (/Connection refused/i.test(stderr)) {
    return new SshTransportError(
      `nothing accepts ssh connections at ${at} (Connection refused); check the host, the port and that sshd runs there.`,
    );
  }
  if (/No route to host/i.test(stderr)) {
    return new SshTransportError(`ssh found no route to ${at}.`, 'EHOSTUNREACH');
  }
  if (/Network is unreachable/i.test(stderr)) {
    return new SshTransportError(`the network of ${at} is unreachable.`, 'ENETUNREACH');
  }
  if (/timed out/i.test(stderr)) {
    return new SshTransportError(`ssh timed out connecting to ${at} (${line}).`);
  }
  return new SshTransportError(
    line === '' ? 'ssh failed (exit status 255) and said nothing.' : `ssh failed: ${line}`,
  );
}

function remoteFailure(stderr: string, code: number): SshTransportError {
  const line = explainingLine(stderr);
  if (code === 127 || /docker: (command )?not found/i.test(stderr)) {
    return new SshTransportError(
      `the remote host has no docker command on the PATH of an ssh session (${line || `exit status ${code}`}); ssh:// needs the Docker CLI 18.09 or later there, as for docker -H ssh://.`,
    );
  }
  if (/unknown command|is not a docker command|unknown flag/i.test(stderr)) {
    return new SshTransportError(
      `the docker command on the remote host cannot run "${REMOTE_COMMAND}" (${line}); ssh:// needs Docker 18.09 or later there.`,
    );
  }
  return new SshTransportError(
    line === ''
      ? `"${REMOTE_COMMAND}" on the remote host ended with exit status ${code} and said nothing.`
      : `"${REMOTE_COMMAND}" on the remote host failed: ${line}`,
  );
}

// Every ssh still running, so that none outlives the app (process.exit included).
const running = new Set<ChildProcess>();
let exitHooked = false;

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    // ssh leads its own process group (detached): a ProxyCommand it started goes with it.
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function watch(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  // Not started at all (no ssh on the PATH): no exit follows.
  child.once('error', () => running.delete(child));
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const each of running) killTree(each, 'SIGTERM');
  });
}

type Refable = { ref?: () => void; unref?: () => void };

export interface SshSocketHooks {
  /** The first byte from the remote came through. */
  established?: () => void;
  /** ssh failed before that (could not log in, host key, no docker there, …). */
  failed?: (err: SshTransportError) => void;
}

/**
 * A connection to the remote engine: a Duplex over one ssh child's stdout (read) and stdin
 * (write), with the few socket methods node's HTTP client and agent call. An ssh that exits
 * before the answer fails the request at once with what its stderr says.
 */
export class SshSocket extends Duplex {
  /** Read from ssh's stdout, as net.Socket counts it. */
  bytesRead = 0;
  /** Idle timeout in ms; 0: none (what http.Agent expects of a fresh socket). */
  timeout = 0;
  readonly connecting = false;
  private stderr = '';
  private exit: SshExit | null = null;
  private stdoutEnded = false;
  private stderrEnded = false;
  /** The end of the stream was pushed. */
  private ended = false;
  private drainTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  /** Whether ssh has passed on a byte from the remote: it logged in and dial-stdio runs. */
  established = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly target: SshTarget,
    private readonly hooks: SshSocketHooks = {},
  ) {
    super({ allowHalfOpen: false });
    const { stdin, stdout, stderr } = child;
    if (stdin === null || stdout === null || stderr === null) {
      throw new Error('ssh must be spawned with piped stdio');
    }
    stdout.on('data', (chunk: Buffer) => {
      this.bytesRead += chunk.length;
      this.touch();
      if (!this.established) {
        this.established = true;
        this.hooks.established?.();
      }
      if (!this.push(chunk)) stdout.pause();
    });
    stdout.once('end', () => {
      this.stdoutEnded = true;
      this.settle(false);
    });
    stderr.setEncoding('utf8');
    stderr.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEPT);
    });
    stderr.once('end', () => {
      this.stderrEnded = true;
      this.settle(false);
    });
    // A write to an ssh that is gone fails with EPIPE; its exit status and stderr say why.
    stdin.on('error', () => undefined);
    stdout.on('error', (err) => this.destroy(err));
    stderr.on('error', () => undefined);
    child.once('error', (err: NodeJS.ErrnoException) => {
      this.fail(
        err.code === 'ENOENT'
          ? new SshTransportError(
              'the ssh command was not found; ssh:// endpoints need the OpenSSH client (ssh) on the PATH.',
              'ERR_SSH_NOT_FOUND',
            )
          : new SshTransportError(`ssh could not be started (${err.message}).`),
      );
    });
    child.once('exit', (code, signal) => {
      this.exit = { code, signal, stderr: '' };
      // stdout and stderr usually end with the process; a ControlPersist master that kept one
      // open must not hold the request.
      this.drainTimer = setTimeout(() => this.settle(true), DRAIN_MS);
      this.drainTimer.unref();
      this.settle(false);
    });
  }

  /** Decides once ssh has exited: a clean end of the stream, or the failure ssh reported. */
  private settle(drained: boolean): void {
    if (this.exit === null || this.destroyed || this.ended) return;
    if (this.exit.code === 0) {
      if (this.stdoutEnded || drained) {
        this.clearDrain();
        this.ended = true;
        this.push(null);
      }
      return;
    }
    if (!this.stderrEnded && !drained) return;
    this.clearDrain();
    this.fail(describeSshExit({ ...this.exit, stderr: this.stderr }, this.target));
  }

  /** ssh's own failure (not our kill): the request fails with it, and so may the waiting ones. */
  private fail(err: SshTransportError): void {
    if (!this.established) this.hooks.failed?.(err);
    this.destroy(err);
  }

  private clearDrain(): void {
    if (this.drainTimer !== null) clearTimeout(this.drainTimer);
    this.drainTimer = null;
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.touch();
    const stdin = this.child.stdin;
    if (stdin === null || !stdin.writable) {
      callback();
      return;
    }
    // Errors are left to the exit: ssh gone is reported with its own words, not as EPIPE.
    stdin.write(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    // EOF to the remote: dial-stdio half-closes, the engine finishes and ssh exits by itself.
    this.child.stdin?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clearDrain();
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      killTree(this.child, 'SIGTERM');
      const child = this.child;
      setTimeout(() => killTree(child, 'SIGKILL'), KILL_AFTER_MS).unref();
    }
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    callback(error);
  }

  // What node's HTTP agent calls on its sockets.

  ref(): this {
    this.child.ref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      (stream as Refable | null)?.ref?.();
    }
    return this;
  }

  unref(): this {
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      (stream as Refable | null)?.unref?.();
    }
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  /** net.Socket's idle timeout: 'timeout' after `ms` without bytes either way; 0 turns it off. */
  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    if (callback !== undefined) {
      if (ms === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    this.touch();
    return this;
  }

  private touch(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.timeout > 0 && !this.destroyed) {
      this.idleTimer = setTimeout(() => this.emit('timeout'), this.timeout);
      this.idleTimer.unref();
    }
  }
}

export interface SshAgentOptions {
  /** The ssh client to run (default: `ssh` from PATH, as the docker CLI does). */
  command?: string;
  /** How long requests wait for a busy connection before another ssh is started. */
  busyWaitMs?: number;
}

// Every agent made, so that the retry key reaches them all (one per ssh endpoint).
const sshAgents = new Set<SshAgent>();
/** How the held-back message names the retry key (set by the interactive start); null: not at all. */
let retryKeyLabel: string | null = null;

/** The key that retries now, as the key table writes it (a remap included); null for --once. */
export function setRetryKeyLabel(label: string | null): void {
  retryKeyLabel = label;
}

/**
 * Ends the wait after a permanent ssh failure on every agent: the next request starts ssh at
 * once (the retry key). A failure again doubles the wait as before. True when one was waiting.
 */
export function retrySshNow(): boolean {
  let any = false;
  for (const each of sshAgents) any = each.retryNow() || any;
  return any;
}

/** The seconds until an ssh login is tried again; null when none is being held back. */
export function sshBackoffSeconds(now = Date.now()): number | null {
  let soonest: number | null = null;
  for (const each of sshAgents) {
    const left = each.backoffLeftMs(now);
    if (left !== null) soonest = Math.min(soonest ?? left, left);
  }
  return soonest === null ? null : Math.ceil(soonest / 1000);
}

interface Waiting {
  req: http.ClientRequest;
  options: http.RequestOptions;
}

type AddRequest = (this: http.Agent, req: http.ClientRequest, options: http.RequestOptions) => void;
// Node's Agent entry point for every request (not in @types/node, but what ClientRequest calls).
const baseAddRequest = (http.Agent.prototype as unknown as { addRequest: AddRequest }).addRequest;

/**
 * Ends a request that never got a connection, as node's agent does when it cannot make one: it
 * emits `err` (or, once destroyed, the reason it was destroyed with) and closes.
 */
function endWithoutSocket(req: http.ClientRequest, err?: Error): void {
  (req as unknown as { onSocket(socket: undefined, err?: Error): void }).onSocket(undefined, err);
}

/**
 * A keep-alive http.Agent whose every connection is one `ssh … docker system dial-stdio`. The
 * request's host and port are not used: the target is fixed.
 *
 * A new ssh costs a login on the remote host (sshd, a shell, the docker CLI: 0.3 s and more),
 * a request on an open one a few milliseconds. So a request that finds every connection busy
 * waits for one to be free, and a new ssh is started only when all have been busy for
 * BUSY_WAIT_MS (a long-lived event or log stream holds its connection for good) — one at a time:
 * while one is being set up, requests wait for it. When that ssh fails (no login, unknown host
 * key, …), the requests waiting for it fail with the same words instead of each trying again.
 */
export class SshAgent extends http.Agent {
  private readonly command: string;
  private readonly busyWaitMs: number;
  private readonly waiting: Waiting[] = [];
  /** Connections started whose ssh has not passed a byte yet. */
  private connecting = 0;
  private busyTimer: NodeJS.Timeout | null = null;
  /** The last permanent ssh failure, and until when no ssh is started because of it. */
  private refused: { error: SshTransportError; until: number; delayMs: number } | null = null;

  constructor(
    readonly target: SshTarget,
    options: SshAgentOptions = {},
  ) {
    // No TLS server name, as for the plain HTTP agent: spares node:http an isIP() check whose
    // IPv6 pattern takes 12 ms to compile on the first request.
    super({ keepAlive: true, servername: '' } as http.AgentOptions);
    this.command = options.command ?? 'ssh';
    this.busyWaitMs = options.busyWaitMs ?? BUSY_WAIT_MS;
    // After node's own listener has put the socket back in the pool.
    this.on('free', () => this.dispatch());
    sshAgents.add(this);
  }

  /** Ms left of the wait after a permanent failure; null when ssh may be started. */
  backoffLeftMs(now = Date.now()): number | null {
    if (this.refused === null || now >= this.refused.until) return null;
    return this.refused.until - now;
  }

  /** Ends the wait now (the delay is kept, so failing again waits twice as long). */
  retryNow(): boolean {
    const waiting = this.backoffLeftMs() !== null;
    if (this.refused !== null) this.refused.until = 0;
    return waiting;
  }

  private noteFailure(err: SshTransportError): void {
    if (!err.permanent) return;
    const delayMs =
      this.refused === null
        ? SSH_BACKOFF_FIRST_MS
        : Math.min(this.refused.delayMs * 2, SSH_BACKOFF_MAX_MS);
    this.refused = { error: err, until: Date.now() + delayMs, delayMs };
  }

  /** The error for a request made while ssh is held back; null when it may go ahead. */
  private heldBack(): SshTransportError | null {
    const left = this.backoffLeftMs();
    if (left === null || this.refused === null) return null;
    const { error } = this.refused;
    return new SshTransportError(
      `ssh login failing; next try in ${Math.ceil(left / 1000)} s${retryKeyLabel === null ? '' : ` (${retryKeyLabel}: now)`}: ${error.message}`,
    );
  }

  override createConnection(): SshSocket {
    const child = lazyChildProcess().spawn(this.command, sshArgs(this.target), {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own session, as the docker CLI does: no controlling terminal, so ssh can never read
      // the TUI's keys from /dev/tty, and a Ctrl-C meant for the app does not reach it.
      detached: true,
    });
    watch(child);
    this.connecting += 1;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      this.connecting -= 1;
    };
    const socket = new SshSocket(child, this.target, {
      established: () => {
        settle();
        // A login that works again starts the next wait afresh from the first delay.
        this.refused = null;
        this.dispatch();
      },
      failed: (err) => {
        settle();
        this.noteFailure(err);
        this.endWaiting(err);
      },
    });
    socket.once('close', () => {
      settle();
      // Once node has taken it out of the pool (its listener runs after this one).
      process.nextTick(() => this.dispatch());
    });
    return socket;
  }

  /** Called by node's ClientRequest for every request made with this agent. */
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    const held = this.hasFree() ? null : this.heldBack();
    if (held !== null) {
      // No new ssh while held back: that is the login storm this wait exists to prevent.
      process.nextTick(() => endWithoutSocket(req, held));
      return;
    }
    if (this.waiting.length === 0 && (this.hasFree() || this.inUse() === 0)) {
      baseAddRequest.call(this, req, options);
      return;
    }
    this.waiting.push({ req, options });
    this.dispatch();
  }

  override destroy(): void {
    const closed = Object.assign(new Error('The ssh connections were closed.'), {
      name: 'AbortError',
      code: 'ABORT_ERR',
    });
    this.endWaiting(closed);
    sshAgents.delete(this);
    super.destroy();
  }

  private dispatch(): void {
    let progressed = false;
    while (this.hasFree()) {
      const next = this.nextWaiting();
      if (next === undefined) break;
      baseAddRequest.call(this, next.req, next.options);
      progressed = true;
    }
    // The wait for a free connection starts again from the last one freed.
    if (progressed) this.clearBusyTimer();
    if (this.waiting.length === 0 || this.waiting.every(({ req }) => req.destroyed)) {
      this.endWaiting();
      return;
    }
    if (this.inUse() === 0) {
      // Nothing open or opening (the last connection closed): open one now.
      const next = this.nextWaiting();
      if (next !== undefined) baseAddRequest.call(this, next.req, next.options);
      return;
    }
    if (this.connecting > 0) {
      this.clearBusyTimer();
      return;
    }
    this.busyTimer ??= setTimeout(() => {
      this.busyTimer = null;
      const next = this.nextWaiting();
      // No connection is free: this opens another.
      if (next !== undefined) baseAddRequest.call(this, next.req, next.options);
      this.dispatch();
    }, this.busyWaitMs);
  }

  /** Fails (or, without `err`, finishes the cancelled) requests still waiting. */
  private endWaiting(err?: Error): void {
    this.clearBusyTimer();
    for (const { req } of this.waiting.splice(0)) {
      endWithoutSocket(req, err ?? (req.destroyed ? undefined : new Error('socket hang up')));
    }
  }

  /** The next request still wanted; cancelled ones are finished on the way. */
  private nextWaiting(): Waiting | undefined {
    let next = this.waiting.shift();
    while (next !== undefined && next.req.destroyed) {
      endWithoutSocket(next.req);
      next = this.waiting.shift();
    }
    return next;
  }

  private clearBusyTimer(): void {
    if (this.busyTimer !== null) clearTimeout(this.busyTimer);
    this.busyTimer = null;
  }

  private hasFree(): boolean {
    return Object.values(this.freeSockets).some((list) => list?.some((s) => !s.destroyed));
  }

  /** Connections taken by a request or being set up. */
  private inUse(): number {
    return Object.values(this.sockets).reduce((sum, list) => sum + (list?.length ?? 0), 0);
  }
}

/**
 * What docker-modem is given for an ssh endpoint: plain HTTP whose connections the SshAgent
 * makes. Host and port only fill the Host header; the agent ignores them.
 */
export function modemEndpoint(endpoint: Extract<Endpoint, { kind: 'ssh' }>): Endpoint {
  return {
    kind: 'tcp',
    host: endpoint.host,
    port: endpoint.port ?? 22,
    tls: null,
    label: endpoint.label,
    source: endpoint.source,
  };
}
