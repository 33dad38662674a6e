import { describe, expect, it } from 'vitest';
import {
  age,
  clock,
  freshnessLabel,
  shortDate,
  toDate,
  updatedAgo,
} from '../../source/format/time.js';

const NOW = new Date('2024-05-10T12:00:00Z');
const before = (seconds: number): Date => new Date(NOW.getTime() - seconds * 1000);

describe('toDate', () => {
  it('parses Engine timestamps with nanoseconds', () => {
    expect(toDate('2024-05-01T12:34:56.123456789Z')?.toISOString()).toBe(
      '2024-05-01T12:34:56.123Z',
    );
  });

  it.each([
    null,
    undefined,
    '',
    '0001-01-01T00:00:00Z',
    '0001-01-01T00:00:00.000000000Z',
    'garbage',
    // Date.parse would take these; the Engine never writes them, so they are not times.
    'March 7 2024',
    '2024-05-01',
    '2024-05-01 12:34:56Z',
    '2024-13-45T99:99:99Z',
  ])('treats %j as no time', (value) => {
    expect(toDate(value)).toBeNull();
  });

  it('applies the offset the Engine wrote', () => {
    expect(toDate('2024-05-01T14:34:56.5+02:00')?.toISOString()).toBe('2024-05-01T12:34:56.500Z');
  });

  it('accepts a Date, but not an invalid one', () => {
    expect(toDate(NOW)).toBe(NOW);
    expect(toDate(new Date(Number.NaN))).toBeNull();
  });
});

describe('age', () => {
  it.each([
    [0, '0s'],
    [5, '5s'],
    [59, '59s'],
    [60, '1m'],
    [3 * 60 + 59, '3m'],
    [3599, '59m'],
    [3600, '1h'],
    [2 * 3600 + 1800, '2h'],
    [86_399, '23h'],
    [86_400, '1d'],
    [4 * 86_400 + 100, '4d'],
    [364 * 86_400, '364d'],
    [365 * 86_400, '1y'],
    [800 * 86_400, '2y'],
  ])('%i seconds ago → %s', (seconds, expected) => {
    expect(age(before(seconds), NOW)).toBe(expected);
  });

  it('accepts ISO strings', () => {
    expect(age('2024-05-10T11:57:00.999999999Z', NOW)).toBe('2m');
  });

  it('shows "-" for null and the Engine zero time', () => {
    expect(age(null, NOW)).toBe('-');
    expect(age('0001-01-01T00:00:00Z', NOW)).toBe('-');
  });

  it('shows "0s" for times in the future (clock skew)', () => {
    expect(age(new Date(NOW.getTime() + 90_000), NOW)).toBe('0s');
  });
});

describe('updatedAgo', () => {
  const now = NOW.getTime();
  it.each([
    [0, 'updated 0 s ago'],
    [1_000, 'updated 1 s ago'],
    [59_999, 'updated 59 s ago'],
    [60_000, 'updated 1 min ago'],
    [125_000, 'updated 2 min ago'],
    [3 * 3_600_000, 'updated 3 h ago'],
    [2 * 86_400_000, 'updated 2 d ago'],
  ])('%i ms ago → %s', (ms, expected) => {
    expect(updatedAgo(now - ms, now)).toBe(expected);
  });

  it('says "never updated" before the first success', () => {
    expect(updatedAgo(null, now)).toBe('never updated');
  });

  it('clamps the future to 0 s', () => {
    expect(updatedAgo(now + 5_000, now)).toBe('updated 0 s ago');
  });
});

describe('shortDate', () => {
  it('formats local date and time to the minute', () => {
    // Built from local components so the test does not depend on the machine's time zone.
    expect(shortDate(new Date(2024, 4, 1, 9, 3, 59))).toBe('2024-05-01 09:03');
    const local = new Date(2024, 11, 31, 23, 59);
    expect(shortDate(local.toISOString())).toBe('2024-12-31 23:59');
  });

  it('shows "-" for null, zero time and garbage', () => {
    expect(shortDate(null)).toBe('-');
    expect(shortDate('0001-01-01T00:00:00Z')).toBe('-');
    expect(shortDate('not a date')).toBe('-');
  });
});

describe('freshnessLabel', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);
  it('says "live" while the last success is within two refresh intervals', () => {
    expect(freshnessLabel(now - 4_900, now, 2_000, false)).toBe('live');
    expect(freshnessLabel(now - 5_000, now, 2_000, false)).toBe('updated 5 s ago');
  });

  it('gives the age while refreshes fail, however recent the last success', () => {
    expect(freshnessLabel(now - 1_000, now, 2_000, true)).toBe('updated 1 s ago');
  });

  it('says "never updated" before the first success', () => {
    expect(freshnessLabel(null, now, 2_000, false)).toBe('never updated');
  });
});

describe('freshnessLabel for a slow manager', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);
  it('says the manager is slow once a refresh has waited 3 s', () => {
    expect(freshnessLabel(now - 2_000, now, 2_000, false, now - 2_999)).toBe('live');
    expect(freshnessLabel(now - 3_000, now, 2_000, false, now - 3_000)).toBe(
      'live · manager slow: no answer for 3 s',
    );
    expect(freshnessLabel(now - 8_000, now, 2_000, false, now - 7_000)).toBe(
      'updated 8 s ago · manager slow: no answer for 7 s',
    );
  });
});

describe('clock', () => {
  it('is the local wall-clock time, seconds included', () => {
    expect(clock(new Date(2026, 0, 2, 3, 4, 5, 678).getTime())).toBe('03:04:05');
    expect(clock(new Date(2026, 11, 31, 23, 59, 59).getTime())).toBe('23:59:59');
  });
});
