// Small statistics over samples.

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest rank: the value that `fraction` of the values are at or below. */
export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Least squares: MB per second. */
export function slope(points: Array<{ seconds: number; rssMB: number }>): number {
  if (points.length < 2) return NaN;
  const mx = points.reduce((sum, p) => sum + p.seconds, 0) / points.length;
  const my = points.reduce((sum, p) => sum + p.rssMB, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.seconds - mx) * (p.rssMB - my);
    den += (p.seconds - mx) ** 2;
  }
  return den > 0 ? num / den : NaN;
}
