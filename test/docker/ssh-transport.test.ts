import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { ConnectionError, describeEngineError } from '../../source/docker/errors.js';
import {
  REMOTE_COMMAND,
  SshAgent,
  SshTransportError,
  describeSshExit,
  explainingLine,
  retrySshNow,
  setRetryKeyLabel,
  sshArgs,
  sshBackoffSeconds,
  type SshTarget,
} from '../../source/docker/ssh-transport.js';
import { CLI } from '../helpers/cli.js';
import { startFakeEngine } from '../fake-engine/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { isAlive } from '../helpers/processes.js';

const TARGET: SshTarget = { user: 'admin', host: 'manager-1', port: 2222 };
const LABEL = 'ssh://admin@manager-1:2222';

describe('sshArgs', () => {
  it('runs docker system dial-stdio as the docker CLI does, never prompting', () => {
    expect(sshArgs(TARGET)).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=30',
      '-T',
      '-l',
      'admin',
      '-p',
      '2222',
      '--',
      'manager-1',
      'docker system dial-stdio',
    ]);
  });

  it("leaves user and port to ssh's config when the URL has none", () => {
    const args = sshArgs({ user: null, host: 'manager-1', port: null });
    expect(args).not.toContain('-l');
    expect(args).not.toContain('-p');
    expect(args.slice(-3)).toEqual(['--', 'manager-1', REMOTE_COMMAND]);
  });

  it('never lets a host be read as an option', () => {
    const args = sshArgs({ user: null, host: '-oProxyCommand=touch /tmp/x', port: null });
    expect(args.indexOf('--')).toBe(args.indexOf('-oProxyCommand=touch /tmp/x') - 1);
  });
});

describe('explainingLine', () => {
  it('takes the last line that is not a warning', () => {
    expect(
      explainingLine(
        "Warning: Permanently added '[h]:22' (ED25519) to the list of known hosts.\r\nroot@h: Permission denied (publickey).\r\n",
      ),
    ).toBe('root@h: Permission denied (publickey).');
    expect(
      explainingLine("docker: unknown command\n\nRun 'docker --help' for more information\n"),
    ).toBe('docker: unknown command');
    expect(explainingLine('')).toBe('');
  });
});

// stderr as OpenSSH 9.2 and the docker CLI print it (recorded against a real sshd).
const CHANGED = [
  '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
  '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
  '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
  'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
  'Host key for [manager-1]:2222 has changed and you have requested strict checking.',
  'Host key verification failed.',
  '',
].join('\r\n');

describe('describeSshExit', () => {
  it.each<[string, string, number | null, RegExp]>([
    [
      'unknown host key',
      'Host key verification failed.\r\n',
      255,
      /could not verify the host key of manager-1 port 2222 .*connect once with ssh -p 2222 admin@manager-1/,
    ],
    [
      'changed host key',
      CHANGED,
      255,
      /host key of manager-1 port 2222 is not the one in known_hosts.*ssh-keygen -R "\[manager-1\]:2222"/,
    ],
    [
      'wrong key',
      'admin@manager-1: Permission denied (publickey).\r\n',
      255,
      /could not log in as admin to manager-1 port 2222 \(Permission denied \(publickey\)\)/,
    ],
    [
      'sshd not listening',
      'ssh: connect to host manager-1 port 2222: Connection refused\r\n',
      255,
      /nothing accepts ssh connections at manager-1 port 2222/,
    ],
    [
      'connect timeout',
      'ssh: connect to host manager-1 port 2222: Connection timed out\r\n',
      255,
      /ssh timed out connecting to manager-1 port 2222/,
    ],
    [
      'no docker on the remote',
      'bash: line 1: docker: command not found\n',
      127,
      /no docker command on the PATH.*\(bash: line 1: docker: command not found\).*18\.09/,
    ],
    [
      'docker too old for dial-stdio',
      "docker: 'system dial-stdio' is not a docker command.\nSee 'docker --help'\n",
      1,
      /cannot run "docker system dial-stdio".*18\.09/,
    ],
    [
      'remote engine down',
      'failed to open the raw stream connection: dial unix /var/run/docker.sock: connect: no such file or directory\n',
      1,
      /^"docker system dial-stdio" on the remote host failed: failed to open the raw stream connection: dial unix/,
    ],
    [
      'other ssh failure',
      'kex_exchange_identification: Connection closed by remote host\r\nConnection closed by 10.0.0.1 port 2222\r\n',
      255,
      /^ssh failed: Connection closed by 10\.0\.0\.1 port 2222$/,
    ],
    ['silent ssh', '', 255, /^ssh failed \(exit status 255\) and said nothing\.$/],
  ])('%s', (_name, stderr, code, expected) => {
    const err = describeSshExit({ code, signal: null, stderr }, TARGET);
    expect(err).toBeInstanceOf(SshTransportError);
    expect(err.code).toBe('ERR_SSH');
    expect(err.message).toMatch(expected);
    const sentence = describeEngineError(err, LABEL);
    expect(sentence).toBe(`Cannot talk to the Docker engine at ${LABEL}: ${err.message}`);
    expect(sentence.split('\n')).toHaveLength(1);
  });

  it('words unresolvable and unreachable hosts as for tcp endpoints', () => {
    const notFound = describeSshExit(
      {
        code: 255,
        signal: null,
        stderr: 'ssh: Could not resolve hostname manager-1: Name or service not known\r\n',
      },
      TARGET,
    );
    expect(describeEngineError(notFound, LABEL)).toBe(
      `Cannot connect to the Docker engine at ${LABEL}: the host name does not resolve.`,
    );
    const noRoute = describeSshExit(
      { code: 255, signal: null, stderr: 'ssh: connect to host h port 22: No route to host\r\n' },
      TARGET,
    );
    expect(describeEngineError(noRoute, LABEL)).toMatch(/the host is unreachable from here/);
  });

  it('names the user only when the URL gave one', () => {
    const err = describeSshExit(
      { code: 255, signal: null, stderr: 'me@h: Permission denied (publickey).\r\n' },
      { user: null, host: 'h', port: null },
    );
    expect(err.message).toMatch(/^ssh could not log in to h \(/);
  });

  it('says when ssh was killed', () => {
    expect(describeSshExit({ code: null, signal: 'SIGKILL', stderr: '' }, TARGET).message).toBe(
      'ssh was ended by SIGKILL.',
    );
  });
});

// A fake `ssh`: records how it was run, then does what `docker system dial-stdio` does (joins its
// stdin and stdout to the engine's socket), so that everything from the agent down is real.
let dir: string;
let engineSocket: string;
let server: http.Server;
let connections: number;
const agents: SshAgent[] = [];
const apis: DockerodeSwarmApi[] = [];

function fakeSsh(name: string, options: { ignoreEof?: boolean } = {}): string {
  const file = path.join(dir, name);
  const log = path.join(dir, `${name}.log`);
  writeFileSync(log, '');
  writeFileSync(
    file,
    `#!${process.execPath}
import net from 'node:net';
import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ pid: process.pid, argv: process.argv.slice(2) }) + '\\n');
const socket = net.connect(${JSON.stringify(engineSocket)});
process.stdin.on('data', (chunk) => socket.write(chunk));
${options.ignoreEof === true ? '' : "process.stdin.on('end', () => socket.end());"}
socket.pipe(process.stdout);
socket.on('close', () => process.exit(0));
socket.on('error', (err) => { process.stderr.write('fake: ' + err.message + '\\n'); process.exit(1); });
`,
  );
  chmodSync(file, 0o755);
  return file;
}

function spawned(ssh: string): Array<{ pid: number; argv: string[] }> {
  return readFileSync(`${ssh}.log`, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { pid: number; argv: string[] });
}

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

function agent(command: string, busyWaitMs?: number): SshAgent {
  const created = new SshAgent(TARGET, { command, busyWaitMs });
  agents.push(created);
  return created;
}

function get(via: http.Agent, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: 'docker', path: urlPath, agent: via }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => (body += text));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A request whose response stays open; resolves once its head is in. */
function open(via: http.Agent, urlPath: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: 'docker', path: urlPath, agent: via }, resolve);
    req.on('error', reject);
    req.end();
  });
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'smarm-ssh-'));
  engineSocket = path.join(dir, 'engine.sock');
  connections = 0;
  server = http.createServer((req, res) => {
    if (req.url === '/stream') {
      // Like /events: the head at once, then nothing until the client leaves.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      return;
    }
    const wait = req.url === '/slow' ? 300 : 0;
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    }, wait);
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((done) => server.listen(engineSocket, done));
});

afterEach(async () => {
  for (const created of agents.splice(0)) created.destroy();
  for (const created of apis.splice(0)) created.close();
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(dir, { recursive: true, force: true });
});

describe('SshAgent', () => {
  it('runs ssh with the target and serves request after request over one connection', async () => {
    const ssh = fakeSsh('ssh');
    const via = agent(ssh);
    for (const urlPath of ['/_ping', '/nodes', '/services']) {
      expect(await get(via, urlPath)).toEqual({ status: 200, body: `{"path":"${urlPath}"}` });
    }
    expect(spawned(ssh)).toHaveLength(1);
    expect(spawned(ssh)[0]!.argv).toEqual(sshArgs(TARGET));
    expect(connections).toBe(1);
  });

  it('serves requests made together one after the other over one ssh', async () => {
    const ssh = fakeSsh('ssh');
    // Generous: a slow machine must not make a request look like a held stream.
    const via = agent(ssh, 5000);
    const answers = await Promise.all(
      ['/slow', '/nodes', '/services', '/tasks'].map((p) => get(via, p)),
    );
    expect(answers.map((a) => a.body)).toEqual([
      '{"path":"/slow"}',
      '{"path":"/nodes"}',
      '{"path":"/services"}',
      '{"path":"/tasks"}',
    ]);
    expect(spawned(ssh)).toHaveLength(1);
  });

  it('opens another ssh when a long-lived stream holds the connection', async () => {
    const ssh = fakeSsh('ssh');
    const via = agent(ssh, 400);
    await get(via, '/_ping');
    const stream = await open(via, '/stream');
    try {
      const started = Date.now();
      expect(
        (await Promise.all([get(via, '/nodes'), get(via, '/services')])).map((a) => a.status),
      ).toEqual([200, 200]);
      // It waited for the busy connection before starting a second ssh.
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(spawned(ssh)).toHaveLength(2);
      await get(via, '/tasks');
      expect(spawned(ssh)).toHaveLength(2);
    } finally {
      stream.destroy();
    }
  });

  it('tries ssh once for requests made together, and fails them all with its words', async () => {
    const log = path.join(dir, 'tries.log');
    const ssh = script(
      'ssh',
      `echo x >> '${log}'; sleep 0.2; echo "admin@manager-1: Permission denied (publickey)." >&2; exit 255`,
    );
    const via = agent(ssh);
    const errors = await Promise.all(
      ['/info', '/nodes', '/services'].map((p) =>
        get(via, p).then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    );
    for (const err of errors) {
      expect(describeEngineError(err, LABEL)).toMatch(/Permission denied \(publickey\)/);
    }
    expect(readFileSync(log, 'utf8')).toBe('x\n');
  });

  it.each([
    ['a refused login', 'admin@manager-1: Permission denied (publickey).'],
    ['an unknown host key', 'Host key verification failed.'],
    ['an unknown host', 'ssh: Could not resolve hostname manager-1: Name or service not known'],
  ])('after %s starts no ssh until the wait is over or retried now', async (_name, words) => {
    const log = path.join(dir, 'tries.log');
    const ssh = script('ssh', `echo x >> '${log}'; echo "${words}" >&2; exit 255`);
    const via = agent(ssh);
    const failure = async (): Promise<string> =>
      get(via, '/info').then(
        () => 'answered',
        (e: unknown) => describeEngineError(e, LABEL),
      );
    const starts = (): number => readFileSync(log, 'utf8').split('\n').length - 1;
    expect(await failure()).not.toMatch(/login failing/);
    // What the feed's polls would do: each one is refused without a new ssh login.
    for (let i = 0; i < 20; i += 1) {
      expect(await failure()).toMatch(/: ssh login failing; next try in [1-5] s: ssh could/);
    }
    expect(starts()).toBe(1);
    expect(sshBackoffSeconds()).toBeGreaterThan(0);
    // The retry key: one new ssh at once, and after it fails again the wait has doubled.
    expect(retrySshNow()).toBe(true);
    expect(await failure()).not.toMatch(/login failing/);
    expect(starts()).toBe(2);
    expect(await failure()).toMatch(/next try in (9|10) s/);
    expect(starts()).toBe(2);
    // The interactive start names the retry key, as the key table writes it.
    setRetryKeyLabel('Ctrl-R');
    expect(await failure()).toMatch(
      /: ssh login failing; next try in (9|10) s \(Ctrl-R: now\): ssh/,
    );
    setRetryKeyLabel(null);
    expect(starts()).toBe(2);
  });

  it('does not hold back after a failure that may pass (connection refused)', async () => {
    const log = path.join(dir, 'tries.log');
    const ssh = script(
      'ssh',
      `echo x >> '${log}'; echo "ssh: connect to host manager-1 port 2222: Connection refused" >&2; exit 255`,
    );
    const via = agent(ssh);
    for (let i = 0; i < 3; i += 1) await get(via, '/info').catch(() => undefined);
    expect(readFileSync(log, 'utf8')).toBe('x\nx\nx\n');
    expect(retrySshNow()).toBe(false);
  });

  it('fails the request at once with ssh’s own words when ssh exits before answering', async () => {
    const ssh = script(
      'ssh',
      'cat >/dev/null & echo "admin@manager-1: Permission denied (publickey)." >&2; exit 255',
    );
    const started = Date.now();
    const err = await get(agent(ssh), '/info').then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err).toBeInstanceOf(SshTransportError);
    expect(describeEngineError(err, LABEL)).toMatch(
      /^Cannot talk to the Docker engine at ssh:\/\/admin@manager-1:2222: ssh could not log in as admin to manager-1 port 2222 \(Permission denied \(publickey\)\);/,
    );
  });

  it('does not wait for a stderr that a leftover process keeps open', async () => {
    // As an ssh ControlPersist master may: ssh is gone, its stderr is not closed yet.
    const ssh = script(
      'ssh',
      'sleep 30 >&2 & echo "ssh: connect to host manager-1 port 2222: Connection refused" >&2; exit 255',
    );
    const started = Date.now();
    const err = await get(agent(ssh), '/info').then(
      () => null,
      (e: unknown) => e,
    );
    // far less than the 30 s the leftover keeps stderr open (a loaded machine is not a failure)
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((err as Error).message).toMatch(
      /nothing accepts ssh connections at manager-1 port 2222/,
    );
  });

  it('says that ssh is missing rather than "no such socket"', async () => {
    const err = await get(agent(path.join(dir, 'no-ssh-here')), '/info').then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as SshTransportError).code).toBe('ERR_SSH_NOT_FOUND');
    expect(describeEngineError(err, LABEL)).toMatch(/the ssh command was not found.*OpenSSH/);
  });

  it('fails the requests still waiting for a connection when it is destroyed', async () => {
    // An ssh still logging in: it never answers.
    const via = agent(script('ssh', 'exec sleep 30'));
    const outcome = (p: string): Promise<unknown> =>
      get(via, p).then(
        () => null,
        (e: unknown) => e,
      );
    const first = outcome('/info');
    const waiting = outcome('/nodes');
    await new Promise((resolve) => setTimeout(resolve, 100));
    via.destroy();
    expect(describeEngineError(await waiting, LABEL)).toBe(
      `The request to the Docker engine at ${LABEL} was cancelled.`,
    );
    expect(await first).toBeInstanceOf(Error);
  });

  it('ends its ssh processes when destroyed', async () => {
    const ssh = fakeSsh('ssh', { ignoreEof: true });
    const via = agent(ssh);
    await get(via, '/_ping');
    await open(via, '/stream');
    await get(via, '/nodes');
    const pids = spawned(ssh).map((each) => each.pid);
    expect(pids).toHaveLength(2);
    expect(pids.every(isAlive)).toBe(true);
    via.destroy();
    await waitFor('the ssh processes to end', () => !pids.some(isAlive), { timeoutMs: 5000 });
  });
});

describe('DockerodeSwarmApi over ssh://', () => {
  const endpoint = {
    kind: 'ssh' as const,
    user: 'admin',
    host: 'manager-1',
    port: 2222,
    label: LABEL,
    source: '--host' as const,
  };

  it('reaches the engine through `ssh` on the PATH and counts the bytes', async () => {
    fakeSsh('ssh');
    const savedPath = process.env['PATH'];
    process.env['PATH'] = `${dir}:${savedPath ?? ''}`;
    try {
      const api = new DockerodeSwarmApi(endpoint, { requestTimeoutMs: 5000 });
      apis.push(api);
      server.removeAllListeners('request');
      server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('[]');
      });
      expect(await api.listNodes()).toEqual([]);
      expect(await api.listServices()).toEqual([]);
      expect(spawned(path.join(dir, 'ssh'))).toHaveLength(1);
      expect(api.stats().bytes).toBeGreaterThan(0);
    } finally {
      process.env['PATH'] = savedPath;
    }
  });

  it('turns a refused login into one ConnectionError sentence', async () => {
    script('ssh', 'echo "admin@manager-1: Permission denied (publickey)." >&2; exit 255');
    const savedPath = process.env['PATH'];
    process.env['PATH'] = `${dir}:${savedPath ?? ''}`;
    try {
      const api = new DockerodeSwarmApi(endpoint, { requestTimeoutMs: 5000 });
      apis.push(api);
      const err = await api.listNodes().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as ConnectionError).message).toMatch(
        /^Cannot talk to the Docker engine at ssh:\/\/admin@manager-1:2222: ssh could not log in as admin/,
      );
    } finally {
      process.env['PATH'] = savedPath;
    }
  });
});

describe('smarm-top --once over ssh://', () => {
  it('prints the snapshot and leaves no ssh running', async () => {
    const engine = await startFakeEngine({
      socketPath: path.join(dir, 'swarm.sock'),
      nodes: 3,
      services: 4,
      tasksPerService: 2,
    });
    try {
      engineSocket = engine.socketPath;
      // An ssh that would stay forever: only smarm-top ending it makes it go.
      const ssh = fakeSsh('ssh', { ignoreEof: true });
      // Not spawnSync: the fake engine answers from this process.
      const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
        (resolve) => {
          const child = execFile(
            process.execPath,
            [CLI, '--once', '--host', LABEL],
            {
              env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` },
              timeout: 60_000,
            },
            (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
          );
        },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^NODES/m);
      const pids = spawned(ssh).map((each) => each.pid);
      expect(pids.length).toBeGreaterThan(0);
      expect(spawned(ssh)[0]!.argv).toEqual(sshArgs(TARGET));
      await waitFor('no ssh left running', () => !pids.some(isAlive), { timeoutMs: 5000 });
    } finally {
      await engine.stop();
    }
  });
});
