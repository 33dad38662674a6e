import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpus } from '../../source/format/bytes.js';

const KiB = 1024;
const MiB = KiB * 1024;
const GiB = MiB * 1024;

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [KiB, '1 KiB'],
    [1.5 * KiB, '1.5 KiB'],
    [10.25 * KiB, '10.3 KiB'],
    [512 * MiB, '512 MiB'],
    [7.8 * GiB, '7.8 GiB'],
    [8 * GiB, '8 GiB'],
    [99.96 * GiB, '100 GiB'],
    [1023.96 * KiB, '1 MiB'],
    [2 * 1024 * GiB, '2 TiB'],
    [2 ** 70, '1024 EiB'],
  ])('%d → %s', (n, expected) => {
    expect(formatBytes(n)).toBe(expected);
  });

  it('handles negatives and non-finite input', () => {
    expect(formatBytes(-1.5 * KiB)).toBe('-1.5 KiB');
    expect(formatBytes(Number.NaN)).toBe('-');
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('-');
  });
});

describe('formatCpus', () => {
  it.each([
    [2e9, '2'],
    [5e8, '0.5'],
    [1.25e9, '1.25'],
    [1e6, '0.001'],
    [0, '0'],
    [16e9, '16'],
  ])('%d nano CPUs → %s', (n, expected) => {
    expect(formatCpus(n)).toBe(expected);
  });

  it('shows "-" when there is no value', () => {
    expect(formatCpus(undefined)).toBe('-');
    expect(formatCpus(null)).toBe('-');
    expect(formatCpus(Number.NaN)).toBe('-');
  });
});
