// What the program and its UI bundle (ui-runtime.ts) share.

/** Where the program leaves its chalk for the UI bundle's Ink. */
export const HOST_CHALK = Symbol.for('smarm-top.chalk');

/** The packages the UI bundle hands the program, by the names they are imported as. */
export interface UiModules {
  ink: unknown;
  react: unknown;
  'react/jsx-runtime': unknown;
}
