import type { KeyBinding, KeyTable } from '../state/keymap.js';

// The hint bar's keys, apart from the component that draws them (components/hint-bar.tsx), so
// that the first frame can be written before Ink has loaded (source/text-frame.ts).

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
