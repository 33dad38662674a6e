// P2: CPU per refresh and idle CPU of the interactive app at full size (--refresh 2), read from
// /proc/<pid>/stat; then the same under change (tasks failing, a rolling update), in two windows:
// the first seconds of the change (the incident's onset: the troubled set fills, and code the idle
// app never ran is compiled and warmed), then as the change goes on (the same failures, and a
// new rollout of the same service each first window's length).
// P5: bytes and requests pulled from the engine per minute while idle, from the fake engine's
// counters, against a naive client that lists every task every 2 s.

import http from 'node:http';
import type { FakeEngine } from '../../test/fake-engine/index.js';
import { withApp } from '../lib/app.js';
import { cpuWindow, type Window } from '../lib/cpu-window.js';
import type { Target } from '../lib/engines.js';
import { REFRESH_SECONDS } from '../lib/env.js';
import { log, mb, ms, nowMs, sleep } from '../lib/harness.js';
import { yes, type Row } from '../lib/table.js';

const NAIVE_INTERVAL_MS = 2000;

export async function measureLive(
  target: Target,
  {
    seconds,
    churnSeconds,
    sustainedSeconds,
  }: { seconds: number; churnSeconds: number; sustainedSeconds: number },
) {
  const fake = target.fake!;
  return withApp(target, {}, async ({ tmux, pid, firstFrameMs }) => {
    // Let the first loads (services, nodes, the selected service's tasks) settle.
    await sleep(5000);
    log(`P2/P5: smarm-top (pid ${pid}) idle for ${seconds} s at full size`);
    const idle = await cpuWindow(pid, fake, seconds);
    let churn: (Window & { failuresPerSecond: number; rollingUpdate: string }) | null = null;
    let sustained: Window | null = null;
    if (churnSeconds > 0) {
      const failuresPerSecond = 2;
      log(
        `P2: under change for ${churnSeconds} s (${failuresPerSecond} task failures/s, a rolling update)`,
      );
      const stop = fake.startChurn({
        taskFailuresPerSecond: failuresPerSecond,
        rollingUpdate: target.service,
        updateStepMs: 2000,
      });
      const measured = await cpuWindow(pid, fake, churnSeconds);
      churn = { ...measured, failuresPerSecond, rollingUpdate: target.service };
      if (sustainedSeconds > 0) {
        log(`P2: still under change, the next ${sustainedSeconds} s`);
        // The first rollout is over within the first window (10 tasks, one every 2 s): a new
        // one starts at once, then one each window's length, as the first did.
        const roll = () => fake.mutate.startRollingUpdate(target.service, { stepMs: 2000 });
        roll();
        const rolling = setInterval(roll, churnSeconds * 1000);
        try {
          sustained = await cpuWindow(pid, fake, sustainedSeconds);
        } finally {
          clearInterval(rolling);
        }
      }
      stop();
    }
    const screen = await tmux.captureAsync();
    return { firstFrameMs, idle, churn, sustained, screen };
  });
}

/** A client that lists every task every 2 s (as swarmcli does), for as long as the idle window. */
export async function naiveClient(fake: FakeEngine, socketPath: string, seconds: number) {
  log(`P5: naive client, GET /tasks every ${NAIVE_INTERVAL_MS / 1000} s for ${seconds} s`);
  const agent = new http.Agent({ keepAlive: true });
  fake.resetStats();
  const t0 = nowMs();
  let received = 0;
  try {
    for (let at = 0; at < seconds * 1000; at += NAIVE_INTERVAL_MS) {
      await sleep(Math.max(0, t0 + at - nowMs()));
      received += await new Promise<number>((resolve, reject) => {
        http
          .get({ socketPath, path: '/v1.41/tasks', agent }, (res) => {
            let bytes = 0;
            res.on('data', (chunk: Buffer) => (bytes += chunk.length));
            res.on('end', () => resolve(bytes));
          })
          .on('error', reject);
      });
    }
    await sleep(Math.max(0, t0 + seconds * 1000 - nowMs()));
  } finally {
    agent.destroy();
  }
  const elapsed = (nowMs() - t0) / 1000;
  const stats = fake.stats();
  return {
    seconds: elapsed,
    requests: stats.requests,
    bytes: stats.bytesSent,
    bodyBytes: received,
    requestsPerMinute: (stats.requests * 60) / elapsed,
    bytesPerMinute: (stats.bytesSent * 60) / elapsed,
  };
}

export type Live = Awaited<ReturnType<typeof measureLive>>;

/** A refresh is a poll of the whole service list: the lists of the services that move, asked
 * for by id at the fast pace, are not counted as refreshes. */
function changeRow(what: string, c: Window): Row {
  return {
    id: 'P2',
    what,
    wall: '',
    cpu: `${c.cpuPercent.toFixed(2)} % of a core`,
    detail: `${c.refreshes} refreshes, ${ms(c.cpuMsPerRefresh)} CPU and ${c.requestsPerRefresh.toFixed(1)} requests each (${ms(c.cpuMs / (c.seconds / REFRESH_SECONDS))} CPU per ${REFRESH_SECONDS} s); ${mb(c.bytesPerMinute)}/min`,
    target: '≤ 30 ms/refresh',
    met: yes(c.cpuMsPerRefresh <= 30),
  };
}
export type Naive = Awaited<ReturnType<typeof naiveClient>>;

export function liveRows(live: Live, naive: Naive): Row[] {
  const rows: Row[] = [];
  const w = live.idle;
  rows.push({
    id: 'P2',
    what: `idle at full size, --refresh ${REFRESH_SECONDS}, ${Math.round(w.seconds)} s`,
    wall: '',
    cpu: `${w.cpuPercent.toFixed(2)} % of a core`,
    detail: `${w.refreshes} refreshes, ${ms(w.cpuMsPerRefresh)} CPU and ${w.requestsPerRefresh.toFixed(1)} requests each; RSS ${Math.round(w.rssMiB)} MiB`,
    target: '≤ 1 % idle (issue 17)',
    met: yes(w.cpuPercent <= 1),
  });
  if (live.churn !== null) {
    const c = live.churn;
    const change = `${c.failuresPerSecond} failures/s + rolling update`;
    rows.push(changeRow(`under change: ${change}, the first ${Math.round(c.seconds)} s`, c));
    if (live.sustained !== null) {
      const s = live.sustained;
      rows.push(changeRow(`under change: the next ${Math.round(s.seconds)} s`, s));
    }
  }
  const ratio = naive.bytesPerMinute / w.bytesPerMinute;
  rows.push({
    id: 'P5',
    what: 'smarm-top idle at full size, per minute',
    wall: '',
    cpu: '',
    detail: `${mb(w.bytesPerMinute)}, ${Math.round(w.requestsPerMinute)} requests`,
    target: '',
    met: '',
  });
  rows.push({
    id: 'P5',
    what: 'naive client: GET /tasks every 2 s, per minute',
    wall: '',
    cpu: '',
    detail: `${mb(naive.bytesPerMinute)}, ${Math.round(naive.requestsPerMinute)} requests → ${ratio.toFixed(1)}× smarm-top's bytes`,
    target: '≥ 10× less than naive',
    met: yes(ratio >= 10),
  });
  return rows;
}

/** A window's requests, biggest first, for the lines under the table. */
export function windowPaths(window: Window): string {
  return Object.entries(window.byPath)
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .map(([key, value]) => `${key} ×${value.requests} ${mb(value.bytes)}`)
    .join(', ');
}
