// Records raw Engine JSON from the lab swarm into test/fixtures/lab/, so parse tests run on what a
// real engine sends rather than on what we think it sends. Plain node:http over the unix socket on
// purpose: no dockerode, so the fixtures cannot inherit our own client's mistakes.
//
//   npx tsx scripts/record-fixtures.ts            (reads DOCKER_HOST from /tmp/smarm-lab/current.env)
//   DOCKER_HOST=unix:///path npx tsx scripts/record-fixtures.ts
//   npx tsx scripts/record-fixtures.ts --logs      (only the raw log captures, logs-*.bin)

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = fileURLToPath(new URL('../test/fixtures/lab/', import.meta.url));
const LAB_ENV_FILE = '/tmp/smarm-lab/current.env';
const MAX_EVENT_LINES = 60;

function labValue(key: string): string | undefined {
  const text = readFileSync(LAB_ENV_FILE, 'utf8');
  const value = new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1]?.trim();
  return value?.replace(/^(["'])(.*)\1$/, '$2');
}

function unixPath(host: string | undefined, what: string): string {
  if (host === undefined || !host.startsWith('unix://')) {
    throw new Error(`need a unix:// ${what} (got ${String(host)}); is the lab up?`);
  }
  return host.slice('unix://'.length);
}

function socketPath(): string {
  const fromEnv = process.env['DOCKER_HOST'];
  return unixPath(
    fromEnv !== undefined && fromEnv !== '' ? fromEnv : labValue('DOCKER_HOST'),
    'DOCKER_HOST',
  );
}

/** A worker's socket from the lab env file, if there is one. */
function workerSocketPath(): string | null {
  const first = labValue('LAB_WORKER_SOCKETS')?.split(/\s+/)[0];
  return first === undefined || first === '' ? null : unixPath(first, 'LAB_WORKER_SOCKETS');
}

function get(socket: string, requestPath: string): Promise<string> {
  return getRaw(socket, requestPath).then(({ statusCode, body }) => {
    if (statusCode === 200) return body;
    throw new Error(`GET ${requestPath}: HTTP ${statusCode}: ${body.trim()}`);
  });
}

/** The body's bytes as they came (log streams are binary: multiplexed frames). */
function getBytes(socket: string, requestPath: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { socketPath: socket, path: requestPath, signal: AbortSignal.timeout(15_000) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          if (response.statusCode === 200) resolve(body);
          else reject(new Error(`GET ${requestPath}: HTTP ${response.statusCode}: ${body}`));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

// Raw log responses (timestamps and details on, as smarm-top asks): web and logger multiplexed
// (logger's tail reaches back to a stderr line), ttylog raw (a TTY service), hostile with escape
// sequences. Each a few KiB.
const LOG_CAPTURES: ReadonlyArray<{ service: string; tail: number }> = [
  { service: 'web', tail: 3 },
  { service: 'logger', tail: 12 },
  { service: 'ttylog', tail: 3 },
  { service: 'hostile', tail: 8 },
];

async function recordLogs(
  socket: string,
  write: (name: string, data: string | Buffer) => void,
): Promise<void> {
  for (const { service, tail } of LOG_CAPTURES) {
    const query = `stdout=1&stderr=1&timestamps=1&details=1&follow=0&tail=${tail}`;
    write(`logs-${service}.bin`, await getBytes(socket, `/services/${service}/logs?${query}`));
  }
}

function getRaw(
  socket: string,
  requestPath: string,
): Promise<{ statusCode: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { socketPath: socket, path: requestPath, signal: AbortSignal.timeout(15_000) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ statusCode: response.statusCode ?? 0, body });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[key]
        : undefined;
  }
  return current;
}

function idOf(list: string, match: (item: unknown) => boolean, what: string): string {
  const items = JSON.parse(list) as unknown[];
  const id = at(items.find(match), 'ID');
  if (typeof id !== 'string') throw new Error(`no ${what} in the lab; is it the standard lab?`);
  return id;
}

// Proxy settings can carry credentials from the recording machine; they are not ours to commit.
const REDACT_INFO_KEYS = ['HttpProxy', 'HttpsProxy', 'NoProxy'];

function pretty(body: string, redact: readonly string[] = []): string {
  const json = JSON.parse(body) as Record<string, unknown>;
  for (const key of redact) if (key in json) json[key] = '';
  return `${JSON.stringify(json, null, 2)}\n`;
}

function prettyList(body: string): string {
  return `${JSON.stringify(JSON.parse(body), null, 2)}\n`;
}

async function main(): Promise<void> {
  const socket = socketPath();
  mkdirSync(OUT_DIR, { recursive: true });
  const write = (name: string, data: string | Buffer): void => {
    writeFileSync(path.join(OUT_DIR, name), data);
    console.log(`wrote ${path.relative(process.cwd(), path.join(OUT_DIR, name))}`);
  };
  if (process.argv.includes('--logs')) return recordLogs(socket, write);

  write('info.json', pretty(await get(socket, '/info'), REDACT_INFO_KEYS));
  const nodes = await get(socket, '/nodes');
  write('nodes.json', pretty(nodes));
  const services = await get(socket, '/services?status=true');
  write('services.json', pretty(services));
  write('tasks.json', pretty(await get(socket, '/tasks')));

  // The rest of the swarm. Make the objects first (the parser test expects them):
  //   docker network create -d overlay --opt encrypted --label tier=back fx-secure
  //   docker network create -d overlay --attachable --internal --subnet 10.77.0.0/24 fx-attach
  //   printf s3cr3t | docker secret create --label db.password=hunter2 fx-db-password -
  //   printf 'listen 80;\n' | docker config create fx-nginx -
  const swarmScope = encodeURIComponent(JSON.stringify({ scope: ['swarm'] }));
  write('networks.json', prettyList(await get(socket, `/networks?filters=${swarmScope}`)));
  write('secrets.json', prettyList(await get(socket, '/secrets')));
  write('configs.json', prettyList(await get(socket, '/configs')));
  // The join tokens let anyone join the lab's swarm: fake ones go in their place, and the parser
  // test proves that they never come through.
  const swarm = JSON.parse(await get(socket, '/swarm')) as Record<string, unknown>;
  swarm['JoinTokens'] = {
    Worker: 'SWMTKN-1-fixtureworkertoken-0000000000000000000000000',
    Manager: 'SWMTKN-1-fixturemanagertoken-000000000000000000000000',
  };
  write('swarm.json', `${JSON.stringify(swarm, null, 2)}\n`);

  // Single inspects, what the writes start from: api has a PreviousSpec (lab/busybox:1,
  // VERSION=1 before :2, VERSION=2); worker-2 carries the label zone=b.
  const apiId = idOf(services, (s) => at(s, 'Spec', 'Name') === 'api', 'service api');
  write('service-api.json', pretty(await get(socket, `/services/${apiId}`)));
  const workerId = idOf(
    nodes,
    (n) => at(n, 'Description', 'Hostname') === 'worker-2',
    'node worker-2',
  );
  write('node-worker.json', pretty(await get(socket, `/nodes/${workerId}`)));

  // With `until` the engine replays its buffer and closes the stream. Kept as raw lines: a
  // JSON round trip would round timeNano, which the parser must read exactly.
  const now = Math.floor(Date.now() / 1000);
  const filters = encodeURIComponent(
    JSON.stringify({ type: ['service', 'node'], scope: ['swarm'] }),
  );
  const events = await get(socket, `/events?since=${now - 3600}&until=${now}&filters=${filters}`);
  const lines = events.split('\n').filter((line) => line.trim() !== '');
  write('events.ndjson', `${lines.slice(0, MAX_EVENT_LINES).join('\n')}\n`);

  // What a worker says about itself, and how it refuses a manager-only call.
  const worker = workerSocketPath();
  if (worker !== null) {
    write('info-worker.json', pretty(await get(worker, '/info'), REDACT_INFO_KEYS));
    const refusal = await getRaw(worker, '/nodes');
    const body: unknown = JSON.parse(refusal.body);
    write(
      'worker-nodes-refusal.json',
      `${JSON.stringify({ statusCode: refusal.statusCode, body }, null, 2)}\n`,
    );
  }
  await recordLogs(socket, write);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
