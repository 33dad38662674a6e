import { setFlagsFromString } from 'node:v8';
import { LINEAR_REGEXP_FLAG } from '../v8-flags.js';
import { cellWidth, truncate } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import type { LogLine } from '../model.js';
import { errorText } from '../format/error-text.js';
import { formatCount } from '../format/count.js';

// Log lines arrive outside React at rates a reducer should not copy arrays for, so the buffer is
// a mutable queue: React sees it through `version`, which changes on every mutation. It is
// bounded in entries and in bytes, so a service writing long lines cannot fill the heap.
//
// Entries are either a log line or a gap marker. A marker is its own kind rather than a fake
// LogLine so that nothing downstream can mistake it for container output (it has no task, no
// stream, no time, and is never counted as a dropped line).
//
// Text is sanitized once, on push, and cut for display there too: a 1 MB line costs one pass
// when it arrives instead of one per frame, and nothing huge ever reaches Ink.

/** Display text longer than this many cells is cut, with a note of how much was left out. */
export const MAX_LINE_CELLS = 4_000;

/** Raw text kept per line (UTF-16 units): what save and copy get of a megabyte line. */
export const MAX_RAW_CHARS = 65_536;

/** The default byte bound of a buffer (the config's `logBufferBytes`). */
export const DEFAULT_LOG_BUFFER_BYTES = 64 * 1024 * 1024;

/**
 * What an entry is counted as besides its text: the entry and line objects, their IDs and time.
 * Measured with bench/logs.ts (short lines through LogDecoder into a buffer), rounded up.
 */
export const ENTRY_OVERHEAD_BYTES = 400;

export type LogEntry =
  /** `text` is the sanitized, display-cut form of `line.text`; `line` is as received (raw). */
  | { kind: 'line'; line: LogLine; text: string }
  /** A place where lines may be missing (e.g. the stream reconnected); `text` is sanitized. */
  | { kind: 'gap'; text: string };

/**
 * Cuts sanitized single-line text to `maxCells` cells plus " … [N more chars]" (N counts UTF-16
 * units left out). Text that fits is returned as is.
 */
export function cutForDisplay(text: string, maxCells = MAX_LINE_CELLS): string {
  // A UTF-16 unit is at most two cells wide: short text needs no measuring.
  if (text.length * 2 <= maxCells) return text;
  // Measure a bounded head only; four units per cell is generous even for emoji sequences.
  const head = text.length > maxCells * 4 ? text.slice(0, maxCells * 4) : text;
  const headWidth = cellWidth(head);
  if (head === text && headWidth <= maxCells) return text;
  let kept = headWidth <= maxCells ? head : truncate(head, maxCells + 1).slice(0, -1);
  // The head may have been sliced inside a surrogate pair.
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept} … [${formatCount(text.length - kept.length)} more chars]`;
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 makes a slice of
 * 13 or more units a view into its parent, so a kept 4,000-cell line would pin the whole
 * megabyte it came from (the review measured 135 KB per kept line). Text that fits in Latin-1
 * is copied through a Buffer, which also makes it one byte per character where the decoder's
 * string used two (bench/logs.ts measures both); other text is concatenated and sliced again,
 * which makes V8 copy it into a new flat string.
 */
export function flatten(text: string): string {
  if (text.length < 13) return text;
  return NOT_LATIN1.test(text)
    ? (' ' + text).slice(1)
    : Buffer.from(text, 'latin1').toString('latin1');
}
// Any character above U+00FF; the range itself includes the control characters on purpose.
// eslint-disable-next-line no-control-regex -- see above
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

/** What an entry is counted as against the byte bound: UTF-16 text plus a fixed overhead. */
export function entryBytes(entry: LogEntry): number {
  const raw = entry.kind === 'line' && entry.line.text !== entry.text ? entry.line.text.length : 0;
  return ENTRY_OVERHEAD_BYTES + 2 * (entry.text.length + raw);
}

function toEntry(line: LogLine): LogEntry {
  const long = line.text.length > MAX_RAW_CHARS;
  // Flattened when long: a line that is a slice of a larger decoded chunk must not pin it.
  const raw =
    long || line.text.length > 4_096 ? flatten(line.text.slice(0, MAX_RAW_CHARS)) : line.text;
  // The display text is made from the full line so that its "more chars" count is true.
  const display = cutForDisplay(sanitizeLine(line.text));
  // Most lines need no sanitizing: then the raw and display text are one string.
  const text = display === raw ? raw : flatten(display);
  return { kind: 'line', line: raw === line.text ? line : { ...line, text: raw }, text };
}

export class LogBuffer {
  /** Most entries kept. */
  readonly capacity: number;
  /** Most bytes kept, as `entryBytes` counts them. */
  readonly maxBytes: number;
  // A queue: entries head … entries.length − 1 are kept, in age order. Evicted slots are cleared
  // and the array compacted once they are the larger half, so eviction costs O(1) on average.
  private entries: Array<LogEntry | undefined> = [];
  private head = 0;
  private bytesKept = 0;
  private droppedLines = 0;
  private changes = 0;

  constructor(capacity = 10_000, maxBytes = DEFAULT_LOG_BUFFER_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LogBuffer capacity must be a positive integer, got ${capacity}`);
    }
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`LogBuffer maxBytes must be a positive integer, got ${maxBytes}`);
    }
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** Entries kept (lines and gap markers). */
  get size(): number {
    return this.entries.length - this.head;
  }

  /** Bytes kept, as `entryBytes` counts them; never above `maxBytes` but for a lone entry. */
  get bytes(): number {
    return this.bytesKept;
  }

  /** Log lines evicted to make room since creation or the last `clear` (markers not counted). */
  get dropped(): number {
    return this.droppedLines;
  }

  /** Changes on every mutation; never goes back, not even on `clear`. */
  get version(): number {
    return this.changes;
  }

  push(lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    // A batch larger than the whole buffer: only its tail can survive, so the rest is counted
    // without being sanitized.
    const skip = Math.max(0, lines.length - this.capacity);
    this.droppedLines += skip;
    for (let i = skip; i < lines.length; i++) {
      const line = lines[i];
      if (line !== undefined) this.append(toEntry(line));
    }
    this.changes++;
  }

  /**
   * Appends a marker where lines may be missing. Consecutive markers collapse into the latest
   * one, so a reconnect loop cannot fill the buffer with them.
   */
  markGap(text: string): void {
    const entry: LogEntry = { kind: 'gap', text: flatten(cutForDisplay(sanitizeLine(text))) };
    const last = this.entries.length - 1;
    const previous = this.size > 0 ? this.entries[last] : undefined;
    if (previous?.kind === 'gap') {
      this.bytesKept += entryBytes(entry) - entryBytes(previous);
      this.entries[last] = entry;
      this.evict();
    } else {
      this.append(entry);
    }
    this.changes++;
  }

  /** Entry `i`, 0 being the oldest kept; undefined outside 0 … size − 1. */
  at(i: number): LogEntry | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) return undefined;
    return this.entries[this.head + i];
  }

  /** Entries start … end − 1 in age order, with Array.prototype.slice's argument rules. */
  slice(start = 0, end = this.size): LogEntry[] {
    const from = clampIndex(start, this.size);
    const to = clampIndex(end, this.size);
    const out: LogEntry[] = [];
    for (let i = from; i < to; i++) {
      const entry = this.entries[this.head + i];
      if (entry !== undefined) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.bytesKept = 0;
    this.droppedLines = 0;
    this.changes++;
  }

  private append(entry: LogEntry): void {
    this.entries.push(entry);
    this.bytesKept += entryBytes(entry);
    this.evict();
  }

  /** Drops the oldest entries until both bounds hold; the newest entry always stays. */
  private evict(): void {
    while (this.size > 1 && (this.size > this.capacity || this.bytesKept > this.maxBytes)) {
      const oldest = this.entries[this.head];
      if (oldest !== undefined) {
        this.bytesKept -= entryBytes(oldest);
        if (oldest.kind === 'line') this.droppedLines++;
      }
      this.entries[this.head] = undefined;
      this.head++;
    }
    if (this.head > 1_024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

function clampIndex(i: number, length: number): number {
  const n = Math.trunc(i);
  if (Number.isNaN(n)) return 0;
  return n < 0 ? Math.max(0, length + n) : Math.min(n, length);
}

/** A compiled filter query: `test` decides membership, `ranges` finds what to highlight. */
export interface LogFilter {
  /** The query as typed. */
  query: string;
  kind: 'text' | 'regex';
  test: (text: string) => boolean;
  /** Non-empty [start, end) UTF-16 ranges of every match, in order. */
  ranges: (text: string) => Array<[number, number]>;
}

export type CompileFilterResult = { ok: true; filter: LogFilter } | { ok: false; error: string };

export type FilterResult =
  /** Buffer indices (for `at`) of entries to show, ascending. */
  { ok: true; indices: number[] } | { ok: false; error: string };

// "/…/flags" is a regular expression only with valid-looking flags, so that a plain search for
// a path such as "/api/v1" stays plain text.
const REGEX_QUERY = /^\/(.+)\/([dgimsuvy]*)$/s;
const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

// A container writes the text a typed regex runs over: with V8's backtracking engine `/(a+)+$/`
// over "aaaa…a!" blocks the event loop for hours, and with it every key, Ctrl-C included. The
// linear-time engine (the `l` flag) cannot block; it exists behind this flag in Node 20 and 24,
// and the flag only has to be set before the first such RegExp is made.
setFlagsFromString(LINEAR_REGEXP_FLAG);

/** What a user reads when the linear engine refuses a pattern (backreferences, lookaround …). */
export const NEEDS_BACKTRACKING = 'this pattern needs backtracking; use a simpler one';

/**
 * Lower-cases text without changing where anything is, so match ranges found in the folded
 * text are ranges of the original. Only U+0130 grows when lower-cased; it is kept as it is.
 */
function foldCase(text: string): string {
  const lower = text.toLowerCase();
  return lower.length === text.length ? lower : text.replace(/[^\u0130]+/g, (s) => s.toLowerCase());
}

// Escapes whose letter case is their meaning (\w vs \W …) or that name a control character.
const CASE_SENSITIVE_ESCAPES = new Set(['b', 'B', 'd', 'D', 's', 'S', 'w', 'W', 'c']);

/**
 * The linear engine refuses the `i` flag, so `/…/i` runs as a lower-cased pattern over
 * lower-cased text instead.
 */
function foldPattern(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const next = source[i + 1]!;
      out += c + (CASE_SENSITIVE_ESCAPES.has(next) ? next : foldCase(next));
      i++;
      if (next === 'c' && i + 1 < source.length) out += source[++i];
    } else {
      out += foldCase(c);
    }
  }
  return out;
}

/**
 * Plain text → case-insensitive substring; "/pattern/flags" → that regular expression (its own
 * flags decide case), run by the linear-time engine. An invalid expression, or one that only a
 * backtracking engine can run, is reported in one sentence, never thrown.
 */
export function compileFilter(query: string): CompileFilterResult {
  const regex = REGEX_QUERY.exec(query);
  let source: string;
  let flags: string;
  let fold = false;
  if (regex) {
    source = regex[1] ?? '';
    // g and y make test() stateful; ranges() adds g itself.
    flags = (regex[2] ?? '').replace(/[gy]/g, '');
    if (flags.includes('i') && /^[dimsuvy]*$/.test(flags) && !/(.).*\1/.test(flags)) {
      fold = true;
      flags = flags.replace('i', '');
      source = foldPattern(source);
    }
  } else {
    // An escaped literal cannot backtrack badly, and needs i and u, which the linear engine lacks.
    source = query.replace(REGEX_SPECIALS, '\\$&');
    flags = 'iu';
  }
  const engineFlags = regex ? flags + 'l' : flags;
  let tester: RegExp;
  let finder: RegExp;
  try {
    tester = new RegExp(source, engineFlags);
    finder = new RegExp(source, engineFlags + 'g');
  } catch (error) {
    const message = errorText(error);
    // V8: "Invalid regular expression: /(/: Unterminated group" → the reason after the last colon.
    const reason = message.slice(message.lastIndexOf(':') + 1).trim() || message;
    if (/linear time/i.test(reason)) {
      // Tell a valid pattern the linear engine refuses from an invalid one.
      let valid = true;
      try {
        new RegExp(regex?.[1] ?? source, regex?.[2]?.replace(/[gy]/g, '') ?? flags);
      } catch {
        valid = false;
      }
      if (valid) return { ok: false, error: `${query}: ${NEEDS_BACKTRACKING}.` };
    }
    return { ok: false, error: `${query} is not a valid regular expression: ${reason}.` };
  }
  const prepare = fold ? foldCase : (text: string): string => text;
  return {
    ok: true,
    filter: {
      query,
      kind: regex ? 'regex' : 'text',
      test: (text) => tester.test(prepare(text)),
      ranges: (original) => {
        const text = prepare(original);
        const out: Array<[number, number]> = [];
        finder.lastIndex = 0;
        for (let m = finder.exec(text); m !== null; m = finder.exec(text)) {
          if (m[0] === '') {
            // An empty match would loop forever and highlights nothing.
            finder.lastIndex++;
            continue;
          }
          out.push([m.index, m.index + m[0].length]);
        }
        return out;
      },
    },
  };
}

/** Indices of the entries that pass `filter`. Gap markers always pass: they say lines are missing. */
export function matchIndices(buffer: LogBuffer, filter: LogFilter): number[] {
  const out: number[] = [];
  for (let i = 0; i < buffer.size; i++) {
    const entry = buffer.at(i);
    if (entry !== undefined && (entry.kind === 'gap' || filter.test(entry.text))) out.push(i);
  }
  return out;
}

/**
 * Indices of the entries whose sanitized display text matches `query` (see `compileFilter`),
 * plus every gap marker. The empty query matches everything.
 */
export function filterLines(buffer: LogBuffer, query: string): FilterResult {
  const compiled = compileFilter(query);
  if (!compiled.ok) return compiled;
  return { ok: true, indices: matchIndices(buffer, compiled.filter) };
}
