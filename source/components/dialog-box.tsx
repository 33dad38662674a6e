import { Box, Text } from 'ink';
import type { SwarmService } from '../model.js';
import type { Dialog } from '../operations/records.js';
import { dialogFrame, type Tone } from '../format/dialog-lines.js';
import type { KeyTable } from '../state/keymap.js';
import { useTheme } from './theme.js';

export function DialogBox({
  dialog,
  width,
  height,
  services,
  keys,
  whatIf = null,
}: {
  dialog: Dialog;
  width: number;
  height: number;
  services: SwarmService[];
  keys: KeyTable;
  /** The scale prompt's line on where the new replicas would go. */
  whatIf?: string | null;
}) {
  const theme = useTheme();
  const shown = dialogFrame(dialog, width, Math.max(1, height - 2), services, keys.labelOf, whatIf);
  const color = (tone?: Tone) =>
    tone === 'warn'
      ? theme.warn
      : tone === 'bad'
        ? theme.bad
        : tone === 'keys' || tone === 'title' || tone === 'more'
          ? theme.accent
          : undefined;
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      width={width}
      height={Math.min(height, shown.length + 2)}
      paddingX={1}
    >
      {shown.map((line, index) => (
        <Text
          key={index}
          wrap="truncate"
          bold={line.tone === 'title' || line.tone === 'keys'}
          color={color(line.tone)}
        >
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
