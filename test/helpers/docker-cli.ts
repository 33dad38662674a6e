// The docker CLI is the independent witness in lab tests: effects are checked with it, never
// with smarm-top's own code.
import { execFileSync } from 'node:child_process';

export function docker(host: string, ...args: string[]): string {
  return execFileSync('docker', ['-H', host, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  }).trim();
}

/** `docker ... --format '{{json .}}'` output, one object per line. */
export function dockerJsonLines<T = Record<string, string>>(host: string, ...args: string[]): T[] {
  const out = docker(host, ...args, '--format', '{{json .}}');
  return out === '' ? [] : out.split('\n').map((line) => JSON.parse(line) as T);
}

/** A lab test's service of `lab/busybox:1` (already on every node), quick to stop; `args` after the name. */
export function createTestService(host: string, name: string, ...args: string[]): void {
  docker(
    host,
    'service',
    'create',
    '--detach',
    '--quiet',
    '--no-resolve-image',
    '--name',
    name,
    '--stop-grace-period',
    '1s',
    ...args,
  );
}
