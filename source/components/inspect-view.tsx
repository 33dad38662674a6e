import { Box, Text } from 'ink';
import { truncate, wrap } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import { Pane } from './pane.js';
import { useTheme } from './theme.js';

export interface InspectViewProps {
  title: string;
  /** Sanitized lines (format/inspect-text.ts); they are cut to the width here, never wrapped. */
  lines: string[];
  /** Index of the first line shown; clamped so the last page stays full. */
  scroll: number;
  width: number;
  height: number;
  error: string | null;
  loading: boolean;
}

/** At most this many rows for an error sentence; the rest of the pane stays for the lines. */
const ERROR_ROWS = 2;

/** Rows left for the lines: the title and the position bar take one each. */
export function inspectBodyRows(height: number): number {
  return Math.max(1, height - 2);
}

/** The largest useful scroll for `count` lines in a pane of `height` rows (for `G` and paging). */
export function inspectMaxScroll(count: number, height: number): number {
  return Math.max(0, count - inspectBodyRows(height));
}

function positionText(first: number, shown: number, count: number): string {
  if (count === 0) return '';
  return `lines ${first + 1}–${first + shown} of ${count}`;
}

/** A titled, scrollable pane of inspect lines with a "lines a–b of n" bar. */
export function InspectView({
  title,
  lines,
  scroll,
  width,
  height,
  error,
  loading,
}: InspectViewProps) {
  const theme = useTheme();
  const errorRows = error === null ? [] : wrap(sanitizeLine(error), width).slice(0, ERROR_ROWS);
  const rows = Math.max(0, inspectBodyRows(height) - errorRows.length);
  const maxScroll = Math.max(0, lines.length - rows);
  const first = Math.min(Math.max(0, Math.floor(scroll)), maxScroll);
  const visible = lines.slice(first, first + rows);
  const status =
    loading && lines.length === 0 ? 'loading…' : positionText(first, visible.length, lines.length);
  return (
    <Pane title={title} focused width={width} height={height}>
      {errorRows.map((row, index) => (
        <Text key={`error-${index}`} color={theme.bad} wrap="truncate">
          {row}
        </Text>
      ))}
      <Box flexDirection="column" height={rows}>
        {visible.map((line, index) => (
          // Lines are cut, not wrapped: a row is a row, so scrolling stays one line per key.
          <Text key={first + index} wrap="truncate">
            {truncate(sanitizeLine(line), width) || ' '}
          </Text>
        ))}
      </Box>
      <Text color={theme.dim} wrap="truncate">
        {truncate(status, width)}
      </Text>
    </Pane>
  );
}
