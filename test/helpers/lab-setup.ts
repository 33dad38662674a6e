// Global setup of the `lab` test project: the integration and end-to-end tests need the real lab
// swarm. In CI (SMARM_LAB_REQUIRED=1) a missing lab fails the run; as root with dockerd at hand
// the lab is started here and torn down after; otherwise the lab tests are skipped, loudly.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { labEnv, type LabEnv } from './lab-env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    lab: LabEnv | null;
  }
}

function answers(lab: LabEnv): boolean {
  try {
    execFileSync(
      'docker',
      ['-H', lab.dockerHost, 'info', '--format', '{{.Swarm.LocalNodeState}}'],
      {
        stdio: 'pipe',
        timeout: 15_000,
      },
    );
    return true;
  } catch {
    return false;
  }
}

/** dockerd on PATH or in the sbin folders (Debian's docker.io puts it in /usr/sbin). */
export function findDockerd(pathValue: string = process.env['PATH'] ?? ''): string | null {
  const folders = [...pathValue.split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const folder of folders) {
    if (folder === '') continue;
    const candidate = path.join(folder, 'dockerd');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

const required = process.env['SMARM_LAB_REQUIRED'] === '1';
// SMARM_LAB_NO_START=1: use a lab that is up, never start one (for running single test files
// while another shell owns the lab).
const mayStart = process.env['SMARM_LAB_NO_START'] !== '1';
const canStart = mayStart && process.getuid?.() === 0 && findDockerd() !== null;

export default function setup(project: TestProject): (() => Promise<void>) | undefined {
  let lab = labEnv();
  let startedHere = false;
  if ((lab === null || !answers(lab)) && canStart && !required) {
    console.log('\n[lab] no lab swarm is up: starting one (npm run lab -- up) …');
    execFileSync('bash', ['scripts/lab.sh', 'up'], { stdio: 'inherit' });
    lab = labEnv();
    startedHere = true;
  }
  if (lab === null || !answers(lab)) {
    if (required) {
      throw new Error(
        'The lab tests are required (SMARM_LAB_REQUIRED=1) but no lab swarm answers; start one with `npm run lab -- up`.',
      );
    }
    console.warn(
      '\n' +
        '*'.repeat(78) +
        '\n*  LAB TESTS SKIPPED: no lab swarm is up and ' +
        (mayStart
          ? 'this machine cannot start one\n*  (needs root and docker.io).'
          : 'SMARM_LAB_NO_START=1 forbids starting one.\n*') +
        ' Integration and end-to-end tests did NOT run.\n' +
        '*'.repeat(78) +
        '\n',
    );
    project.provide('lab', null);
    return undefined;
  }
  project.provide('lab', lab);
  if (!startedHere) return undefined;
  // Not execFileSync: the teardown takes seconds, and a blocked event loop made vitest give up
  // on ending its workers ("Timeout terminating forks worker").
  return () =>
    new Promise<void>((resolve, reject) => {
      const down = spawn('bash', ['scripts/lab.sh', 'down'], { stdio: 'inherit' });
      down.once('error', reject);
      down.once('close', (status) =>
        status === 0 ? resolve() : reject(new Error(`npm run lab -- down exited ${status}`)),
      );
    });
}
