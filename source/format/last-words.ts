// The last words of a task: the few lines it wrote before it ended, read back through the manager
// (GET /tasks/{id}/logs?tail=5). The cause of a crash is usually the last line on stderr.
import type { LastWords, LogLine } from '../model.js';
import { cutForDisplay } from '../state/log-buffer.js';
import { sanitizeLine } from './sanitize.js';

/** Lines asked for per task. */
export const LAST_WORDS_TAIL = 5;
/** Cells a kept line is cut to: a status line shows one or two of them. */
const LINE_CELLS = 200;

/**
 * The lines as they will be shown: sanitized like every log line, cut, blank lines left out,
 * stderr first (each stream in the order written).
 */
export function toLastWords(lines: readonly LogLine[]): LastWords {
  const kept = lines
    .map((line) => ({
      stream: line.stream,
      text: cutForDisplay(sanitizeLine(line.text).trim(), LINE_CELLS),
    }))
    .filter((line) => line.text !== '')
    .slice(-LAST_WORDS_TAIL);
  const stderr = kept.filter((line) => line.stream === 'stderr');
  const rest = kept.filter((line) => line.stream !== 'stderr');
  return { lines: [...stderr, ...rest], error: null };
}

/** Logs that could not be read back: the engine's sentence, sanitized. */
export function lastWordsError(sentence: string): LastWords {
  return { lines: [], error: cutForDisplay(sanitizeLine(sentence), LINE_CELLS) };
}

/**
 * One line for a table row: the newest line of the first stream ("stderr: fatal: cannot connect
 * to db:5432"), or why there is none.
 */
export function lastWordsLine(words: LastWords): string {
  if (words.error !== null) return `no logs: ${words.error}`;
  const first = words.lines[0];
  if (first === undefined) return 'it wrote nothing before it ended';
  const newest = words.lines.filter((line) => line.stream === first.stream).at(-1)!;
  return `${first.stream === 'tty' ? 'output' : first.stream}: ${newest.text}`;
}

/** Every line, for a status line: "stderr: a ⏎ b · stdout: c". */
export function lastWordsText(words: LastWords): string {
  if (words.error !== null || words.lines.length === 0) return lastWordsLine(words);
  const parts: string[] = [];
  for (const stream of ['stderr', 'stdout', 'tty'] as const) {
    const texts = words.lines.filter((line) => line.stream === stream).map((line) => line.text);
    if (texts.length > 0)
      parts.push(`${stream === 'tty' ? 'output' : stream}: ${texts.join(' ⏎ ')}`);
  }
  return parts.join(' · ');
}
