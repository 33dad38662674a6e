// The size sweep: the interactive app against fake engines of growing size (500, 1,000 and 5,000
// services by default, 10 tasks each), one after the other in one run. At each size: the first
// frame (start until the service list is on the tmux screen), VmRSS right after it and at the end
// of an idle window, and idle CPU per refresh at --refresh 2, measured as P2 does. The target is
// that idle cost follows change, not size: CPU per refresh at the largest size ≤ 2× that at the
// smallest. With `profile`, the largest size runs once more under --cpu-prof and the samples of
// its idle window are summed, so that the table can say what the idle cost is made of.

import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { waitForTasksPane, withApp } from '../lib/app.js';
import { cpuWindow, type Window } from '../lib/cpu-window.js';
import { describeSize, fakeTarget, stopTarget, type Size } from '../lib/engines.js';
import { REFRESH_SECONDS, RESULTS, ROOT, TMP } from '../lib/env.js';
import { log, ms, nowMs, sleep } from '../lib/harness.js';
import { processRssMiB } from '../lib/proc.js';
import { printColumns, yes, type Row } from '../lib/table.js';
import { summarizeProfile } from './profile.js';

/** After the first frame: the first loads (services, nodes, the selected service's tasks). */
const SETTLE_MS = 5000;
/** The target: CPU per refresh grows at most this much from the smallest size to the largest. */
const MAX_GROWTH = 2;

export interface SweepOptions {
  /** Services at each size, in the order run. */
  sizes: number[];
  /** Nodes, tasks per service and history as the full size has them. */
  shape: Omit<Size, 'services'>;
  seconds: number;
  profile: boolean;
}

export interface SweepPoint {
  services: number;
  size: Size;
  engineUpMs: number;
  firstFrameMs: number;
  rssFirstFrameMiB: number;
  rssEndMiB: number;
  idle: Window;
}

const count = (n: number): string => n.toLocaleString('en-US');

async function point(services: number, options: SweepOptions): Promise<SweepPoint> {
  const size = { ...options.shape, services };
  const started = nowMs();
  const target = await fakeTarget(`sweep ${services}`, size);
  const engineUpMs = nowMs() - started;
  try {
    return await withApp(
      target,
      {},
      async ({ watch, pid, firstFrameMs }) => {
        const rssFirstFrameMiB = processRssMiB(pid);
        await waitForTasksPane(watch);
        await sleep(SETTLE_MS);
        log(
          `sweep: smarm-top (pid ${pid}) idle for ${options.seconds} s at ${count(services)} services`,
        );
        const idle = await cpuWindow(pid, target.fake!, options.seconds);
        return {
          services,
          size,
          engineUpMs,
          firstFrameMs,
          rssFirstFrameMiB,
          rssEndMiB: idle.rssMiB,
          idle,
        };
      },
      { firstFrameTimeoutMs: 180_000 },
    );
  } finally {
    await stopTarget(target);
  }
}

/** The app idle at `services` under --cpu-prof, quit with q so that the profile is written. */
async function profileAt(services: number, options: SweepOptions) {
  const dir = path.join(TMP, `sweep-profile-${services}`);
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const target = await fakeTarget(`sweep ${services} profiled`, { ...options.shape, services });
  let idleMs = 0;
  try {
    await withApp(
      target,
      {},
      async ({ tmux, watch }) => {
        await waitForTasksPane(watch);
        await sleep(SETTLE_MS);
        log(
          `sweep: CPU profile of smarm-top idle for ${options.seconds} s at ${count(services)} services`,
        );
        idleMs = nowMs();
        await sleep(options.seconds * 1000);
        idleMs = nowMs() - idleMs;
        await tmux.sendAsync('q');
        const since = nowMs();
        while (
          !readdirSync(dir).some((f) => f.endsWith('.cpuprofile')) &&
          nowMs() - since < 60_000
        ) {
          await sleep(100);
        }
      },
      { firstFrameTimeoutMs: 180_000, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] },
    );
  } finally {
    await stopTarget(target);
  }
  const file = existsSync(dir)
    ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    : undefined;
  if (file === undefined) throw new Error('the profiled app wrote no .cpuprofile');
  // Kept, for a look at the call tree (Chrome DevTools, Performance, Load profile).
  const kept = path.join(path.dirname(RESULTS), `sweep-${services}.cpuprofile`);
  copyFileSync(path.join(dir, file), kept);
  // The idle window only (the profile ends at the q, a few ms after it): not the start-up.
  return {
    services,
    idleMs,
    file: path.relative(ROOT, kept),
    ...summarizeProfile(kept, { lastMs: idleMs }),
  };
}

export async function measureSweep(options: SweepOptions) {
  const points: SweepPoint[] = [];
  for (const services of options.sizes) points.push(await point(services, options));
  const first = points[0]!;
  const last = points.at(-1)!;
  const growth = (of: (p: SweepPoint) => number) => of(last) / of(first);
  const ratios = {
    of: `${last.services}/${first.services}`,
    services: last.services / first.services,
    cpuMsPerRefresh: growth((p) => p.idle.cpuMsPerRefresh),
    cpuPercent: growth((p) => p.idle.cpuPercent),
    firstFrameMs: growth((p) => p.firstFrameMs),
    rssFirstFrameMiB: growth((p) => p.rssFirstFrameMiB),
    rssEndMiB: growth((p) => p.rssEndMiB),
    bytesPerRefresh: growth((p) => p.idle.bytes / p.idle.refreshes),
  };
  const targetMet = ratios.cpuMsPerRefresh <= MAX_GROWTH;
  const profile = options.profile ? await profileAt(last.services, options) : null;
  return {
    sizes: options.sizes,
    shape: options.shape,
    seconds: options.seconds,
    refreshSeconds: REFRESH_SECONDS,
    points,
    ratios,
    target: targetLine(first.services, last.services),
    targetMet,
    profile,
  };
}

export type Sweep = Awaited<ReturnType<typeof measureSweep>>;

function targetLine(smallest: number, largest: number): string {
  return `idle CPU per refresh at ${count(largest)} ≤ ${MAX_GROWTH}× that at ${count(smallest)}`;
}

/** The sweep's line in the main table. */
export function sweepRow(sweep: Sweep): Row {
  const first = sweep.points[0]!;
  const last = sweep.points.at(-1)!;
  const r = sweep.ratios;
  return {
    id: 'SW',
    what: `size sweep: idle CPU per refresh, ${count(first.services)} → ${count(last.services)} services`,
    wall: '',
    cpu: `${ms(first.idle.cpuMsPerRefresh)} → ${ms(last.idle.cpuMsPerRefresh)} = ${r.cpuMsPerRefresh.toFixed(1)}×`,
    detail: `services ${r.services.toFixed(0)}×; first frame ${r.firstFrameMs.toFixed(1)}×, RSS ${r.rssEndMiB.toFixed(1)}× (section below)`,
    target: `≤ ${MAX_GROWTH}× (cost follows change, not size)`,
    met: yes(sweep.targetMet),
  };
}

const x = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : '-');
const mib = (value: number): string => `${Math.round(value)} MiB`;

/** The sweep's own section under the table: a line per size, then the growth ratios. */
export function printSweep(sweep: Sweep): void {
  const s = sweep.shape;
  console.log('');
  console.log(
    `size sweep — fake engine, ${s.nodes} nodes, ${s.tasksPerService} tasks per service (+${s.historyPerTask} history each), --refresh ${sweep.refreshSeconds}, ${sweep.seconds} s idle window per size:`,
  );
  const rows = sweep.points.map((p) => ({
    services: count(p.services),
    tasks: count(p.services * p.size.tasksPerService),
    frame: ms(p.firstFrameMs),
    rssFirst: mib(p.rssFirstFrameMiB),
    rssEnd: mib(p.rssEndMiB),
    perRefresh: ms(p.idle.cpuMsPerRefresh),
    idle: `${p.idle.cpuPercent.toFixed(2)} %`,
    refreshes: String(p.idle.refreshes),
    bytes: `${Math.round(p.idle.bytes / p.idle.refreshes / 1000)} kB`,
  }));
  const r = sweep.ratios;
  rows.push({
    services: `${r.of} ${x(r.services)}`,
    tasks: '',
    frame: x(r.firstFrameMs),
    rssFirst: x(r.rssFirstFrameMiB),
    rssEnd: x(r.rssEndMiB),
    perRefresh: x(r.cpuMsPerRefresh),
    idle: x(r.cpuPercent),
    refreshes: '',
    bytes: x(r.bytesPerRefresh),
  });
  printColumns(
    {
      services: 'services',
      tasks: 'running tasks',
      frame: 'first frame',
      rssFirst: 'RSS at first frame',
      rssEnd: 'RSS after idle',
      perRefresh: 'CPU/refresh',
      idle: 'idle CPU',
      refreshes: 'refreshes',
      bytes: 'bytes/refresh',
    },
    rows,
  );
  console.log(
    `target: ${sweep.target}: ${sweep.targetMet ? 'met' : 'NOT met'} (${x(r.cpuMsPerRefresh)})`,
  );
  for (const p of sweep.points) {
    console.log(
      `  ${count(p.services)}: ${describeSize(p.size)}; engine up in ${ms(p.engineUpMs)}`,
    );
  }
}
