// The harness's own plumbing: time, sleeping, logging, and the list of what broke.

import { execFileSync } from 'node:child_process';

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
export const nowMs = (): number => performance.now();

export const ms = (value: number): string =>
  Number.isFinite(value) ? `${Math.round(value)} ms` : '-';
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** What broke in the harness itself (not a missed target): the run exits non-zero for these. */
export const problems: string[] = [];

export function problem(message: string): void {
  problems.push(message);
  log(`  PROBLEM: ${message}`);
}

/** A measurement that breaks is reported as a problem and skipped; the others still run. */
export async function attempt<T>(what: string, measure: () => Promise<T>): Promise<T | null> {
  try {
    return await measure();
  } catch (error) {
    problem(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

export function which(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
