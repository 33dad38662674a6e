// The V8 flags smarm-top sets from inside the process: the optimizing compiler's budget
// (jit-tiering.ts) and the linear-time regexp engine (state/log-buffer.ts). The launcher sets
// them before it compiles the program, as V8 rejects a code cache made under other flags
// (launcher.ts); the modules that need them set them too, for a start without the launcher.
import { setFlagsFromString } from 'node:v8';
import { tieringFlags } from './jit-tiering.js';

/** The `l` regexp flag (no backtracking) exists behind this flag in Node 20 and 24. */
export const LINEAR_REGEXP_FLAG = '--enable-experimental-regexp-engine';

/** Every flag the program runs under, for this V8 (`process.versions.v8`). */
export function programFlags(v8Version: string = process.versions.v8): string[] {
  return [...tieringFlags(v8Version), LINEAR_REGEXP_FLAG];
}

/** Sets them, before the code that does the work is compiled. */
export function setProgramFlags(
  v8Version: string = process.versions.v8,
  set: (flag: string) => void = setFlagsFromString,
): void {
  for (const flag of programFlags(v8Version)) set(flag);
}
