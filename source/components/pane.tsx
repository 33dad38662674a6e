import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { fit } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import { useTheme } from './theme.js';

/** A titled block; the focused pane's title is inverse and marked so focus shows without colour. */
export function Pane({
  title,
  focused,
  width,
  height,
  children,
}: {
  title: string;
  focused: boolean;
  width: number;
  height: number;
  children: ReactNode;
}) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={focused} color={focused ? theme.accent : undefined} wrap="truncate">
        {fit(`${focused ? '▸ ' : '  '}${sanitizeLine(title)}`, width)}
      </Text>
      {children}
    </Box>
  );
}
