import { Box, Text } from 'ink';
import { fit } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import type { OperationRecord } from '../operations/records.js';
import { STATUS_MARK, statusTone } from '../views/ops.js';
import { useTheme } from './theme.js';

/** One line per operation: mark, title, status in words, the latest progress or message. */
export function operationLine(op: OperationRecord): string {
  const parts = [`${STATUS_MARK[op.status]} ${op.title}`, op.status];
  if (op.progress) parts.push(op.progress);
  if (op.message) parts.push(op.message);
  if (op.auditError) parts.push(`AUDIT LOG NOT WRITTEN: ${op.auditError}`);
  return parts.join(' · ');
}

/** The operations panel: the session's latest actions stay on screen until newer ones push them. */
export function OperationsPanel({
  ops,
  width,
  lines,
}: {
  ops: OperationRecord[];
  width: number;
  lines: number;
}) {
  const theme = useTheme();
  // Running operations first, then the most recent finished ones.
  const running = ops.filter((op) => op.endedAt === null);
  const finished = ops.filter((op) => op.endedAt !== null);
  const shown = [...running, ...finished].slice(0, lines);
  return (
    <Box flexDirection="column" width={width} height={shown.length}>
      {shown.map((op) => (
        <Text key={op.id} wrap="truncate" color={statusTone(op.status, theme)}>
          {fit(sanitizeLine(operationLine(op)), width)}
        </Text>
      ))}
    </Box>
  );
}
