// Start-up checks of the built CLI that need no lab: two fake engines of different swarms, and
// the ssh user, the config file and the TLS warning, which stop or warn before anything is drawn.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEngine, type FakeEngine } from '../fake-engine/index.js';
import { CLI, runCliAsync } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';

let dir: string;
let prod: FakeEngine;
let prod2: FakeEngine;
let staging: FakeEngine;

function setClusterId(engine: FakeEngine, id: string): void {
  // The recorded info is one object for every fake engine: each gets a copy of its own.
  const info = structuredClone(engine.cluster.infoTemplate);
  const swarm = (info['Swarm'] ?? {}) as { Cluster?: { ID?: string } };
  swarm.Cluster = { ...swarm.Cluster, ID: id };
  info['Swarm'] = swarm;
  (engine.cluster as { infoTemplate: Record<string, unknown> }).infoTemplate = info;
}

function configHome(text: string | null, fifo = false): string {
  const home = mkdtempSync(path.join(dir, 'xdg-'));
  mkdirSync(path.join(home, 'smarm-top'));
  const file = path.join(home, 'smarm-top', 'config.json');
  if (fifo) execFileSync('mkfifo', [file]);
  else if (text !== null) writeFileSync(file, text);
  return home;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'smarm-conn-start-'));
  const small = { nodes: 3, services: 2, tasksPerService: 1 };
  prod = await startFakeEngine({ ...small, socketPath: path.join(dir, 'prod.sock') });
  prod2 = await startFakeEngine({ ...small, socketPath: path.join(dir, 'prod2.sock') });
  staging = await startFakeEngine({ ...small, socketPath: path.join(dir, 'staging.sock') });
  setClusterId(prod, 'PRODCLUSTER');
  setClusterId(prod2, 'PRODCLUSTER');
  setClusterId(staging, 'STAGINGCLUSTER');
});

afterAll(async () => {
  await Promise.all([prod, prod2, staging].map((e) => e?.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI with only what these tests set: nothing of the caller's DOCKER_* or config. */
function run(args: string[], env: Record<string, string | undefined>) {
  return runCliAsync(args, { PATH: process.env['PATH'], HOME: dir, ...env });
}

const host = (engine: FakeEngine): string => `unix://${engine.socketPath}`;
const errLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '');

describe('start-up checks of the CLI', () => {
  it('refuses --host managers of two swarms with one sentence naming both, exit 2', async () => {
    const result = await run(['--host', host(prod), '--host', host(staging), '--once'], {
      XDG_CONFIG_HOME: configHome(null),
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(errLines(result.stderr)).toEqual([
      `smarm-top: --host ${host(prod)} and --host ${host(staging)} are managers of different swarms (cluster PRODCLUSTER and STAGINGCLUSTER); give managers of one swarm only.`,
    ]);
  });

  it('takes --host managers of one swarm', async () => {
    const result = await run(['--host', host(prod), '--host', host(prod2), '--once'], {
      XDG_CONFIG_HOME: configHome(null),
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([
    ['duplicate keys', '{"readOnly": true, "readOnly": false}', 'the key "readOnly" appears twice'],
    ['a FIFO', null, 'is not a regular file'],
    ['over 1 MB', `{}${' '.repeat(1024 * 1024)}`, 'over the limit of 1048576 (1 MB)'],
  ])('refuses a config file with %s before connecting, exit 2', async (_name, text, words) => {
    const result = await run(['--host', host(prod), '--once'], {
      XDG_CONFIG_HOME: configHome(text, text === null),
    });
    expect(result.status).toBe(2);
    const lines = errLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(words);
  });

  it('refuses an ssh user outside the safe characters, exit 2', async () => {
    const result = await run(['--host', 'ssh://%60id%60@mgr', '--once'], {
      XDG_CONFIG_HOME: configHome(null),
    });
    expect(result.status).toBe(2);
    expect(errLines(result.stderr)).toEqual([
      'smarm-top: The --host value "ssh://%60id%60@mgr" has the user name "`id`", which may hold only letters, digits, ".", "_" and "-" (not first); use ssh://[user@]host[:port], e.g. ssh://admin@manager-1.',
    ]);
  });

  it('names the config "endpoints" entries that match no endpoint in use', async () => {
    const config = JSON.stringify({
      endpoints: { [host(prod)]: { readOnly: true }, 'tcp://prdo-mgr': { readOnly: true } },
    });
    const result = await run(['--host', host(prod), '--once'], {
      XDG_CONFIG_HOME: configHome(config),
    });
    expect(result.status).toBe(0);
    expect(errLines(result.stderr)).toEqual([
      'smarm-top: note: the config file\'s "endpoints" entry "tcp://prdo-mgr" names no endpoint in use.',
    ]);
  });

  it('repeats the unmatched-entries note on the first status line of the full screen', async () => {
    const config = JSON.stringify({ endpoints: { 'tcp://prdo-mgr': { readOnly: true } } });
    const t = TmuxSession.start([process.execPath, CLI, '--host', host(prod)], {
      columns: 200,
      rows: 30,
      env: { XDG_CONFIG_HOME: configHome(config), HOME: dir },
    });
    try {
      // stderr is hidden by the full screen: without this the note would never be seen
      await t.waitForText(
        'Note: the config file\'s "endpoints" entry "tcp://prdo-mgr" names no endpoint in use.',
      );
    } finally {
      t.kill();
    }
  });

  it('warns when DOCKER_CERT_PATH holds certificates while TLS is off', async () => {
    const certs = mkdtempSync(path.join(dir, 'certs-'));
    for (const name of ['ca.pem', 'cert.pem', 'key.pem'])
      writeFileSync(path.join(certs, name), 'x');
    // Nothing listens there: the warning comes before the connection error.
    const result = await run(['--once'], {
      XDG_CONFIG_HOME: configHome(null),
      DOCKER_HOST: 'tcp://127.0.0.1:1',
      DOCKER_CERT_PATH: certs,
      DOCKER_TLS_VERIFY: undefined,
    });
    expect(errLines(result.stderr)[0]).toBe(
      `smarm-top: warning: DOCKER_CERT_PATH (${certs}) holds ca.pem, cert.pem, key.pem, but DOCKER_TLS_VERIFY is not set, so tcp://127.0.0.1:1 is spoken in plain HTTP without TLS; set DOCKER_TLS_VERIFY=1 to use TLS.`,
    );
  });
});
