import stringWidth from 'string-width';

// Terminal cells, not string length: CJK and most emoji take two cells, combining marks none.
// Callers pass sanitized text; control characters would count as zero cells here.

// Printable ASCII and the symbols the views draw (marks, arrows, the ellipsis), each one cell and
// one grapheme on its own: text made only of these never needs string-width (whose emoji regex
// and segmenter cost ~45 ms to make; the first frame is written before them, issue 17). The
// symbols, ▸ ✓ ✗ ↻ → … · ↑ ↓ ─ │ ×, are escaped: esbuild leaves a regex as written, and the bundle
// must stay ASCII (the launcher reads it as such, scripts/build.mjs).
const ONE_CELL_EACH =
  /^[\x20-\x7e\u25b8\u2713\u2717\u21bb\u2192\u2026\u00b7\u2191\u2193\u2500\u2502\u00d7]*$/;
const ELLIPSIS = '…';

// Made on first use: the first Intl.Segmenter costs about 17 ms, and ASCII text never needs one.
let segmenter: Intl.Segmenter | undefined;
const graphemes = (s: string): Intl.Segments => (segmenter ??= new Intl.Segmenter()).segment(s);

/** Display width in terminal cells. */
export function cellWidth(s: string): number {
  // string-width segments graphemes; for ONE_CELL_EACH text every char is one cell.
  return ONE_CELL_EACH.test(s) ? s.length : stringWidth(s);
}

/** The longest prefix of whole graphemes that fits in `width` cells, and its width. */
export function takeCells(s: string, width: number): { text: string; width: number } {
  let text = '';
  let used = 0;
  for (const { segment } of graphemes(s)) {
    const w = stringWidth(segment);
    if (used + w > width) break;
    text += segment;
    used += w;
  }
  return { text, width: used };
}

/**
 * Cuts `s` to at most `width` cells, ending in `…` when anything was cut. A wide character that
 * would straddle the limit is dropped whole, so the result can be one cell short.
 */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (ONE_CELL_EACH.test(s)) {
    return s.length <= width ? s : s.slice(0, width - 1) + ELLIPSIS;
  }
  if (stringWidth(s) <= width) return s;
  return takeCells(s, width - 1).text + ELLIPSIS;
}

export type Align = 'left' | 'right';

/** Truncates, then pads to exactly `width` cells. */
export function fit(s: string, width: number, align: Align = 'left'): string {
  if (width <= 0) return '';
  const cut = truncate(s, width);
  const pad = width - cellWidth(cut);
  if (pad <= 0) return cut;
  return align === 'left' ? cut + ' '.repeat(pad) : ' '.repeat(pad) + cut;
}

/** `fit(s, width, 'left')`. */
export function padEnd(s: string, width: number): string {
  return fit(s, width, 'left');
}

/** Splits a word wider than the line into line-sized pieces, never inside a grapheme. */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (rest !== '') {
    const { text } = takeCells(rest, width);
    // A grapheme wider than the whole line (a 2-cell char in a 1-cell line) still has to go
    // somewhere: emit it alone rather than loop forever.
    const piece = text === '' ? ([...graphemes(rest)][0]?.segment ?? rest) : text;
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  return pieces;
}

/**
 * Hard-wraps to lines of at most `width` cells, breaking at spaces when possible and inside
 * words only when a word is wider than a line. `\n` forces a break. Spaces at a break are
 * dropped; leading indentation of a paragraph is kept. width ≤ 0 → [].
 */
export function wrap(s: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  for (const paragraph of s.split('\n')) {
    let line = '';
    let used = 0;
    let broke = false;
    const flush = (): void => {
      lines.push(line.trimEnd());
      line = '';
      used = 0;
      broke = true;
    };
    for (const token of paragraph.match(/[^ ]+| +/g) ?? []) {
      const w = cellWidth(token);
      if (token.startsWith(' ')) {
        if (line === '' && broke) continue;
        if (used + w <= width) {
          line += token;
          used += w;
        } else {
          flush();
        }
        continue;
      }
      if (used + w <= width) {
        line += token;
        used += w;
        continue;
      }
      if (line.trimEnd() !== '') flush();
      else {
        // Only indentation on this line: drop it rather than push an empty line.
        line = '';
        used = 0;
      }
      if (w <= width) {
        line = token;
        used = w;
        continue;
      }
      const pieces = breakWord(token, width);
      for (const piece of pieces.slice(0, -1)) lines.push(piece);
      line = pieces[pieces.length - 1] ?? '';
      used = cellWidth(line);
      broke = true;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
