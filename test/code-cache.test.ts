// The code cache's folder and files (source/code-cache.ts): a cache is code the program runs, so
// only a folder and file of the user's own, that nobody else can write, are used.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheName, openCodeCache, startKind } from '../source/code-cache.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'smarm-code-cache-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const uid = process.getuid?.();
const NAME = codeCacheName('0123456789abcdef', 'v20.20.2', 'x64', ['--expose-gc'], 'screen');

describe('where the cache lives', () => {
  it('is $XDG_CACHE_HOME/smarm-top, else ~/.cache/smarm-top', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/op')).toBe('/x/cache/smarm-top');
    expect(codeCacheDir({}, '/home/op')).toBe('/home/op/.cache/smarm-top');
    // The XDG spec: a relative value is ignored.
    expect(codeCacheDir({ XDG_CACHE_HOME: 'cache' }, '/home/op')).toBe('/home/op/.cache/smarm-top');
  });

  it('is nowhere when turned off, or without a home to put it in', () => {
    for (const off of ['off', '0', 'no', 'false', 'OFF']) {
      expect(codeCacheDir({ SMARM_CODE_CACHE: off }, '/home/op')).toBeNull();
    }
    expect(codeCacheDir({ SMARM_CODE_CACHE: 'on' }, '/home/op')).toBe('/home/op/.cache/smarm-top');
    expect(codeCacheDir({}, '')).toBeNull();
    expect(codeCacheDir({}, 'relative')).toBeNull();
  });

  it('is named by the build, node, the machine, node’s flags and the start, each its own file', () => {
    expect(NAME).toMatch(/^main-0123456789abcdef-v20\.20\.2-x64-[0-9a-f]{8}-screen\.v8cache$/);
    expect(codeCacheName('0123456789abcdef', 'v20.20.2', 'x64', [], 'screen')).not.toBe(NAME);
    expect(codeCacheName('0123456789abcdef', 'v20.20.2', 'x64', ['--expose-gc'], 'screen')).toBe(
      NAME,
    );
  });

  it('is one for `--once` and another for the interactive start: each holds its own path', () => {
    expect(startKind(['--once', '--json'])).toBe('once');
    expect(startKind(['--host', 'unix:///s', '--once'])).toBe('once');
    expect(startKind([])).toBe('screen');
    expect(startKind(['--demo'])).toBe('screen');
    expect(codeCacheName('0123456789abcdef', 'v20.20.2', 'x64', ['--expose-gc'], 'once')).not.toBe(
      NAME,
    );
  });
});

describe('reading and writing it', () => {
  it('makes a folder only the user can enter, and keeps what it is given', () => {
    const dir = path.join(tmp, 'a', 'smarm-top');
    const cache = openCodeCache(dir, NAME);
    expect(cache).not.toBeNull();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(cache!.read()).toBeUndefined();
    cache!.write(Buffer.from('compiled'));
    expect(cache!.read()?.toString()).toBe('compiled');
    expect(statSync(path.join(dir, NAME)).mode & 0o777).toBe(0o600);
    // written whole, then renamed: no partial file is left
    expect(readdirSync(dir)).toEqual([NAME]);
  });

  it("drops other builds' caches a day old when it writes; keeps the rest", () => {
    const dir = path.join(tmp, 'smarm-top');
    mkdirSync(dir, { mode: 0o700 });
    const oldBuild = codeCacheName('fedcba9876543210', 'v20.20.2', 'x64', ['--expose-gc'], 'once');
    const newerBuild = codeCacheName(
      '00000000ffffffff',
      'v20.20.2',
      'x64',
      ['--expose-gc'],
      'screen',
    );
    const otherFlags = codeCacheName('0123456789abcdef', 'v20.20.2', 'x64', [], 'once');
    for (const file of [oldBuild, newerBuild, otherFlags, 'notes.txt']) {
      writeFileSync(path.join(dir, file), '');
    }
    const now = Date.now();
    const twoDaysAgo = (now - 2 * 24 * 3600_000) / 1000;
    for (const file of [oldBuild, otherFlags, 'notes.txt']) {
      utimesSync(path.join(dir, file), twoDaysAgo, twoDaysAgo);
    }
    openCodeCache(dir, NAME, uid, () => now)!.write(Buffer.from('compiled'));
    // a build in use beside this one (an install and a clone) keeps its cache, as does this
    // build's under other flags
    expect(readdirSync(dir).sort()).toEqual([NAME, newerBuild, otherFlags, 'notes.txt'].sort());
  });

  it('uses no folder that others may write', () => {
    const dir = path.join(tmp, 'smarm-top');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(openCodeCache(dir, NAME)).toBeNull();
    chmodSync(dir, 0o770);
    expect(openCodeCache(dir, NAME)).toBeNull();
    chmodSync(dir, 0o755);
    expect(openCodeCache(dir, NAME)).not.toBeNull();
  });

  it("uses no folder of another user's", () => {
    const dir = path.join(tmp, 'smarm-top');
    mkdirSync(dir, { mode: 0o700 });
    // This process's files are its own: seen from another uid, they are someone else's.
    expect(openCodeCache(dir, NAME, (uid ?? 0) + 1)).toBeNull();
  });

  it('uses no folder that is a file, or cannot be made', () => {
    writeFileSync(path.join(tmp, 'file'), '');
    expect(openCodeCache(path.join(tmp, 'file'), NAME)).toBeNull();
    expect(openCodeCache(path.join(tmp, 'file', 'below'), NAME)).toBeNull();
  });

  it('reads no file that others may write, that is not a plain file, or a link', () => {
    const dir = path.join(tmp, 'smarm-top');
    const cache = openCodeCache(dir, NAME)!;
    const file = path.join(dir, NAME);
    writeFileSync(file, 'planted', { mode: 0o666 });
    chmodSync(file, 0o666);
    expect(cache.read()).toBeUndefined();
    chmodSync(file, 0o600);
    expect(cache.read()?.toString()).toBe('planted');
    rmSync(file);
    writeFileSync(path.join(tmp, 'elsewhere'), 'linked', { mode: 0o600 });
    symlinkSync(path.join(tmp, 'elsewhere'), file);
    expect(cache.read()).toBeUndefined();
    rmSync(file);
    mkdirSync(file);
    expect(cache.read()).toBeUndefined();
  });

  it('fails quietly where it cannot write: the start goes on without a cache', () => {
    const dir = path.join(tmp, 'smarm-top');
    const cache = openCodeCache(dir, NAME)!;
    mkdirSync(path.join(dir, NAME));
    expect(() => cache.write(Buffer.from('compiled'))).not.toThrow();
    expect(existsSync(path.join(dir, `${NAME}.${process.pid}.partial`))).toBe(false);
  });
});
