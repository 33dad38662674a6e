// Sort order for names and timestamps. Not localeCompare: its first call starts ICU's collator
// (about 23 ms of a start that has a budget), and these strings are identifiers and RFC 3339
// times, for which case-insensitive code-point order is what an operator expects.

/** Case-insensitive first ("api" < "Web" < "worker"), then exact, so the order is total. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1;
  return a < b ? -1 : 1;
}
