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
