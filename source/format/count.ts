// Counts with thousands separators ("12,345"). Intl.NumberFormat takes about 10 ms to make:
// made on first use, not when a module of the start loads (issue 17).

let numberFormat: Intl.NumberFormat | undefined;

export function formatCount(n: number): string {
  return (numberFormat ??= new Intl.NumberFormat('en-US')).format(n);
}
