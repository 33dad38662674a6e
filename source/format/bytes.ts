// Binary units, because Engine memory figures (node MemoryBytes, resource limits) are powers of
// two in practice and "8 GiB" should read as 8, not 8.6.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** Shows one decimal below 100, none from 100 up; a trailing ".0" is dropped. */
function number(value: number): string {
  return value < 100 ? String(Number(value.toFixed(1))) : value.toFixed(0);
}

/** "512 B", "1.5 KiB", "7.8 GiB", "512 MiB". Non-finite → "-". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n < 0) return `-${formatBytes(-n)}`;
  if (n < 1024) return `${Math.round(n)} B`;
  let unit = 0;
  let value = n;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // Rounding can carry into the next unit: 1023.96 KiB would print as "1024 KiB".
  if (Math.round(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${number(value)} ${UNITS[unit]}`;
}

/** Engine NanoCPUs → CPUs: 2e9 → "2", 5e8 → "0.5", 1.25e9 → "1.25" (at most 3 decimals). */
export function formatCpus(nanoCpus: number | null | undefined): string {
  if (nanoCpus === null || nanoCpus === undefined || !Number.isFinite(nanoCpus)) return '-';
  return String(Number((nanoCpus / 1e9).toFixed(3)));
}
