import { describe, expect, it } from 'vitest';
import {
  chooseTheme,
  isThemeName,
  makeTheme,
  THEME_NAMES,
  type Theme,
} from '../../source/format/palette.js';

const SEMANTIC = ['bad', 'warn', 'good', 'accent', 'dim'] as const;

function colours(theme: Theme): (string | undefined)[] {
  return [...SEMANTIC.map((k) => theme[k]), ...theme.taskColours];
}

describe('makeTheme', () => {
  it('has every theme by name', () => {
    expect(THEME_NAMES).toEqual(['dark', 'light', 'mono']);
    for (const name of THEME_NAMES) expect(makeTheme(name).name).toBe(name);
  });

  it('mono has no colour at all', () => {
    const mono = makeTheme('mono');
    for (const key of SEMANTIC) expect(mono[key]).toBeUndefined();
    expect(mono.taskColours).toEqual([]);
  });

  it('dark and light colour every meaning, differently where it matters on white', () => {
    const dark = makeTheme('dark');
    const light = makeTheme('light');
    for (const theme of [dark, light]) {
      for (const key of SEMANTIC) expect(theme[key]).toEqual(expect.any(String));
      // Five meanings, five colours: none is told apart from another by name alone.
      expect(new Set(SEMANTIC.map((k) => theme[k])).size).toBe(SEMANTIC.length);
    }
    expect(light.warn).not.toBe(dark.warn);
    expect(light.accent).not.toBe(dark.accent);
  });

  it('light uses nothing that fades on a white background', () => {
    for (const colour of colours(makeTheme('light'))) {
      expect(colour).not.toMatch(/yellow|white|cyanBright|greenBright/i);
    }
  });

  it('task prefix colours never look like stderr (red) or dim text', () => {
    for (const name of ['dark', 'light'] as const) {
      const theme = makeTheme(name);
      expect(theme.taskColours.length).toBeGreaterThan(3);
      for (const c of theme.taskColours) {
        expect(c).not.toMatch(/red|gr[ae]y|black/i);
        expect(c).not.toBe(theme.dim);
      }
    }
  });
});

describe('isThemeName', () => {
  it.each([
    ['dark', true],
    ['light', true],
    ['mono', true],
    ['Dark', false],
    ['solarized', false],
    [1, false],
    [undefined, false],
  ])('%j → %s', (value, ok) => {
    expect(isThemeName(value)).toBe(ok);
  });
});

describe('chooseTheme', () => {
  it('is dark by default, then the config file, then the flag', () => {
    expect(chooseTheme({ color: true, env: {} })).toBe('dark');
    expect(chooseTheme({ color: true, env: {}, config: 'light' })).toBe('light');
    expect(chooseTheme({ color: true, env: {}, config: 'light', flag: 'dark' })).toBe('dark');
    expect(chooseTheme({ color: true, env: {}, flag: 'mono' })).toBe('mono');
  });

  it('is mono for --no-color or a non-empty NO_COLOR, whatever the theme asked for', () => {
    expect(chooseTheme({ color: false, env: {}, flag: 'light' })).toBe('mono');
    expect(chooseTheme({ color: true, env: { NO_COLOR: '1' }, flag: 'light' })).toBe('mono');
    expect(chooseTheme({ color: true, env: { NO_COLOR: '1' }, config: 'dark' })).toBe('mono');
    // no-color.org: an empty NO_COLOR does not count.
    expect(chooseTheme({ color: true, env: { NO_COLOR: '' }, config: 'light' })).toBe('light');
  });
});
