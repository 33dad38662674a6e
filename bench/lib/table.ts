// The one table the bench prints: a row per measure, with its target and whether it is met.

// A type, not an interface: printColumns needs its implicit index signature.
export type Row = {
  id: string;
  what: string;
  wall: string;
  cpu: string;
  detail: string;
  target: string;
  met: string;
};

/** Columns padded to their widest cell; `headers` names them, in order. */
export function printColumns<T extends Record<string, string>>(headers: T, rows: T[]): void {
  const keys = Object.keys(headers) as Array<keyof T>;
  const width = (key: keyof T) => Math.max(...[headers, ...rows].map((r) => r[key]!.length));
  const line = (row: T) =>
    keys
      .map((key) => row[key]!.padEnd(width(key)))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(keys.map((key) => '-'.repeat(width(key))).join('  '));
  for (const row of rows) console.log(line(row));
}

export function printTable(rows: Row[]): void {
  printColumns<Row>(
    {
      id: 'id',
      what: 'measure',
      wall: 'wall',
      cpu: 'CPU',
      detail: 'detail',
      target: 'target',
      met: 'met',
    },
    rows,
  );
}

export const yes = (ok: boolean): string => (ok ? 'yes' : 'NO');

export function range(values: number[]): string {
  if (values.length < 2) return '';
  return ` (${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))})`;
}
