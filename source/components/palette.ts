// Colours by meaning, with no React in sight: --once prints with them and must not load React.

/** Semantic colours; every one is undefined in monochrome so state is told by symbols and words. */
export interface Theme {
  bad: string | undefined;
  warn: string | undefined;
  good: string | undefined;
  accent: string | undefined;
  dim: string | undefined;
}

export function makeTheme(color: boolean): Theme {
  return color
    ? { bad: 'red', warn: 'yellow', good: 'green', accent: 'cyan', dim: 'gray' }
    : { bad: undefined, warn: undefined, good: undefined, accent: undefined, dim: undefined };
}
