// Records raw Engine JSON from the lab swarm into test/fixtures/lab/, so parse tests run on what a
// real engine sends rather than on what we think it sends. Plain node:http over the unix socket on
// purpose: no dockerode, so the fixtures cannot inherit our own client's mistakes.
//
//   npx tsx scripts/record-fixtures.ts            (reads DOCKER_HOST from /tmp/smarm-lab/current.env)
//   DOCKER_HOST=unix:///path npx tsx scripts/record-fixtures.ts

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = fileURLToPath(new URL('../test/fixtures/lab/', import.meta.url));
const LAB_ENV_FILE = '/tmp/smarm-lab/current.env';
const MAX_EVENT_LINES = 60;

function socketPath(): string {
  let host = process.env['DOCKER_HOST'];
  if (host === undefined || host === '') {
    const text = readFileSync(LAB_ENV_FILE, 'utf8');
    host = /^DOCKER_HOST=(.*)$/m.exec(text)?.[1]?.trim();
  }
  if (host === undefined || !host.startsWith('unix://')) {
    throw new Error(`need a unix:// DOCKER_HOST (got ${String(host)}); is the lab up?`);
  }
  return host.slice('unix://'.length);
}

function get(socket: string, requestPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { socketPath: socket, path: requestPath, signal: AbortSignal.timeout(15_000) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode === 200) resolve(body);
          else reject(new Error(`GET ${requestPath}: HTTP ${response.statusCode}: ${body.trim()}`));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

// Proxy settings can carry credentials from the recording machine; they are not ours to commit.
const REDACT_INFO_KEYS = ['HttpProxy', 'HttpsProxy', 'NoProxy'];

function pretty(body: string, redact: readonly string[] = []): string {
  const json = JSON.parse(body) as Record<string, unknown>;
  for (const key of redact) if (key in json) json[key] = '';
  return `${JSON.stringify(json, null, 2)}\n`;
}

async function main(): Promise<void> {
  const socket = socketPath();
  mkdirSync(OUT_DIR, { recursive: true });
  const write = (name: string, text: string): void => {
    writeFileSync(path.join(OUT_DIR, name), text);
    console.log(`wrote ${path.relative(process.cwd(), path.join(OUT_DIR, name))}`);
  };

  write('info.json', pretty(await get(socket, '/info'), REDACT_INFO_KEYS));
  write('nodes.json', pretty(await get(socket, '/nodes')));
  write('services.json', pretty(await get(socket, '/services?status=true')));
  write('tasks.json', pretty(await get(socket, '/tasks')));

  // With `until` the engine replays its buffer and closes the stream. Kept as raw lines: a
  // JSON round trip would round timeNano, which the parser must read exactly.
  const now = Math.floor(Date.now() / 1000);
  const filters = encodeURIComponent(
    JSON.stringify({ type: ['service', 'node'], scope: ['swarm'] }),
  );
  const events = await get(socket, `/events?since=${now - 3600}&until=${now}&filters=${filters}`);
  const lines = events.split('\n').filter((line) => line.trim() !== '');
  write('events.ndjson', `${lines.slice(0, MAX_EVENT_LINES).join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
