import { Text } from 'ink';
import { visibleBindings } from '../state/keymap.js';
import { useTheme } from './theme.js';

/** One line of the most useful keys, from the same table as dispatch and help. */
export function HintBar({ width, readOnly }: { width: number; readOnly: boolean }) {
  const theme = useTheme();
  const hints = visibleBindings(readOnly).filter((binding) => binding.hint !== undefined);
  let used = 0;
  const shown = hints.filter((binding) => {
    used += binding.label.length + 1 + binding.hint!.length + 2;
    return used <= width;
  });
  return (
    <Text wrap="truncate">
      {shown.map((binding) => (
        <Text key={binding.command}>
          <Text bold color={theme.accent}>
            {binding.label}
          </Text>
          <Text color={theme.dim}> {binding.hint}  </Text>
        </Text>
      ))}
    </Text>
  );
}
