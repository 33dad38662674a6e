// A polled list at 1,000 services is 0.9 MB of JSON of which a handful of services change per
// refresh under churn (their running counts). Decoding and JSON.parse-ing all of it every second
// was a fifth of the app's CPU and most of its garbage (issue 17): the answer is cut into its
// array elements as bytes, and an element byte for byte like the one with the same ID in the
// previous answer comes back as the object parsed from it then.

import { listOf, parsedOrSkipped } from './json.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const isSpace = (byte: number): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * The [start, end) byte ranges of a JSON array's top-level elements, without the whitespace
 * around them; null when the body is not one array (then the caller parses it whole, and
 * JSON.parse says what is wrong). Each element is still checked by JSON.parse when it is parsed.
 * One pass over the bytes (about 1 ms for 1 MB): inside a string only a backslash (which skips
 * the next byte) and the closing quote matter.
 */
export function arrayElements(body: Uint8Array): Array<[number, number]> | null {
  const length = body.length;
  let at = 0;
  while (at < length && isSpace(body[at]!)) at += 1;
  if (body[at] !== OPEN_BRACKET) return null;
  const elements: Array<[number, number]> = [];
  let depth = 0;
  let start = -1;
  let lastEnd = -1;
  let inString = false;
  for (at += 1; at < length; at += 1) {
    const byte = body[at]!;
    if (inString) {
      if (byte === BACKSLASH) at += 1;
      else if (byte === QUOTE) {
        inString = false;
        lastEnd = at + 1;
      }
      continue;
    }
    if (byte === QUOTE) {
      if (start === -1) start = at;
      inString = true;
    } else if (depth === 0 && (byte === COMMA || byte === CLOSE_BRACKET)) {
      if (start === -1) {
        // "[]" is the only place an element may be missing.
        if (byte === CLOSE_BRACKET && elements.length === 0) return closed(body, at + 1, elements);
        return null;
      }
      elements.push([start, lastEnd]);
      start = -1;
      if (byte === CLOSE_BRACKET) return closed(body, at + 1, elements);
    } else if (!isSpace(byte)) {
      if (start === -1) start = at;
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth -= 1;
      if (depth < 0) return null;
      lastEnd = at + 1;
    }
  }
  return null;
}

function closed(
  body: Uint8Array,
  from: number,
  elements: Array<[number, number]>,
): Array<[number, number]> | null {
  for (let at = from; at < body.length; at += 1) if (!isSpace(body[at]!)) return null;
  return elements;
}

const ID_PREFIX = Buffer.from('{"ID":"');

/** The ID an engine object starts with (the engine writes it first), else null. */
function leadingId(body: Buffer, start: number, end: number): string | null {
  if (end - start <= ID_PREFIX.length) return null;
  for (let i = 0; i < ID_PREFIX.length; i += 1) if (body[start + i] !== ID_PREFIX[i]) return null;
  const from = start + ID_PREFIX.length;
  const quote = body.indexOf(QUOTE, from);
  if (quote === -1 || quote >= end || quote === from) return null;
  for (let at = from; at < quote; at += 1) if (body[at] === BACKSLASH) return null;
  return body.toString('latin1', from, quote);
}

/** One element as parsed before: where its bytes are, and what they gave. */
export interface ParsedElement<T> {
  body: Buffer;
  start: number;
  end: number;
  value: T;
}

/** What was parsed from one answer's elements, by ID: the next answer reuses what is unchanged. */
export type ParsedElements<T> = Map<string, ParsedElement<T>>;

/** Elements parsed before, by ID: one answer's (a Map) or several answers' together. */
export interface ElementLookup<T> {
  get(id: string): ParsedElement<T> | undefined;
}

const ID_SEPARATOR = Buffer.from('},{"ID":"');
const CLOSE_LIST = Buffer.from('}]');

/**
 * The engine's usual list, a compact array of objects that each start with their ID, cut at each
 * `},{"ID":"` with Buffer.indexOf: several times faster than arrayElements' byte loop (0.25
 * against 1.6–2 ms per MB), which is most of what an unchanged element costs. Null for any other
 * shape. The cut is not proof: the separator may also stand inside a string (a label) or a
 * nested list. Then the first piece of the element cut wrongly is a proper prefix of that
 * object, which is never JSON: its parse throws, and the caller cuts again with arrayElements.
 */
export function idObjectElements(body: Uint8Array): Array<[number, number]> | null {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let last = bytes.length;
  while (last > 0 && isSpace(bytes[last - 1]!)) last -= 1;
  const end = last - CLOSE_LIST.length;
  if (end < ID_PREFIX.length + 1 || bytes[0] !== OPEN_BRACKET) return null;
  if (bytes.compare(ID_PREFIX, 0, ID_PREFIX.length, 1, 1 + ID_PREFIX.length) !== 0) return null;
  if (bytes.compare(CLOSE_LIST, 0, CLOSE_LIST.length, end, last) !== 0) return null;
  const elements: Array<[number, number]> = [];
  let start = 1;
  for (let at = bytes.indexOf(ID_SEPARATOR, start); at !== -1 && at < end;) {
    elements.push([start, at + 1]);
    start = at + 2;
    at = bytes.indexOf(ID_SEPARATOR, start);
  }
  elements.push([start, end + 1]);
  return elements;
}

/**
 * A list answer parsed element by element: an element with the same bytes under the same ID as
 * in `previous` comes back as the same object (so the store sees it unchanged by identity).
 * Elements `parseItem` rejects (no ID) are left out, as listOf does. Throws a SyntaxError for a
 * body that is not JSON.
 */
export function parseElements<T>(
  body: Buffer,
  parseItem: (json: unknown) => T,
  previous: ElementLookup<T> | undefined,
): { values: T[]; parsed: ParsedElements<T> } {
  const quick = idObjectElements(body);
  if (quick !== null) {
    try {
      return parseEach(body, quick, parseItem, previous);
    } catch (err) {
      // A separator inside a string or a nested list (see idObjectElements): cut exactly.
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  const elements = arrayElements(body);
  if (elements === null) {
    return { values: listOf(parseItem)(JSON.parse(body.toString('utf8'))), parsed: new Map() };
  }
  return parseEach(body, elements, parseItem, previous);
}

function parseEach<T>(
  body: Buffer,
  elements: Array<[number, number]>,
  parseItem: (json: unknown) => T,
  previous: ElementLookup<T> | undefined,
): { values: T[]; parsed: ParsedElements<T> } {
  const parsed: ParsedElements<T> = new Map();
  const values: T[] = [];
  for (const [start, end] of elements) {
    const id = leadingId(body, start, end);
    const old = id === null ? undefined : previous?.get(id);
    if (
      old !== undefined &&
      old.end - old.start === end - start &&
      body.compare(old.body, old.start, old.end, start, end) === 0
    ) {
      values.push(old.value);
      parsed.set(id!, { body, start, end, value: old.value });
      continue;
    }
    const value = parsedOrSkipped(parseItem, JSON.parse(body.toString('utf8', start, end)));
    if (value === undefined) continue;
    values.push(value);
    if (id !== null) parsed.set(id, { body, start, end, value });
  }
  return { values, parsed };
}
