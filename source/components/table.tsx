import { Box, Text } from 'ink';
import { memo, useState, type ReactElement } from 'react';
import { fit } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import { rowRuns, tableText, windowStart, type RowRun } from '../format/table-text.js';
import type { Column } from '../views/column.js';

export type { Column } from '../views/column.js';
export { layoutColumns, windowStart } from '../format/table-text.js';

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

interface TableRowProps {
  runs: RowRun[];
  filler: string;
  selected: boolean;
  focused: boolean;
}

/**
 * One row: adjacent uncoloured cells are merged into one string, coloured cells become nested
 * <Text> so that the row's own inverse/bold still applies around them. A row whose text, colours
 * and selection are as in the last frame is not rendered again, nor handed to Ink again (so its
 * text is not measured again): under churn most rows on screen are unchanged.
 */
const TableRow = memo(function TableRow({ runs, filler, selected, focused }: TableRowProps) {
  return (
    <Text
      wrap="truncate"
      inverse={selected && focused}
      bold={selected && !focused}
      underline={selected && !focused}
    >
      {runs.map((run) =>
        run.color === undefined ? (
          run.text
        ) : (
          <Text key={run.key} color={run.color}>
            {run.text}
          </Text>
        ),
      )}
      {filler}
    </Text>
  );
}, sameRow);

/** Whether a row would be drawn as in the last frame (exported for its test). */
export function sameRow(a: TableRowProps, b: TableRowProps): boolean {
  return (
    a.filler === b.filler &&
    a.selected === b.selected &&
    a.focused === b.focused &&
    a.runs.length === b.runs.length &&
    a.runs.every((run, i) => {
      const other = b.runs[i]!;
      return run.key === other.key && run.text === other.text && run.color === other.color;
    })
  );
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

  const { widths, shown, header, filler, window } = tableText(
    columns,
    rows,
    selectedIndex,
    start,
    visibleCount,
    width,
  );

  const body = window.map((row) => {
    const id = getId(row);
    const selected = id === selectedId;
    return (
      <TableRow
        key={id}
        runs={rowRuns(shown, widths, row, selected && focused)}
        filler={filler}
        selected={selected}
        focused={focused}
      />
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
