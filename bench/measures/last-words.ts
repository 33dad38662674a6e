// Last words (issue 14): what reading crashed tasks' last lines costs the engine. At full size,
// crash loops are added (each its own exit code, so each its own failing group), the app opens
// on the problems view and idles; GET /tasks/{id}/logs is counted. The target: at most one
// request per new failed group — here one per group, as no task fails anew inside the window
// (each loop restarts after 5 minutes), and none again on later refreshes.

import { withApp } from '../lib/app.js';
import type { Target } from '../lib/engines.js';
import { log, sleep } from '../lib/harness.js';
import { yes, type Row } from '../lib/table.js';

export interface LastWordsResult {
  groups: number;
  seconds: number;
  /** GET /tasks/{id}/logs in the window. */
  logRequests: number;
  /** GET /tasks/{id} in the window (the app inspects a task before reading its logs). */
  taskInspects: number;
}

export async function measureLastWords(
  target: Target,
  { groups, seconds }: { groups: number; seconds: number },
): Promise<LastWordsResult> {
  const fake = target.fake!;
  // Crash loops whose next crash is far off: their failures so far are all the window sees.
  for (let i = 0; i < groups; i++) {
    fake.cluster.addService({
      name: `bench-crash-${i}`,
      stack: '',
      image: 'lab/busybox:1',
      replicas: 1,
      // Two failures behind it (5 and 10 minutes ago: problems), restarting for 5 minutes (0/1:
      // a degraded service, so its tasks are followed), no new crash inside the window.
      crashLoop: { runMs: 1_000, restartDelayMs: 300_000, exitCode: 10 + i },
    });
  }
  // Every failing group the app can show (the full-size swarm has some of its own): failed tasks
  // of the last 15 minutes that ran, by their error.
  const recent = Date.now() - 15 * 60_000;
  const failing = new Set(
    [...fake.cluster.tasks.values()]
      .filter(
        (t) =>
          t.Status.State === 'failed' &&
          t.Status.ContainerStatus !== undefined &&
          Date.parse(t.Status.Timestamp) >= recent,
      )
      .map((t) => t.Status.Err ?? ''),
  );
  // Counted from the launch: the first screen already reads the problems it counts.
  fake.resetStats();
  return withApp(target, {}, async ({ tmux }) => {
    await tmux.sendAsync('5');
    log(`last words: ${groups} failing groups, the problems view open for ${seconds} s`);
    await sleep(seconds * 1000);
    const stats = fake.stats();
    const count = (key: string) => stats.byPath[key]?.requests ?? 0;
    return {
      groups: failing.size,
      seconds,
      logRequests: count('GET /tasks/{id}/logs'),
      taskInspects: count('GET /tasks/{id}'),
    };
  });
}

export function lastWordsRows(r: LastWordsResult): Row[] {
  return [
    {
      id: 'LW',
      what: `last words, ${r.groups} failing groups, problems view ${r.seconds} s`,
      wall: '',
      cpu: '',
      detail: `${r.logRequests} GET /tasks/{id}/logs, ${r.taskInspects} GET /tasks/{id}`,
      target: '≤ 1 request per new failed group',
      met: yes(r.logRequests <= r.groups),
    },
  ];
}
