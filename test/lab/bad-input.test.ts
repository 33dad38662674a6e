// Bad input against the real lab swarm: a worker's engine is refused with one sentence that names
// the managers the worker knows, having asked nothing but reads; an unprivileged user is told
// permission denied; and a real manager passes the preflight's API version check.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { preflightEngine } from '../../source/docker/preflight.js';
import { runCliAsync, type CliResult } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';

const root = mkdtempSync(path.join(tmpdir(), 'smarm-lab-bad-'));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const asRoot = process.getuid?.() === 0;

/** The built CLI with pipes, in a home of its own and with no DOCKER_* from this process. */
function run(args: string[], options: { asNobody?: boolean } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { HOME: root, XDG_CONFIG_HOME: path.join(root, '.config') };
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('DOCKER_') && !(key in env)) env[key] = value;
  }
  env['DOCKER_CONFIG'] = path.join(root, '.docker');
  return runCliAsync(args, env, options);
}

/**
 * A unix socket passing everything through to an engine's socket and noting the request line
 * of every request sent to it ("GET /info"), so a test can tell what reached the real engine.
 */
async function recordingProxy(
  socketPath: string,
  upstream: string,
): Promise<{ requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const connections = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const engine = net.connect(upstream);
    connections.add(client).add(engine);
    let pending = '';
    client.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const lines = pending.split('\r\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const request = /^([A-Z]+) (\/[^ ?]*)\S* HTTP\/1\.[01]$/.exec(line);
        if (request !== null) requests.push(`${request[1]} ${request[2]}`);
      }
      engine.write(chunk);
    });
    engine.pipe(client);
    client.on('close', () => engine.destroy());
    engine.on('close', () => client.destroy());
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function expectOneSentence(result: CliResult, exit: number, sentence: string): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/\w*Error:/);
  expect(result.stderr).toBe(`smarm-top: ${sentence}\n`);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(exit);
}

/** What a worker's own engine says about the managers it knows: their swarm addresses. */
function managersKnownTo(worker: string): string {
  const json = docker(worker, 'info', '--format', '{{json .Swarm.RemoteManagers}}');
  const managers = JSON.parse(json) as Array<{ Addr: string }>;
  return [...new Set(managers.map((manager) => manager.Addr))].sort().join(', ');
}

const workerSentence = (label: string, addresses: string): string =>
  `The Docker engine at ${label} is a swarm worker, and smarm-top needs a manager: run it on a manager (swarm addresses ${addresses}) or point --host at a manager's Docker endpoint.`;

describeWithLab('bad input against the lab swarm', (lab) => {
  const workers = lab?.workerSockets ?? [];
  const managers = lab?.managerSockets ?? [];

  it.each(workers)(
    'smarm-top --once --host %s (a worker) → the managers it knows, exit 1',
    async (worker) => {
      const addresses = managersKnownTo(worker);
      // The lab's managers, each by its own swarm port.
      expect(addresses.split(', ')).toHaveLength(managers.length);
      const result = await run(['--once', '--host', worker]);
      expectOneSentence(result, 1, workerSentence(worker, addresses));
    },
  );

  /** `smarm-top --once` at `engine` through a recording proxy: its result and what reached it. */
  async function onceThroughProxy(engine: string, name: string) {
    const socketPath = path.join(root, `${name}-proxy.sock`);
    const proxy = await recordingProxy(socketPath, engine.replace(/^unix:\/\//, ''));
    try {
      const result = await run(['--once', '--host', `unix://${socketPath}`]);
      return { result, host: `unix://${socketPath}`, requests: proxy.requests };
    } finally {
      await proxy.close();
    }
  }

  it('asks a manager for its ping and its lists, neither /info nor /version (each 20–50 ms there)', async () => {
    const { result, requests } = await onceThroughProxy(managers[0]!, 'manager');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^SERVICES/m);
    expect(requests).toEqual(
      expect.arrayContaining(['GET /_ping', 'GET /nodes', 'GET /services', 'GET /tasks']),
    );
    expect(requests).not.toContain('GET /info');
    expect(requests).not.toContain('GET /version');
  });

  it('asks a worker nothing but reads, the preflight asking /info and /version', async () => {
    const worker = workers[0]!;
    const { result, host, requests } = await onceThroughProxy(worker, 'worker');
    expectOneSentence(result, 1, workerSentence(host, managersKnownTo(worker)));
    expect(requests).toEqual(expect.arrayContaining(['GET /info', 'GET /version']));
    expect(requests.filter((request) => !request.startsWith('GET '))).toEqual([]);
  });

  it.runIf(asRoot)(
    "an unprivileged user at a manager's socket → permission denied naming it, exit 1",
    async () => {
      const manager = managers[0]!;
      const result = await run(['--once', '--host', manager], { asNobody: true });
      expectOneSentence(
        result,
        1,
        `Cannot connect to the Docker engine at ${manager}: permission denied; run smarm-top with sudo or add your user to the docker group.`,
      );
    },
  );

  it('reads the API version a manager speaks as the docker CLI does, and passes it', async () => {
    const manager = managers[0]!;
    const api = new DockerodeSwarmApi({
      kind: 'unix',
      socketPath: manager.replace(/^unix:\/\//, ''),
      label: manager,
      source: '--host',
    });
    try {
      const version = await api.version();
      const server = docker(
        manager,
        'version',
        '--format',
        '{{.Server.Version}} {{.Server.APIVersion}}',
      );
      expect(`${version.version} ${version.apiVersion}`).toBe(server.trim());
      await expect(preflightEngine(api)).resolves.toMatchObject({ controlAvailable: true });
    } finally {
      api.close();
    }
  });
});
