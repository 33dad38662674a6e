import { Box, Text } from 'ink';
import { fit } from '../format/cells.js';
import { visibleBindings, type KeyGroup } from '../state/keymap.js';
import { useTheme } from './theme.js';

const GROUP_TITLES: Record<KeyGroup, string> = {
  general: 'General',
  views: 'Views',
  navigation: 'Navigation',
  lists: 'Lists',
};

/** Generated from the key table, so it cannot drift from what the keys do. */
export function HelpScreen({ height, width, readOnly }: { height: number; width: number; readOnly: boolean }) {
  const theme = useTheme();
  const bindings = visibleBindings(readOnly);
  const lines: Array<{ key: string; title?: string; label?: string; text?: string }> = [];
  for (const group of Object.keys(GROUP_TITLES) as KeyGroup[]) {
    const inGroup = bindings.filter((binding) => binding.group === group);
    if (inGroup.length === 0) continue;
    lines.push({ key: group, title: GROUP_TITLES[group] });
    for (const binding of inGroup) {
      const keys = binding.keys.length > 1 ? `${binding.label}` : binding.label;
      lines.push({ key: binding.command, label: keys, text: binding.help });
    }
  }
  const body = lines.slice(0, Math.max(0, height - 2));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold color={theme.accent}>
        Keys{readOnly ? ' (read-only: actions that change the swarm are off)' : ''} — Esc or ? closes
      </Text>
      {body.map((line) =>
        line.title ? (
          <Text key={line.key} bold underline>
            {line.title}
          </Text>
        ) : (
          <Text key={line.key} wrap="truncate">
            <Text bold>{fit(`  ${line.label}`, 10)}</Text>
            {line.text}
          </Text>
        ),
      )}
    </Box>
  );
}
