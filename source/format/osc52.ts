import { sanitizeLine } from './sanitize.js';
import { errorText } from './error-text.js';

// Copying goes through the terminal, not a clipboard program: OSC 52 ("set the selection to
// this base64 text") travels over SSH to the operator's own terminal, which is where the
// clipboard is. tmux is in between for many operators:
// - with `set-clipboard on` tmux takes the plain sequence itself: it stores a paste buffer and
//   forwards the sequence to the outer terminal (when that one declares the Ms capability);
// - with the default `set-clipboard external` tmux drops an application's sequence, and only a
//   DCS passthrough (`ESC P tmux; … ESC \`, with every ESC inside doubled) gets through — if
//   `allow-passthrough on` (tmux ≥ 3.3; off by default).
// So inside tmux both forms are sent: each is ignored where it is not allowed, and where both
// are the terminal is just told the same text twice.

/** Base64 bytes sent at most; many terminals drop longer sequences (xterm: about 100 kB). */
export const OSC52_MAX_BASE64 = 100_000;

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

/** ESC ] 52 ; c ; <base64> BEL: "set the clipboard selection". */
function plain(base64: string): string {
  return `${ESC}]52;c;${base64}${BEL}`;
}

/** tmux's DCS passthrough: the inner sequence reaches the outer terminal unchanged. */
function tmuxPassthrough(sequence: string): string {
  return `${ESC}Ptmux;${sequence.replaceAll(ESC, ESC + ESC)}${ST}`;
}

/** The bytes to write to the terminal so that `text` lands on the clipboard. */
export function osc52(text: string, env: NodeJS.ProcessEnv): string {
  const sequence = plain(Buffer.from(text, 'utf8').toString('base64'));
  if (env['TMUX'] !== undefined && env['TMUX'] !== '') {
    return sequence + tmuxPassthrough(sequence);
  }
  return sequence;
}

export interface CopyResult {
  ok: boolean;
  /** One sentence for the status line. */
  message: string;
}

function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  return `${Number((bytes / 1000).toFixed(1))} kB`;
}

/**
 * Writes `text` to the clipboard through `write` (the terminal's stdout) and says what happened.
 * `what` names it for the message, e.g. "the ID of service web". Nothing is written when the text
 * is empty or too large for a terminal to accept.
 */
export function copyToClipboard(
  text: string,
  write: (sequence: string) => void,
  env: NodeJS.ProcessEnv,
  what = 'the text',
): CopyResult {
  const label = sanitizeLine(what);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes === 0) return { ok: false, message: `Nothing to copy: ${label} is empty.` };
  const encoded = Math.ceil(bytes / 3) * 4;
  if (encoded > OSC52_MAX_BASE64) {
    return {
      ok: false,
      message: `Not copied: ${label} is ${size(bytes)}, more than a terminal accepts through OSC 52 (${size((OSC52_MAX_BASE64 / 4) * 3)}).`,
    };
  }
  try {
    write(osc52(text, env));
  } catch (err) {
    const why = errorText(err);
    const reason = sanitizeLine(why).replace(/\.$/, '');
    return {
      ok: false,
      message: `Could not copy ${label}: writing to the terminal failed (${reason}).`,
    };
  }
  return { ok: true, message: `Copied ${label} (${size(bytes)}) to the clipboard (OSC 52).` };
}
