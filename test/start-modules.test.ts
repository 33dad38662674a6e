// What node loads for smarm-top's own code before it does anything: `--version` runs after every
// static import of cli.js. crypto (also behind tls and https, about 10 ms of CPU) and
// child_process are loaded at their first use only: a start on a unix socket draws its first
// frame without them (issue 17).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-start-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("loads none of node's crypto, tls, https or child_process before it starts", () => {
  const preload = path.join(dir, 'modules.cjs');
  const out = path.join(dir, 'modules.txt');
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));`,
  );
  const result = spawnSync(process.execPath, ['--require', preload, CLI, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status).toBe(0);
  const builtins = readFileSync(out, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('NativeModule '))
    .map((line) => line.slice('NativeModule '.length));
  // the list is node's own: it holds what smarm-top loaded (http for the engine)
  expect(builtins).toContain('http');
  expect(builtins.filter((name) => /^(crypto|tls|https|child_process)$/.test(name))).toEqual([]);
});
