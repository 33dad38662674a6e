// A describe block that needs the lab swarm. vitest runs the body of a skipped describe at
// collection too, so a body that reads the lab at describe level throws when there is none;
// here the body runs only with a lab, and without one a single skipped test says what is missing.
import { describe, inject, it } from 'vitest';
import type { LabEnv } from './lab-env.js';

export function labOrNull(): LabEnv | null {
  return inject('lab');
}

export function describeWithLab(name: string, body: (lab: LabEnv) => void): void {
  const lab = labOrNull();
  if (lab === null) {
    describe(name, () => {
      it.skip('needs the lab swarm (npm run lab -- up, as root with docker.io)', () => {});
    });
    return;
  }
  describe(name, () => body(lab));
}
