// Structural sharing for polled lists: an unchanged refresh must hand back the very same
// objects so that the reducer can return the same state and nothing re-renders.

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  return aKeys.every((key) => key in bRecord && deepEqual(aRecord[key], bRecord[key]));
}

/**
 * Returns `previous` itself when `next` holds the same items in the same order; otherwise a new
 * array in which every item equal to its previous version (matched by id) is the old object.
 */
export function shareList<T extends { id: string }>(
  previous: readonly T[],
  next: readonly T[],
): T[] {
  // Lists mostly come back in the same order (and, unchanged, as the same objects: the API
  // reuses what it parsed): an item is looked for at its own place first, by id only if not.
  let before: Map<string, T> | null = null;
  let changed = previous.length !== next.length;
  const merged = next.map((item, index) => {
    const here = previous[index];
    const old =
      here !== undefined && here.id === item.id
        ? here
        : (before ??= new Map(previous.map((p) => [p.id, p]))).get(item.id);
    if (old !== undefined && deepEqual(old, item)) {
      if (previous[index] !== old) changed = true;
      return old;
    }
    changed = true;
    return item;
  });
  return changed ? merged : (previous as T[]);
}
