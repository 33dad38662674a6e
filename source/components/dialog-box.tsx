import { Box, Text } from 'ink';
import { wrap } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import type { SwarmService } from '../model.js';
import type { Dialog } from '../state/operations.js';
import { useTheme } from './theme.js';

/** Lines a dialog needs at `width`; the layout gives it that many (up to what fits). */
export function dialogLines(
  dialog: Dialog,
  width: number,
  services: SwarmService[],
): Array<{ text: string; tone?: 'warn' | 'bad' | 'title' | 'keys' }> {
  const inner = Math.max(10, width - 4);
  const out: Array<{ text: string; tone?: 'warn' | 'bad' | 'title' | 'keys' }> = [];
  const push = (text: string, tone?: 'warn' | 'bad' | 'title' | 'keys') => {
    for (const line of wrap(sanitizeLine(text), inner))
      out.push(tone ? { text: line, tone } : { text: line });
  };
  if (dialog.kind === 'scale') {
    push(`Scale ${dialog.name}`, 'title');
    // Counts are live; the desired count the prompt opened with is what Enter is checked against.
    const live = services.find((s) => s.id === dialog.serviceId);
    const running = live?.running ?? dialog.running;
    const desired = live?.specReplicas ?? dialog.desired;
    push(`Now ${running}/${desired} running (running/desired).`);
    if (desired !== dialog.desired) {
      push(
        `It asked for ${dialog.desired} when this prompt opened and now asks for ${desired}: Esc and look again.`,
        'warn',
      );
    }
    if (dialog.confirmName === null) {
      push(`New number of replicas: ${dialog.text}▏`);
    } else {
      push(`Scaling to 0 stops every task of ${dialog.name}.`, 'warn');
      push(`Type the service name to confirm: ${dialog.confirmName}▏`);
    }
    if (dialog.error) push(dialog.error, 'bad');
    push('[Esc] Cancel   [Enter] Apply', 'keys');
    return out;
  }
  push(dialog.title, 'title');
  if (dialog.error) {
    push(dialog.error, 'bad');
    push('[n/Esc] Cancel', 'keys');
    return out;
  }
  if (dialog.request === null) {
    push('Inspecting the current state…');
    push('[n/Esc] Cancel', 'keys');
    return out;
  }
  for (const line of dialog.lines) push(line);
  for (const warning of dialog.warnings) push(`⚠ ${warning}`, 'warn');
  push('[n/Esc] Cancel   [y] Confirm', 'keys');
  return out;
}

export function DialogBox({
  dialog,
  width,
  height,
  services,
}: {
  dialog: Dialog;
  width: number;
  height: number;
  services: SwarmService[];
}) {
  const theme = useTheme();
  const lines = dialogLines(dialog, width, services);
  // Keep the key line visible when the text does not fit: cut the middle, never the keys.
  const room = Math.max(1, height - 2);
  const shown =
    lines.length <= room
      ? lines
      : [...lines.slice(0, room - 2), { text: '…' }, lines[lines.length - 1]!];
  const color = (tone?: string) =>
    tone === 'warn'
      ? theme.warn
      : tone === 'bad'
        ? theme.bad
        : tone === 'keys' || tone === 'title'
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
