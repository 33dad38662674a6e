import { describe, expect, it } from 'vitest';
import { compareText } from '../../source/format/compare.js';

describe('compareText', () => {
  it('orders case-insensitively first', () => {
    expect(['worker', 'Web', 'api'].sort(compareText)).toEqual(['api', 'Web', 'worker']);
  });

  it('is total: names differing only in case keep one order', () => {
    expect(['web', 'Web', 'WEB'].sort(compareText)).toEqual(['WEB', 'Web', 'web']);
    expect(compareText('web', 'web')).toBe(0);
  });

  it('orders RFC 3339 times chronologically', () => {
    const times = ['2024-05-01T12:00:00.5Z', '2024-04-30T23:59:59Z', '2024-05-01T09:00:00Z'];
    expect(times.sort(compareText)).toEqual([
      '2024-04-30T23:59:59Z',
      '2024-05-01T09:00:00Z',
      '2024-05-01T12:00:00.5Z',
    ]);
  });

  it('puts a prefix first', () => {
    expect(compareText('api', 'api_v2')).toBeLessThan(0);
    expect(compareText('', 'a')).toBeLessThan(0);
  });
});

describe('compareText against the lowered strings it stands for', () => {
  const lowered = (a: string, b: string): number => {
    if (a === b) return 0;
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    if (x !== y) return x < y ? -1 : 1;
    return a < b ? -1 : 1;
  };

  it('gives the same order for any mix of cases, digits, punctuation and non-ASCII text', () => {
    const alphabet = [
      'a',
      'A',
      'z',
      'Z',
      '_',
      '-',
      '0',
      '9',
      '@',
      '[',
      '`',
      '{',
      'é',
      'É',
      'İ',
      'ß',
      '☃',
      '\u{1F600}',
    ];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const text = (): string =>
      Array.from({ length: random(6) }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 20_000; i += 1) {
      const a = text();
      const b = random(4) === 0 ? a.toUpperCase() : text();
      expect(Math.sign(compareText(a, b)), `${a} ${b}`).toBe(Math.sign(lowered(a, b)));
    }
    // Lowering İ makes two code units: what follows it must not be compared out of step.
    expect(Math.sign(compareText('İb', 'i̇a'))).toBe(Math.sign(lowered('İb', 'i̇a')));
  });
});
