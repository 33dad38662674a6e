// P6: external change → on screen at full size. A scale, a drain and a failed task made in the
// fake engine, timed until the tmux screen shows them.

import type { TmuxWatch } from '../../test/helpers/tmux-watch.js';
import type { FakeEngine } from '../../test/fake-engine/index.js';
import { waitForScreen, waitForTasksPane, withApp } from '../lib/app.js';
import type { Target } from '../lib/engines.js';
import { REFRESH_SECONDS } from '../lib/env.js';
import { log, ms, nowMs, sleep } from '../lib/harness.js';
import { median } from '../lib/stats.js';
import { yes, type Row } from '../lib/table.js';

interface Reaction {
  what: string;
  samplesMs: number[];
  medianMs: number;
  maxMs: number;
  /** Engine events the fake emitted per change (Docker emits none for a task's change). */
  eventsPerChange: string[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `change` (a mutation of the fake engine, returning what the screen will show) made `times`
 * times, each timed until the screen shows it. Pauses of random length in between, so that the
 * changes do not keep one phase to the app's poll timer.
 */
async function timeChanges(
  watch: TmuxWatch,
  fake: FakeEngine,
  what: string,
  times: number,
  change: (i: number) => RegExp,
  timeoutMs: number,
): Promise<Reaction> {
  const samplesMs: number[] = [];
  const events: string[][] = [];
  for (let i = 0; i < times; i++) {
    await sleep(500 + Math.random() * REFRESH_SECONDS * 1000);
    const emitted: string[] = [];
    const unsubscribe = fake.cluster.onEvent((e) => emitted.push(`${e.Type} ${e.Action}`));
    const since = nowMs();
    let shows: RegExp;
    try {
      shows = change(i);
    } finally {
      unsubscribe();
    }
    const seenMs = await waitForScreen(watch, shows, since, timeoutMs);
    if (!Number.isFinite(seenMs)) throw new Error(`${what}: the change never showed`);
    samplesMs.push(seenMs);
    events.push(emitted);
  }
  const eventsPerChange = [...new Set(events.map((e) => e.join(', ') || 'none'))];
  return {
    what,
    samplesMs,
    medianMs: median(samplesMs),
    maxMs: Math.max(...samplesMs),
    eventsPerChange,
  };
}

export async function measureP6(
  target: Target,
  { runs, replicas }: { runs: number; replicas: number },
) {
  const fake = target.fake!;
  const cluster = fake.cluster;
  const times = Math.min(runs, 5);
  const service = target.service;
  const hostname = (nodeId: string): string =>
    cluster.nodes.find((n) => n.ID === nodeId)?.Description.Hostname ?? nodeId;
  const workers = cluster.nodes
    .filter((n) => n.Spec.Role === 'worker')
    .map((n) => n.Description.Hostname)
    .sort()
    .slice(0, times);

  return withApp(target, {}, async ({ tmux, watch }) => {
    await waitForTasksPane(watch);
    // First the tasks, while the app polls at its normal pace: no event has come for a while.
    log(`P6: ${times} × a failed task of ${service}, a scale of it, a drain of a node`);
    const tasks = await timeChanges(
      watch,
      fake,
      'tasks',
      times,
      () => {
        // Always slot 1, the top of the pane; the failed task is the one on its node now.
        const { failed } = fake.mutate.failTask(service, 1);
        const node = escapeRegExp(hostname(cluster.tasks.get(failed)!.NodeID));
        return new RegExp(`${escapeRegExp(service)}\\.1\\s+${node}\\s+shutdown\\s+failed \\d+s\\s`);
      },
      REFRESH_SECONDS * 1000 + 10_000,
    );
    const services = await timeChanges(
      watch,
      fake,
      'services',
      times,
      (i) => {
        fake.mutate.scaleService(service, replicas + i + 1);
        return new RegExp(`${escapeRegExp(service)}\\s+\\d+/${replicas + i + 1}\\s`);
      },
      10_000,
    );
    fake.mutate.scaleService(service, replicas);
    await tmux.sendAsync('2');
    if (!Number.isFinite(await waitForScreen(watch, /NODES \(\d+\)/, nowMs()))) {
      throw new Error('the nodes view never appeared');
    }
    const nodes = await timeChanges(
      watch,
      fake,
      'nodes',
      times,
      (i) => {
        fake.mutate.drainNode(workers[i]!);
        return new RegExp(`${escapeRegExp(workers[i]!)}\\s+worker\\s+drain\\s`);
      },
      10_000,
    );
    for (const worker of workers) fake.mutate.setNodeAvailability(worker, 'active');
    return { service, nodes: workers, reactions: [services, nodes, tasks] };
  });
}

export type P6 = Awaited<ReturnType<typeof measureP6>>;

const P6_TARGET_MS: Record<string, number> = {
  services: 500,
  nodes: 500,
  tasks: REFRESH_SECONDS * 1000,
};

export function p6Rows(p6: P6): Row[] {
  const what: Record<string, string> = {
    services: `scale ${p6.service} → its replicas on screen`,
    nodes: 'drain a node → "drain" in the nodes view',
    tasks: `a task of ${p6.service} fails → its tasks pane`,
  };
  return p6.reactions.map((r) => ({
    id: 'P6',
    what: `${what[r.what]}, full size`,
    wall: `${ms(r.medianMs)} median, max ${ms(r.maxMs)}`,
    cpu: '',
    detail: `n=${r.samplesMs.length}; change in the fake engine → seen by tmux (its control-mode client); engine events per change: ${r.eventsPerChange.join(' / ')}`,
    target: `≤ ${ms(P6_TARGET_MS[r.what]!)} each${r.what === 'tasks' ? ' (one refresh)' : ''}`,
    met: yes(r.maxMs <= P6_TARGET_MS[r.what]!),
  }));
}
