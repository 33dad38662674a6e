// What smarm-top is run against: fake engines of a chosen size, and the lab when it is up.

import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startFakeEngine, type FakeEngine } from '../../test/fake-engine/index.js';
import { LAB_ENV, TMP } from './env.js';
import { log, ms, nowMs } from './harness.js';

export interface Size {
  nodes: number;
  services: number;
  tasksPerService: number;
  historyPerTask: number;
}

export interface Target {
  name: string;
  host: string;
  socketPath: string;
  /** The service `docker service ps` is asked about. */
  service: string;
  fake: FakeEngine | null;
}

/** Every fake engine still serving, for the end of the run. */
const engines = new Set<FakeEngine>();

export async function stopEngines(): Promise<void> {
  for (const engine of engines) await engine.stop();
  engines.clear();
}

/** One fake engine's end, so that the next (larger) one does not share the memory with it. */
export async function stopTarget(target: Target): Promise<void> {
  if (target.fake === null) return;
  engines.delete(target.fake);
  await target.fake.stop();
}

export function get(socketPath: string, url: string, timeoutMs = 2000): Promise<string> {
  return send(socketPath, url, { timeoutMs });
}

/** One request to an engine's socket; its body, or an error naming the status and what it said. */
export function send(
  socketPath: string,
  url: string,
  {
    method = 'GET',
    body,
    timeoutMs = 2000,
  }: { method?: string; body?: unknown; timeoutMs?: number },
): Promise<string> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        socketPath,
        method,
        path: url,
        timeout: timeoutMs,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(text);
          else reject(new Error(`${method} ${url}: HTTP ${status} ${text.trim()}`.trim()));
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(payload);
  });
}

export async function fakeTarget(name: string, size: Size): Promise<Target> {
  const socketPath = path.join(TMP, `${name.replaceAll(' ', '-')}.sock`);
  const started = nowMs();
  const fake = await startFakeEngine({ socketPath, ...size, seed: 1 });
  engines.add(fake);
  // Warm its caches, so that the first measured run does not pay for serializing 30,000 tasks.
  await get(socketPath, '/tasks', 120_000);
  await get(socketPath, '/services?status=true', 60_000);
  const service = [...fake.cluster.services].map((s) => s.Spec.Name).sort()[0] ?? '';
  log(`fake engine "${name}" up in ${ms(nowMs() - started)}: ${describeSize(size)}`);
  return { name, host: `unix://${socketPath}`, socketPath, service, fake };
}

export function describeSize(size: Size): string {
  const running = size.services * size.tasksPerService;
  return `${size.nodes} nodes, ${size.services} services, ${running} running tasks + ${running * size.historyPerTask} history`;
}

export async function labTarget(): Promise<Target | null> {
  if (!existsSync(LAB_ENV)) return null;
  const host = /^DOCKER_HOST=["']?(unix:\/\/[^"'\s]+)/m.exec(readFileSync(LAB_ENV, 'utf8'))?.[1];
  if (host === undefined) return null;
  const socketPath = host.slice('unix://'.length);
  try {
    await get(socketPath, '/_ping');
    const services = JSON.parse(await get(socketPath, '/services')) as Array<{
      Spec?: { Name?: string };
    }>;
    const names = services.map((s) => s.Spec?.Name ?? '').filter((n) => n !== '');
    const service = names.includes('web') ? 'web' : (names.sort()[0] ?? '');
    log(`lab is up at ${host}`);
    return { name: 'lab', host, socketPath, service, fake: null };
  } catch (error) {
    log(`lab at ${host} does not answer (${(error as Error).message}); skipped`);
    return null;
  }
}
