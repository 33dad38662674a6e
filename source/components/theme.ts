import { createContext, useContext } from 'react';
import { makeTheme, type Theme } from '../format/palette.js';

export { makeTheme, THEME_NAMES, type Theme, type ThemeName } from '../format/palette.js';

export const ThemeContext = createContext<Theme>(makeTheme('dark'));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
