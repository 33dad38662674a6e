// Per service sums of the stats probe's figures (issue 15), for the services list while the probe
// runs: CPU in percent of one core and memory in use, summed over the service's running tasks.
import { memoLast } from '../format/memo.js';
import type { SwarmTask } from '../model.js';
import type { UsageData, UsageFigure } from '../probe/line.js';

/** A figure older than this is STALE (the usage view's rule: the probe prints every 2 s). */
export const SUM_STALE_MS = 10_000;

export interface ServiceUsage {
  /** Percent of one core over the fresh figures; null while none has a CPU figure yet. */
  cpu: number | null;
  /** Bytes in use over the fresh figures. */
  mem: number;
  /** Tasks with a fresh figure. */
  tasks: number;
  /** The service has figures, all of them older than SUM_STALE_MS. */
  stale: boolean;
  /** When the newest of its figures came in (epoch ms). */
  newest: number;
}

/** The probe is running and has sent figures: the services list shows its sums. */
export function showsSums(usage: UsageData): boolean {
  return usage.phase === 'running' && usage.figures.size > 0;
}

/**
 * Each service's sums, by service ID, from the figures of the tasks meant to run (a figure of a
 * task that is no longer meant to run is not counted). Stale figures are left out of the sums.
 */
export function serviceUsage(
  figures: ReadonlyMap<string, UsageFigure>,
  placements: readonly SwarmTask[] | null,
  now: number,
): Map<string, ServiceUsage> {
  const serviceOf = new Map((placements ?? []).map((t) => [t.id, t.serviceId]));
  const sums = new Map<string, ServiceUsage>();
  for (const figure of figures.values()) {
    const service = serviceOf.get(figure.task);
    if (service === undefined) continue;
    const sum = sums.get(service) ?? { cpu: null, mem: 0, tasks: 0, stale: true, newest: 0 };
    sum.newest = Math.max(sum.newest, figure.receivedAt);
    if (now - figure.receivedAt <= SUM_STALE_MS) {
      sum.stale = false;
      sum.tasks += 1;
      sum.mem += figure.mem;
      if (figure.cpu !== null) sum.cpu = (sum.cpu ?? 0) + figure.cpu;
    }
    sums.set(service, sum);
  }
  return sums;
}

/** The same sums while nothing changed (the list asks for them per cell). */
export const serviceUsageOf = memoLast(serviceUsage);

/** "97%", "0.4%", "…" (no CPU figure yet), "STALE", "-" (no figure). */
export function sumCpuText(sum: ServiceUsage | undefined): string {
  if (sum === undefined) return '-';
  if (sum.stale) return 'STALE';
  if (sum.cpu === null) return '…';
  return `${sum.cpu < 10 ? sum.cpu.toFixed(1) : Math.round(sum.cpu)}%`;
}
