// The built launcher (dist/cli.js, source/launcher.ts) with its code cache, as users run it:
// the first start that gets to its output writes the cache, the next ones run from it without
// writing again, a cache V8 refuses (damaged, or made by another node) is replaced, and a start
// without one works the same.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from './helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'smarm-launcher-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cacheDir = path.join(tmp, 'cache', 'smarm-top');
const env = { XDG_CACHE_HOME: path.join(tmp, 'cache'), SMARM_CODE_CACHE: undefined };

/** The simulated swarm's node names: the program ran to the end. */
function demoNodes(cacheEnv: Record<string, string | undefined>): string[] {
  const result = runCli(['--demo', '--once', '--json'], { ...cacheEnv, TMPDIR: tmp });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return (JSON.parse(result.stdout) as { nodes: Array<{ hostname: string }> }).nodes.map(
    (n) => n.hostname,
  );
}

const caches = () => {
  try {
    return readdirSync(cacheDir).filter((file) => file.endsWith('.v8cache'));
  } catch {
    return [];
  }
};

describe('the code cache, from the built CLI', () => {
  const without = demoNodes({ ...env, SMARM_CODE_CACHE: 'off' });

  it('is not made when turned off', () => {
    expect(without).toContain('manager-1');
    expect(() => readdirSync(cacheDir)).toThrow();
  });

  it('is not written by a start that stops before its first output (--version, bad flags)', () => {
    for (const args of [['--version'], ['--bogus']]) {
      const result = runCli(args, { ...env, TMPDIR: tmp });
      expect(result.status).toBe(args[0] === '--version' ? 0 : 2);
      expect(caches()).toEqual([]);
    }
  });

  it('is written by the first start, and read by the next without being written again', () => {
    expect(demoNodes(env)).toEqual(without);
    expect(caches()).toHaveLength(1);
    const file = path.join(cacheDir, caches()[0]!);
    const written = statSync(file);
    expect(written.size).toBeGreaterThan(100_000);
    expect(written.mode & 0o777).toBe(0o600);
    expect(demoNodes(env)).toEqual(without);
    // Written again only when V8 refuses it: the same file, untouched.
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  it('is replaced when V8 refuses it, and the start is the same', () => {
    const file = path.join(cacheDir, caches()[0]!);
    writeFileSync(file, Buffer.alloc(200_000, 7));
    expect(demoNodes(env)).toEqual(without);
    const replaced = readFileSync(file);
    expect(replaced.equals(Buffer.alloc(200_000, 7))).toBe(false);
    expect(replaced.length).toBeGreaterThan(100_000);
  });
});

it('says in one sentence that a copy of dist/ without the program is incomplete', () => {
  const copy = path.join(tmp, 'partial-dist');
  mkdirSync(copy);
  for (const file of ['cli.js', 'package.json']) {
    copyFileSync(path.join(path.dirname(CLI), file), path.join(copy, file));
  }
  const result = spawnSync(process.execPath, [path.join(copy, 'cli.js'), '--version'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(
    `smarm-top: cannot read ${path.join(copy, 'main.js')} (ENOENT): copy the whole dist/ folder, whose files belong together.\n`,
  );
});
