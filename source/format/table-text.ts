import { cellWidth, fit } from './cells.js';
import { sanitizeLine } from './sanitize.js';
import type { Column } from '../views/column.js';

// A table's lines as text, apart from the component that draws them (components/table.tsx), so
// that the first frame can be written before Ink has loaded (source/text-frame.ts) with the
// same cells.

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

export function scrollIndicator(selectedIndex: number, start: number, total: number): string {
  return `${(selectedIndex >= 0 ? selectedIndex : start) + 1}/${total}`;
}

/**
 * The header line, exactly `width` cells. The scroll indicator goes to the right end when the
 * header leaves room there, else into the free end of the roomiest left-aligned header cell, and
 * only as a last resort over the end of the header: column titles should survive scrolling.
 */
export function headerLine(
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

/** A run of a row's text: adjacent uncoloured cells are one run; a coloured cell is its own. */
export interface RowRun {
  key: string;
  text: string;
  color?: string | undefined;
}

/**
 * One row as text runs, each cell sanitized and cut to its column width, one space between
 * cells. With `plainColors` (the selection, drawn inverse) no cell keeps its colour.
 */
export function rowRuns<Row>(
  columns: Column<Row>[],
  widths: number[],
  row: Row,
  plainColors: boolean,
): RowRun[] {
  const runs: RowRun[] = [];
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
    if (plain !== '') runs.push({ key: `plain-${i}`, text: plain });
    plain = '';
    runs.push({ key: column.key, text, color });
  });
  if (plain !== '') runs.push({ key: 'plain-end', text: plain });
  return runs;
}

/** What a table of `visibleCount` rows below its header shows from `start`, `width` cells wide. */
export interface TableText<Row> {
  /** The widths of the columns that fit, and those columns. */
  widths: number[];
  shown: Column<Row>[];
  header: string;
  /** Spaces after the last column, up to the full width (an inverse selection spans the row). */
  filler: string;
  /** The rows in the window. */
  window: Row[];
}

export function tableText<Row>(
  columns: Column<Row>[],
  rows: Row[],
  selectedIndex: number,
  start: number,
  visibleCount: number,
  width: number,
): TableText<Row> {
  const widths = layoutColumns(columns, width);
  const shown = columns.slice(0, widths.length);
  const indicator =
    rows.length > visibleCount ? scrollIndicator(selectedIndex, start, rows.length) : '';
  const header = headerLine(shown, widths, width, indicator);
  const used = widths.reduce((sum, w) => sum + w, 0) + Math.max(0, widths.length - 1);
  const filler = ' '.repeat(Math.max(0, width - used));
  return { widths, shown, header, filler, window: rows.slice(start, start + visibleCount) };
}
