// smarm-top's folders under the XDG base directories: config, state (audit log, saved logs) and
// cache (the launcher's compiled code).
import path from 'node:path';

type BaseVariable = 'XDG_CONFIG_HOME' | 'XDG_STATE_HOME' | 'XDG_CACHE_HOME';

/** $VARIABLE/smarm-top, else <home>/<fallback>/smarm-top. */
export function smarmTopFolder(
  env: NodeJS.ProcessEnv,
  variable: BaseVariable,
  homeDir: string,
  fallback: string,
): string {
  // The XDG spec says a relative value is invalid and must be ignored.
  const xdg = env[variable];
  const base =
    xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(homeDir, fallback);
  return path.join(base, 'smarm-top');
}
