// What smarm-top asks node for before it does anything: `--version` runs after the program's
// top-level code (dist/main.js, which the launcher dist/cli.js runs). crypto (also behind tls
// and https, about 10 ms of CPU on Node 20), child_process and zlib (2 ms, for image builds only)
// are asked for at their first use only, so a start on a unix socket draws its first frame without them (issue 17). Asked for means: required at the top of the launcher or the program, or
// required while they run (the bundled CommonJS and docker/lazy-builtins.ts). What node loads for
// itself differs between versions (Node 24 loads crypto for its own reasons) and is not judged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';

const LATER = /^(node:)?(crypto|tls|https|child_process|zlib)$/;
const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-start-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The modules a file's own code requires at its top level: esbuild's CommonJS declares each
 * `var import_x=require("y")` there, while a module loaded later only assigns them.
 */
function topLevelRequires(file: string): string[] {
  return [
    ...readFileSync(file, 'utf8').matchAll(
      /\bvar import_\w+ ?= ?(?:__toESM\()?require\("((?:node:)?[a-z_/]+)"\)/g,
    ),
  ].map((m) => m[1]!);
}

it('requires none of crypto, tls, https, child_process or zlib at the top of the launcher or program', () => {
  const required = [CLI, path.join(path.dirname(CLI), 'main.js')].flatMap(topLevelRequires);
  // the scan sees the requires that are there (fs and vm are)
  expect(required).toEqual(expect.arrayContaining(['node:fs', 'node:vm']));
  expect(required.filter((name) => LATER.test(name))).toEqual([]);
});

it('requires none of them while those modules run', () => {
  const preload = path.join(dir, 'requires.cjs');
  const out = path.join(dir, 'requires.txt');
  writeFileSync(
    preload,
    [
      "const Module = require('node:module');",
      'const asked = [];',
      'const load = Module._load;',
      'Module._load = function (request, ...rest) {',
      '  asked.push(request);',
      '  return load.call(this, request, ...rest);',
      '};',
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, asked.join('\\n')));`,
    ].join('\n'),
  );
  const result = spawnSync(process.execPath, ['--require', preload, CLI, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status).toBe(0);
  const asked = readFileSync(out, 'utf8').split('\n');
  // the bundled CommonJS asks for what it needs (dockerode's http)
  expect(asked).toContain('http');
  expect(asked.filter((name) => LATER.test(name))).toEqual([]);
});

it("leaves docker-modem's debug logger out: DEBUG=* prints none of its request lines", () => {
  // The `debug` package costs every start its load (about 3 ms), and what it would print (the
  // request's options) is not for smarm-top's terminal.
  const result = spawnSync(
    process.execPath,
    [CLI, '--host', `unix://${path.join(dir, 'no-engine.sock')}`, '--once'],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DEBUG: '*', DEBUG_COLORS: '0' } },
  );
  expect(result.status).not.toBe(0);
  expect(result.stderr).not.toMatch(/modem|Sending/);
  // one sentence about the engine, as without DEBUG
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
});
