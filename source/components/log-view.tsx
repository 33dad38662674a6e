import { format } from 'date-fns';
import { Box, Text } from 'ink';
import { useMemo, useState, type ReactElement, type ReactNode } from 'react';
import { cellWidth, fit, truncate, wrap as wrapCells } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import { toDate } from '../format/time.js';
import type { LogLine } from '../model.js';
import { compileFilter, matchIndices, type LogBuffer, type LogEntry } from '../state/log-buffer.js';
import { makeTheme, useTheme, type Theme } from './theme.js';
import { formatCount } from '../format/count.js';

export interface LogNames {
  /** e.g. "web.2" */
  task: string;
  /** e.g. "worker-1" */
  node: string;
}

export interface LogViewProps {
  buffer: LogBuffer;
  /** buffer.version as of this render: the buffer is mutated in place, this makes React look. */
  version: number;
  width: number;
  /** Total lines, the indicator bar included. */
  height: number;
  names: (line: LogLine) => LogNames;
  follow: boolean;
  /**
   * Entries (not wrapped rows) between the bottom of the view and the newest one, counted in the
   * filtered list when a filter is on. Too large is clamped: `visibleWindow` says to what.
   */
  scrollOffset: number;
  showTimestamps: boolean;
  wrap: boolean;
  /** Plain text or "/regex/flags"; null or '' for none. */
  filter: string | null;
  newWhilePaused: number;
  title: string;
  /** e.g. "tail 200", "since 15m" */
  range: string;
  error: string | null;
}

// Prefix colours of the default theme (palette.ts has each theme's).
export const TASK_PALETTE = makeTheme('dark').taskColours;

/** A colour that stays with a task across frames and sessions (FNV-1a of its id). */
export function taskColour(taskId: string, palette: readonly string[] = TASK_PALETTE): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < taskId.length; i++) {
    hash ^= taskId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return palette[(hash >>> 0) % palette.length] ?? 'cyan';
}

/** "web.2@worker-1", or just the task when the node is unknown; sanitized. */
export function prefixLabel({ task, node }: LogNames): string {
  const t = sanitizeLine(task);
  return node === '' ? t : `${t}@${sanitizeLine(node)}`;
}

export const PREFIX_SEPARATOR = ' │ ';

/** The label fitted to exactly `width` cells, then the separator; '' when there is no room. */
export function formatLogPrefix(names: LogNames, width: number): string {
  return width <= 0 ? '' : fit(prefixLabel(names), width) + PREFIX_SEPARATOR;
}

export const TIME_WIDTH = 12;

/** "HH:MM:SS.mmm" in local time, exactly 12 cells: blank when unknown, "?" when unparsable. */
export function formatLogTime(time: string | null): string {
  if (time === null || time === '') return ' '.repeat(TIME_WIDTH);
  const date = toDate(time);
  return date === null ? fit('?', TIME_WIDTH) : format(date, 'HH:mm:ss.SSS');
}

export interface LogWindow {
  /** First entry shown (index into the shown list). */
  start: number;
  /** One past the last entry shown. */
  end: number;
  /** Rows of the first entry above the view (it is shown from its tail). */
  skipTop: number;
  /** The scroll offset actually used, after clamping. */
  offset: number;
}

/**
 * Which of `total` entries fill `rows` rows when the newest `offset` entries are below the view.
 * Laid out bottom-up from the anchor, calling `heightOf` only for entries that can be on screen;
 * an offset so large that the view would hang past the oldest entry is pulled back so that the
 * view starts at entry 0 (the last entry may then be taller than the rows left: cut its tail).
 */
export function visibleWindow(
  total: number,
  offset: number,
  rows: number,
  heightOf: (index: number) => number = () => 1,
  /** Entries from here on are never pulled in to fill the view (those that came while paused). */
  maxEnd = total,
): LogWindow {
  if (rows <= 0 || total <= 0) return { start: 0, end: 0, skipTop: 0, offset: 0 };
  const off = Math.min(Math.max(0, Math.floor(offset) || 0), total - 1);
  const height = (i: number): number => Math.max(1, heightOf(i));
  let end = total - off;
  let start = end;
  let used = 0;
  while (start > 0 && used < rows) {
    start--;
    used += height(start);
  }
  if (used >= rows) return { start, end, skipTop: used - rows, offset: off };
  while (end < Math.min(total, maxEnd) && used < rows) {
    used += height(end);
    end++;
  }
  return { start: 0, end, skipTop: 0, offset: total - end };
}

const GUTTER = 2;
const MIN_TEXT = 20;
// A label cut below this says nothing; the text is worth more.
const MIN_PREFIX = 4;
const MAX_PREFIX = 40;

interface Lead {
  gutter: number;
  timestamps: boolean;
  prefix: number;
  text: number;
}

/** Splits a row between gutter, timestamp, prefix and text; the text is given room first. */
function layoutLead(width: number, showTimestamps: boolean, wantedPrefix: number): Lead {
  const gutter = width > GUTTER ? GUTTER : 0;
  let rest = width - gutter;
  const timestamps = showTimestamps && rest - TIME_WIDTH - 1 >= MIN_TEXT;
  if (timestamps) rest -= TIME_WIDTH + 1;
  let prefix = Math.min(wantedPrefix, MAX_PREFIX, Math.floor(width * 0.35));
  prefix = Math.min(prefix, rest - PREFIX_SEPARATOR.length - MIN_TEXT);
  if (prefix < MIN_PREFIX) prefix = 0;
  else rest -= prefix + PREFIX_SEPARATOR.length;
  return { gutter, timestamps, prefix, text: Math.max(0, rest) };
}

/** Wrapped rows of `text` with where each starts in it (wrap() rows are substrings, in order). */
function wrapWithOffsets(text: string, width: number): Array<{ text: string; at: number }> {
  const rows = wrapCells(text, width);
  if (rows.length === 0) return [{ text: '', at: 0 }];
  let cursor = 0;
  return rows.map((row) => {
    const at = Math.max(cursor, text.indexOf(row, cursor));
    cursor = at + row.length;
    return { text: row, at };
  });
}

/** `text` (found at `at` in the entry) with the parts inside `ranges` drawn inverse. */
function highlight(text: string, at: number, ranges: Array<[number, number]>): ReactNode[] {
  const out: ReactNode[] = [];
  let pos = 0;
  for (const [from, to] of ranges) {
    const a = Math.max(from - at, pos);
    const b = Math.min(to - at, text.length);
    if (b <= a) continue;
    if (a > pos) out.push(text.slice(pos, a));
    out.push(
      <Text key={a} inverse>
        {text.slice(a, b)}
      </Text>,
    );
    pos = b;
  }
  if (pos < text.length) out.push(text.slice(pos));
  return out;
}

interface BarPart {
  text: string;
  /** Lower stays longer when the bar is too narrow. */
  priority: number;
  color?: string | undefined;
  bold?: boolean;
}

/** Parts in display order; the lowest priorities are dropped until the bar fits. */
function fitBar(parts: BarPart[], width: number): BarPart[] {
  const shown = [...parts];
  const barWidth = (): number =>
    shown.reduce((sum, p, i) => sum + cellWidth(p.text) + (i > 0 ? 3 : 0), 0);
  while (shown.length > 1 && barWidth() > width) {
    let worst = 0;
    shown.forEach((p, i) => {
      if (p.priority >= (shown[worst]?.priority ?? 0)) worst = i;
    });
    shown.splice(worst, 1);
  }
  return shown;
}

interface Row {
  key: string;
  node: ReactNode;
}

/**
 * Live log lines of a task or a service: an indicator bar stating follow/pause, timestamps,
 * wrap, range, filter and dropped lines in words, then the lines that fit, each with a gutter
 * ("!" for stderr), an optional time, and the task@node it came from.
 */
export function LogView(props: LogViewProps): ReactElement | null {
  const { buffer, version, width, height, names, follow, showTimestamps, filter, title } = props;
  const theme = useTheme();

  const compiled = useMemo(
    () => (filter === null || filter === '' ? null : compileFilter(filter)),
    [filter],
  );
  // Recomputed when the buffer changes, not per frame. Text filters take a few milliseconds over
  // 10,000 lines; regexes run on the linear-time engine, about 75-170 ns per character, so
  // bounded whatever the pattern and the lines (a full buffer of 2,000-char lines: seconds).
  const matches = useMemo(
    () => (compiled?.ok === true ? matchIndices(buffer, compiled.filter) : undefined),
    // The buffer is mutated in place: `version` is what stands for its contents.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
    [buffer, version, compiled],
  );
  const total = matches === undefined ? buffer.size : matches.length;
  const entryAt = (k: number): LogEntry | undefined =>
    buffer.at(matches === undefined ? k : (matches[k] ?? -1));

  const bodyRows = Math.max(0, height - 1);
  const offset = follow ? 0 : props.scrollOffset;

  // Every entry that can be on screen lies in [lo, hi): bottom-up from the anchor, or top-down
  // from 0 when the offset is clamped. Their labels decide the prefix width.
  const anchor = total - Math.min(Math.max(0, Math.floor(offset) || 0), Math.max(0, total - 1));
  const lo = Math.max(0, anchor - bodyRows);
  const hi = lo === 0 ? Math.min(total, Math.max(anchor, bodyRows)) : anchor;
  const named = new Map<number, LogNames>();
  let wanted = 0;
  for (let k = lo; k < hi; k++) {
    const entry = entryAt(k);
    if (entry?.kind !== 'line') continue;
    const n = names(entry.line);
    named.set(k, n);
    wanted = Math.max(wanted, cellWidth(prefixLabel(n)));
  }
  // The prefix only widens while the same target is shown, so columns do not jitter as names
  // of different lengths scroll by. Adjusted during render, as Table does with its window.
  const [seen, setSeen] = useState({ title, prefix: wanted });
  if (seen.title !== title || wanted > seen.prefix) {
    setSeen({ title, prefix: seen.title === title ? Math.max(seen.prefix, wanted) : wanted });
  }
  const prefixWanted = seen.title === title ? Math.max(seen.prefix, wanted) : wanted;

  if (height <= 0 || width <= 0) return null;

  const lead = layoutLead(width, showTimestamps, prefixWanted);
  const ranges = compiled?.ok === true ? compiled.filter.ranges : null;

  const pieces = new Map<number, Array<{ text: string; at: number }>>();
  const piecesOf = (k: number): Array<{ text: string; at: number }> => {
    const cached = pieces.get(k);
    if (cached) return cached;
    const entry = entryAt(k);
    let out: Array<{ text: string; at: number }>;
    if (entry === undefined || entry.kind === 'gap') out = [{ text: entry?.text ?? '', at: 0 }];
    else if (props.wrap) out = wrapWithOffsets(entry.text, lead.text);
    else out = [{ text: entry.text, at: 0 }];
    pieces.set(k, out);
    return out;
  };
  // A paused view holds still: what arrived since is counted in the bar, not shown.
  const held = follow || matches !== undefined ? 0 : Math.min(props.newWhilePaused, total);
  const view = visibleWindow(
    total,
    offset,
    bodyRows,
    props.wrap ? (k) => piecesOf(k).length : undefined,
    total - held,
  );

  const rows: Row[] = [];
  for (let k = view.start; k < view.end; k++) {
    const entry = entryAt(k);
    if (entry === undefined) continue;
    if (entry.kind === 'gap') {
      rows.push({ key: `g${k}`, node: gapRow(entry.text, width, theme) });
      continue;
    }
    const n = named.get(k) ?? names(entry.line);
    const matchRanges = ranges === null ? [] : ranges(entry.text);
    piecesOf(k).forEach((piece, j) => {
      rows.push({
        key: `${k}:${j}`,
        node: lineRow({ entry, names: n, piece, first: j === 0, lead, matchRanges, theme }),
      });
    });
  }
  const visible = rows.slice(view.skipTop, view.skipTop + bodyRows);

  let body: ReactNode;
  if (visible.length > 0) {
    body = visible.map((row) => (
      <Text key={row.key} wrap="truncate">
        {row.node}
      </Text>
    ));
  } else if (buffer.size === 0 && props.error !== null) {
    body = wrapCells(`No logs: ${sanitizeLine(props.error)}`, width)
      .slice(0, bodyRows)
      .map((line, i) => (
        <Text key={i} wrap="truncate" color={theme.bad}>
          {line}
        </Text>
      ));
  } else if (bodyRows > 0) {
    body = (
      <Text wrap="truncate" color={theme.dim}>
        {truncate(
          buffer.size === 0 ? 'waiting for log lines…' : 'no lines match the filter',
          width,
        )}
      </Text>
    );
  }

  const parts = barParts(props, theme, matches?.length, compiled);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate">
        {fitBar(parts, width).map((part, i) => (
          <Text key={i}>
            {i > 0 ? ' · ' : ''}
            <Text color={part.color} bold={part.bold}>
              {part.text}
            </Text>
          </Text>
        ))}
      </Text>
      {body}
    </Box>
  );
}

function barParts(
  props: LogViewProps,
  theme: Theme,
  matchCount: number | undefined,
  compiled: ReturnType<typeof compileFilter> | null,
): BarPart[] {
  const state = props.follow
    ? { text: 'FOLLOW', priority: 0, color: theme.good, bold: true }
    : {
        text:
          props.newWhilePaused > 0
            ? `PAUSED (+${formatCount(props.newWhilePaused)} new)`
            : 'PAUSED',
        priority: 0,
        color: theme.warn,
        bold: true,
      };
  const parts: BarPart[] = [
    { text: sanitizeLine(props.title), priority: 0, bold: true },
    state,
    { text: props.showTimestamps ? 'timestamps on' : 'timestamps off', priority: 6 },
    { text: props.wrap ? 'wrap on' : 'wrap off', priority: 7 },
  ];
  if (props.range !== '') parts.push({ text: sanitizeLine(props.range), priority: 5 });
  if (compiled !== null) {
    const query = sanitizeLine(compiled.ok ? compiled.filter.query : (props.filter ?? ''));
    parts.push(
      compiled.ok
        ? {
            text: `filter ${query} (${formatCount(matchCount ?? 0)} shown)`,
            priority: 1,
            color: theme.accent,
          }
        : {
            text: `filter ignored: ${sanitizeLine(compiled.error)}`,
            priority: 1,
            color: theme.bad,
          },
    );
  }
  if (props.buffer.dropped > 0) {
    const n = props.buffer.dropped;
    parts.push({
      text: `${formatCount(n)} earlier line${n === 1 ? '' : 's'} dropped`,
      priority: 2,
      color: theme.warn,
    });
  }
  // With no lines the body says it; with lines, the bar must.
  if (props.error !== null && props.buffer.size > 0) {
    parts.push({ text: `error: ${sanitizeLine(props.error)}`, priority: 1, color: theme.bad });
  }
  return parts;
}

function gapRow(text: string, width: number, theme: Theme): ReactNode {
  // Dashes tell a marker from container output without colour.
  return <Text color={theme.warn}>{truncate(`┄┄ ${text} ┄┄`, width)}</Text>;
}

interface LineRowProps {
  entry: Extract<LogEntry, { kind: 'line' }>;
  names: LogNames;
  piece: { text: string; at: number };
  /** Continuation rows of a wrapped line leave the gutter, time and label blank. */
  first: boolean;
  lead: Lead;
  matchRanges: Array<[number, number]>;
  theme: Theme;
}

function lineRow({
  entry,
  names,
  piece,
  first,
  lead,
  matchRanges,
  theme,
}: LineRowProps): ReactNode {
  const { line } = entry;
  const stderr = line.stream === 'stderr';
  // Wrapped pieces fit already; an unwrapped line is cut to the text column here.
  const cut = truncate(piece.text, lead.text);
  const cutShort = cut !== piece.text;
  const shown = cutShort ? cut.slice(0, -1) : cut;
  const colour =
    theme.taskColours.length === 0
      ? undefined
      : taskColour(line.taskId ?? names.task, theme.taskColours);
  return (
    <>
      {lead.gutter > 0 ? (
        <>
          <Text color={theme.bad} bold>
            {first && stderr ? '!' : ' '}
          </Text>{' '}
        </>
      ) : null}
      {lead.timestamps ? (
        <>
          <Text color={theme.dim}>
            {first ? formatLogTime(line.time) : ' '.repeat(TIME_WIDTH)}
          </Text>{' '}
        </>
      ) : null}
      {lead.prefix > 0 ? (
        <>
          <Text color={colour}>
            {first
              ? formatLogPrefix(names, lead.prefix)
              : ' '.repeat(lead.prefix) + PREFIX_SEPARATOR}
          </Text>
        </>
      ) : null}
      {highlight(shown, piece.at, matchRanges)}
      {cutShort ? '…' : ''}
    </>
  );
}
