import { Box, Text } from 'ink';
import { useTheme } from './theme.js';

/** Pre-wrapped lines (the layout decides how many fit); never cut mid-text silently. */
export function StatusLine({ lines, width }: { lines: string[]; width: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} height={lines.length}>
      {lines.map((line, index) => (
        <Text key={index} wrap="truncate" color={theme.warn}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
