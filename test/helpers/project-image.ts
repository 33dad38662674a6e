// The project's image in the lab, offline: the base image is made from this machine's node
// (scripts/node-base-image.sh), the Dockerfile builds on the first manager (dist/ must be built:
// the lab project's global setup builds it), and `docker save | docker load` puts the image on
// every other node. No registry, no network. Used by the stats probe's e2e and the recorder's
// swarm-service test.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { docker } from './docker-cli.js';
import type { LabEnv } from './lab-env.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BASE = 'smarm-top/node-base:local';

/** The folder holding every lab node's folder: a node's socket is `<root>/<hostname>/docker.sock`. */
export function labRoot(lab: LabEnv): string {
  return path.dirname(path.dirname(lab.dockerHost.slice('unix://'.length)));
}

/** A lab node's own socket, as a unix:// URL. */
export function labSocketOf(lab: LabEnv, node: string): string {
  return `unix://${labRoot(lab)}/${node}/docker.sock`;
}

/** Builds `image` from the Dockerfile on the first manager and loads it on every node. */
export function buildProjectImage(lab: LabEnv, image: string): void {
  const host = lab.dockerHost;
  execFileSync('bash', ['scripts/node-base-image.sh', BASE], {
    cwd: root,
    env: { ...process.env, DOCKER_HOST: host, NODE: process.execPath },
    stdio: 'ignore',
    timeout: 120_000,
  });
  execFileSync('docker', ['build', '-q', '--build-arg', `BASE=${BASE}`, '-t', image, '.'], {
    cwd: root,
    env: { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '0' },
    stdio: 'ignore',
    timeout: 120_000,
  });
  for (const node of lab.nodes) {
    const socket = labSocketOf(lab, node);
    if (socket === host) continue;
    execFileSync(
      'bash',
      ['-c', 'docker -H "$1" save "$3" | docker -H "$2" load -q', 'load', host, socket, image],
      { stdio: 'ignore', timeout: 120_000 },
    );
  }
}

/** Removes `image` from every node (best effort: a node may never have had it). */
export function removeProjectImage(lab: LabEnv, image: string): void {
  for (const node of lab.nodes) {
    try {
      docker(labSocketOf(lab, node), 'rmi', '-f', image);
    } catch {
      // never loaded
    }
  }
}
