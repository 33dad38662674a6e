/* eslint-disable no-control-regex -- these tests look for escape sequences */
import { describe, expect, it } from 'vitest';
import { copyToClipboard, OSC52_MAX_BASE64, osc52 } from '../../source/format/osc52.js';

const ESC = '\x1b';
const BEL = '\x07';

/** The base64 payloads of every OSC 52 sequence in `out`, passthrough-wrapped ones included. */
function payloads(out: string): string[] {
  const unwrapped = out.replaceAll(ESC + ESC, ESC);
  return [...unwrapped.matchAll(/\x1b\]52;c;([A-Za-z0-9+/=]*)\x07/g)].map((m) => m[1] ?? '');
}

describe('osc52', () => {
  it('is ESC ] 52 ; c ; base64 BEL outside tmux', () => {
    expect(osc52('hello', {})).toBe(`${ESC}]52;c;aGVsbG8=${BEL}`);
    expect(osc52('hello', { TMUX: '' })).toBe(`${ESC}]52;c;aGVsbG8=${BEL}`);
  });

  it('encodes UTF-8 text', () => {
    const [payload] = payloads(osc52('héllo ✓ 日本', {}));
    expect(Buffer.from(payload ?? '', 'base64').toString('utf8')).toBe('héllo ✓ 日本');
  });

  it('inside tmux sends the plain sequence and a DCS passthrough with every ESC doubled', () => {
    const plain = `${ESC}]52;c;aGVsbG8=${BEL}`;
    const out = osc52('hello', { TMUX: '/tmp/tmux-0/default,123,0' });
    expect(out).toBe(`${plain}${ESC}Ptmux;${ESC}${ESC}]52;c;aGVsbG8=${BEL}${ESC}\\`);
    expect(payloads(out)).toEqual(['aGVsbG8=', 'aGVsbG8=']);
  });
});

describe('copyToClipboard', () => {
  it('writes the sequence and says what was copied', () => {
    const written: string[] = [];
    const result = copyToClipboard(
      'uoullajcyi7kyr44eeu394pj6',
      (s) => written.push(s),
      {},
      'the ID of service web',
    );
    expect(result).toEqual({
      ok: true,
      message: 'Copied the ID of service web (25 bytes) to the clipboard (OSC 52).',
    });
    expect(written).toEqual([osc52('uoullajcyi7kyr44eeu394pj6', {})]);
  });

  it('refuses text too large for a terminal, writing nothing', () => {
    const written: string[] = [];
    const big = 'x'.repeat(200_000);
    const result = copyToClipboard(big, (s) => written.push(s), {}, 'the spec of service web');
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      'Not copied: the spec of service web is 200 kB, more than a terminal accepts through OSC 52 (75 kB).',
    );
    expect(written).toEqual([]);
    expect(copyToClipboard(big.slice(0, 75_001), () => undefined, {}).ok).toBe(false);
    // Exactly at the limit it goes.
    const fits = copyToClipboard(
      'x'.repeat((OSC52_MAX_BASE64 / 4) * 3),
      (s) => written.push(s),
      {},
    );
    expect(fits.ok).toBe(true);
    expect(payloads(written[0] ?? '')[0]).toHaveLength(OSC52_MAX_BASE64);
  });

  it('copies nothing for empty text', () => {
    const written: string[] = [];
    expect(copyToClipboard('', (s) => written.push(s), {}, 'the name')).toEqual({
      ok: false,
      message: 'Nothing to copy: the name is empty.',
    });
    expect(written).toEqual([]);
  });

  it('says so in one sentence when the terminal cannot be written', () => {
    const result = copyToClipboard(
      'abc',
      () => {
        throw new Error('write EPIPE.');
      },
      {},
      'the name of node worker-1',
    );
    expect(result).toEqual({
      ok: false,
      message:
        'Could not copy the name of node worker-1: writing to the terminal failed (write EPIPE).',
    });
  });

  it('sanitizes the description it is given', () => {
    const result = copyToClipboard('abc', () => undefined, {}, `the name of service ${ESC}[2Jx`);
    expect(result.message).toBe(
      'Copied the name of service x (3 bytes) to the clipboard (OSC 52).',
    );
  });
});
