// The Dockerfile (issue 7), built on the lab's first manager with no registry: the base image is
// made from this machine's node (scripts/node-base-image.sh), the build only copies dist/, and
// the image, run with the manager's socket mounted and no network, shows the swarm.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMAND_LINE_FLAGS, NODE_OPTIONS_FLAGS } from '../../scripts/node-flags.mjs';
import { describeWithLab } from '../helpers/describe-lab.js';
import { docker } from '../helpers/docker-cli.js';
import { LAB_ENV_FILE } from '../helpers/lab-env.js';
import { TmuxSession } from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BASE = 'smarm-top/node-base:local';

function labServices(): string[] {
  const line = /^LAB_SERVICES="?([^"\n]*)"?$/m.exec(readFileSync(LAB_ENV_FILE, 'utf8'));
  return (line?.[1] ?? '').split(/\s+/).filter((name) => name !== '');
}

describeWithLab('the Dockerfile, built offline on a lab manager', (lab) => {
  const host = lab.dockerHost;
  const socket = host.slice('unix://'.length);
  const image = `smarm-top:test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const env = { ...process.env, DOCKER_HOST: host };
  // the manager's socket where the image looks by default, and no network at all
  const isolation = ['--network', 'none', '-v', `${socket}:/var/run/docker.sock`];
  let tmux: TmuxSession | null = null;
  let buildOutput = '';

  beforeAll(() => {
    // the node running these tests goes into the image
    execFileSync('bash', ['scripts/node-base-image.sh', BASE], {
      cwd: root,
      env: { ...env, NODE: process.execPath },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    // The classic builder, as the lab's docker.io 20.10 engines have it: COPY needs no network.
    buildOutput = execFileSync(
      'docker',
      ['build', '--build-arg', `BASE=${BASE}`, '-t', image, '.'],
      {
        cwd: root,
        env: { ...env, DOCKER_BUILDKIT: '0' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      },
    );
  });

  afterAll(() => {
    tmux?.kill();
    for (const name of [image, BASE]) {
      try {
        docker(host, 'rmi', '-f', name);
      } catch {
        // never built
      }
    }
  });

  it('sends a small build context: .dockerignore keeps node_modules and the sources out', () => {
    // the classic builder's own report, e.g. "Sending build context to Docker daemon  1.688MB"
    const sent = /Sending build context to Docker daemon\s+([\d.]+)\s*([kMG]?B)/.exec(buildOutput);
    expect(sent, buildOutput).not.toBeNull();
    const factor = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[sent![2] as 'B' | 'kB' | 'MB' | 'GB'];
    // dist/ is about 2 MB; the project with node_modules is hundreds
    expect(Number(sent![1]) * factor).toBeLessThan(10e6);
  });

  it('holds node and the bundle only: no node_modules, the bundle is the entrypoint', () => {
    const config = JSON.parse(
      docker(host, 'image', 'inspect', '--format', '{{json .Config}}', image),
    ) as { Entrypoint: string[]; Env: string[] };
    // the flags cli.js's first lines pass: those node refuses in NODE_OPTIONS on its command line,
    // the others in NODE_OPTIONS, where the stats probe's service can set its own
    expect(config.Entrypoint).toEqual(['node', ...COMMAND_LINE_FLAGS, '/opt/smarm-top/cli.js']);
    expect(config.Env).toContain(`NODE_OPTIONS=${NODE_OPTIONS_FLAGS.join(' ')}`);
    expect(config.Env).toContain('TERM=xterm-256color');
    // no code cache in a container: written at every exit, never read
    expect(config.Env).toContain('SMARM_CODE_CACHE=off');

    // the image's whole filesystem, as docker export writes it
    const container = docker(host, 'create', image);
    let files: string[];
    try {
      files = execFileSync('bash', ['-c', 'docker export "$1" | tar -t', 'export', container], {
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      }).split('\n');
    } finally {
      docker(host, 'rm', container);
    }
    expect(files).toContain('opt/smarm-top/cli.js');
    expect(files).toContain('usr/local/bin/node');
    expect(files.filter((file) => file.includes('node_modules'))).toEqual([]);
    // .dockerignore: nothing from the project but dist/ (whatever files the build makes there,
    // but its source map) reached the image
    const dist = readdirSync(path.join(root, 'dist'), { recursive: true, withFileTypes: true }).map(
      (entry) => {
        const relative = path.relative(
          path.join(root, 'dist'),
          path.join(entry.parentPath, entry.name),
        );
        return `opt/smarm-top/${relative}${entry.isDirectory() ? '/' : ''}`;
      },
    );
    const project = files.filter((file) => file.startsWith('opt/smarm-top/'));
    expect(project.filter((file) => file !== 'opt/smarm-top/' && !dist.includes(file))).toEqual([]);
    // all of it but the source map, which only the bench reads
    const program = dist.filter((file) => !file.endsWith('.map'));
    expect(program.length).toBeLessThan(dist.length);
    expect(project).toEqual(expect.arrayContaining(program));
    expect(project.filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('shows the lab services with --once, the manager socket mounted and no network', () => {
    const names = labServices();
    const theirs = docker(host, 'service', 'ls', '--format', '{{.Name}}').split('\n');
    for (const name of names) expect(theirs).toContain(name);
    const out = execFileSync('docker', ['run', '--rm', ...isolation, image, '--once'], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(out).toMatch(new RegExp(`^${name} +\\d+/\\d+ `, 'm'));
  });

  it('runs full-screen with docker run -it and quits with q', async () => {
    tmux = TmuxSession.start(['docker', '-H', host, 'run', '--rm', '-it', ...isolation, image]);
    const screen = await tmux.waitForText(/crashy/);
    for (const name of labServices()) expect(screen).toContain(name);
    expect(screen).toMatch(/nodes \d+\/\d+/);
    tmux.send('q');
    await tmux.waitForText('[exited 0]');
  });
});
