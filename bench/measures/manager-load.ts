// Load on the manager (issue 17): the manager's own dockerd CPU, read from /proc, while it serves
// (a) nothing, (b) smarm-top interactive, (c) `watch -n 2 docker service ls` — what an operator
// runs instead — and (d) a client that lists every task every 2 s. Against the lab only (a fake
// engine's CPU says nothing about dockerd's), with BENCH_LOAD_SERVICES services of
// BENCH_LOAD_REPLICAS replicas added for the run (labelled, removed at the end). Target:
// smarm-top costs the manager no more than the watch loop.

import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TmuxSession, terminalCommand } from '../../test/helpers/tmux.js';
import { withApp } from '../lib/app.js';
import { send, type Target } from '../lib/engines.js';
import { log, nowMs, sleep } from '../lib/harness.js';
import { processCpuMs } from '../lib/proc.js';
import { yes, type Row } from '../lib/table.js';

const LABEL = 'smarm-top.bench';
const API = '/v1.41';
const INTERVAL_MS = 2000;

export interface LoadWindow {
  who: string;
  seconds: number;
  /** The manager's dockerd, % of one core over the window. */
  cpuPercent: number;
}

export interface ManagerLoad {
  services: number;
  replicas: number;
  running: number;
  windows: LoadWindow[];
}

/** The lab's dockerd answers slowly while it starts hundreds of tasks: a generous bound. */
const call = (socketPath: string, method: string, url: string, body?: unknown): Promise<string> =>
  send(socketPath, `${API}${url}`, { method, body, timeoutMs: 60_000 });

/** The manager's dockerd: the lab keeps its pidfile beside its socket. */
function dockerdPid(socketPath: string): number | null {
  const file = path.join(path.dirname(socketPath), 'pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && existsSync(`/proc/${pid}`) ? pid : null;
}

const benchServices = async (socketPath: string): Promise<string[]> => {
  const filters = encodeURIComponent(JSON.stringify({ label: [LABEL] }));
  const list = JSON.parse(await call(socketPath, 'GET', `/services?filters=${filters}`)) as Array<{
    ID: string;
  }>;
  return list.map((s) => s.ID);
};

async function removeBenchServices(socketPath: string): Promise<void> {
  const ids = await benchServices(socketPath);
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids.slice(i, i + 20).map((id) => call(socketPath, 'DELETE', `/services/${id}`)),
    );
  }
}

async function addBenchServices(socketPath: string, count: number, replicas: number) {
  for (let i = 0; i < count; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, (_, j) =>
        call(socketPath, 'POST', '/services/create', {
          Name: `bench-load-${i + j}`,
          Labels: { [LABEL]: 'load' },
          TaskTemplate: {
            ContainerSpec: { Image: 'lab/busybox:1', Command: ['sleep', '86400'] },
            RestartPolicy: { Condition: 'none' },
          },
          Mode: { Replicated: { Replicas: replicas } },
        }),
      ),
    );
  }
}

/** Running tasks of the bench's services, once the count stops growing or all run. */
async function settle(socketPath: string, want: number, timeoutMs: number): Promise<number> {
  const filters = encodeURIComponent(
    JSON.stringify({ label: [LABEL], 'desired-state': ['running'] }),
  );
  const started = nowMs();
  let running = 0;
  for (;;) {
    const tasks = JSON.parse(await call(socketPath, 'GET', `/tasks?filters=${filters}`)) as Array<{
      Status?: { State?: string };
    }>;
    running = tasks.filter((t) => t.Status?.State === 'running').length;
    if (running >= want || nowMs() - started > timeoutMs) return running;
    await sleep(3000);
  }
}

async function cpuOf(pid: number, who: string, seconds: number): Promise<LoadWindow> {
  log(`manager load: ${who}, ${seconds} s`);
  const t0 = nowMs();
  const cpu0 = processCpuMs(pid);
  await sleep(seconds * 1000);
  const elapsed = (nowMs() - t0) / 1000;
  return { who, seconds: elapsed, cpuPercent: (processCpuMs(pid) - cpu0) / 10 / elapsed };
}

/** `watch -n 2 docker service ls` in a terminal of its own, as an operator runs it. */
async function withWatch<T>(host: string, measure: () => Promise<T>): Promise<T> {
  const tmux = await TmuxSession.open({ columns: 120, rows: 40, prefix: 'smarm-bench-watch' });
  try {
    await tmux.respawn(
      terminalCommand(['watch', '-n', '2', 'docker', '-H', host, 'service', 'ls']),
    );
    await sleep(3000);
    return await measure();
  } finally {
    tmux.kill();
  }
}

/** GET /tasks (all of them) every 2 s over one kept-alive connection. */
async function withTaskLister<T>(socketPath: string, measure: () => Promise<T>): Promise<T> {
  const agent = new http.Agent({ keepAlive: true });
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const t0 = nowMs();
      await new Promise<void>((resolve) => {
        http
          .get({ socketPath, path: `${API}/tasks`, agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', () => resolve());
      });
      await sleep(Math.max(0, INTERVAL_MS - (nowMs() - t0)));
    }
  })();
  try {
    return await measure();
  } finally {
    stop = true;
    await loop;
    agent.destroy();
  }
}

export async function measureManagerLoad(
  lab: Target,
  { services, replicas, seconds }: { services: number; replicas: number; seconds: number },
): Promise<ManagerLoad | null> {
  const pid = dockerdPid(lab.socketPath);
  if (pid === null) {
    log(`manager load: no dockerd pidfile beside ${lab.socketPath}; skipped`);
    return null;
  }
  await removeBenchServices(lab.socketPath);
  try {
    log(`manager load: adding ${services} services of ${replicas} replica(s) to the lab`);
    await addBenchServices(lab.socketPath, services, replicas);
    // a minute and a second per task at most: the quick run stays within CI's bench budget
    const running = await settle(
      lab.socketPath,
      services * replicas,
      60_000 + services * replicas * 1000,
    );
    log(`manager load: ${running}/${services * replicas} tasks running`);
    // The swarm settles (allocations, the dispatcher's first reports) before the baseline.
    await sleep(10_000);
    const windows: LoadWindow[] = [];
    windows.push(await cpuOf(pid, 'nothing', seconds));
    windows.push(
      await withApp(lab, {}, async () => {
        await sleep(5000);
        return cpuOf(pid, 'smarm-top interactive (services view)', seconds);
      }),
    );
    windows.push(
      await withWatch(lab.host, () => cpuOf(pid, 'watch -n 2 docker service ls', seconds)),
    );
    windows.push(
      await withTaskLister(lab.socketPath, () =>
        cpuOf(pid, 'a client listing every task every 2 s', seconds),
      ),
    );
    windows.push(await cpuOf(pid, 'nothing (again)', seconds));
    return { services, replicas, running, windows };
  } finally {
    await removeBenchServices(lab.socketPath).catch((error: unknown) =>
      log(`manager load: removing the bench services failed: ${(error as Error).message}`),
    );
  }
}

export function managerLoadRows(load: ManagerLoad): Row[] {
  const byWho = (prefix: string) => load.windows.find((w) => w.who.startsWith(prefix))!;
  const idle = Math.min(byWho('nothing').cpuPercent, byWho('nothing (again)').cpuPercent);
  const ours = byWho('smarm-top').cpuPercent;
  const watch = byWho('watch').cpuPercent;
  return load.windows.map((w) => {
    const extra = w.cpuPercent - idle;
    const isOurs = w.who.startsWith('smarm-top');
    return {
      id: 'ML',
      what: `manager dockerd: ${w.who}`,
      wall: '',
      cpu: `${w.cpuPercent.toFixed(2)} % of a core`,
      detail: `${extra >= 0 ? '+' : ''}${extra.toFixed(2)} over idle; lab + ${load.services} services × ${load.replicas} (${load.running} running), ${Math.round(w.seconds)} s`,
      target: isOurs ? '≤ watch docker service ls' : '',
      met: isOurs ? yes(ours <= watch) : '',
    };
  });
}
