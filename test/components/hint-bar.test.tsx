import { afterEach, describe, expect, it } from 'vitest';
import { fittingHints, HintBar } from '../../source/components/hint-bar.js';
import { makeTheme, ThemeContext } from '../../source/components/theme.js';
import { remapKeys } from '../../source/state/key-remap.js';
import {
  createKeyTable,
  DEFAULT_KEYS,
  DRILL_HINTS,
  KEY_BINDINGS,
  type KeyTable,
} from '../../source/state/keymap.js';
import { renderFixed, type RenderFixedResult } from '../helpers/render.js';

const WIDE = 1000;
const hintOf = (shown: ReturnType<typeof fittingHints>, command: string) =>
  shown.find((b) => b.command === command)?.hint;
const words = (shown: ReturnType<typeof fittingHints>) =>
  shown.map((b) => `${b.label} ${b.hint}`).join('  ');

describe('fittingHints: what Enter says', () => {
  it('says what Enter does in each view, from DRILL_HINTS', () => {
    expect(
      hintOf(fittingHints(DEFAULT_KEYS, false, WIDE, null, DRILL_HINTS.problems ?? null), 'drill'),
    ).toBe('go to');
    expect(
      hintOf(fittingHints(DEFAULT_KEYS, false, WIDE, null, DRILL_HINTS.stacks ?? null), 'drill'),
    ).toBe('services');
    expect(
      hintOf(
        fittingHints(DEFAULT_KEYS, false, WIDE, 'service', DRILL_HINTS.services ?? null),
        'drill',
      ),
    ).toBe('tasks');
  });

  it('leaves Enter out where it does nothing', () => {
    for (const view of ['tasks', 'ops', 'logs', 'inspect'] as const) {
      const shown = fittingHints(DEFAULT_KEYS, false, WIDE, null, DRILL_HINTS[view] ?? null);
      expect(shown.map((b) => b.command)).not.toContain('drill');
      expect(shown.map((b) => b.command)).toContain('back');
    }
  });

  it('does not change the key table itself', () => {
    fittingHints(DEFAULT_KEYS, false, WIDE, null, 'go to');
    expect(KEY_BINDINGS.find((b) => b.command === 'drill')?.hint).toBe('tasks');
  });
});

describe('fittingHints: order and width', () => {
  it('help and quit first, then the actions on the selected object', () => {
    const onService = fittingHints(DEFAULT_KEYS, false, WIDE, 'service', 'tasks').map(
      (b) => b.command,
    );
    expect(onService.slice(0, 5)).toEqual(['help', 'quit', 'scale', 'rollback', 'force-update']);
    expect(onService).not.toContain('drain');
    const onNode = fittingHints(DEFAULT_KEYS, false, WIDE, 'node', 'tasks').map((b) => b.command);
    expect(onNode.slice(0, 5)).toEqual(['help', 'quit', 'drain', 'pause', 'activate']);
    expect(onNode).not.toContain('scale');
    const onNothing = fittingHints(DEFAULT_KEYS, false, WIDE, null, 'go to').map((b) => b.command);
    expect(onNothing).not.toContain('scale');
    expect(onNothing).not.toContain('drain');
    expect(onNothing).not.toContain('follow');
  });

  it('read-only leaves the mutations out', () => {
    const shown = fittingHints(DEFAULT_KEYS, true, WIDE, 'service', 'tasks').map((b) => b.command);
    expect(shown).not.toContain('scale');
    expect(shown).toContain('inspect');
  });

  it('never takes more than the width', () => {
    for (const width of [20, 40, 60, 80, 120]) {
      const shown = fittingHints(DEFAULT_KEYS, false, width, 'service', 'go to');
      const used = shown.reduce(
        (sum, b) => sum + b.label.length + 1 + (b.hint?.length ?? 0) + 2,
        0,
      );
      expect(used).toBeLessThanOrEqual(width);
    }
    expect(fittingHints(DEFAULT_KEYS, false, 5, null, 'go to')).toEqual([]);
  });
});

describe('HintBar', () => {
  const mounted: RenderFixedResult[] = [];
  afterEach(() => {
    for (const r of mounted.splice(0)) r.unmount();
  });

  async function line(props: {
    drillHint: string | null;
    on?: 'service' | 'node' | 'logs' | null;
    keys?: KeyTable;
  }) {
    const r = renderFixed(
      <ThemeContext.Provider value={makeTheme('mono')}>
        <HintBar
          keys={props.keys ?? DEFAULT_KEYS}
          width={120}
          readOnly={false}
          on={props.on ?? null}
          drillHint={props.drillHint}
        />
      </ThemeContext.Provider>,
      { columns: 120, rows: 5 },
    );
    mounted.push(r);
    await r.flush();
    return r.lastFrame() ?? '';
  }

  it('draws the hints that fit, Enter in the words of the view', async () => {
    const text = await line({ drillHint: 'go to' });
    expect(text).toMatch(/^\? help {2}q quit /);
    expect(text).toContain('Enter go to');
    // Exactly the hints fittingHints chose, in its order.
    expect(text.trimEnd()).toBe(words(fittingHints(DEFAULT_KEYS, false, 120, null, 'go to')));
  });

  it('without a drill hint there is no Enter', async () => {
    expect(await line({ drillHint: null })).not.toContain('Enter');
  });

  it('shows a remapped key', async () => {
    const keys = createKeyTable(remapKeys(KEY_BINDINGS, { inspect: 'I' }));
    expect(await line({ drillHint: 'tasks', keys })).toContain('I inspect');
  });
});
