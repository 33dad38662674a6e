import { cellWidth } from './cells.js';

// Everything the Engine API or a container hands us (names, labels, error messages, log lines)
// is attacker-controlled text. A terminal obeys escape sequences in it: it can retitle the window,
// clear the screen, move the cursor to forge rows, or write to the clipboard (OSC 52). This module
// is the one place that turns such text into inert, printable characters.
//
// Contract of `sanitize`: the result contains no C0 control except `\n` (tabs are expanded), no
// DEL, no C1 control, no ESC, no bidi override/isolate and none of the invisible format characters
// below. Whole escape sequences are removed (not just their ESC), so `ESC[31m` leaves nothing behind.
// Strings (OSC, DCS, SOS, PM, APC) that are never terminated swallow the rest of their line, as they
// would on a real terminal; they never swallow a newline.

// One alternation, one pass. Sequence forms come before the single-character classes so that a
// whole sequence is matched from its introducer.
const STRIP = new RegExp(
  // eslint-disable-next-line no-misleading-character-class -- each invisible character is matched alone on purpose
  [
    // CSI: ESC [ or 8-bit 0x9B, parameters, intermediates, final byte (optional: a cut-off
    // sequence still loses its introducer and parameters).
    '(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]?',
    // OSC: ESC ] or 0x9D, payload, terminated by BEL, ST (ESC \) or 8-bit ST 0x9C.
    '(?:\\x1b\\]|\\x9d)[^\\x07\\x1b\\x9c\\n]*(?:\\x07|\\x1b\\\\|\\x9c)?',
    // DCS (P / 0x90), SOS (X / 0x98), PM (^ / 0x9E), APC (_ / 0x9F): payload up to ST. Some
    // terminals also accept BEL there, so it ends the payload too.
    '(?:\\x1b[PX^_]|[\\x90\\x98\\x9e\\x9f])[^\\x07\\x1b\\x9c\\n]*(?:\\x07|\\x1b\\\\|\\x9c)?',
    // Other ESC sequences: ESC, intermediates, final (ESC c reset, ESC ( B charset, ESC 7 ...),
    // or a lone ESC.
    '\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]?',
    // Remaining C0 except TAB and LF (tabs and newlines are handled afterwards), DEL, C1.
    '[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]',
    // Spoofing: bidi embeddings/overrides/isolates and marks, zero-width space, word joiner and
    // invisible operators, BOM, soft hyphen, Mongolian vowel separator, interlinear annotation,
    // Hangul fillers (render blank but wide, a classic "invisible name").
    // Also the combining grapheme joiner and the Khmer inherent vowels (invisible, no role outside
    // their script's rendering).
    '[\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb]',
    // Tag characters U+E0000–E007F (a surrogate pair each): invisible text that can spell
    // anything after a name. Only subdivision flags use them; those show as a plain black flag.
    '\\udb40[\\udc00-\\udc7f]',
  ].join('|'),
  'g',
);

// Lone surrogates print as U+FFFD (1 cell) while string-width counts them as 0: normalise them
// so that width maths matches what the terminal shows.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Quick path: does the string need any work at all? Everything STRIP can match starts with one
// of these characters; TAB/LF, line/paragraph separators and lone surrogates need work too.
const NEEDS_WORK =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching control and invisible characters one by one is the point
  /[\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]|\udb40|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Joiners and variation selectors are invisible too, but emoji and some scripts need them. Each
// stays only where it does that work; elsewhere ("ad\u200dmin") it is a lookalike and goes.
// - ZWJ: between two pictographs (👨‍👩‍👧), after a selector or skin tone of the first.
// - ZWNJ: after a letter of a script that writes it (Persian, Indic scripts).
// - VS1–VS16: after a pictograph (❤️), in a keycap (1️⃣), after a Han ideograph; the
//   ideographic selectors U+E0100–E01EF after a Han ideograph only.
const JOINERS =
  // eslint-disable-next-line no-misleading-character-class -- selectors and modifiers are matched alone on purpose
  /(?<!\p{Extended_Pictographic}[\u{fe0f}\u{1f3fb}-\u{1f3ff}]?)\u200d|\u200d(?!\p{Extended_Pictographic})|(?<![\p{sc=Arabic}\p{sc=Syriac}\p{sc=Devanagari}\p{sc=Bengali}\p{sc=Gurmukhi}\p{sc=Gujarati}\p{sc=Oriya}\p{sc=Tamil}\p{sc=Telugu}\p{sc=Kannada}\p{sc=Malayalam}\p{sc=Sinhala}]\p{M}*)\u200c|(?<!\p{Extended_Pictographic}|\p{sc=Han}|[0-9#*](?=\u{fe0f}\u{20e3}))[\u{fe00}-\u{fe0f}]|(?<!\p{sc=Han})[\u{e0100}-\u{e01ef}]/gu;
// eslint-disable-next-line no-misleading-character-class -- selectors are matched alone on purpose
const HAS_JOINER = /[\u200c\u200d\ufe00-\ufe0f]|\udb40[\udd00-\uddef]/;

const HAS_SURROGATE = /[\ud800-\udfff]/;
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** Tab stops every TAB_SIZE cells, counted from the start of each line of the string. */
export const TAB_SIZE = 8;

function expandTabs(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.includes('\t')) return line;
      const parts = line.split('\t');
      let out = parts[0] ?? '';
      let column = cellWidth(out);
      for (let i = 1; i < parts.length; i++) {
        const spaces = TAB_SIZE - (column % TAB_SIZE);
        const part = parts[i] ?? '';
        out += ' '.repeat(spaces) + part;
        column += spaces + cellWidth(part);
      }
      return out;
    })
    .join('\n');
}

/**
 * Makes untrusted text safe to print. Keeps `\n` (use `sanitizeLine` / `sanitizeLines` to decide
 * what a newline means); `\r\n` becomes `\n`, a lone `\r` is dropped, U+2028/U+2029 become `\n`.
 */
export function sanitize(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  let out = text.replace(STRIP, '');
  if (HAS_JOINER.test(out)) out = out.replace(JOINERS, '');
  if (out.includes('\u2028') || out.includes('\u2029')) out = out.replace(LINE_SEPARATORS, '\n');
  if (HAS_SURROGATE.test(out)) out = out.replace(LONE_SURROGATE, '\ufffd');
  if (out.includes('\t')) out = expandTabs(out);
  return out;
}

/** For one-line places (names, labels, error cells): newlines become single spaces. */
export function sanitizeLine(text: string): string {
  const out = sanitize(text);
  if (!out.includes('\n')) return out;
  return out.replace(/\n+$/, '').replace(/\n+/g, ' ');
}

/**
 * True when `text` is one line the sanitizer would leave as it is: no control, escape, bidi,
 * invisible character, tab or newline. What goes to the clipboard must be this (a newline in a
 * pasted name runs a shell command).
 */
export function isInertLine(text: string): boolean {
  return !text.includes('\n') && sanitize(text) === text;
}

/**
 * For multi-line text (full error messages, a chunk of log output): one safe string per line.
 * Splits on `\n` and `\r\n`; a trailing newline does not produce an empty last line; '' → [].
 */
export function sanitizeLines(text: string): string[] {
  if (text === '') return [];
  const lines = sanitize(text).split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Bytes → string with invalid UTF-8 replaced by U+FFFD (never throws). Decode before sanitizing:
 * the 8-bit C1 forms are only recognised as code points, and a raw 0x9B byte is not valid UTF-8
 * anyway. For streams split at arbitrary byte offsets, keep a `TextDecoder` with `stream: true`.
 */
export function decodeUtf8(buf: Uint8Array): string {
  return decoder.decode(buf);
}
