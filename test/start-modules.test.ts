// What smarm-top asks node for before it does anything: `--version` runs after every static import
// of cli.js. crypto (also behind tls and https, about 10 ms of CPU on Node 20) and child_process
// are asked for at their first use only, so a start on a unix socket draws its first frame
// without them (issue 17). Asked for means: imported by the modules cli.js loads statically, or
// required while they run (the bundled CommonJS and docker/lazy-builtins.ts). What node loads for
// itself differs between versions (Node 24 loads crypto for its own reasons) and is not judged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';

const LATER = /^(node:)?(crypto|tls|https|child_process)$/;
const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-start-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files cli.js loads before its first line runs, itself included. */
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?["'](\.{1,2}\/[^"']+)["'];?$/gm)) {
      visit(path.resolve(path.dirname(file), m[1]!));
    }
  };
  visit(entry);
  return [...seen];
}

it('imports none of crypto, tls, https or child_process in the modules it loads at start', () => {
  const files = staticGraph(CLI);
  expect(files.length).toBeGreaterThan(3);
  const imported = files.flatMap((file) =>
    [
      ...readFileSync(file, 'utf8').matchAll(/^import\s[^;]*?["']((?:node:)?[a-z_/]+)["'];?$/gm),
    ].map((m) => m[1]!),
  );
  // the scan sees the imports that are there (http and fs are)
  expect(imported).toEqual(expect.arrayContaining(['node:fs']));
  expect(imported.filter((name) => LATER.test(name))).toEqual([]);
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
