// The first frame on the terminal before Ink has loaded (issue 17, P1): the full screen is
// entered, the frame written (source/text-frame.ts) and the cursor left at the top left, where
// Ink's first frame — the same characters — is then written over it. Until then the terminal is
// in raw mode, so that keys typed meanwhile are neither echoed over the frame nor lost: nothing
// reads them here, they wait in the terminal for the app, which reads them in order once it has
// mounted. Every way out before the app takes over (an error, a signal) leaves the full screen.

import { constants } from 'node:os';

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const HOME = '\u001b[H';
const CLEAR = '\u001b[2J\u001b[H';

export interface ShownFrame {
  /** The app takes the screen over: the handlers here are removed, the screen is left as is. */
  handOver(): void;
}

let shown: { leave: () => void } | null = null;

/** Leaves the full screen if a first frame is still up (before an error message is written). */
export function leaveFirstFrame(): void {
  shown?.leave();
}

/** Writes `frame` (text-frame.ts) as the first frame in the full screen; the terminal goes raw. */
export function showFirstFrame(frame: string): ShownFrame {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals): void => {
    leave();
    // What the signal would have done without this handler: the process ends, and the shell sees
    // 128 + the signal's number. Ended here rather than by raising the signal again: a loaded
    // full test run once saw the raised signal lost and the app start anyway.
    process.exit(128 + (constants.signals[signal] ?? 0));
  };
  // A terminal resized before the app is up: the frame no longer fits, and Ink draws afresh.
  const onResize = (): void => void process.stdout.write(CLEAR);
  const detach = (): void => {
    shown = null;
    process.off('exit', leave);
    for (const signal of signals) process.off(signal, onSignal);
    process.stdout.off('resize', onResize);
  };
  function leave(): void {
    detach();
    try {
      process.stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    } catch {
      // The terminal is gone.
    }
  }
  process.stdout.on('error', () => undefined);
  process.stdin.setRawMode(true);
  shown = { leave };
  process.on('exit', leave);
  for (const signal of signals) process.on(signal, onSignal);
  process.stdout.on('resize', onResize);
  process.stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR + frame + HOME);
  return { handOver: detach };
}
