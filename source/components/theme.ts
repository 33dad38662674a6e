import { createContext, useContext } from 'react';
import { makeTheme, type Theme } from './palette.js';

export { makeTheme, type Theme } from './palette.js';

export const ThemeContext = createContext<Theme>(makeTheme(true));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
