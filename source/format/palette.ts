// Colours by meaning, with no React in sight: --once prints with them and must not load React.
// Colour only ever repeats what a symbol or a word already says (✗, STALE, "down", inverse
// selection), so the monochrome theme loses no information.

export type ThemeName = 'dark' | 'light' | 'mono';

export const THEME_NAMES: readonly ThemeName[] = ['dark', 'light', 'mono'];

/** Semantic colours; every one is undefined in monochrome so state is told by symbols and words. */
export interface Theme {
  name: ThemeName;
  bad: string | undefined;
  warn: string | undefined;
  good: string | undefined;
  accent: string | undefined;
  dim: string | undefined;
  /** Log line prefixes, one stable colour per task; empty in monochrome. */
  taskColours: readonly string[];
}

// Basic 16-colour names only: they follow the terminal's own palette, so they stay readable
// whatever the user has tuned, and they work at chalk's lowest colour level.
const THEMES: Record<ThemeName, Theme> = {
  dark: {
    name: 'dark',
    bad: 'red',
    warn: 'yellow',
    good: 'green',
    accent: 'cyan',
    dim: 'gray',
    // None of them red (stderr) or grey (dim); plain blue is unreadable on many dark backgrounds.
    taskColours: [
      'cyan',
      'magenta',
      'yellow',
      'green',
      'blueBright',
      'cyanBright',
      'magentaBright',
      'greenBright',
      'yellowBright',
    ],
  },
  light: {
    name: 'light',
    bad: 'red',
    // Yellow and the bright variants are near-invisible on white; magenta and blue are not.
    warn: 'magenta',
    good: 'green',
    accent: 'blue',
    // Grey (SGR 90) is the one mid-tone that reads on white as "less important".
    dim: 'blackBright',
    taskColours: ['blue', 'magenta', 'green', 'cyan', 'blueBright', 'magentaBright'],
  },
  mono: {
    name: 'mono',
    bad: undefined,
    warn: undefined,
    good: undefined,
    accent: undefined,
    dim: undefined,
    taskColours: [],
  },
};

export function isThemeName(value: unknown): value is ThemeName {
  return typeof value === 'string' && (THEME_NAMES as readonly string[]).includes(value);
}

export function makeTheme(name: ThemeName): Theme {
  return THEMES[name];
}

/**
 * The theme in force: monochrome when colour is off (--no-color or a non-empty NO_COLOR, see
 * no-color.org), else the --theme flag, else the config file, else dark.
 */
export function chooseTheme(options: {
  color: boolean;
  env: NodeJS.ProcessEnv;
  flag?: ThemeName | undefined;
  config?: ThemeName | undefined;
}): ThemeName {
  const noColor = options.env['NO_COLOR'];
  if (!options.color || (noColor !== undefined && noColor !== '')) return 'mono';
  return options.flag ?? options.config ?? 'dark';
}
