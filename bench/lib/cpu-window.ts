// An idle (or busy) window of the running app: its CPU from /proc/<pid>/stat before and after,
// the fake engine's counters over the same time, and its RSS at the end. P2, P5 and the size
// sweep all measure this way.

import type { FakeEngine, FakeEngineStats } from '../../test/fake-engine/index.js';
import { nowMs, sleep } from './harness.js';
import { processCpuMs, processRssMiB } from './proc.js';

export interface Window {
  seconds: number;
  cpuMs: number;
  cpuPercent: number;
  /** GET /services of the whole list (not those asked for by id): one per refresh. */
  refreshes: number;
  cpuMsPerRefresh: number;
  requests: number;
  bytes: number;
  requestsPerMinute: number;
  bytesPerMinute: number;
  requestsPerRefresh: number;
  byPath: FakeEngineStats['byPath'];
  rssMiB: number;
}

export async function cpuWindow(pid: number, fake: FakeEngine, seconds: number): Promise<Window> {
  fake.resetStats();
  const cpu0 = processCpuMs(pid);
  const t0 = nowMs();
  await sleep(seconds * 1000);
  const cpu1 = processCpuMs(pid);
  const elapsed = (nowMs() - t0) / 1000;
  const stats = fake.stats();
  const refreshes = stats.byPath['GET /services']?.requests ?? 0;
  const cpuMs = cpu1 - cpu0;
  return {
    seconds: elapsed,
    cpuMs,
    cpuPercent: (cpuMs / (elapsed * 1000)) * 100,
    refreshes,
    cpuMsPerRefresh: refreshes > 0 ? cpuMs / refreshes : NaN,
    requests: stats.requests,
    bytes: stats.bytesSent,
    requestsPerMinute: (stats.requests * 60) / elapsed,
    bytesPerMinute: (stats.bytesSent * 60) / elapsed,
    requestsPerRefresh: refreshes > 0 ? stats.requests / refreshes : NaN,
    byPath: stats.byPath,
    rssMiB: processRssMiB(pid),
  };
}
