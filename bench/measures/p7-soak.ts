// P7: resident memory (VmRSS) during a soak at full size under change (tasks failing, rolling
// updates): first, last, max and the slope of the second half. A longer soak:
// BENCH_soakSeconds=3600 npm run bench

import { withApp } from '../lib/app.js';
import type { Target } from '../lib/engines.js';
import { SERVICE_ROW } from '../lib/env.js';
import { log, nowMs, sleep } from '../lib/harness.js';
import { rssMB } from '../lib/proc.js';
import { slope } from '../lib/stats.js';
import { yes, type Row } from '../lib/table.js';

export async function measureP7(target: Target, soakSeconds: number) {
  const fake = target.fake!;
  // Every 10 s, as asked; a short (CI) soak still gets ten samples.
  const everySeconds = Math.min(10, soakSeconds / 10);
  const failuresPerSecond = 2;
  return withApp(target, {}, async ({ tmux, pid }) => {
    log(
      `P7: RSS of smarm-top (pid ${pid}) every ${everySeconds} s for ${soakSeconds} s, ${failuresPerSecond} task failures/s and rolling updates`,
    );
    const stop = fake.startChurn({
      taskFailuresPerSecond: failuresPerSecond,
      rollingUpdate: target.service,
      updateStepMs: 2000,
    });
    // One rollout lasts 20 s: a new one every minute keeps the whole soak, not its start, busy.
    const rollouts = setInterval(
      () => fake.mutate.startRollingUpdate(target.service, { stepMs: 2000 }),
      60_000,
    );
    const samples: Array<{ seconds: number; rssMB: number }> = [];
    const t0 = nowMs();
    try {
      for (let i = 0; i * everySeconds <= soakSeconds; i++) {
        await sleep(Math.max(0, t0 + i * everySeconds * 1000 - nowMs()));
        samples.push({ seconds: (nowMs() - t0) / 1000, rssMB: rssMB(pid) });
      }
    } finally {
      clearInterval(rollouts);
      stop();
    }
    // Still drawing after all that.
    if (!SERVICE_ROW.test(await tmux.captureAsync())) throw new Error('the service list is gone');
    const secondHalf = samples.filter((s) => s.seconds >= soakSeconds / 2);
    return {
      seconds: soakSeconds,
      everySeconds,
      failuresPerSecond,
      rollingUpdate: target.service,
      firstMB: samples[0]!.rssMB,
      lastMB: samples.at(-1)!.rssMB,
      maxMB: Math.max(...samples.map((s) => s.rssMB)),
      slopeMBPer10Min: slope(secondHalf) * 600,
      samples,
    };
  });
}

export type P7 = Awaited<ReturnType<typeof measureP7>>;

/** Issue 17: after 30 minutes at 1,000 services under change. */
const P7_MAX_MB = 120;
/** "Flat": the second half of the soak grows by at most this much per 10 minutes. */
const P7_FLAT_MB_PER_10MIN = 5;

export function p7Row(p7: P7): Row {
  const flat = p7.slopeMBPer10Min <= P7_FLAT_MB_PER_10MIN;
  return {
    id: 'P7',
    what: `RSS under change at full size, ${p7.seconds} s`,
    wall: '',
    cpu: '',
    detail:
      `first ${p7.firstMB.toFixed(1)} MB, last ${p7.lastMB.toFixed(1)} MB, max ${p7.maxMB.toFixed(1)} MB; ` +
      `second half ${p7.slopeMBPer10Min >= 0 ? '+' : ''}${p7.slopeMBPer10Min.toFixed(1)} MB/10 min; ` +
      `${p7.samples.length} samples every ${p7.everySeconds} s; ${p7.failuresPerSecond} task failures/s, a rollout a minute`,
    target: `≤ ${P7_MAX_MB} MB, flat (≤ +${P7_FLAT_MB_PER_10MIN} MB/10 min)`,
    met: yes(p7.maxMB <= P7_MAX_MB && flat),
  };
}
