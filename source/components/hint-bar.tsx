import { Text } from 'ink';
import { fittingHints } from '../format/hints.js';
import type { KeyTable } from '../state/keymap.js';
import { useTheme } from './theme.js';

export { fittingHints } from '../format/hints.js';

/** One line of the most useful keys, from the same table as dispatch and help. */
export function HintBar({
  keys,
  width,
  readOnly,
  on,
  drillHint,
}: {
  keys: KeyTable;
  width: number;
  readOnly: boolean;
  on: 'service' | 'node' | 'logs' | null;
  /** What Enter does in this view ("tasks", "go to"), or null where it does nothing. */
  drillHint: string | null;
}) {
  const theme = useTheme();
  const shown = fittingHints(keys, readOnly, width, on, drillHint);
  return (
    <Text wrap="truncate">
      {shown.map((binding) => (
        <Text key={binding.command}>
          <Text bold color={theme.accent}>
            {binding.label}
          </Text>
          <Text color={theme.dim}>
            {' '}
            {binding.hint}
            {'  '}
          </Text>
        </Text>
      ))}
    </Text>
  );
}
