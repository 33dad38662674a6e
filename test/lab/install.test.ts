// Installing anywhere (issue 7): the packed tarball installs globally with no registry and puts a
// working `smarm-top` on the PATH; a copy of just dist/ runs with a plain node. Checked with npm,
// tar and the filesystem, then by running what was installed against the lab.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../helpers/docker-cli.js';
import { LAB_ENV_FILE } from '../helpers/lab-env.js';
import { TmuxSession } from '../helpers/tmux.js';

const lab = inject('lab');
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/** The lab's own services (scripts/lab.sh): other tests' services come and go meanwhile. */
function labServices(): string[] {
  const line = /^LAB_SERVICES="?([^"\n]*)"?$/m.exec(readFileSync(LAB_ENV_FILE, 'utf8'));
  return (line?.[1] ?? '').split(/\s+/).filter((name) => name !== '');
}

/** Output of `--once`: each lab service has its own row (name, then running/desired). */
function expectServiceRows(stdout: string, names: string[]): void {
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(stdout).toMatch(new RegExp(`^${name} +\\d+/\\d+ `, 'm'));
}

describe('npm pack, npm install -g, a copied dist', () => {
  let work = '';
  let tarball = '';
  const prefix = () => join(work, 'prefix');
  const installed = () => join(prefix(), 'bin', 'smarm-top');
  // Only node's own folder and the installed bin: nothing of the project can be found by accident.
  const pathEnv = () => ({
    ...process.env,
    PATH: [join(prefix(), 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter),
  });
  let tmux: TmuxSession | null = null;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'smarm-install-'));
    // The test project's global setup has just built dist/. `npm pack` would build it again
    // (prepack) and swap dist/ under the tests running beside this one: the scripts are skipped.
    const out = execFileSync(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
    );
    const [packed] = JSON.parse(out) as Array<{ filename: string }>;
    tarball = join(work, packed!.filename);
  });

  afterAll(() => {
    tmux?.kill();
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('packs only the bundle (not its source map), the README, the docs it links to and package.json', () => {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter((entry) => entry !== '');
    expect(entries).toContain('package/dist/cli.js');
    expect(entries).toContain('package/dist/main.js');
    // the program's source map is the bench's, not the installed program's
    expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([]);
    expect(entries).toContain('package/package.json');
    expect(entries).toContain('package/README.md');
    // The README links into docs/: an installed copy keeps those links working.
    expect(entries).toContain('package/docs/config.md');
    const extra = entries.filter(
      (entry) =>
        !entry.startsWith('package/dist/') &&
        !/^package\/docs\/[A-Za-z-]+\.md$/.test(entry) &&
        !['package/package.json', 'package/README.md', 'package/LICENSE'].includes(entry),
    );
    expect(extra).toEqual([]);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as { dependencies?: Record<string, string>; bin: Record<string, string> };
    // Everything is bundled into dist/: an install fetches nothing else.
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bin).toEqual({ 'smarm-top': 'dist/cli.js' });
  });

  it('installs globally offline, with no registry, and puts smarm-top on the PATH', () => {
    const result = spawnSync(
      'npm',
      ['install', '-g', tarball, '--prefix', prefix(), '--offline', '--no-audit', '--no-fund'],
      {
        cwd: work,
        encoding: 'utf8',
        timeout: 120_000,
        // An empty cache and a registry nobody answers at: anything fetched would fail the install.
        env: {
          ...process.env,
          npm_config_cache: join(work, 'npm-cache'),
          npm_config_registry: 'http://127.0.0.1:9/',
          npm_config_userconfig: join(work, 'npmrc'),
        },
      },
    );
    expect(result.status, `npm install -g failed: ${result.stderr}`).toBe(0);

    const modules = join(prefix(), 'lib', 'node_modules');
    expect(readdirSync(modules)).toEqual(['smarm-top']);
    expect(existsSync(join(modules, 'smarm-top', 'node_modules'))).toBe(false);
    expect(lstatSync(installed()).isSymbolicLink()).toBe(true);
    expect(realpathSync(installed())).toBe(join(modules, 'smarm-top', 'dist', 'cli.js'));
    expect(statSync(installed()).mode & 0o111).toBe(0o111);
    expect(readFileSync(installed(), 'utf8').split('\n')[0]).toBe('#!/bin/sh');

    // found through PATH and started by its shebang, from a folder with no node_modules around
    const version = spawnSync('smarm-top', ['--version'], {
      cwd: work,
      encoding: 'utf8',
      env: pathEnv(),
      timeout: 60_000,
    });
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(version.status).toBe(0);
  });

  it.skipIf(lab === null)('the installed smarm-top shows the lab swarm (--once)', () => {
    const names = labServices();
    const theirs = docker(lab!.dockerHost, 'service', 'ls', '--format', '{{.Name}}').split('\n');
    for (const name of names) expect(theirs).toContain(name);
    const once = spawnSync('smarm-top', ['--once', '--host', lab!.dockerHost], {
      cwd: work,
      encoding: 'utf8',
      env: pathEnv(),
      timeout: 60_000,
    });
    expect(once.stderr).toBe('');
    expect(once.status).toBe(0);
    expectServiceRows(once.stdout, names);
  });

  it.skipIf(lab === null)('the installed smarm-top runs full-screen and quits with q', async () => {
    tmux = TmuxSession.start([installed(), '--host', lab!.dockerHost], {
      env: { PATH: pathEnv().PATH },
    });
    const screen = await tmux.waitForText(/crashy/);
    for (const name of labServices()) expect(screen).toContain(name);
    tmux.send('q');
    await tmux.waitForText('[exited 0]');
  });

  it('a copy of just dist/ runs with a plain node from another folder', () => {
    const copy = join(work, 'copied', 'smarm-top');
    cpSync(join(root, 'dist'), copy, { recursive: true });
    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(copy, 'cli.js'), ...args], {
        cwd: work,
        encoding: 'utf8',
        env: pathEnv(),
        timeout: 60_000,
      });
    const version = run(['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(pkg.version);
    // executable by itself too (./cli.js after scp -r)
    expect(statSync(join(copy, 'cli.js')).mode & 0o111).toBe(0o111);
    if (lab !== null) {
      const once = run(['--once', '--host', lab.dockerHost]);
      expect(once.stderr).toBe('');
      expect(once.status).toBe(0);
      expectServiceRows(once.stdout, labServices());
    }
  });
});
