// The launcher (launcher.ts) keeps the compiled program for the next start only from a run that
// got as far as its first output: the snapshot written, or the first frame on screen. A run that
// stops earlier (--help, --version, a usage error) has compiled too little of the program for
// every later start to read (a `--once` reading the cache a `--version` wrote: 9 ms more CPU).

/** The launcher's hook, present when the program runs from the build. */
declare const __smarmKeepCode: (() => void) | undefined;

/** This run has compiled what a start needs: its code is worth keeping. */
export function keepCompiledCode(): void {
  if (typeof __smarmKeepCode === 'function') __smarmKeepCode();
}
