// What every part of the bench shares: where things are, the app's refresh and terminal size, and
// how a knob is read from the environment (run.ts reads the knobs themselves).

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const env = process.env;
export const QUICK = env['BENCH_QUICK'] === '1';

/** A number from the environment; `quick` is the default in BENCH_QUICK mode. */
export const num = (name: string, fallback: number, quick = fallback): number => {
  const value = Number(env[name]);
  if (env[name] !== undefined && Number.isFinite(value) && value >= 0) return value;
  return QUICK ? quick : fallback;
};

/** A knob that makes no sense: one sentence, no stack trace, exit 2. */
export function badKnob(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** A comma list of whole numbers from the environment (e.g. "500,1000,5000"). */
export const numbers = (name: string, fallback: number[], quick = fallback): number[] => {
  const text = env[name];
  if (text !== undefined && text.trim() !== '') {
    const values = text.split(',').map((part) => Number(part.trim()));
    if (values.every((v) => Number.isInteger(v) && v > 0)) return values;
    badKnob(`${name} must be a comma list of positive whole numbers, not "${text}"`);
  }
  return QUICK ? quick : fallback;
};

export const REFRESH_SECONDS = 2;
export const COLUMNS = 120;
export const ROWS = 40;
/** The services pane has rows: "<name>  10/10 replicated …". */
export const SERVICE_ROW = /\s\d+\/\d+\s+(replicated|global)/;
/** The tasks pane has rows "<service>.<slot>  <node>  running  running 1d". */
export const TASK_ROW = /\srunning\s+running\s/;
/** A complete first frame: the header's node count, a service row and a running task's row. */
export const COMPLETE_FRAME = new RegExp(
  `^(?=[\\s\\S]*nodes \\d+/\\d+)(?=[\\s\\S]*${SERVICE_ROW.source})(?=[\\s\\S]*${TASK_ROW.source})`,
);
export const LAB_ENV = `${process.env['SMARM_LAB_PARENT'] || '/tmp/smarm-lab'}/current.env`;

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(ROOT, 'dist/cli.js');
export const DIST_URL = new URL('../../dist/', import.meta.url).href;
export const RESULTS = path.join(ROOT, 'bench/results/summary.json');
export const TMP = mkdtempSync(path.join(os.tmpdir(), 'smarm-bench-'));
