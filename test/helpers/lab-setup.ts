// Global setup of the `lab` test project: the integration and end-to-end tests need the real lab
// swarm. In CI (SMARM_LAB_REQUIRED=1) a missing lab fails the run; as root with dockerd at hand
// the lab is started here and torn down after; otherwise the lab tests are skipped, loudly.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

const required = process.env['SMARM_LAB_REQUIRED'] === '1';
const canStart = process.getuid?.() === 0 && existsSync('/usr/bin/dockerd');

export default function setup(project: TestProject): (() => void) | undefined {
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
        '\n*  LAB TESTS SKIPPED: no lab swarm is up and this machine cannot start one\n' +
        '*  (needs root and docker.io). Integration and end-to-end tests did NOT run.\n' +
        '*'.repeat(78) +
        '\n',
    );
    project.provide('lab', null);
    return undefined;
  }
  project.provide('lab', lab);
  if (!startedHere) return undefined;
  return () => {
    execFileSync('bash', ['scripts/lab.sh', 'down'], { stdio: 'inherit' });
  };
}
