// The first column of every list: one mark that says the row's verdict, in its tone. Colour only
// repeats what the mark says.
import type { Column } from './column.js';

export const MARK_DEGRADED = '✗';
export const MARK_UPDATING = '↻';
export const MARK_WARN = '!';

export function markColumn<Row>(
  mark: (row: Row) => string,
  tone: (row: Row) => string | undefined,
): Column<Row> {
  return { key: 'mark', header: ' ', width: 1, cell: mark, color: tone };
}
