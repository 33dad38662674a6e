// Bad input, clear answers: the built CLI, given a wrong flag, endpoint, certificate folder,
// socket or engine, says ONE sentence on stderr ("smarm-top: …", one line, no stack trace),
// exits 2 for usage errors and 1 for runtime and connection errors, and sends the engine nothing:
// no request at all for a usage error, no mutating request for any row.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionError } from '../source/docker/errors.js';
import {
  MIN_API_VERSION,
  checkApiVersion,
  compareApiVersions,
  preflightEngine,
  startCheck,
} from '../source/docker/preflight.js';
import type { EngineInfo, EngineVersion } from '../source/model.js';
import { FakeCluster } from './fake-engine/cluster.js';
import { FakeEngineServer, type ServerOptions } from './fake-engine/server.js';
import { runCliAsync, type CliResult } from './helpers/cli.js';
import { MANAGER_INFO } from './helpers/fake-api.js';

// ---- the world the rows run in ----

// 0755 so that the unprivileged user of the permission row can reach the files in it.
const root = mkdtempSync(path.join(tmpdir(), 'smarm-bad-'));
chmodSync(root, 0o755);
const home = path.join(root, 'home');
const emptyCerts = path.join(root, 'certs');
const contextHome = path.join(root, 'context-home');
const missingSocket = path.join(root, 'missing.sock');
const staleSocket = path.join(root, 'stale.sock');
const lockedSocket = path.join(root, 'locked.sock');
const sockets = {
  manager: path.join(root, 'manager.sock'),
  worker: path.join(root, 'worker.sock'),
  inactive: path.join(root, 'inactive.sock'),
  old: path.join(root, 'old.sock'),
} as const;
type EngineName = keyof typeof sockets;

const OLD_API = '1.24';
const OLD_DOCKER = '1.12.6';

const engineOptions: Record<EngineName, Partial<ServerOptions>> = {
  manager: {},
  worker: { swarm: 'worker' },
  inactive: { swarm: 'inactive' },
  old: { apiVersion: OLD_API, engineVersion: OLD_DOCKER },
};

const engines = new Map<EngineName, { cluster: FakeCluster; server: FakeEngineServer }>();

/** A listener that only counts who connects: what must not be reached at all. */
class CountingListener {
  connections = 0;
  readonly server = net.createServer((socket) => {
    this.connections += 1;
    socket.destroy();
  });

  listen(where: string | { host: string; port: number }): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      const done = (): void => resolve();
      if (typeof where === 'string') this.server.listen(where, done);
      else this.server.listen(where.port, where.host, done);
    });
  }

  port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const locked = new CountingListener();
const tlsListener = new CountingListener();
let closedPort = 0;

const asRoot = process.getuid?.() === 0;

beforeAll(async () => {
  mkdirSync(home);
  mkdirSync(emptyCerts);
  for (const name of Object.keys(sockets) as EngineName[]) {
    const cluster = new FakeCluster({
      nodes: 5,
      services: 3,
      tasksPerService: 1,
      historyPerTask: 0,
      seed: 6,
    });
    const server = new FakeEngineServer(cluster, {
      socketPath: sockets[name],
      logIntervalMs: 1000,
      logBacklogLines: 0,
      ...engineOptions[name],
    });
    await server.listen();
    engines.set(name, { cluster, server });
  }

  // Permission denied: a listening socket the CLI's user may not open. Root may open anything,
  // so as root the CLI runs as nobody against a root-owned 0600 socket; otherwise mode 000.
  await locked.listen(lockedSocket);
  chmodSync(lockedSocket, asRoot ? 0o600 : 0o000);

  // A stale socket: the file of a server that died without removing it (close() would).
  spawnSync(process.execPath, [
    '-e',
    "require('net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))",
    staleSocket,
  ]);

  // A TCP port nothing listens on, and one that must never be reached.
  const probe = new CountingListener();
  await probe.listen({ host: '127.0.0.1', port: 0 });
  closedPort = probe.port();
  await probe.close();
  await tlsListener.listen({ host: '127.0.0.1', port: 0 });

  // A Docker CLI configuration whose current context is the manager: a CLI that ignored an
  // unknown --context or DOCKER_CONTEXT and fell back to it would be seen asking.
  const dockerConfig = path.join(contextHome, '.docker');
  const meta = path.join(
    dockerConfig,
    'contexts',
    'meta',
    createHash('sha256').update('fake').digest('hex'),
  );
  mkdirSync(meta, { recursive: true });
  writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ currentContext: 'fake' }));
  writeFileSync(
    path.join(meta, 'meta.json'),
    JSON.stringify({
      Name: 'fake',
      Metadata: {},
      Endpoints: { docker: { Host: `unix://${sockets.manager}`, SkipTLSVerify: false } },
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const { cluster, server } of engines.values()) {
    cluster.stop();
    await server.close();
  }
  await locked.close();
  await tlsListener.close();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  for (const { server } of engines.values()) server.resetStats();
  locked.connections = 0;
  tlsListener.connections = 0;
});

// ---- running the CLI ----

type Env = Record<string, string | undefined>;

/** The parent's environment without anything that chooses or configures an engine. */
function cleanEnv(overrides: Env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('DOCKER_') && key !== 'NO_COLOR') env[key] = value;
  }
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_STATE_HOME: path.join(home, '.state'),
    DOCKER_CONFIG: path.join(home, '.docker'),
  });
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** The built CLI with pipes (no terminal), in an environment that names no engine of its own. */
function run(args: string[], env: Env, options: { asNobody?: boolean } = {}): Promise<CliResult> {
  return runCliAsync(args, cleanEnv(env), options);
}

function requestsTo(name: EngineName): Record<string, number> {
  const byPath = engines.get(name)!.server.stats().byPath;
  return Object.fromEntries(Object.entries(byPath).map(([key, value]) => [key, value.requests]));
}

function expectOneSentence(result: CliResult, exit: number, sentence: string | RegExp): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/\w*Error:/);
  expect(result.stderr).toMatch(/^smarm-top: [^\n]+\n$/);
  if (typeof sentence === 'string') expect(result.stderr).toBe(`smarm-top: ${sentence}\n`);
  else expect(result.stderr).toMatch(sentence);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(exit);
}

// ---- the table ----

/** What the row's engine or listener must have seen. */
type Watch =
  | { engine: EngineName; saw: 'nothing' | 'reads only' }
  | { listener: 'locked' | 'tls'; saw: 'nothing' }
  | null;

interface Row {
  /** The input, as a user would type it. */
  input: string;
  args: string[];
  env?: () => Env;
  exit: 1 | 2;
  says: () => string | RegExp;
  watch: Watch;
  asNobody?: boolean;
}

const atManager = (): Env => ({ DOCKER_HOST: `unix://${sockets.manager}` });
const usage = (input: string, args: string[], says: string): Row => ({
  input,
  args,
  env: atManager,
  exit: 2,
  says: () => says,
  watch: { engine: 'manager', saw: 'nothing' },
});
/** A sentence that starts so: for messages whose advice may grow (e.g. more endpoint kinds). */
const begins = (text: string): RegExp =>
  new RegExp(`^smarm-top: ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
const badHost = (value: string, says: string | RegExp): Row => ({
  input: `DOCKER_HOST=${value} smarm-top --once`,
  args: ['--once'],
  env: () => ({ DOCKER_HOST: value }),
  exit: 2,
  says: () => says,
  // Nothing to count at an address that does not parse: exit 2 comes before any connection.
  watch: null,
});
const refused = (engine: EngineName, what: string, says: () => string): Row => ({
  input: `${what}: smarm-top --once`,
  args: ['--once'],
  env: () => ({ DOCKER_HOST: `unix://${sockets[engine]}` }),
  exit: 1,
  says,
  watch: { engine, saw: 'reads only' },
});

const TCP_EXAMPLE = 'use tcp://host:port, e.g. tcp://127.0.0.1:2375';

const rows: Row[] = [
  usage(
    'smarm-top --bogus',
    ['--bogus'],
    'Unknown option --bogus; run smarm-top --help for the options.',
  ),
  ...['abc', '0', '-1'].map((value) =>
    usage(
      `smarm-top --refresh ${value}`,
      ['--refresh', value],
      `--refresh must be a number of seconds between 0.5 and 3600, not "${value}".`,
    ),
  ),
  usage("smarm-top --audit-log ''", ['--audit-log', ''], '--audit-log needs a file path.'),
  usage('smarm-top --json', ['--json'], '--json only goes with --once.'),
  usage(
    'smarm-top stray',
    ['stray'],
    'Unexpected argument "stray"; smarm-top takes options only (see --help).',
  ),
  usage(
    'smarm-top (no terminal)',
    [],
    'the interactive view needs a terminal; for a snapshot in a pipe or script use --once (add --json for JSON).',
  ),
  badHost('tcp://', `DOCKER_HOST="tcp://" names no host; ${TCP_EXAMPLE}.`),
  badHost('foo', begins('DOCKER_HOST="foo" is not a Docker endpoint URL; use unix:///')),
  badHost(
    'tcp://h:99999',
    `DOCKER_HOST="tcp://h:99999" is not a valid address (check the host and port); ${TCP_EXAMPLE}.`,
  ),
  badHost('unix', begins('DOCKER_HOST="unix" is not a Docker endpoint URL; use unix:///')),
  usage(
    'smarm-top --once --host tcp://h:99999 (DOCKER_HOST set)',
    ['--once', '--host', 'tcp://h:99999'],
    `The --host value "tcp://h:99999" is not a valid address (check the host and port); ${TCP_EXAMPLE}.`,
  ),
  // The docker CLI's configuration has a current context (the manager): not falling back to it
  // is checked by the manager seeing nothing.
  ...(['--context', 'DOCKER_CONTEXT'] as const).map((setting): Row => ({
    input:
      setting === '--context'
        ? 'smarm-top --once --context nope'
        : 'DOCKER_CONTEXT=nope smarm-top --once',
    args: setting === '--context' ? ['--once', '--context', 'nope'] : ['--once'],
    env: () => ({
      HOME: contextHome,
      DOCKER_CONFIG: path.join(contextHome, '.docker'),
      ...(setting === 'DOCKER_CONTEXT' ? { DOCKER_CONTEXT: 'nope' } : {}),
    }),
    exit: 2,
    says: () =>
      begins(`Context "nope" (from ${setting}) was not found among the docker CLI contexts`),
    watch: { engine: 'manager', saw: 'nothing' },
  })),
  {
    input: 'DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=<empty folder> smarm-top --once',
    args: ['--once'],
    env: () => ({
      DOCKER_HOST: `tcp://127.0.0.1:${tlsListener.port()}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: emptyCerts,
    }),
    exit: 2,
    says: () =>
      `DOCKER_TLS_VERIFY is set but the TLS file ${path.join(emptyCerts, 'ca.pem')} does not exist; put ca.pem, cert.pem and key.pem there or point DOCKER_CERT_PATH at their folder.`,
    watch: { listener: 'tls', saw: 'nothing' },
  },
  {
    input: 'a socket without permission: smarm-top --once (unprivileged user)',
    args: ['--once'],
    env: () => ({ DOCKER_HOST: `unix://${lockedSocket}` }),
    asNobody: true,
    exit: 1,
    says: () =>
      `Cannot connect to the Docker engine at unix://${lockedSocket}: permission denied; run smarm-top with sudo or add your user to the docker group.`,
    watch: { listener: 'locked', saw: 'nothing' },
  },
  {
    input: 'a socket that does not exist: smarm-top --once',
    args: ['--once'],
    env: () => ({ DOCKER_HOST: `unix://${missingSocket}` }),
    exit: 1,
    says: () =>
      `Cannot connect to the Docker engine at unix://${missingSocket}: no such socket. Is dockerd running?`,
    watch: null,
  },
  {
    input: 'a stale socket file, no listener: smarm-top --once',
    args: ['--once'],
    env: () => ({ DOCKER_HOST: `unix://${staleSocket}` }),
    exit: 1,
    says: () =>
      `Cannot connect to the Docker engine: nothing is listening at unix://${staleSocket}. Is dockerd running?`,
    watch: null,
  },
  {
    input: 'tcp://127.0.0.1:<closed port>: smarm-top --once',
    args: ['--once'],
    env: () => ({ DOCKER_HOST: `tcp://127.0.0.1:${closedPort}` }),
    exit: 1,
    says: () =>
      `Cannot connect to the Docker engine: nothing is listening at tcp://127.0.0.1:${closedPort}. Is dockerd running?`,
    watch: null,
  },
  refused(
    'worker',
    'a swarm worker',
    () =>
      `The Docker engine at unix://${sockets.worker} is a swarm worker, and smarm-top needs a manager: run it on a manager (swarm addresses 10.0.0.2:2377, 10.0.0.3:2377, 10.0.0.4:2377) or point --host at a manager's Docker endpoint.`,
  ),
  refused(
    'inactive',
    'an engine not in a swarm',
    () =>
      `The Docker engine at unix://${sockets.inactive} is not part of a swarm. Run \`docker swarm init\` to create one, or point smarm-top at a manager with --host.`,
  ),
  refused(
    'old',
    `Docker ${OLD_DOCKER} (API ${OLD_API})`,
    () =>
      `The Docker engine at unix://${sockets.old} speaks API ${OLD_API} (Docker ${OLD_DOCKER}); smarm-top needs API 1.41 (Docker 20.10) or newer.`,
  ),
];

function checkWatch(watch: Watch): void {
  if (watch === null) return;
  if ('listener' in watch) {
    expect((watch.listener === 'locked' ? locked : tlsListener).connections).toBe(0);
    return;
  }
  const requests = requestsTo(watch.engine);
  if (watch.saw === 'nothing') {
    expect(requests).toEqual({});
  } else {
    expect(Object.keys(requests).filter((key) => !key.startsWith('GET '))).toEqual([]);
    // The preflight asked both of its questions.
    expect(requests).toMatchObject({ 'GET /info': 1, 'GET /version': 1 });
  }
}

describe('bad input, clear answers', () => {
  // Titled by hand: vitest shortens $-interpolated strings to 40 characters.
  it.each(rows.map((row) => [`${row.input} → exit ${row.exit}`, row] as const))(
    '%s',
    async (_title, row) => {
      const result = await run(row.args, row.env?.() ?? {}, { asNobody: row.asNobody });
      expectOneSentence(result, row.exit, row.says());
      checkWatch(row.watch);
    },
  );

  it('--once in a pipe works: a snapshot on stdout, nothing on stderr, exit 0', async () => {
    const result = await run(['--once'], atManager());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^NODES/m);
    expect(result.stdout).toMatch(/^SERVICES/m);
    const requests = requestsTo('manager');
    expect(Object.keys(requests).filter((key) => !key.startsWith('GET '))).toEqual([]);
    // A manager that answers the lists and names a new enough API in its ping is asked nothing
    // more: /info and /version are the refusals' questions (startCheck).
    expect(requests).toMatchObject({ 'GET /_ping': 1 });
    expect(Object.keys(requests)).not.toContain('GET /info');
    expect(Object.keys(requests)).not.toContain('GET /version');
  });
});

// ---- the preflight's API version check ----

describe('compareApiVersions', () => {
  it.each<[string, string, '<' | '=' | '>']>([
    ['1.9', '1.41', '<'],
    ['1.24', '1.41', '<'],
    ['1.40', '1.41', '<'],
    ['1.41', '1.41', '='],
    ['1.41.0', '1.41', '='],
    ['1.43', '1.41', '>'],
    ['1.100', '1.41', '>'],
    ['2.0', '1.41', '>'],
  ])('%s %s %s', (a, b, expected) => {
    const sign = Math.sign(compareApiVersions(a, b)!);
    expect(sign).toBe({ '<': -1, '=': 0, '>': 1 }[expected]);
  });

  it.each(['', 'v1.41', '1.41-beta', 'latest', '1..41'])('"%s" is not a version', (value) => {
    expect(compareApiVersions(value, MIN_API_VERSION)).toBeNull();
  });
});

describe('checkApiVersion', () => {
  const at = 'unix:///var/run/docker.sock';
  it('passes the minimum and anything newer', () => {
    expect(checkApiVersion({ version: '20.10.24', apiVersion: '1.41' }, at)).toBeNull();
    expect(checkApiVersion({ version: '28.0.1', apiVersion: '1.48' }, at)).toBeNull();
  });

  it('lets an engine through that does not say (no /version, or no ApiVersion in it)', () => {
    expect(checkApiVersion(null, at)).toBeNull();
    expect(checkApiVersion({ version: '', apiVersion: '' }, at)).toBeNull();
  });

  it('names what the engine speaks and what is needed', () => {
    expect(checkApiVersion({ version: '19.03.15', apiVersion: '1.40' }, at)).toBe(
      'The Docker engine at unix:///var/run/docker.sock speaks API 1.40 (Docker 19.03.15); smarm-top needs API 1.41 (Docker 20.10) or newer.',
    );
    expect(checkApiVersion({ version: '', apiVersion: '1.9' }, at)).toBe(
      'The Docker engine at unix:///var/run/docker.sock speaks API 1.9; smarm-top needs API 1.41 (Docker 20.10) or newer.',
    );
  });
});

const manager = MANAGER_INFO;

describe('preflightEngine', () => {
  function deferred<T>() {
    let resolve!: (value: T) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<T>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  }

  function api() {
    const info = deferred<EngineInfo>();
    const version = deferred<EngineVersion>();
    const asked: string[] = [];
    return {
      info,
      version,
      asked,
      reads: {
        endpoint: 'unix:///e.sock',
        info: () => {
          asked.push('info');
          return info.promise;
        },
        version: () => {
          asked.push('version');
          return version.promise;
        },
      },
    };
  }

  it('asks /info and /version at once, before either answers', async () => {
    const engine = api();
    const done = preflightEngine(engine.reads);
    expect(engine.asked.sort()).toEqual(['info', 'version']);
    engine.version.resolve({ version: '20.10.24', apiVersion: '1.41' });
    engine.info.resolve(manager);
    await expect(done).resolves.toEqual(manager);
  });

  it('refuses an old engine with exit code 1, before its swarm state', async () => {
    const engine = api();
    const done = preflightEngine(engine.reads);
    engine.version.resolve({ version: '1.12.6', apiVersion: '1.24' });
    engine.info.resolve({ ...manager, localNodeState: 'inactive', controlAvailable: false });
    await expect(done).rejects.toMatchObject({
      exitCode: 1,
      message:
        'The Docker engine at unix:///e.sock speaks API 1.24 (Docker 1.12.6); smarm-top needs API 1.41 (Docker 20.10) or newer.',
    });
  });

  it('is not stopped by an engine that refuses /version with an HTTP error', async () => {
    const engine = api();
    const done = preflightEngine(engine.reads);
    engine.version.reject(new ConnectionError('forbidden', { statusCode: 403 }));
    engine.info.resolve(manager);
    await expect(done).resolves.toEqual(manager);
  });

  it('fails with the connection error when /version cannot be asked', async () => {
    const engine = api();
    const done = preflightEngine(engine.reads);
    const refused = new ConnectionError('nothing is listening', { statusCode: null });
    engine.version.reject(refused);
    engine.info.resolve(manager);
    await expect(done).rejects.toBe(refused);
  });
});

describe('startCheck: the ping beside the first lists, the preflight only when they fail', () => {
  function engine(ping: () => Promise<string>) {
    const asked: string[] = [];
    return {
      asked,
      reads: {
        endpoint: 'unix:///e.sock',
        ping: () => {
          asked.push('ping');
          return ping();
        },
        info: () => {
          asked.push('info');
          return Promise.resolve({
            ...manager,
            localNodeState: 'inactive',
            controlAvailable: false,
          });
        },
        version: () => {
          asked.push('version');
          return Promise.resolve({ version: '1.12.6', apiVersion: '1.24' });
        },
      },
    };
  }
  const OLD =
    'The Docker engine at unix:///e.sock speaks API 1.24 (Docker 1.12.6); smarm-top needs API 1.41 (Docker 20.10) or newer.';

  it('asks nothing more when the lists came and the ping names API 1.41 or newer', async () => {
    for (const version of ['1.41', '1.45', '2.0']) {
      const e = engine(() => Promise.resolve(version));
      await expect(startCheck(e.reads, Promise.resolve([]))).resolves.toBeUndefined();
      expect(e.asked).toEqual(['ping']);
    }
  });

  it('asks the preflight when a list failed, and says what it finds', async () => {
    const e = engine(() => Promise.resolve('1.41'));
    await expect(startCheck(e.reads, Promise.reject(new Error('503')))).rejects.toMatchObject({
      exitCode: 1,
      message: OLD,
    });
    expect(e.asked.sort()).toEqual(['info', 'ping', 'version']);
  });

  it('asks the preflight when the ping names an older API, or none, or fails', async () => {
    for (const ping of [
      () => Promise.resolve('1.40'),
      () => Promise.resolve(''),
      () => Promise.reject(new ConnectionError('forbidden', { statusCode: 403 })),
    ]) {
      const e = engine(ping);
      await expect(startCheck(e.reads, Promise.resolve([]))).rejects.toMatchObject({
        message: OLD,
      });
      expect(e.asked).toContain('version');
    }
  });

  it('waits for the lists as long as it is told (--once waits for its whole snapshot)', async () => {
    const e = engine(() => Promise.resolve('1.41'));
    const late = new Promise((resolve) => setTimeout(() => resolve([]), 50));
    await expect(startCheck(e.reads, late, 5000)).resolves.toBeUndefined();
    expect(e.asked).toEqual(['ping']);
  });

  it('asks the preflight when the lists are slow, without waiting for them', async () => {
    const e = engine(() => Promise.resolve('1.41'));
    const never = new Promise<never>(() => undefined);
    await expect(startCheck(e.reads, never, 10)).rejects.toMatchObject({ message: OLD });
    expect(e.asked).toContain('info');
  });

  it("passes when the preflight finds an active manager: the lists' own error is the caller's", async () => {
    const e = engine(() => Promise.resolve('1.41'));
    e.reads.info = () => Promise.resolve(manager);
    e.reads.version = () => Promise.resolve({ version: '20.10.24', apiVersion: '1.41' });
    await expect(
      startCheck(e.reads, Promise.reject(new Error('no leader'))),
    ).resolves.toBeUndefined();
  });
});
