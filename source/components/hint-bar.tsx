import { Text } from 'ink';
import { visibleBindings, type KeyBinding } from '../state/keymap.js';
import { useTheme } from './theme.js';

const hintWidth = (binding: KeyBinding): number =>
  binding.label.length + 1 + (binding.hint?.length ?? 0) + 2;

/** The hints that fit in `width`, in table order. */
export function fittingHints(readOnly: boolean, width: number): KeyBinding[] {
  const hints = visibleBindings(readOnly).filter((binding) => binding.hint !== undefined);
  const shown: KeyBinding[] = [];
  hints.reduce((used, binding) => {
    const next = used + hintWidth(binding);
    if (next <= width) shown.push(binding);
    return next;
  }, 0);
  return shown;
}

/** One line of the most useful keys, from the same table as dispatch and help. */
export function HintBar({ width, readOnly }: { width: number; readOnly: boolean }) {
  const theme = useTheme();
  const shown = fittingHints(readOnly, width);
  return (
    <Text wrap="truncate">
      {shown.map((binding) => (
        <Text key={binding.command}>
          <Text bold color={theme.accent}>
            {binding.label}
          </Text>
          <Text color={theme.dim}> {binding.hint} </Text>
        </Text>
      ))}
    </Text>
  );
}
