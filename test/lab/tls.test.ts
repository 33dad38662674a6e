// smarm-top reaches the lab's TLS listener (manager-1 at LAB_TLS_HOST, verified both ways) the
// way the docker CLI does: DOCKER_TLS_VERIFY + DOCKER_CERT_PATH, or a docker CLI context holding
// the TLS files. It refuses an engine whose certificate its CA did not sign, and names a missing
// TLS file. The docker CLI is the witness that the context written here is a real one.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contextDirName } from '../../source/docker/contexts.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { LAB_ENV_FILE } from '../helpers/lab-env.js';

const lab = inject('lab');

interface LabTls {
  /** tcp://127.0.0.1:PORT */
  host: string;
  /** ca.pem, cert.pem and key.pem of the lab's client certificate. */
  certPath: string;
}

/**
 * LAB_TLS_HOST and LAB_TLS_CERT_PATH from the lab's env file; from the environment only when the
 * file has none (a TLS listener of one's own in front of the lab).
 */
function labTls(): LabTls | null {
  let text = '';
  try {
    text = readFileSync(LAB_ENV_FILE, 'utf8');
  } catch {
    // no env file: the lab-setup already decided whether the lab tests run
  }
  const value = (key: string): string | undefined =>
    new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1]?.trim() || process.env[key] || undefined;
  const host = value('LAB_TLS_HOST');
  const certPath = value('LAB_TLS_CERT_PATH');
  return host === undefined || certPath === undefined ? null : { host, certPath };
}

const tls = lab === null ? null : labTls();

if (lab !== null && tls === null) {
  const why = `the lab in ${LAB_ENV_FILE} has no LAB_TLS_HOST / LAB_TLS_CERT_PATH (it was started before its TLS listener existed); restart it with npm run lab -- up`;
  if (process.env['SMARM_LAB_REQUIRED'] === '1') {
    describe('the lab TLS listener', () => {
      it('is there', () => {
        throw new Error(why);
      });
    });
  } else {
    console.warn(`\n[lab] TLS TESTS SKIPPED: ${why}\n`);
  }
}

/** The docker settings of whoever runs the tests must not choose the engine. */
const NO_DOCKER_ENV = {
  DOCKER_HOST: undefined,
  DOCKER_CONTEXT: undefined,
  DOCKER_TLS_VERIFY: undefined,
  DOCKER_CERT_PATH: undefined,
  DOCKER_TLS: undefined,
} as const;

interface JsonSnapshot {
  nodes: Array<{ hostname: string }>;
}

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe', timeout: 30_000 });
}

describe.skipIf(lab === null || tls === null)('TLS against the lab swarm', () => {
  const { host, certPath } = tls ?? { host: '', certPath: '' };
  let work: string;
  /** An empty docker CLI config folder: no contexts, no currentContext. */
  let emptyConfig: string;

  const run = (args: string[], env: Record<string, string | undefined>): CliResult =>
    runCli(args, { ...NO_DOCKER_ENV, DOCKER_CONFIG: emptyConfig, ...env });

  const expectLabNodes = (result: CliResult): void => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const nodes = (JSON.parse(result.stdout) as JsonSnapshot).nodes.map((n) => n.hostname);
    expect(nodes.sort()).toEqual([...lab!.nodes].sort());
  };

  const expectOneSentence = (result: CliResult, status: number): string => {
    expect(result.status).toBe(status);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    return result.stderr.trim();
  };

  /** A folder holding the lab client's files, with some left out or replaced. */
  const certFolder = (name: string, files: string[]): string => {
    const dir = path.join(work, name);
    mkdirSync(dir, { recursive: true });
    for (const file of files) copyFileSync(path.join(certPath, file), path.join(dir, file));
    return dir;
  };

  /** A docker CLI config folder with one context, laid out as `docker context create` does. */
  const contextConfig = (name: string, endpoint: object, current = false): string => {
    const dir = path.join(work, `config-${name}`);
    const id = contextDirName(name);
    mkdirSync(path.join(dir, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(
      path.join(dir, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: endpoint } }),
    );
    const tlsDir = path.join(dir, 'contexts', 'tls', id, 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) {
      copyFileSync(path.join(certPath, file), path.join(tlsDir, file));
    }
    if (current)
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ currentContext: name }));
    return dir;
  };

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'smarm-lab-tls-'));
    emptyConfig = path.join(work, 'empty-config');
    mkdirSync(emptyConfig);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lists the lab nodes with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH', () => {
    expectLabNodes(
      run(['--once', '--json'], {
        DOCKER_HOST: host,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: certPath,
      }),
    );
  });

  it('says the engine speaks TLS when asked in plain HTTP: one sentence, exit code 1', () => {
    const message = expectOneSentence(run(['--once', '--json'], { DOCKER_HOST: host }), 1);
    expect(message).toMatch(/speaks TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH/);
  });

  it('refuses the engine when another CA is trusted: one sentence, exit code 1', () => {
    // The lab's client certificate, but a CA that did not sign the engine's certificate.
    const dir = certFolder('other-ca', ['cert.pem', 'key.pem']);
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      path.join(dir, 'other-ca-key.pem'),
      '-out',
      path.join(dir, 'ca.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=not the lab CA',
    );
    const message = expectOneSentence(
      run(['--once', '--host', host], { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir }),
      1,
    );
    expect(message).toMatch(
      /^smarm-top: Cannot verify the TLS certificate of the Docker engine at /,
    );
    // a TLS endpoint is named tcp+tls:// (the header and messages tell it from plain HTTP)
    expect(message).toContain(host.replace(/^tcp:\/\//, 'tcp+tls://'));
  });

  it('names a TLS file missing from DOCKER_CERT_PATH: one sentence, exit code 2', () => {
    const dir = certFolder('no-key', ['ca.pem', 'cert.pem']);
    const message = expectOneSentence(
      run(['--once', '--host', host], { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir }),
      2,
    );
    expect(message).toBe(
      `smarm-top: DOCKER_TLS_VERIFY is set but the TLS file ${path.join(dir, 'key.pem')} does not exist; put ca.pem, cert.pem and key.pem there or point DOCKER_CERT_PATH at their folder.`,
    );
  });

  it('lists the lab nodes through a docker CLI context with TLS files, by --context and as the current context', () => {
    const config = contextConfig('lab-tls', { Host: host, SkipTLSVerify: false }, true);
    // The docker CLI takes the context written here as its own.
    const dockerEnv: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: config };
    for (const key of Object.keys(NO_DOCKER_ENV)) delete dockerEnv[key];
    const witness = execFileSync('docker', ['node', 'ls', '--format', '{{.Hostname}}'], {
      env: dockerEnv,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(witness.trim().split('\n').sort()).toEqual([...lab!.nodes].sort());

    expectLabNodes(run(['--once', '--json', '--context', 'lab-tls'], { DOCKER_CONFIG: config }));
    expectLabNodes(run(['--once', '--json'], { DOCKER_CONFIG: config }));
  });

  it('refuses a context that would skip verifying the engine: one sentence, exit code 2', () => {
    const config = contextConfig('lab-skip', { Host: host, SkipTLSVerify: true });
    const message = expectOneSentence(
      run(['--once', '--context', 'lab-skip'], { DOCKER_CONFIG: config }),
      2,
    );
    expect(message).toMatch(/never turns off verification of the engine's certificate/);
  });
});
