// Reading untrusted Engine JSON: every read falls back to a default instead of throwing (API
// versions differ, fields are omitted when empty). Only an object without an ID is unusable.

export type Json = Record<string, unknown>;

/** What obj() answers for anything that is not an object (compare with ===). */
export const EMPTY: Json = Object.freeze({});

export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : EMPTY;
}

export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = obj(current)[key];
  return current;
}

export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

export function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function numOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj(value))) {
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function strings(value: unknown): string[] {
  return array(value).filter((item): item is string => typeof item === 'string');
}

/** The engine omits zero values; 0 means "not set" for limits and per-node caps. */
export function positiveOrNull(value: unknown): number | null {
  const n = numOrNull(value);
  return n !== null && n > 0 ? n : null;
}

const ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;

/** Engine timestamps, with Go's zero time ("never") as null. */
export function parseTime(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && !ZERO_TIME.test(value) ? value : null;
}

/** Drops the "@sha256:..." pin the engine adds, keeping name and tag. */
export function stripDigest(image: string): string {
  return image.replace(/@[A-Za-z0-9_+.-]+:[0-9a-fA-F]{32,}$/, '');
}

export function requireId(json: unknown, what: string): string {
  const id = nonEmpty(obj(json)['ID']);
  if (id === null) throw new TypeError(`${what} without an ID`);
  return id;
}

/** `parse(item)`, or undefined for an unusable item (no ID): nothing can select or update it. */
export function parsedOrSkipped<T>(parse: (json: unknown) => T, item: unknown): T | undefined {
  try {
    return parse(item);
  } catch {
    return undefined;
  }
}

export function listOf<T>(parse: (json: unknown) => T): (json: unknown) => T[] {
  return (json) => {
    const out: T[] = [];
    for (const item of array(json)) {
      const value = parsedOrSkipped(parse, item);
      if (value !== undefined) out.push(value);
    }
    return out;
  };
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}
