// The CLI tests run the built bundle, exactly what users run: build it once before any test.
import { execFileSync } from 'node:child_process';

let built = false;

export default function setup(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  built = true;
}
