// Every failure the user sees is one sentence naming what was tried and what to do. The classes
// carry the process exit code so cli.tsx can map any SmarmError without knowing where it came from.

export type ExitCode = 1 | 2;

// Each class names itself: the build shortens class names (scripts/build.mjs), so `new.target.name`
// would not be the one written here.
export class SmarmError extends Error {
  static {
    this.prototype.name = 'SmarmError';
  }

  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** A bad flag, environment variable or configuration file: exit code 2. */
export class UsageError extends SmarmError {
  static {
    this.prototype.name = 'UsageError';
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** The engine could not be reached or refused a request: exit code 1. */
export class ConnectionError extends SmarmError {
  static {
    this.prototype.name = 'ConnectionError';
  }

  /** HTTP status when the engine answered, so callers can tell "unreachable" from "refused". */
  readonly statusCode: number | null;

  constructor(message: string, options?: { cause?: unknown; statusCode?: number | null }) {
    super(message, 1, options);
    this.statusCode = options?.statusCode ?? null;
  }
}

/**
 * The engine refused an update because the object changed since it was inspected (its
 * Version.Index moved on): someone else's change was not overwritten. Inspect again and retry.
 */
export class OutOfSequenceError extends ConnectionError {
  static {
    this.prototype.name = 'OutOfSequenceError';
  }

  /** What was being updated, e.g. "service web" or "node worker-1". */
  readonly target: string;

  constructor(target: string, options?: { cause?: unknown; statusCode?: number | null }) {
    super(
      `The ${target} changed on the engine since it was inspected (update out of sequence).`,
      options,
    );
    this.target = target;
  }
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  json?: unknown;
  cause?: unknown;
}

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : {};
}

function isTimeout(err: ErrorLike): boolean {
  if (err.name === 'TimeoutError' || err.code === 'ETIMEDOUT') return true;
  // Node wraps a fired AbortSignal.timeout() in an AbortError whose cause is the TimeoutError.
  const cause = asErrorLike(err.cause);
  return err.name === 'AbortError' && cause.name === 'TimeoutError';
}

/** The engine's own words from a docker-modem HTTP error (its JSON body, else its message). */
function engineMessage(err: ErrorLike): string {
  const json = err.json;
  if (typeof json === 'object' && json !== null && !Buffer.isBuffer(json)) {
    const message = (json as { message?: unknown }).message;
    if (typeof message === 'string' && message.trim() !== '') return message.trimEnd();
  }
  if (Buffer.isBuffer(json) || typeof json === 'string') {
    const text = json.toString().trim();
    if (text !== '') return text;
  }
  // docker-modem formats "(HTTP code 503) unexpected - <engine message> ".
  const text = typeof err.message === 'string' ? err.message : '';
  const match = /^\(HTTP code \d+\) [^-]*- ([\s\S]*)$/.exec(text);
  return (match?.[1] ?? text).trim();
}

/** True when the engine rejected an update for a stale version ("update out of sequence"). */
export function isOutOfSequence(err: unknown): boolean {
  const e = asErrorLike(err);
  if (typeof e.statusCode !== 'number') return false;
  return /update out of sequence/i.test(engineMessage(e));
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Turns a dockerode/node error into one sentence for the user. The engine's text is passed on
 * raw: sanitizing for the terminal happens where text becomes cells.
 */
export function describeEngineError(
  err: unknown,
  endpointLabel: string,
  options: { timeoutMs?: number } = {},
): string {
  const e = asErrorLike(err);
  const at = `the Docker engine at ${endpointLabel}`;

  if (typeof e.statusCode === 'number') {
    const message = engineMessage(e);
    // During a leader election every manager answers this for a while: not an outage.
    if (e.statusCode === 503 && /does not have a leader/i.test(message)) {
      return `The swarm has no leader right now (an election is under way, or too few managers are up for a quorum); the last known state stays on screen.`;
    }
    if (e.statusCode === 503) return `The Docker engine at ${endpointLabel} says: ${message}`;
    // Go's net/http answers a plain request on a TLS port with this 400 (docker's port 2376).
    if (e.statusCode === 400 && /HTTP request to an HTTPS server/i.test(message)) {
      return `The Docker engine at ${endpointLabel} speaks TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to its certificates' folder (ca.pem, cert.pem, key.pem), or use a docker context that has them.`;
    }
    return `The Docker engine at ${endpointLabel} answered HTTP ${e.statusCode}: ${message}`;
  }

  if (isTimeout(e)) {
    const within =
      options.timeoutMs === undefined ? 'in time' : `within ${formatSeconds(options.timeoutMs)}`;
    return `The Docker engine at ${endpointLabel} did not answer ${within}; it may be overloaded or unreachable.`;
  }

  switch (e.code) {
    case 'ENOENT':
      return `Cannot connect to ${at}: no such socket. Is dockerd running?`;
    case 'EACCES':
    case 'EPERM':
      return `Cannot connect to ${at}: permission denied; run smarm-top with sudo or add your user to the docker group.`;
    case 'ECONNREFUSED':
      return `Cannot connect to the Docker engine: nothing is listening at ${endpointLabel}. Is dockerd running?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot connect to ${at}: the host name does not resolve.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Cannot connect to ${at}: the host is unreachable from here.`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `The connection to ${at} was closed unexpectedly; the engine may have restarted.`;
    case 'ABORT_ERR':
      return `The request to ${at} was cancelled.`;
  }
  if (typeof e.code === 'string' && TLS_CODES.has(e.code)) {
    const detail = typeof e.message === 'string' ? e.message : e.code;
    return `Cannot verify the TLS certificate of ${at} (${detail}); check DOCKER_CERT_PATH and the server's certificate.`;
  }
  if (e.name === 'AbortError') return `The request to ${at} was cancelled.`;

  const detail =
    typeof e.message === 'string' && e.message.trim() !== ''
      ? e.message.trim()
      : String(err).trim();
  return `Cannot talk to ${at}: ${detail}`;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
