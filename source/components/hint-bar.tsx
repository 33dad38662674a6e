import { Text } from 'ink';
import type { KeyBinding, KeyTable } from '../state/keymap.js';
import { useTheme } from './theme.js';

const hintWidth = (binding: KeyBinding): number =>
  binding.label.length + 1 + (binding.hint?.length ?? 0) + 2;

/**
 * The hints that fit in `width`: help and quit, then the actions on what is selected (a service
 * or a node), then the rest in table order. Actions on the other kind of object are left out.
 */
export function fittingHints(
  keys: KeyTable,
  readOnly: boolean,
  width: number,
  on: 'service' | 'node' | 'logs' | null = null,
  drillHint: string | null = 'tasks',
): KeyBinding[] {
  const all = keys
    .visible(readOnly)
    .filter(
      (binding) => binding.hint !== undefined && (binding.on === undefined || binding.on === on),
    )
    // Enter means what the view makes of it, and nothing in some views.
    .flatMap((binding) =>
      binding.command !== 'drill'
        ? [binding]
        : drillHint === null
          ? []
          : [{ ...binding, hint: drillHint }],
    );
  const first = all.filter((b) => b.command === 'help' || b.command === 'quit');
  const actions = all.filter((b) => b.on !== undefined);
  const hints = [
    ...first,
    ...actions,
    ...all.filter((b) => !first.includes(b) && !actions.includes(b)),
  ];
  const shown: KeyBinding[] = [];
  hints.reduce((used, binding) => {
    const next = used + hintWidth(binding);
    if (next <= width) shown.push(binding);
    return next;
  }, 0);
  return shown;
}

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
