// What every part of the fake engine shares: its error (an HTTP status and the engine's words)
// and its timestamps (Go's RFC3339Nano).

export class EngineError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Go's RFC3339Nano: nanoseconds with trailing zeros dropped. */
export function goTime(ms: number, nanos = 0): string {
  const date = new Date(Math.floor(ms));
  const fraction = String((Math.floor(ms) % 1000) * 1e6 + (nanos % 1e6))
    .padStart(9, '0')
    .replace(/0+$/, '');
  return `${date.toISOString().slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}
