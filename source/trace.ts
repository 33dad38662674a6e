import { appendFileSync } from 'node:fs';

// Measurement hooks for `npm run bench` (issue 5: P2 render cost, P3 keypress → frame): with
// SMARM_TRACE=<file>, one JSON line per event, timed in ms since the process started. Off (one
// comparison) otherwise; the file is the bench's, so writes are synchronous and unbuffered.

const file = process.env['SMARM_TRACE'];

export type TraceEvent =
  | { event: 'mark'; name: string }
  | { event: 'key'; name: string }
  | { event: 'render'; ms: number }
  | { event: 'loaded'; what: string; count: number };

export const tracing = file !== undefined && file !== '';

export function trace(entry: TraceEvent): void {
  if (!tracing) return;
  try {
    appendFileSync(file!, `${JSON.stringify({ t: performance.now(), ...entry })}\n`);
  } catch {
    // A trace that cannot be written must not disturb the app.
  }
}
