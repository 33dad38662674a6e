// Sort keys of a list (`>` steps through them, `<` reverses). A view's first key is its natural
// order, the one the list opens with.
import { compareText } from '../format/compare.js';

export interface SortKey<Row> {
  name: string;
  compare: (a: Row, b: Row) => number;
}

export const byText =
  <Row>(text: (row: Row) => string) =>
  (a: Row, b: Row) =>
    compareText(text(a), text(b));

/** Newest first: ISO timestamps compare as text. */
export const byNewest =
  <Row>(time: (row: Row) => string | null) =>
  (a: Row, b: Row) =>
    compareText(time(b) ?? '', time(a) ?? '');

/**
 * A sorted copy; `key` wraps around, so any counter works. A list without keys keeps the order
 * its rows come in (reversed by `<`).
 */
export function sortWith<Row>(
  rows: readonly Row[],
  keys: readonly SortKey<Row>[],
  key: number,
  reverse: boolean,
): Row[] {
  if (keys.length === 0) return reverse ? [...rows].reverse() : (rows as Row[]);
  const sort = keys[key % keys.length]!;
  const natural = keys[0]!.compare;
  // Ties fall back to the natural order, not to the order the engine listed the rows in, so
  // equal rows do not swap places between refreshes.
  const sorted = [...rows].sort((a, b) => sort.compare(a, b) || natural(a, b));
  return reverse ? sorted.reverse() : sorted;
}

/** "sorted by missing", "reversed", or '' in a list's natural order. */
export function sortLabel(
  keys: readonly { name: string }[],
  key: number,
  reverse: boolean,
): string {
  const index = keys.length === 0 ? 0 : key % keys.length;
  const name = index === 0 ? '' : `sorted by ${keys[index]!.name}`;
  return [name, reverse ? 'reversed' : ''].filter(Boolean).join(', ');
}
