// The stats probe's flags on the built CLI: bad input is one sentence and exit 2, before any
// engine is asked (an endpoint that does not exist would otherwise be the error).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const home = mkdtempSync(path.join(tmpdir(), 'smarm-probe-flags-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const env = { HOME: home, XDG_CONFIG_HOME: home, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

describe('the probe flags', () => {
  for (const [args, sentence] of [
    [
      ['--probe-image', 'bad name'],
      '--probe-image must be an image name, like smarm-top:0.1.0, not "bad name".',
    ],
    [
      ['--probe-socket', 'relative.sock'],
      '--probe-socket must be an absolute path, like /var/run/docker.sock, not "relative.sock".',
    ],
    [
      ['--probe-lifetime', '5'],
      '--probe-lifetime must be a whole number of seconds from 10 to 3600, not "5".',
    ],
    [
      ['probe', '--lifetime', 'x'],
      '--lifetime must be a number of seconds from 1 to 86400, not "x".',
    ],
  ] as const) {
    it(`refuses ${args.join(' ')} in one sentence`, () => {
      const result = runCli([...args], env);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(sentence);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
