// Turns a terminal capture (`tmux capture-pane -p -e`: text plus SGR escape sequences) into an SVG
// picture of a terminal. Pure: no I/O, so the README screenshots are reproducible and testable.
//
// Every cell has a fixed x position (`x` lists, one value per character), so the picture keeps
// its columns even where the viewer substitutes another monospace font. Characters that are not
// one narrow UTF-16 unit (CJK, emoji, combining sequences) get a <text> of their own, because
// renderers disagree on how `x` lists map onto surrogate pairs and clusters.

import stringWidth from 'string-width';

export interface AnsiToSvgOptions {
  columns: number;
  rows: number;
  /** When given, the picture gets a thin window frame with this title. */
  title?: string;
}

/** Palette (VS Code's dark terminal theme): the 16 ANSI colours, then default fg/bg. */
export const ANSI_COLOURS: readonly string[] = [
  '#000000',
  '#cd3131',
  '#0dbc79',
  '#e5e510',
  '#2472c8',
  '#bc3fbc',
  '#11a8cd',
  '#e5e5e5',
  '#666666',
  '#f14c4c',
  '#23d18b',
  '#f5f543',
  '#3b8eea',
  '#d670d6',
  '#29b8db',
  '#ffffff',
];
export const DEFAULT_FG = '#cccccc';
export const DEFAULT_BG = '#1e1e1e';

export const FONT_SIZE = 14;
/** DejaVu Sans Mono advances 1233/2048 em: 8.43 px at 14 px. */
export const CELL_WIDTH = 8.43;
/** A little under DejaVu's own line height (16.3 px), so box-drawing lines join across rows. */
export const CELL_HEIGHT = 16;
/** Baseline offset inside a row: centres DejaVu's ascent (0.928 em) + descent (0.236 em). */
const BASELINE = (CELL_HEIGHT - FONT_SIZE * 1.164) / 2 + FONT_SIZE * 0.928;
const PADDING = 12;
const TITLE_BAR = 28;
const FONT_FAMILY = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";
// Only on emoji cells: colour emoji fonts also cover digits and spaces, so never in the main list.
const EMOJI_FAMILY = `'Noto Color Emoji', 'Apple Color Emoji', 'Segoe UI Emoji', ${FONT_FAMILY}`;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

interface Style {
  fg: string | undefined; // undefined: the default colour
  bg: string | undefined;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  inverse: boolean;
  hidden: boolean;
}

interface Cell {
  text: string; // '' for the right half of a wide character
  width: number;
  style: Style;
}

function plainStyle(): Style {
  return {
    fg: undefined,
    bg: undefined,
    bold: false,
    dim: false,
    italic: false,
    underline: false,
    strike: false,
    inverse: false,
    hidden: false,
  };
}

function hex(n: number): string {
  return Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0');
}

function rgb(r: number, g: number, b: number): string {
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

/** xterm's 256-colour palette: 16 ANSI, a 6x6x6 cube, 24 greys. */
export function colour256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return ANSI_COLOURS[n];
  if (n < 232) {
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    const i = n - 16;
    return rgb(level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6));
  }
  const grey = 8 + (n - 232) * 10;
  return rgb(grey, grey, grey);
}

/**
 * Reads an extended colour (38/48/58) starting at params[i]. Accepts the `;` form
 * (`38;5;n`, `38;2;r;g;b`) and the `:` form (`38:5:n`, `38:2:r:g:b`, `38:2:cs:r:g:b`).
 * Returns the colour (undefined if malformed) and how many extra `;` params were used.
 */
function extendedColour(params: string[], i: number): { colour: string | undefined; used: number } {
  const head = params[i] ?? '';
  if (head.includes(':')) {
    const sub = head.split(':').map((s) => (s === '' ? 0 : Number(s)));
    if (sub[1] === 5) return { colour: colour256(sub[2] ?? -1), used: 0 };
    if (sub[1] === 2) {
      const [r = 0, g = 0, b = 0] = sub.length >= 6 ? sub.slice(3) : sub.slice(2);
      return { colour: rgb(r, g, b), used: 0 };
    }
    return { colour: undefined, used: 0 };
  }
  const kind = Number(params[i + 1]);
  if (kind === 5) return { colour: colour256(Number(params[i + 2])), used: 2 };
  if (kind === 2) {
    const [r, g, b] = [1, 2, 3].map((k) => Number(params[i + 1 + k] ?? 0));
    return { colour: rgb(r ?? 0, g ?? 0, b ?? 0), used: 4 };
  }
  return { colour: undefined, used: 1 };
}

function applySgr(style: Style, paramText: string): Style {
  const params = paramText === '' ? ['0'] : paramText.split(';');
  const s = { ...style };
  for (let i = 0; i < params.length; i++) {
    const param = params[i] ?? '';
    const [codeText = '', subText] = param.split(':');
    const code = codeText === '' ? 0 : Number(codeText);
    if (code === 38 || code === 48 || code === 58) {
      const { colour, used } = extendedColour(params, i);
      i += used;
      if (code === 38) s.fg = colour;
      else if (code === 48) s.bg = colour;
      continue;
    }
    if (code === 0) Object.assign(s, plainStyle());
    else if (code === 1) s.bold = true;
    else if (code === 2) s.dim = true;
    else if (code === 3) s.italic = true;
    else if (code === 4) s.underline = subText === undefined || Number(subText) !== 0;
    else if (code === 7) s.inverse = true;
    else if (code === 8) s.hidden = true;
    else if (code === 9) s.strike = true;
    else if (code === 21) s.underline = true;
    else if (code === 22) s.bold = s.dim = false;
    else if (code === 23) s.italic = false;
    else if (code === 24) s.underline = false;
    else if (code === 27) s.inverse = false;
    else if (code === 28) s.hidden = false;
    else if (code === 29) s.strike = false;
    else if (code >= 30 && code <= 37) s.fg = ANSI_COLOURS[code - 30];
    else if (code === 39) s.fg = undefined;
    else if (code >= 40 && code <= 47) s.bg = ANSI_COLOURS[code - 40];
    else if (code === 49) s.bg = undefined;
    else if (code >= 90 && code <= 97) s.fg = ANSI_COLOURS[code - 90 + 8];
    else if (code >= 100 && code <= 107) s.bg = ANSI_COLOURS[code - 100 + 8];
    // Anything else (blink, fonts, overline, ...) does not show in a still picture.
  }
  return s;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Parses the capture into rows of cells; escape sequences other than SGR are dropped. */
function parse(ansi: string, columns: number, rows: number): Cell[][] {
  const grid: Cell[][] = [];
  let style = plainStyle();
  let row: Cell[] = [];
  let text = '';

  const flushText = () => {
    for (const { segment } of segmenter.segment(text)) {
      const width = stringWidth(segment);
      if (width === 0) {
        // A stray combining mark or format character: attach it to the previous cell.
        const previous = row.findLast((c) => c.text !== '');
        if (previous !== undefined && /\p{M}/u.test(segment)) previous.text += segment;
        continue;
      }
      const w = Math.min(width, 2);
      if (row.length + w > columns) continue;
      row.push({ text: segment, width: w, style });
      if (w === 2) row.push({ text: '', width: 0, style });
    }
    text = '';
  };
  const newLine = () => {
    flushText();
    grid.push(row);
    row = [];
  };

  let i = 0;
  while (i < ansi.length) {
    const ch = ansi[i] ?? '';
    if (ch === '\x1b') {
      flushText();
      const next = ansi[i + 1];
      if (next === '[') {
        // CSI: parameter bytes 0x30-0x3f, intermediate 0x20-0x2f, final 0x40-0x7e.
        let j = i + 2;
        while (j < ansi.length && /[\x30-\x3f]/.test(ansi[j] ?? '')) j++;
        const params = ansi.slice(i + 2, j);
        while (j < ansi.length && /[\x20-\x2f]/.test(ansi[j] ?? '')) j++;
        const final = ansi[j];
        if (final === 'm' && /^[\d;:]*$/.test(params)) style = applySgr(style, params);
        i = j + 1;
      } else if (next === ']' || next === 'P' || next === '_' || next === '^' || next === 'X') {
        // OSC / DCS / APC / PM / SOS: a string up to BEL or ST (ESC \).
        let j = i + 2;
        while (
          j < ansi.length &&
          ansi[j] !== '\x07' &&
          !(ansi[j] === '\x1b' && ansi[j + 1] === '\\')
        )
          j++;
        i = ansi[j] === '\x07' ? j + 1 : j + 2;
      } else if (next !== undefined && /[\x20-\x2f]/.test(next)) {
        i += 3; // ESC, intermediate, final (charset selection and the like)
      } else {
        i += 2;
      }
      continue;
    }
    if (ch === '\n') {
      newLine();
    } else if (ch === '\t') {
      flushText();
      const stop = Math.min(columns, (Math.floor(row.length / 8) + 1) * 8);
      while (row.length < stop) row.push({ text: ' ', width: 1, style });
    } else if (ch >= ' ' && ch !== '\x7f' && !(ch >= '\x80' && ch <= '\x9f')) {
      text += ch;
    }
    i++;
  }
  newLine();
  // A capture ends with a newline: drop the empty row after it, and anything beyond the screen.
  if (grid.length > 1 && grid.at(-1)?.length === 0) grid.pop();
  return grid.slice(0, rows);
}

function mix(a: string, b: string, t: number): string {
  const c = (s: string, k: number) => parseInt(s.slice(1 + 2 * k, 3 + 2 * k), 16);
  return rgb(
    ...([0, 1, 2].map((k) => c(a, k) * (1 - t) + c(b, k) * t) as [number, number, number]),
  );
}

interface Painted {
  fg: string;
  bg: string | undefined; // undefined: the terminal background, no <rect>
}

function paint(style: Style): Painted {
  let fg = style.fg ?? DEFAULT_FG;
  let bg = style.bg;
  if (style.inverse) [fg, bg] = [bg ?? DEFAULT_BG, fg];
  if (style.dim) fg = mix(fg, bg ?? DEFAULT_BG, 0.4);
  if (style.hidden) fg = bg ?? DEFAULT_BG;
  return { fg, bg };
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const num = (n: number) => String(Math.round(n * 100) / 100);

function textKey(style: Style, painted: Painted): string {
  return [painted.fg, style.bold, style.italic, style.underline, style.strike].join('|');
}

function textElement(
  cells: { cell: Cell; column: number }[],
  y: number,
  ox: number,
  single: boolean,
): string {
  const first = cells[0];
  if (first === undefined) return '';
  const { style } = first.cell;
  const { fg } = paint(style);
  const xs = single
    ? num(ox + first.column * CELL_WIDTH)
    : cells.map(({ column }) => num(ox + column * CELL_WIDTH)).join(' ');
  const attrs = [`x="${xs}"`, `y="${num(y)}"`, `fill="${fg}"`];
  if (single && EMOJI.test(first.cell.text)) attrs.push(`font-family="${escapeXml(EMOJI_FAMILY)}"`);
  if (style.bold) attrs.push('font-weight="bold"');
  if (style.italic) attrs.push('font-style="italic"');
  const decorations = [style.underline && 'underline', style.strike && 'line-through'].filter(
    Boolean,
  );
  if (decorations.length > 0) attrs.push(`text-decoration="${decorations.join(' ')}"`);
  const content = escapeXml(cells.map(({ cell }) => cell.text).join(''));
  return `<text ${attrs.join(' ')}>${content}</text>`;
}

/** One narrow UTF-16 unit: safe to place with one `x` value per character. */
const isSimple = (cell: Cell) => cell.width === 1 && cell.text.length === 1;

export function ansiToSvg(ansi: string, options: AnsiToSvgOptions): string {
  const { columns, rows, title } = options;
  const grid = parse(ansi, columns, rows);
  const framed = title !== undefined;
  const ox = PADDING;
  const oy = PADDING + (framed ? TITLE_BAR : 0);
  const width = columns * CELL_WIDTH + 2 * PADDING;
  const height = rows * CELL_HEIGHT + 2 * PADDING + (framed ? TITLE_BAR : 0);

  const backgrounds: string[] = [];
  const texts: string[] = [];
  grid.forEach((row, r) => {
    const top = oy + r * CELL_HEIGHT;

    // Backgrounds: one <rect> per run of cells with the same non-default background.
    let runStart = 0;
    for (let c = 0; c <= row.length; c++) {
      const cell = row[c];
      const bg = cell === undefined ? undefined : paint(cell.style).bg;
      const startCell = row[runStart];
      const runBg = startCell === undefined ? undefined : paint(startCell.style).bg;
      if (c === row.length || bg !== runBg) {
        if (runBg !== undefined && c > runStart) {
          backgrounds.push(
            `<rect x="${num(ox + runStart * CELL_WIDTH)}" y="${num(top)}" width="${num((c - runStart) * CELL_WIDTH)}" height="${CELL_HEIGHT}" fill="${runBg}"/>`,
          );
        }
        runStart = c;
      }
    }

    // Text: one <text> per run of same-styled simple cells; other characters each on their own.
    const baseline = top + BASELINE;
    let run: { cell: Cell; column: number }[] = [];
    let runKey = '';
    const flush = () => {
      // Trailing plain spaces draw nothing; leave them out.
      while (run.length > 0) {
        const last = run.at(-1)?.cell;
        if (last?.text !== ' ' || last.style.underline || last.style.strike) break;
        run.pop();
      }
      if (run.length > 0) texts.push(textElement(run, baseline, ox, false));
      run = [];
    };
    row.forEach((cell, column) => {
      if (cell.text === '') return;
      const key = textKey(cell.style, paint(cell.style));
      if (!isSimple(cell)) {
        flush();
        texts.push(textElement([{ cell, column }], baseline, ox, true));
        return;
      }
      if (run.length > 0 && key !== runKey) flush();
      if (run.length === 0 && cell.text === ' ' && !cell.style.underline && !cell.style.strike)
        return; // leading spaces draw nothing either
      if (run.length === 0) runKey = key;
      run.push({ cell, column });
    });
    flush();
  });

  const frame: string[] = [];
  if (framed) {
    frame.push(
      `<rect x="0.5" y="0.5" width="${num(width - 1)}" height="${num(height - 1)}" rx="8" fill="${DEFAULT_BG}" stroke="#444444"/>`,
      `<path d="M0.5 ${TITLE_BAR}.5 H${num(width - 0.5)}" stroke="#333333"/>`,
      ...['#ff5f56', '#ffbd2e', '#27c93f'].map(
        (fill, k) =>
          `<circle cx="${PADDING + 6 + k * 20}" cy="${TITLE_BAR / 2 + 0.5}" r="6" fill="${fill}"/>`,
      ),
      `<text x="${num(width / 2)}" y="${TITLE_BAR / 2 + 5}" text-anchor="middle" fill="#999999" font-size="13">${escapeXml(title)}</text>`,
    );
  } else {
    frame.push(`<rect width="${num(width)}" height="${num(height)}" rx="6" fill="${DEFAULT_BG}"/>`);
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}">`,
    `<g font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT_SIZE}" xml:space="preserve">`,
    ...frame,
    ...backgrounds,
    ...texts,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
