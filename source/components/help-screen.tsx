import { Box, Text } from 'ink';
import { fit } from '../format/cells.js';
import type { KeyContext, KeyGroup, KeyTable } from '../state/keymap.js';
import { useTheme } from './theme.js';

const GROUP_TITLES: Record<KeyGroup, string> = {
  general: 'General',
  views: 'Views',
  navigation: 'Navigation',
  lists: 'Lists',
  logs: 'Logs',
  actions: 'Actions (change the swarm)',
};

const CONTEXT_TITLES: Record<KeyContext, string> = {
  confirm: 'In a confirm dialog',
  prompt: 'In a prompt (scale, labels, image, a name to type)',
  copy: 'After c (copy)',
  line: 'Typing after / or :',
};

interface HelpLine {
  key: string;
  title?: string;
  label?: string;
  text?: string;
}

function helpLines(keys: KeyTable, readOnly: boolean): HelpLine[] {
  const bindings = keys.visible(readOnly);
  const lines: HelpLine[] = [];
  for (const group of Object.keys(GROUP_TITLES) as KeyGroup[]) {
    const inGroup = bindings.filter((binding) => binding.group === group);
    if (inGroup.length === 0) continue;
    lines.push({ key: `group:${group}`, title: GROUP_TITLES[group] });
    for (const binding of inGroup) {
      lines.push({ key: `key:${binding.command}`, label: binding.label, text: binding.help });
    }
  }
  for (const context of Object.keys(CONTEXT_TITLES) as KeyContext[]) {
    // Dialogs and the copy choice only matter where something can be changed or copied.
    if (readOnly && (context === 'confirm' || context === 'prompt')) continue;
    lines.push({ key: `context:${context}`, title: CONTEXT_TITLES[context] });
    for (const binding of keys.contexts.filter((b) => b.context === context)) {
      lines.push({ key: `key:${binding.command}`, label: binding.label, text: binding.help });
    }
  }
  return lines;
}

const COLUMN_WIDTH = 44;

/** Generated from the key table, so it cannot drift from what the keys do. Flows into columns. */
export function HelpScreen({
  keys,
  height,
  width,
  readOnly,
  scroll,
}: {
  keys: KeyTable;
  height: number;
  width: number;
  readOnly: boolean;
  /** Lines scrolled with j/k when the table does not fit. */
  scroll: number;
}) {
  const theme = useTheme();
  const lines = helpLines(keys, readOnly);
  const perColumn = Math.max(1, height - 1);
  const columnCount = Math.max(
    1,
    Math.min(Math.floor(width / COLUMN_WIDTH), Math.ceil(lines.length / perColumn)),
  );
  const capacity = perColumn * columnCount;
  const first = Math.max(0, Math.min(scroll, lines.length - capacity));
  const shown = lines.slice(first, first + capacity);
  const columnWidth = Math.floor(width / columnCount);
  const columns = Array.from({ length: columnCount }, (_, i) =>
    shown.slice(i * perColumn, (i + 1) * perColumn),
  );
  const more = lines.length > capacity;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold color={theme.accent} wrap="truncate">
        Keys{readOnly ? ' (read-only: actions that change the swarm are off)' : ''} — Esc or ?
        closes{more ? ` · j/k scroll (${first + shown.length}/${lines.length})` : ''}
      </Text>
      <Box flexDirection="row">
        {columns.map((column, index) => (
          <Box key={index} flexDirection="column" width={columnWidth}>
            {column.map((line) =>
              line.title ? (
                <Text key={line.key} bold underline wrap="truncate">
                  {line.title}
                </Text>
              ) : (
                <Text key={line.key} wrap="truncate">
                  <Text bold>{fit(`  ${line.label}`, 9)}</Text>
                  {line.text}
                </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
