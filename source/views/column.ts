import type { Align } from '../format/cells.js';

/** One column of a list: its header, how wide it may be, and what each row's cell says. */
export interface Column<Row> {
  key: string;
  header: string;
  /** Fixed width in cells. */
  width?: number | undefined;
  /** Floor for a flexible column; below it the column (and those right of it) is dropped. */
  minWidth?: number | undefined;
  /** Share of the width left after fixed columns; columns without `width` default to 1. */
  flex?: number | undefined;
  align?: Align | undefined;
  cell: (row: Row) => string;
  color?: ((row: Row) => string | undefined) | undefined;
}
