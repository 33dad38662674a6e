// The stats probe (issue 15), on fake engines:
//   (a) the probe's own cost: `node dist/cli.js probe` against one node's fake engine serving 50
//       task containers with their stats, its CPU from /proc over the window, per tick and as a
//       share of a core (target ≤ 1 %), and its RSS;
//   (b) smarm-top's idle CPU (as P2 measures it) with the usage view open while the fake probe
//       service streams a line per task every 2 s (60 tasks), beside the services view's;
//   (c) the manager's traffic per minute in both windows, from the fake engine's counters (as P5).
// The lab's own figures (docs/stats-probe.md) are in docs/benchmarks.md beside these.

import { spawn } from 'node:child_process';
import { withApp, waitForScreen } from '../lib/app.js';
import { cpuWindow, type Window } from '../lib/cpu-window.js';
import { fakeTarget, get, stopTarget, type Size } from '../lib/engines.js';
import { CLI, REFRESH_SECONDS, TMP } from '../lib/env.js';
import { log, mb, ms, nowMs, sleep } from '../lib/harness.js';
import { processCpuMs, processRssMiB } from '../lib/proc.js';
import { yes, type Row } from '../lib/table.js';

/** One node's engine: 50 running task containers (10 services × 5, all on its only node). */
const NODE: Size = { nodes: 1, services: 10, tasksPerService: 5, historyPerTask: 1 };
/** The swarm the app watches: 60 running tasks on 5 nodes, all reported by the probe. */
const SWARM: Size = { nodes: 5, services: 12, tasksPerService: 5, historyPerTask: 2 };
const PROBE_EVERY_S = 2;
const PROBE_NODE_OPTIONS = '--max-semi-space-size=1 --max-old-space-size=16';
/** After a service event the app polls fast for 10 s (live/swarm-feed.ts): past it. */
const SETTLE_MS = 12_000;

export interface ProbeCost {
  containers: number;
  seconds: number;
  cpuMs: number;
  cpuPercent: number;
  ticks: number;
  cpuMsPerTick: number;
  rssMiB: number;
  lines: number;
}

export interface ProbeBench {
  probe: ProbeCost;
  /** Running tasks the app's probe reports. */
  tasks: number;
  /** Rows the usage view showed at the end of its window. */
  usageRows: number;
  services: Window;
  usage: Window;
}

/** (a) `smarm-top probe` against a node's fake engine for `seconds`. */
async function probeCost(seconds: number): Promise<ProbeCost> {
  const target = await fakeTarget('fake probe node', NODE);
  try {
    const containers = (JSON.parse(await get(target.socketPath, '/containers/json')) as unknown[])
      .length;
    const child = spawn(
      process.execPath,
      [
        CLI,
        'probe',
        '--lifetime',
        String(Math.ceil(seconds) + 60),
        '--every',
        String(PROBE_EVERY_S),
      ],
      {
        // the heap the probe service gives it (docker/dockerode-api.ts createProbeService)
        env: { ...process.env, DOCKER_HOST: target.host, NODE_OPTIONS: PROBE_NODE_OPTIONS },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let lines = 0;
    let counting = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!counting) return;
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const pid = child.pid!;
      // its first tick has no CPU figure yet (a sample to compare with): past two ticks
      await sleep(2 * PROBE_EVERY_S * 1000 + 500);
      log(`probe: smarm-top probe (pid ${pid}) on ${containers} containers for ${seconds} s`);
      counting = true;
      const cpu0 = processCpuMs(pid);
      const t0 = nowMs();
      await sleep(seconds * 1000);
      const cpuMs = processCpuMs(pid) - cpu0;
      const elapsed = (nowMs() - t0) / 1000;
      const rssMiB = processRssMiB(pid);
      const ticks = elapsed / PROBE_EVERY_S;
      return {
        containers,
        seconds: elapsed,
        cpuMs,
        cpuPercent: (cpuMs / (elapsed * 1000)) * 100,
        ticks,
        cpuMsPerTick: cpuMs / ticks,
        rssMiB,
        lines,
      };
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    await stopTarget(target);
  }
}

/** (b) and (c): smarm-top idle on the services view, then with the usage view and its probe. */
async function appWindows(seconds: number) {
  const target = await fakeTarget('fake probe swarm', SWARM);
  const fake = target.fake!;
  try {
    // the audit log of the probe's create and remove goes to the bench's own folder
    return await withApp(target, { XDG_STATE_HOME: TMP }, async ({ tmux, watch, pid }) => {
      await sleep(5000);
      log(`probe: smarm-top (pid ${pid}) idle on the services view for ${seconds} s`);
      const services = await cpuWindow(pid, fake, seconds);
      await tmux.sendAsync('u');
      if (!Number.isFinite(await waitForScreen(watch, /Start a probe on every node\?/, nowMs()))) {
        throw new Error("the usage view's dialog never appeared");
      }
      await tmux.sendAsync('y');
      const running = /USAGE \((\d+)\) · probe running/;
      const seen = await waitForScreen(watch, /USAGE \([1-9]\d*\) · probe running/, nowMs());
      if (!Number.isFinite(seen)) throw new Error('the probe figures never appeared');
      // the probe's lines flow, the tasks meant to run are in, the fast polling after the
      // service's creation is over: steady state
      await sleep(SETTLE_MS);
      log(`probe: smarm-top idle on the usage view for ${seconds} s (probe lines every 2 s)`);
      const usage = await cpuWindow(pid, fake, seconds);
      const screen = await tmux.captureAsync();
      const usageRows = Number(running.exec(screen)?.[1] ?? 0);
      // leaving for the nodes view removes the probe service
      await tmux.sendAsync('2');
      await sleep(1000);
      return { services, usage, usageRows };
    });
  } finally {
    await stopTarget(target);
  }
}

export async function measureProbe(seconds: number): Promise<ProbeBench> {
  const probe = await probeCost(seconds);
  const app = await appWindows(seconds);
  return { probe, tasks: SWARM.services * SWARM.tasksPerService, ...app };
}

export function probeRows(b: ProbeBench): Row[] {
  const p = b.probe;
  const extra = (key: 'requestsPerMinute' | 'bytesPerMinute') => b.usage[key] - b.services[key];
  return [
    {
      id: 'PR',
      what: `the probe on a node with ${p.containers} containers, every ${PROBE_EVERY_S} s, ${Math.round(p.seconds)} s`,
      wall: '',
      cpu: `${p.cpuPercent.toFixed(2)} % of a core`,
      detail: `${ms(p.cpuMsPerTick)} CPU per tick (${Math.round(p.ticks)} ticks, ${p.lines} lines); RSS ${p.rssMiB.toFixed(1)} MiB`,
      target: '≤ 1 % of a core at 50',
      met: yes(p.cpuPercent <= 1),
    },
    {
      id: 'PR',
      what: `smarm-top idle, services view, ${b.tasks} tasks, --refresh ${REFRESH_SECONDS}`,
      wall: '',
      cpu: `${b.services.cpuPercent.toFixed(2)} % of a core`,
      detail: `${Math.round(b.services.requestsPerMinute)} requests, ${mb(b.services.bytesPerMinute)} per minute; RSS ${Math.round(b.services.rssMiB)} MiB`,
      target: '',
      met: '',
    },
    {
      id: 'PR',
      what: `smarm-top idle, usage view, probe lines for ${b.usageRows} tasks`,
      wall: '',
      cpu: `${b.usage.cpuPercent.toFixed(2)} % of a core`,
      detail: `${Math.round(b.usage.requestsPerMinute)} requests, ${mb(b.usage.bytesPerMinute)} per minute; RSS ${Math.round(b.usage.rssMiB)} MiB`,
      target: '(stated)',
      met: '',
    },
    {
      id: 'PR',
      what: "the manager's extra traffic, usage view vs services view",
      wall: '',
      cpu: '',
      detail: `+${Math.round(extra('requestsPerMinute'))} requests, +${mb(extra('bytesPerMinute'))} per minute (${extraPaths(b)})`,
      target: '(stated)',
      met: '',
    },
  ];
}

/** What the usage window asked for beyond the services window, per minute, biggest first. */
function extraPaths(b: ProbeBench): string {
  const perMinute = (w: Window, key: string, what: 'requests' | 'bytes') =>
    ((w.byPath[key]?.[what] ?? 0) * 60) / w.seconds;
  return Object.keys(b.usage.byPath)
    .map((key) => ({
      key,
      requests: perMinute(b.usage, key, 'requests') - perMinute(b.services, key, 'requests'),
      bytes: perMinute(b.usage, key, 'bytes') - perMinute(b.services, key, 'bytes'),
    }))
    .filter((d) => Math.round(d.requests) !== 0 || d.bytes >= 1000)
    .sort((x, y) => y.bytes - x.bytes)
    .map((d) => `${d.key} ${d.requests >= 0 ? '+' : ''}${Math.round(d.requests)} ${mb(d.bytes)}`)
    .join(', ');
}
