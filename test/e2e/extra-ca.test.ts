// NODE_EXTRA_CA_CERTS, run as a user runs smarm-top (dist/cli.js as the program, whose first line
// hands the setting over instead of letting node read it at start): an engine over TLS without a
// CA of its own is still verified against the CAs that file names, and the processes smarm-top
// starts see the variable as the user set it. The fake engine behind a TLS listener on loopback:
// no lab needed.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextDirName } from '../../source/docker/contexts.js';
import { startFakeEngine, type FakeEngine } from '../fake-engine/index.js';
import { CLI, type CliResult } from '../helpers/cli.js';

/** The docker settings of whoever runs the tests must not choose the engine. */
const NO_DOCKER_ENV = [
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS',
  'NODE_EXTRA_CA_CERTS',
  'SMARM_EXTRA_CA_CERTS',
];

describe('NODE_EXTRA_CA_CERTS, with smarm-top run as a program', () => {
  let dir: string;
  let engine: FakeEngine;
  let listener: tls.Server;
  let config: string;
  let caFile: string;
  let bin: string;

  /** dist/cli.js itself, as `smarm-top` on the PATH runs it (its first line picks node). */
  const runProgram = (args: string[], env: Record<string, string>): Promise<CliResult> => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const name of NO_DOCKER_ENV) delete base[name];
    const PATH = [bin, path.dirname(process.execPath), process.env['PATH'] ?? ''].join(':');
    return new Promise((resolve, reject) => {
      const child = spawn(CLI, args, { env: { ...base, PATH, ...env }, timeout: 60_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', reject);
      child.once('close', (status) => resolve({ status, stdout, stderr }));
    });
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-extra-ca-'));
    // A self-signed engine certificate for 127.0.0.1 (test/fixtures/tls, valid until 2126, made
    // with openssl req -x509 -newkey ec -addext subjectAltName=IP:127.0.0.1): trusted only
    // through the file.
    caFile = fileURLToPath(new URL('../fixtures/tls/engine-cert.pem', import.meta.url));
    const keyFile = fileURLToPath(new URL('../fixtures/tls/engine-key.pem', import.meta.url));
    const socketPath = path.join(dir, 'engine.sock');
    engine = await startFakeEngine({ socketPath, nodes: 3, services: 4, tasksPerService: 2 });
    listener = tls.createServer(
      { key: readFileSync(keyFile), cert: readFileSync(caFile) },
      (clear) => {
        const upstream = net.connect(socketPath);
        clear.pipe(upstream).pipe(clear);
        const end = (): void => {
          clear.destroy();
          upstream.destroy();
        };
        clear.once('error', end).once('close', end);
        upstream.once('error', end).once('close', end);
      },
    );
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as net.AddressInfo;
    // A docker CLI context over TLS whose TLS folder holds no ca.pem: the system's CAs verify it.
    config = path.join(dir, 'docker-config');
    const id = contextDirName('tls-no-ca');
    mkdirSync(path.join(config, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(
      path.join(config, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({
        Name: 'tls-no-ca',
        Metadata: {},
        Endpoints: { docker: { Host: `tcp://127.0.0.1:${port}`, SkipTLSVerify: false } },
      }),
    );
    mkdirSync(path.join(config, 'contexts', 'tls', id, 'docker'), { recursive: true });
    // An `ssh` that writes down what it was given and fails as ssh does.
    bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, 'ssh'),
      `#!/bin/sh\necho "NODE_EXTRA_CA_CERTS=\${NODE_EXTRA_CA_CERTS-unset} SMARM_EXTRA_CA_CERTS=\${SMARM_EXTRA_CA_CERTS-unset}" > "${path.join(dir, 'ssh-env')}"\necho "ssh: connect to host lab port 22: Connection refused" >&2\nexit 255\n`,
    );
    chmodSync(path.join(bin, 'ssh'), 0o755);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies an engine without a CA of its own against the CAs the file names', async () => {
    const result = await runProgram(['--once', '--json', '--context', 'tls-no-ca'], {
      DOCKER_CONFIG: config,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const snapshot = JSON.parse(result.stdout) as { nodes: unknown[]; services: unknown[] };
    expect(snapshot.nodes).toHaveLength(3);
    expect(snapshot.services).toHaveLength(4);
  });

  it('refuses that engine without the file: one sentence, exit code 1', async () => {
    const result = await runProgram(['--once', '--context', 'tls-no-ca'], {
      DOCKER_CONFIG: config,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^smarm-top: Cannot verify the TLS certificate of the Docker engine at tcp\+tls:\/\/127\.0\.0\.1:\d+/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('gives the processes it starts the variable as the user set it', async () => {
    const result = await runProgram(['--once', '--host', 'ssh://lab'], {
      DOCKER_CONFIG: config,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(result.status).not.toBe(0);
    expect(readFileSync(path.join(dir, 'ssh-env'), 'utf8').trim()).toBe(
      `NODE_EXTRA_CA_CERTS=${caFile} SMARM_EXTRA_CA_CERTS=unset`,
    );
  });
});
