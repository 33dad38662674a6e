import type { LogLine } from '../model.js';

// Turns the bytes of GET /services/{id}/logs (or /tasks/{id}/logs) with timestamps=1&details=1
// back into attributed lines. It does no I/O and runs on every byte of every followed log, so the
// common path is a few indexOf calls per line and no copies of payload bytes.
//
// What the engine sends (checked against the lab, Engine API 1.41):
// - Without a TTY, multiplexed frames: [stream, 0, 0, 0, uint32 BE size] + payload, where stream
//   is 1 stdout, 2 stderr, 3 an engine error ("Error grabbing logs: ..."). The engine writes one
//   frame per log message, but chunks cut frames anywhere.
// - With a TTY, the messages' bytes as they are (lines end in "\r\n"); an engine error is then a
//   plain line, told apart by lacking the timestamp every real line has.
// - Each message: "<RFC 3339 nano> <details> <text>\n", details being url-encoded key=value pairs
//   joined by commas, e.g. com.docker.swarm.node.id=...,com.docker.swarm.service.id=...,
//   com.docker.swarm.task.id=... (empty when there are none: then two spaces).
// - A container line longer than 16 KiB is stored as 16 KiB "partial" messages; each is sent with
//   the same prefix and no newline but the last. They are joined back into one line here.

/** Longest line kept (bytes, prefix included); the rest is cut with a marker. */
export const MAX_LINE_BYTES = 64 * 1024;

/** What the engine puts before an error it writes into the stream. */
export const ENGINE_ERROR_PREFIX = 'Error grabbing logs: ';

// Docker's log copier splits longer lines into partial messages of exactly this size.
const PARTIAL_MESSAGE_BYTES = 16 * 1024;
// Frames cut by a chunk boundary are assembled whole (one copy) when at most this big, so that a
// frame's start can be compared with the pending line's prefix. Bigger frames (not from Docker's
// copier) stream through piece by piece.
const MAX_ASSEMBLED_FRAME = 256 * 1024;
// Details prefixes are ~190 bytes; anything much longer is not a prefix.
const MAX_PREFIX_BYTES = 4096;
const MAX_ERRORS = 20;
const MAX_CACHED_DETAILS = 256;

const NEWLINE = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

type StreamKind = LogLine['stream'] | 'error';

interface Attribution {
  readonly serviceId: string | null;
  readonly taskId: string | null;
  readonly nodeId: string | null;
}

const UNATTRIBUTED: Attribution = Object.freeze({ serviceId: null, taskId: null, nodeId: null });

/** The line being collected for one stream (stdout, stderr, tty, or engine errors). */
class LineState {
  readonly stream: StreamKind;
  /** Copies of the pieces of an unfinished line (never views of a caller's chunk). */
  parts: Buffer[] = [];
  size = 0;
  /** A line over the cap was already flushed: drop what is left of it, up to its newline. */
  skipping = false;
  /** Timestamp + details of the unfinished (or skipped) line, once a new frame needed it. */
  prefix: Buffer | null = null;

  constructor(stream: StreamKind) {
    this.stream = stream;
  }

  joined(): Buffer {
    if (this.parts.length !== 1) this.parts = [Buffer.concat(this.parts, this.size)];
    return this.parts[0]!;
  }

  reset(): void {
    this.parts = [];
    this.size = 0;
    this.skipping = false;
    this.prefix = null;
  }
}

function isDigit(code: number | undefined): boolean {
  return code !== undefined && code >= 0x30 && code <= 0x39;
}

/** "2026-11-25T01:02:03..." at `start` of bytes. */
function timestampAt(buf: Uint8Array, start: number, end: number): boolean {
  return (
    end - start >= 20 &&
    isDigit(buf[start]) &&
    isDigit(buf[start + 3]) &&
    buf[start + 4] === 0x2d &&
    buf[start + 7] === 0x2d &&
    buf[start + 10] === 0x54 &&
    buf[start + 13] === 0x3a
  );
}

/** The same check on a decoded line whose first space is at `space`. */
function timestampIn(text: string, space: number): boolean {
  return (
    space >= 20 &&
    isDigit(text.charCodeAt(0)) &&
    text.charCodeAt(4) === 0x2d &&
    text.charCodeAt(7) === 0x2d &&
    text.charCodeAt(10) === 0x54 &&
    text.charCodeAt(13) === 0x3a
  );
}

/** Length of "<timestamp> <details> " at the start of bytes, or 0 when there is none. */
function prefixLength(buf: Buffer, end: number): number {
  const first = buf.indexOf(SPACE);
  if (first === -1 || first >= end || first > 64 || !timestampAt(buf, 0, end)) return 0;
  const second = buf.indexOf(SPACE, first + 1);
  if (second === -1 || second >= end || second > MAX_PREFIX_BYTES) return first + 1;
  // Details are key=value pairs (or nothing); a word without "=" is already the message.
  const details = buf.subarray(first + 1, second);
  return details.length === 0 || details.includes(0x3d) ? second + 1 : first + 1;
}

function urlDecode(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Reads the swarm ids out of the engine's details, whatever their order; others are ignored. */
export function parseLogDetails(details: string): Attribution {
  let serviceId: string | null = null;
  let taskId: string | null = null;
  let nodeId: string | null = null;
  for (const pair of details.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const value = urlDecode(pair.slice(eq + 1));
    if (value === '') continue;
    switch (urlDecode(pair.slice(0, eq))) {
      case 'com.docker.swarm.service.id':
        serviceId = value;
        break;
      case 'com.docker.swarm.task.id':
        taskId = value;
        break;
      case 'com.docker.swarm.node.id':
        nodeId = value;
        break;
    }
  }
  return Object.freeze({ serviceId, taskId, nodeId });
}

/** Removes the copies of `prefix` Docker put in front of each partial message of one line. */
function joinPartials(message: string, prefix: string): string {
  let at = message.indexOf(prefix);
  if (at === -1) return message;
  let out = '';
  let from = 0;
  while (at !== -1) {
    out += message.slice(from, at);
    from = at + prefix.length;
    at = message.indexOf(prefix, from);
  }
  return out + message.slice(from);
}

/** Where to cut bytes at or before `at` without splitting a UTF-8 character. */
function charBoundary(buf: Uint8Array, start: number, at: number): number {
  let cut = at;
  while (cut > start && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return cut;
}

export interface LogDecoderOptions {
  /** The service's ContainerSpec.TTY: its logs are raw bytes, not multiplexed frames. */
  tty: boolean;
  maxLineBytes?: number;
}

/**
 * Decodes one log response. Feed it the chunks as they arrive; each call returns the lines it
 * completed. Errors the engine wrote into the stream are collected in `errors` (without the
 * "Error grabbing logs: " prefix); the engine ends the stream after one.
 */
export class LogDecoder {
  readonly errors: string[] = [];
  private readonly maxLineBytes: number;
  private raw: boolean;
  private readonly stdout = new LineState('stdout');
  private readonly stderr = new LineState('stderr');
  private readonly tty = new LineState('tty');
  private readonly engineErrors = new LineState('error');
  private out: LogLine[] = [];

  // Multiplexing state: a header cut by a chunk boundary, then the frame being read.
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private frame: LineState = this.stdout;
  private frameLeft = 0;
  private frameStarted = false;
  private assembly: Buffer | null = null;
  private assemblyFill = 0;

  private lastDetails = '';
  private lastAttribution: Attribution = UNATTRIBUTED;
  private readonly attributions = new Map<string, Attribution>();

  constructor(options: LogDecoderOptions) {
    this.raw = options.tty;
    this.maxLineBytes = Math.max(256, options.maxLineBytes ?? MAX_LINE_BYTES);
  }

  push(chunk: Buffer): LogLine[] {
    const out: LogLine[] = [];
    this.out = out;
    if (this.raw) this.feed(this.tty, chunk, 0, chunk.length, false);
    else this.demux(chunk);
    this.out = [];
    return out;
  }

  /** The response ended: returns what was left without a final newline. */
  end(): LogLine[] {
    const out: LogLine[] = [];
    this.out = out;
    if (this.assembly !== null) {
      this.feed(this.frame, this.assembly, 0, this.assemblyFill, true);
      this.assembly = null;
    }
    this.frameLeft = 0;
    this.headerFill = 0;
    for (const state of [this.stdout, this.stderr, this.tty, this.engineErrors]) {
      this.flush(state);
    }
    this.out = [];
    return out;
  }

  private demux(chunk: Buffer): void {
    const length = chunk.length;
    let pos = 0;
    while (pos < length) {
      if (this.frameLeft === 0) {
        let header: Buffer;
        let at: number;
        if (this.headerFill === 0 && length - pos >= 8) {
          header = chunk;
          at = pos;
          pos += 8;
        } else {
          const n = Math.min(8 - this.headerFill, length - pos);
          chunk.copy(this.header, this.headerFill, pos, pos + n);
          this.headerFill += n;
          pos += n;
          if (this.headerFill < 8) return;
          this.headerFill = 0;
          header = this.header;
          at = 0;
        }
        const type = header[at]!;
        if (type > 3 || header[at + 1] !== 0 || header[at + 2] !== 0 || header[at + 3] !== 0) {
          return this.becomeRaw(Buffer.from(header.subarray(at, at + 8)), chunk, pos);
        }
        const size = header.readUInt32BE(at + 4);
        if (size === 0) continue;
        this.frame = type === 2 ? this.stderr : type === 3 ? this.engineErrors : this.stdout;
        this.frameLeft = size;
        this.frameStarted = false;
      }

      const available = length - pos;
      if (this.assembly !== null) {
        const n = Math.min(available, this.frameLeft);
        chunk.copy(this.assembly, this.assemblyFill, pos, pos + n);
        this.assemblyFill += n;
        this.frameLeft -= n;
        pos += n;
        if (this.frameLeft === 0) {
          const frame = this.assembly;
          this.assembly = null;
          this.feed(this.frame, frame, 0, frame.length, true);
        }
      } else if (!this.frameStarted && available >= this.frameLeft) {
        // The common case: the whole frame is in this chunk.
        const end = pos + this.frameLeft;
        this.frameLeft = 0;
        this.feed(this.frame, chunk, pos, end, true);
        pos = end;
      } else if (!this.frameStarted && this.frameLeft <= MAX_ASSEMBLED_FRAME) {
        this.assembly = Buffer.allocUnsafe(this.frameLeft);
        chunk.copy(this.assembly, 0, pos, length);
        this.assemblyFill = available;
        this.frameLeft -= available;
        pos = length;
      } else {
        const n = Math.min(available, this.frameLeft);
        this.feed(this.frame, chunk, pos, pos + n, !this.frameStarted);
        this.frameStarted = true;
        this.frameLeft -= n;
        pos += n;
      }
    }
  }

  /**
   * A header that cannot be one: the stream is not multiplexed after all (a TTY the caller did
   * not know about). Everything from here on is read as raw bytes.
   */
  private becomeRaw(header: Buffer, chunk: Buffer, from: number): void {
    this.raw = true;
    this.frameLeft = 0;
    this.flush(this.stdout);
    this.flush(this.stderr);
    this.feed(this.tty, header, 0, header.length, false);
    this.feed(this.tty, chunk, from, chunk.length, false);
  }

  /** Bytes of one stream; `frameStart` when they begin a new engine message. */
  private feed(
    state: LineState,
    buf: Buffer,
    start: number,
    end: number,
    frameStart: boolean,
  ): void {
    let pos = start;
    if (frameStart && (state.size > 0 || state.skipping))
      pos = this.continueFrom(state, buf, pos, end);
    while (pos < end) {
      const newline = buf.indexOf(NEWLINE, pos);
      if (newline === -1 || newline >= end) {
        this.hold(state, buf, pos, end);
        return;
      }
      if (state.skipping) state.reset();
      else if (state.size === 0) this.emit(state, buf, pos, newline);
      else {
        const line = Buffer.concat([...state.parts, buf.subarray(pos, newline)]);
        state.reset();
        this.emit(state, line, 0, line.length);
      }
      pos = newline + 1;
    }
  }

  /**
   * A new frame while the stream's last message ended without a newline. Docker's partial
   * messages repeat the prefix of the line they continue: skip it. Another prefix means that
   * message really ended there. No prefix at all: plain bytes continuing the line.
   */
  private continueFrom(state: LineState, buf: Buffer, start: number, end: number): number {
    if (state.prefix === null && state.size > 0) {
      const head = state.joined();
      const n = prefixLength(head, head.length);
      state.prefix = n > 0 ? Buffer.from(head.subarray(0, n)) : null;
    }
    const prefix = state.prefix;
    if (
      prefix !== null &&
      end - start >= prefix.length &&
      buf.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0
    ) {
      return start + prefix.length;
    }
    if (timestampAt(buf, start, end)) this.flush(state);
    return start;
  }

  /** Keeps the unfinished end of a line; past the cap, flushes it as a cut line. */
  private hold(state: LineState, buf: Buffer, start: number, end: number): void {
    if (state.skipping) return;
    const size = state.size + (end - start);
    if (size <= this.maxLineBytes) {
      state.parts.push(Buffer.from(buf.subarray(start, end)));
      state.size = size;
      return;
    }
    const line = Buffer.concat([...state.parts, buf.subarray(start, end)]);
    const n = prefixLength(line, line.length);
    state.reset();
    state.skipping = true;
    state.prefix = n > 0 ? Buffer.from(line.subarray(0, n)) : null;
    const cut = charBoundary(line, 0, this.maxLineBytes);
    this.line(
      state,
      `${line.toString('utf8', 0, cut)}… [line cut: no newline in ${this.maxLineBytes} bytes]`,
    );
  }

  /** The stream ended or moved on: what is pending is a line of its own. */
  private flush(state: LineState): void {
    if (state.size > 0 && !state.skipping) {
      const line = state.joined();
      state.reset();
      this.emit(state, line, 0, line.length);
    } else state.reset();
  }

  private emit(state: LineState, buf: Buffer, start: number, end: number): void {
    let stop = end > start && buf[end - 1] === CR ? end - 1 : end;
    if (stop - start <= this.maxLineBytes) {
      this.line(state, buf.toString('utf8', start, stop));
      return;
    }
    const cut = charBoundary(buf, start, start + this.maxLineBytes);
    const dropped = stop - cut;
    stop = cut;
    this.line(state, `${buf.toString('utf8', start, stop)}… [line cut: ${dropped} bytes]`);
  }

  private line(state: LineState, text: string): void {
    if (state.stream === 'error') return this.engineError(text);
    const space = text.indexOf(' ');
    if (space === -1 || !timestampIn(text, space)) {
      if (state.stream === 'tty' && text.startsWith(ENGINE_ERROR_PREFIX)) {
        return this.engineError(text);
      }
      this.out.push(lineOf(UNATTRIBUTED, state.stream, null, text));
      return;
    }
    const time = text.slice(0, space);
    let second = text.indexOf(' ', space + 1);
    if (second === -1) second = text.length;
    const details = text.slice(space + 1, second);
    let attribution = UNATTRIBUTED;
    let body = space + 1;
    if (details === '' || details.includes('=')) {
      attribution = this.attribution(details);
      body = Math.min(second + 1, text.length);
    }
    let message = text.slice(body);
    if (message.length > PARTIAL_MESSAGE_BYTES / 4) {
      // Only lines long enough to have been split can hold copies of their own prefix.
      message = joinPartials(message, text.slice(0, body));
    }
    this.out.push(lineOf(attribution, state.stream, time, message));
  }

  private attribution(details: string): Attribution {
    if (details === this.lastDetails) return this.lastAttribution;
    let found = this.attributions.get(details);
    if (found === undefined) {
      found = parseLogDetails(details);
      if (this.attributions.size >= MAX_CACHED_DETAILS) this.attributions.clear();
      this.attributions.set(details, found);
    }
    this.lastDetails = details;
    this.lastAttribution = found;
    return found;
  }

  private engineError(text: string): void {
    const message = text.startsWith(ENGINE_ERROR_PREFIX)
      ? text.slice(ENGINE_ERROR_PREFIX.length)
      : text;
    if (message.trim() !== '' && this.errors.length < MAX_ERRORS) this.errors.push(message.trim());
  }
}

function lineOf(
  attribution: Attribution,
  stream: StreamKind,
  time: string | null,
  text: string,
): LogLine {
  return {
    serviceId: attribution.serviceId,
    taskId: attribution.taskId,
    nodeId: attribution.nodeId,
    stream: stream === 'error' ? 'stderr' : stream,
    time,
    text,
  };
}

/** Decodes a whole recorded response at once (fixtures, tests). */
export function decodeLogs(
  chunks: Iterable<Buffer>,
  options: LogDecoderOptions,
): { lines: LogLine[]; errors: string[] } {
  const decoder = new LogDecoder(options);
  const lines: LogLine[] = [];
  for (const chunk of chunks) for (const line of decoder.push(chunk)) lines.push(line);
  for (const line of decoder.end()) lines.push(line);
  return { lines, errors: decoder.errors };
}

// ---------------------------------------------------------------------------------------------
// Sentences for what the engine says about a log stream (the seam wraps them in ConnectionError).

/** `target`: how the user knows what was asked for, e.g. "web" or "task 3x7…". */
export function unreadableDriverMessage(target: string, detail: string): string {
  return `The logging driver of ${target} does not let the engine read logs back (${detail.replace(/\.$/, '')}).`;
}

/** True for the engine's words about a driver without read support. */
export function isUnreadableDriver(engineText: string): boolean {
  return /does not support reading/i.test(engineText);
}

const NODE_ID = /\bnode ([a-z0-9]{25})\b/g;

/**
 * One sentence for an error the engine wrote into the stream (the stream ends there). Node ids in
 * it are named when `nodeName` knows them, e.g. "node worker-1 (o0iu6g96…) is not available".
 */
export function describeLogStreamError(
  engineText: string,
  target: string,
  nodeName: (id: string) => string | null = () => null,
): string {
  // gRPC wrapping from the manager adds nothing the user can act on.
  const text = engineText
    .replace(/^(?:rpc error: code = \w+ desc = )+/, '')
    .trim()
    .replace(/\.$/, '');
  if (isUnreadableDriver(text)) return unreadableDriverMessage(target, text);
  const named = text.replace(NODE_ID, (whole, id: string) => {
    const name = nodeName(id);
    return name === null ? whole : `node ${name} (${id.slice(0, 12)})`;
  });
  const reasons = /some logs could not be retrieved for the following reasons: ([\s\S]*)$/.exec(
    named,
  );
  if (reasons?.[1] !== undefined) {
    return `Some logs of ${target} could not be read: ${reasons[1]}.`;
  }
  return `The engine stopped the logs of ${target} with an error: ${named}.`;
}
