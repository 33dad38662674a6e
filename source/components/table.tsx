import { Box, Text } from 'ink';
import { useState, type ReactElement, type ReactNode } from 'react';
import { cellWidth, fit } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import type { Column } from '../views/column.js';

export type { Column } from '../views/column.js';

export interface TableProps<Row> {
  columns: Column<Row>[];
  rows: Row[];
  getId: (row: Row) => string;
  selectedId: string | null;
  /** Total lines, header included. */
  height: number;
  width: number;
  focused: boolean;
  emptyText?: string | undefined;
}

/**
 * First visible row so that the selection is visible with the least scrolling: the previous
 * start is kept while the selection stays inside the window, and the window never hangs past
 * the last row (so shrinking lists pull it back up).
 */
export function windowStart(
  prevStart: number,
  selectedIndex: number,
  visibleCount: number,
  total: number,
): number {
  if (visibleCount <= 0 || total <= 0) return 0;
  const maxStart = Math.max(0, total - visibleCount);
  const start = Math.min(Math.max(0, prevStart), maxStart);
  if (selectedIndex < 0) return start;
  const selected = Math.min(selectedIndex, total - 1);
  if (selected < start) return selected;
  if (selected >= start + visibleCount) return selected - visibleCount + 1;
  return start;
}

type LayoutColumn = Pick<Column<unknown>, 'width' | 'minWidth' | 'flex'>;

/**
 * Column widths for `totalWidth` cells with `gap` cells between columns. Fixed columns get their
 * width; flexible ones share what is left in proportion to `flex` (default 1), each clamped up to
 * its `minWidth` (default 1), the others re-sharing the rest. When even the minimums do not fit,
 * columns are dropped from the right: the result may be shorter than `columns`, and widths[i]
 * belongs to columns[i].
 */
export function layoutColumns(columns: LayoutColumn[], totalWidth: number, gap = 1): number[] {
  const minimum = (c: LayoutColumn): number => Math.max(0, c.width ?? c.minWidth ?? 1);
  let count = 0;
  let needed = 0;
  for (const column of columns) {
    const next = needed + (count > 0 ? gap : 0) + minimum(column);
    if (next > totalWidth) break;
    needed = next;
    count++;
  }
  const kept = columns.slice(0, count);
  const widths = kept.map(minimum);
  const weight = (i: number): number => Math.max(0, kept[i]?.flex ?? 1);

  // Space for flexible columns: everything but fixed widths and gaps.
  let space = totalWidth - gap * Math.max(0, count - 1);
  let active: number[] = [];
  kept.forEach((c, i) => {
    if (c.width === undefined) active.push(i);
    else space -= widths[i] ?? 0;
  });

  // A column whose share falls below its minimum is pinned there and the rest re-share.
  const shares = new Map<number, number>();
  for (;;) {
    const totalWeight = active.reduce((sum, i) => sum + weight(i), 0);
    const pinned = active.filter((i) => {
      const share = totalWeight > 0 ? (space * weight(i)) / totalWeight : 0;
      shares.set(i, share);
      return share < (widths[i] ?? 0);
    });
    if (pinned.length === 0) break;
    for (const i of pinned) space -= widths[i] ?? 0;
    active = active.filter((i) => !pinned.includes(i));
  }

  // Whole cells only; the cells lost to rounding go to the leftmost columns, one each.
  for (const i of active) {
    widths[i] = Math.floor(shares.get(i) ?? 0);
    space -= widths[i] ?? 0;
  }
  const growable = active.filter((i) => weight(i) > 0);
  for (let k = 0; space > 0 && growable.length > 0; k = (k + 1) % growable.length) {
    const i = growable[k] ?? 0;
    widths[i] = (widths[i] ?? 0) + 1;
    space--;
  }
  return widths;
}

function scrollIndicator(selectedIndex: number, start: number, total: number): string {
  return `${(selectedIndex >= 0 ? selectedIndex : start) + 1}/${total}`;
}

/**
 * The header line, exactly `width` cells. The scroll indicator goes to the right end when the
 * header leaves room there, else into the free end of the roomiest left-aligned header cell, and
 * only as a last resort over the end of the header: column titles should survive scrolling.
 */
function headerLine(
  columns: Pick<Column<unknown>, 'header' | 'align'>[],
  widths: number[],
  width: number,
  indicator: string,
): string {
  const titles = columns.map((c) => sanitizeLine(c.header));
  const cells = titles.map((t, i) => fit(t, widths[i] ?? 0, columns[i]?.align));
  const plain = fit(cells.join(' '), width);
  if (indicator === '') return plain;
  const room = indicator.length + 1;
  const used = cellWidth(plain.trimEnd());
  if (used + room <= width) return fit(plain.trimEnd(), width - indicator.length) + indicator;

  let best = -1;
  let bestFree = room - 1;
  titles.forEach((t, i) => {
    const free = (widths[i] ?? 0) - cellWidth(t);
    if (columns[i]?.align !== 'right' && free > bestFree) {
      best = i;
      bestFree = free;
    }
  });
  if (best >= 0) {
    const w = widths[best] ?? 0;
    cells[best] = fit(titles[best] ?? '', w - indicator.length) + indicator;
    return fit(cells.join(' '), width);
  }
  if (room >= width) return plain;
  return fit(plain, width - room) + ' ' + indicator;
}

/**
 * One row as text runs: adjacent uncoloured cells are merged into one string, coloured cells
 * become nested <Text> so that the row's own inverse/bold still applies around them.
 */
function rowSegments<Row>(
  columns: Column<Row>[],
  widths: number[],
  row: Row,
  plainColors: boolean,
): ReactNode[] {
  const segments: ReactNode[] = [];
  let plain = '';
  columns.forEach((column, i) => {
    if (i > 0) plain += ' ';
    const text = fit(sanitizeLine(column.cell(row)), widths[i] ?? 0, column.align);
    // Colours inside an inverse row turn into patchy backgrounds: the selection is drawn plain.
    const color = plainColors ? undefined : column.color?.(row);
    if (color === undefined) {
      plain += text;
      return;
    }
    if (plain !== '') segments.push(plain);
    plain = '';
    segments.push(
      <Text key={column.key} color={color}>
        {text}
      </Text>,
    );
  });
  if (plain !== '') segments.push(plain);
  return segments;
}

/**
 * A windowed table: renders only the rows that fit in `height - 1` lines below the header, each
 * row a single truncated line whose cells are sanitized and cut to their column width.
 */
export function Table<Row>({
  columns,
  rows,
  getId,
  selectedId,
  height,
  width,
  focused,
  emptyText = 'nothing to show',
}: TableProps<Row>): ReactElement | null {
  // The window start is remembered between renders so that moving the selection inside the
  // window does not scroll it. It is state derived from the previous render, adjusted during
  // render (React's documented pattern) rather than in an effect, so no frame shows a window
  // that misses the selection.
  const [prevStart, setPrevStart] = useState(0);
  const visibleCount = Math.max(0, height - 1);
  const selectedIndex = selectedId === null ? -1 : rows.findIndex((r) => getId(r) === selectedId);
  const start = windowStart(prevStart, selectedIndex, visibleCount, rows.length);
  if (start !== prevStart) setPrevStart(start);

  if (height <= 0 || width <= 0) return null;

  const widths = layoutColumns(columns, width);
  const shown = columns.slice(0, widths.length);
  const indicator =
    rows.length > visibleCount ? scrollIndicator(selectedIndex, start, rows.length) : '';
  const header = headerLine(shown, widths, width, indicator);

  const used = widths.reduce((sum, w) => sum + w, 0) + Math.max(0, widths.length - 1);
  const filler = ' '.repeat(Math.max(0, width - used));

  const body = rows.slice(start, start + visibleCount).map((row) => {
    const id = getId(row);
    const selected = id === selectedId;
    return (
      <Text
        key={id}
        wrap="truncate"
        inverse={selected && focused}
        bold={selected && !focused}
        underline={selected && !focused}
      >
        {rowSegments(shown, widths, row, selected && focused)}
        {filler}
      </Text>
    );
  });

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate" bold>
        {header}
      </Text>
      {rows.length === 0 && visibleCount > 0 ? (
        <Text wrap="truncate" dimColor>
          {fit(sanitizeLine(emptyText), width)}
        </Text>
      ) : (
        body
      )}
    </Box>
  );
}
