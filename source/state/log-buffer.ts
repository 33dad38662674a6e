import { setFlagsFromString } from 'node:v8';
import { cellWidth, truncate } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import type { LogLine } from '../model.js';

// Log lines arrive outside React at rates a reducer should not copy arrays for, so the buffer is
// a mutable ring: React sees it through `version`, which changes on every mutation.
//
// Entries are either a log line or a gap marker. A marker is its own kind rather than a fake
// LogLine so that nothing downstream can mistake it for container output (it has no task, no
// stream, no time, and is never counted as a dropped line).
//
// Text is sanitized once, on push, and cut for display there too: a 1 MB line costs one pass
// when it arrives instead of one per frame, and nothing huge ever reaches Ink.

/** Display text longer than this many cells is cut, with a note of how much was left out. */
export const MAX_LINE_CELLS = 4_000;

/**
 * Raw text kept per line (UTF-16 units). With the display cut this bounds a buffer's memory by
 * capacity × roughly 80 KB even when a container writes megabyte lines.
 */
export const MAX_RAW_CHARS = 65_536;

export type LogEntry =
  /** `text` is the sanitized, display-cut form of `line.text`; `line` is as received (raw). */
  | { kind: 'line'; line: LogLine; text: string }
  /** A place where lines may be missing (e.g. the stream reconnected); `text` is sanitized. */
  | { kind: 'gap'; text: string };

const numberFormat = new Intl.NumberFormat('en-US');

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
  return `${kept} … [${numberFormat.format(text.length - kept.length)} more chars]`;
}

function toEntry(line: LogLine): LogEntry {
  const raw = line.text.length > MAX_RAW_CHARS ? line.text.slice(0, MAX_RAW_CHARS) : line.text;
  const kept = raw === line.text ? line : { ...line, text: raw };
  // The display text is made from the full line so that its "more chars" count is true.
  return { kind: 'line', line: kept, text: cutForDisplay(sanitizeLine(line.text)) };
}

export class LogBuffer {
  readonly capacity: number;
  // Grows by push until full, then is overwritten in place from `head` on.
  private entries: LogEntry[] = [];
  /** Physical index of the oldest entry. */
  private head = 0;
  private count = 0;
  private droppedLines = 0;
  private changes = 0;

  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LogBuffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Entries kept (lines and gap markers). */
  get size(): number {
    return this.count;
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
    const entry: LogEntry = { kind: 'gap', text: cutForDisplay(sanitizeLine(text)) };
    if (this.at(this.count - 1)?.kind === 'gap') {
      this.entries[this.physical(this.count - 1)] = entry;
    } else {
      this.append(entry);
    }
    this.changes++;
  }

  /** Entry `i`, 0 being the oldest kept; undefined outside 0 … size − 1. */
  at(i: number): LogEntry | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return undefined;
    return this.entries[this.physical(i)];
  }

  /** Entries start … end − 1 in age order, with Array.prototype.slice's argument rules. */
  slice(start = 0, end = this.count): LogEntry[] {
    const from = clampIndex(start, this.count);
    const to = clampIndex(end, this.count);
    const out: LogEntry[] = [];
    for (let i = from; i < to; i++) {
      const entry = this.entries[this.physical(i)];
      if (entry !== undefined) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.count = 0;
    this.droppedLines = 0;
    this.changes++;
  }

  private physical(i: number): number {
    return (this.head + i) % this.capacity;
  }

  private append(entry: LogEntry): void {
    if (this.count < this.capacity) {
      // Not yet full: head is 0 and entries.length === count.
      this.entries.push(entry);
      this.count++;
      return;
    }
    if (this.entries[this.head]?.kind === 'line') this.droppedLines++;
    this.entries[this.head] = entry;
    this.head = (this.head + 1) % this.capacity;
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
setFlagsFromString('--enable-experimental-regexp-engine');

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
    const message = error instanceof Error ? error.message : String(error);
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
