// cli.js's first line (sh) makes node's environment from the user's: the bench starts smarm-top
// with startEnvironment(), which must make the same one. A `node` on the PATH that prints what it
// was given stands in for node.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HANDED_OVER_ENV,
  NODE_ENV_DEFAULTS,
  NODE_FLAGS,
  startEnvironment,
} from '../../scripts/node-flags.mjs';
import { CLI } from '../helpers/cli.js';

const NAMES = [...Object.keys(NODE_ENV_DEFAULTS), ...Object.entries(HANDED_OVER_ENV).flat()];

describe("cli.js's first line", () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(path.join(os.tmpdir(), 'smarm-node-flags-'));
    const lines = NAMES.map((name) => `echo "${name}=\${${name}-(unset)}"`);
    writeFileSync(path.join(bin, 'node'), `#!/bin/sh\necho "$@"\n${lines.join('\n')}\n`);
    chmodSync(path.join(bin, 'node'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  const shown = (env: Record<string, string | undefined>): string[] =>
    NAMES.map((name) => `${name}=${env[name] ?? '(unset)'}`);

  it.each([
    ['nothing set', {}],
    ['NODE_EXTRA_CA_CERTS set', { NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem' }],
    ['NODE_EXTRA_CA_CERTS empty', { NODE_EXTRA_CA_CERTS: '' }],
    ['a value of the user kept', { MALLOC_ARENA_MAX: '4' }],
    [
      "OpenSSL's store asked for",
      { NODE_OPTIONS: '--use-openssl-ca', NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem' },
    ],
  ])('runs node with NODE_FLAGS and the environment startEnvironment makes: %s', (_, given) => {
    const env: Record<string, string | undefined> = { PATH: `${bin}:/usr/bin:/bin`, ...given };
    const out = execFileSync(CLI, ['--version'], {
      env: env as NodeJS.ProcessEnv,
      encoding: 'utf8',
    })
      .trimEnd()
      .split('\n');
    expect(out[0]).toBe([...NODE_FLAGS, CLI, '--version'].join(' '));
    expect(out.slice(1)).toEqual(shown(startEnvironment(env)));
  });

  it('hands NODE_EXTRA_CA_CERTS over instead of letting node read it at start', () => {
    const env = startEnvironment({ NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem' });
    expect(env['NODE_EXTRA_CA_CERTS']).toBeUndefined();
    expect(env['SMARM_EXTRA_CA_CERTS']).toBe('/etc/ssl/extra.pem');
  });

  it("leaves it to node when NODE_OPTIONS asks for OpenSSL's store, which the app cannot rebuild", () => {
    const env = startEnvironment({
      NODE_OPTIONS: '--max-old-space-size=200 --use-openssl-ca',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem',
    });
    expect(env['NODE_EXTRA_CA_CERTS']).toBe('/etc/ssl/extra.pem');
    expect(env['SMARM_EXTRA_CA_CERTS']).toBeUndefined();
  });
});
