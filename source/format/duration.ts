// Durations as Go (and so the docker CLI and the Engine's own messages) write them.

/**
 * A duration in nanoseconds the way Go (and so the docker CLI) prints it: "5s", "1m30s",
 * "1h0m0s", "500ms", "0s".
 */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const sign = ns < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ns));
  if (rest === 0) return '0s';
  if (rest < 1e3) return `${sign}${rest}ns`;
  if (rest < 1e6) return `${sign}${decimal(rest, 1e3)}\u00b5s`;
  if (rest < 1e9) return `${sign}${decimal(rest, 1e6)}ms`;
  const hours = Math.floor(rest / 3.6e12);
  rest -= hours * 3.6e12;
  const minutes = Math.floor(rest / 6e10);
  rest -= minutes * 6e10;
  const h = hours > 0 ? `${hours}h` : '';
  const m = hours > 0 || minutes > 0 ? `${minutes}m` : '';
  return `${sign}${h}${m}${decimal(rest, 1e9)}s`;
}

/** n / unit with the fraction's trailing zeros dropped (unit a power of ten). */
function decimal(n: number, unit: number): string {
  const whole = Math.floor(n / unit);
  const fraction = n - whole * unit;
  if (fraction === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`;
}
