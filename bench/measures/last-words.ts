// Last words (issue 14): what reading crashed tasks' last lines costs the engine. At full size,
// crash loops are added (each its own exit code, so each its own failing group), the app opens
// on the problems view and idles; GET /tasks/{id}/logs is counted. The target: at most one
// request per new failed group — here one per group, as no task fails anew inside the window
// (each loop's run is longer than the window), and none again on later refreshes.

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
      crashLoop: { runMs: 3_600_000, restartDelayMs: 1_000, exitCode: 10 + i },
    });
  }
  return withApp(target, {}, async ({ tmux }) => {
    fake.resetStats();
    await tmux.sendAsync('5');
    log(`last words: ${groups} failing groups, the problems view open for ${seconds} s`);
    await sleep(seconds * 1000);
    const stats = fake.stats();
    const count = (key: string) => stats.byPath[key]?.requests ?? 0;
    return {
      groups,
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
