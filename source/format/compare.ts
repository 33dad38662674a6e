// Sort order for names and timestamps. Not localeCompare: its first call starts ICU's collator
// (about 23 ms of a start that has a budget), and these strings are identifiers and RFC 3339
// times, for which case-insensitive code-point order is what an operator expects.

const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const TO_LOWER = 0x20;

const foldAscii = (code: number): number =>
  code >= UPPER_A && code <= UPPER_Z ? code + TO_LOWER : code;

/**
 * Case-insensitive first ("api" < "Web" < "worker"), then exact, so the order is total. A list of
 * 1,000 services is sorted at each refresh that changes one: ASCII text is compared code by code,
 * without the two lowered copies each comparison made; other text goes through toLowerCase.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    // Lowering may change the length of non-ASCII text (İ): compared as whole lowered strings.
    if (x >= 0x80 || y >= 0x80) return compareLowered(a, b);
    if (x === y) continue;
    const lowerX = foldAscii(x);
    const lowerY = foldAscii(y);
    if (lowerX !== lowerY) return lowerX < lowerY ? -1 : 1;
  }
  // Equal but for case up to the shorter one's end: a lowered string is never empty.
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : 1;
}

function compareLowered(a: string, b: string): number {
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1;
  return a < b ? -1 : 1;
}
