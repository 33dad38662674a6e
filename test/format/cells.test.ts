import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cellWidth, fit, padEnd, truncate, wrap } from '../../source/format/cells.js';

describe('cellWidth', () => {
  it.each([
    ['', 0],
    ['nginx', 5],
    ['你好', 4],
    ['😀', 2],
    ['👨‍👩‍👧', 2],
    ['🇩🇪', 2],
    ['e\u0301', 1],
    ['…', 1],
    ['a你b', 4],
  ])('%j is %i cells', (s, width) => {
    expect(cellWidth(s)).toBe(width);
  });
});

describe('cellWidth without string-width (the symbols the views draw)', () => {
  it.each([
    '▸ SERVICES (5)',
    '✓ no problems',
    '✗ crashy',
    '↻ web',
    '8080→80',
    'ab…',
    'live · events',
    '↑↓─│×',
    // With what makes them a wider grapheme, they go through string-width.
    '✓\uFE0F done',
    '→\u20E3',
    '▸\u0301x',
    '✗你',
  ])('%j as string-width counts it', (s) => {
    expect(cellWidth(s)).toBe(stringWidth(s));
    expect(stringWidth(truncate(`${s}${s}`, 5))).toBe(Math.min(5, stringWidth(`${s}${s}`)));
  });

  it('cuts them as graphemes', () => {
    expect(truncate('▸ SERVICES', 4)).toBe('▸ S…');
    expect(truncate('▸\u0301abc', 3)).toBe('▸\u0301a…');
  });
});

describe('truncate', () => {
  it('leaves text that fits alone', () => {
    expect(truncate('nginx', 5)).toBe('nginx');
    expect(truncate('你好', 4)).toBe('你好');
  });

  it('cuts ASCII and ends with an ellipsis', () => {
    expect(truncate('nginx:latest', 6)).toBe('nginx…');
    expect(truncate('ab', 1)).toBe('…');
  });

  it('returns "" for width 0 or less', () => {
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', -3)).toBe('');
  });

  it('never splits a wide character', () => {
    // 你好世界 is 8 cells; 5 cells leave room for 4 before the ellipsis: 你好 then …
    expect(truncate('你好世界', 5)).toBe('你好…');
    // 4 cells leave 3 before the ellipsis: only 你 fits whole, result is one cell short.
    expect(truncate('你好世界', 4)).toBe('你…');
    expect(cellWidth(truncate('你好世界', 4))).toBe(3);
  });

  it('keeps emoji ZWJ sequences and combining marks whole', () => {
    expect(truncate('👨‍👩‍👧👨‍👩‍👧', 3)).toBe('👨‍👩‍👧…');
    expect(truncate('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
  });

  it('never exceeds the width, for every width', () => {
    const samples = ['mixed 你好 😀 text', '🇩🇪🇫🇷🇯🇵', 'ascii only string', 'ｆｕｌｌｗｉｄｔｈ'];
    for (const s of samples) {
      for (let w = 0; w <= cellWidth(s) + 2; w++) {
        const out = truncate(s, w);
        expect(stringWidth(out)).toBeLessThanOrEqual(w);
        if (cellWidth(s) > w && w > 0) expect(out.endsWith('…')).toBe(true);
      }
    }
  });
});

describe('fit / padEnd', () => {
  it('pads to exactly the width, left or right', () => {
    expect(fit('ab', 5)).toBe('ab   ');
    expect(fit('ab', 5, 'right')).toBe('   ab');
    expect(padEnd('ab', 4)).toBe('ab  ');
  });

  it('truncates then pads so wide chars still give exactly width cells', () => {
    const out = fit('你好世界', 4);
    expect(out).toBe('你… ');
    expect(cellWidth(out)).toBe(4);
    expect(fit('你好世界', 4, 'right')).toBe(' 你…');
  });

  it('is exact for many inputs and widths', () => {
    for (const s of ['', 'x', '你好', '😀😀😀', 'a very long ascii cell value']) {
      for (let w = 1; w < 12; w++) {
        expect(cellWidth(fit(s, w))).toBe(w);
        expect(cellWidth(fit(s, w, 'right'))).toBe(w);
      }
    }
  });

  it('gives "" for width 0', () => {
    expect(fit('abc', 0)).toBe('');
  });
});

describe('wrap', () => {
  it('breaks at spaces', () => {
    expect(wrap('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  it('hard-breaks words longer than a line', () => {
    expect(wrap('abcdefghij klm', 4)).toEqual(['abcd', 'efgh', 'ij', 'klm']);
  });

  it('continues after a hard break on the same line when the next word fits', () => {
    expect(wrap('abcdefghij k', 4)).toEqual(['abcd', 'efgh', 'ij k']);
  });

  it('respects display width with wide characters', () => {
    const lines = wrap('你好世界你好世界', 5);
    expect(lines).toEqual(['你好', '世界', '你好', '世界']);
    for (const line of lines) expect(cellWidth(line)).toBeLessThanOrEqual(5);
  });

  it('emits a character wider than the line on its own instead of looping', () => {
    expect(wrap('你好', 1)).toEqual(['你', '好']);
  });

  it('keeps explicit newlines and empty lines', () => {
    expect(wrap('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(wrap('', 10)).toEqual(['']);
  });

  it('drops spaces at breaks but keeps leading indentation', () => {
    expect(wrap('  indented text here', 10)).toEqual(['  indented', 'text here']);
    expect(wrap('aaaa     bbbb', 5)).toEqual(['aaaa', 'bbbb']);
  });

  it('returns no lines for width 0', () => {
    expect(wrap('abc', 0)).toEqual([]);
  });

  it('never exceeds the width and loses no non-space text', () => {
    const text =
      'task: non-zero exit (137): dockerexec: unable to start container process: 你好 😀 ' +
      'error during container init: supercalifragilisticexpialidocious';
    // From 2 cells up: a 1-cell line cannot hold a wide character (see the test above).
    for (let w = 2; w <= 40; w++) {
      const lines = wrap(text, w);
      for (const line of lines) expect(cellWidth(line)).toBeLessThanOrEqual(w);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });
});
