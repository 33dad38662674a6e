// `npm run bench`: smarm-top's performance targets (issue 5) measured in one run, printed as one
// table and written to bench/results/summary.json.
//
//   P1  process start → first complete output: `--once` (wall and CPU) and the interactive path
//       (wall until a complete frame — nodes, services, the selected service's tasks — is on a
//       tmux screen), against a lab-sized and a full-size fake engine and the lab when it is up;
//       beside them their anchors: a bare `node -e 0` (--once: CPU ≤ 1.5×) and `docker service ls`
//       (first frame: wall ≤ 3×), and the docker CLI doing `node ls; service ls; service ps`.
//   P2  CPU per refresh and idle CPU of the interactive app at full size (--refresh 2), read from
//       /proc/<pid>/stat; then the same under change (tasks failing, a rolling update).
//   P3  keypress → frame at full size: keys sent one at a time through tmux, timed inside the app
//       from its SMARM_TRACE lines (key received → the next frame built; Ink draws ≤ 30 fps).
//   P5  bytes and requests pulled from the engine per minute while idle, from the fake engine's
//       counters, against a naive client that lists every task every 2 s; then (`objects`) the
//       requests per minute idle on the services view and on the networks, secrets/configs and
//       swarm views, at the lab's size (BENCH_OBJECT_SECONDS per view, default 60).
//   P6  external change → on screen at full size: a scale, a drain and a failed task made in the
//       fake engine, timed until the tmux screen shows them.
//   P7  resident memory (VmRSS) during a soak at full size under change (tasks failing, rolling
//       updates): first, last, max and the slope of the second half. A longer soak:
//       BENCH_SOAK_SECONDS=3600 npm run bench
//   The CPU profile of `--once` (BENCH_PROFILE=0 skips it), summed by bundled package.
//   REC the flight recorder: `smarm-top record --dir` at full size under churn (BENCH_RECORDER_
//       FAILURES task failures/s, default 0.2 — 17,280 a day — and a rolling update a minute) for
//       BENCH_RECORDER_SECONDS (default 600, quick 10): its CPU from /proc and its bytes a day.
//   SW  the size sweep: first frame, RSS and idle CPU per refresh at 500, 1,000 and 5,000 services
//       (10 tasks each) in one run, with the growth from the smallest size to the largest.
//   PR  the stats probe (issue 15): `smarm-top probe`'s own CPU and RSS on a node with 50 task
//       containers, smarm-top's idle CPU with the usage view open (the fake probe service's lines
//       for 60 tasks) beside the services view's, and the manager's extra traffic per minute.
//
// Each measure is a file in bench/measures/; bench/lib/ has what they share (processes, /proc,
// engines, the app in tmux through test/helpers/tmux.ts, stats, the table). This file reads the
// knobs, runs the measures in order, prints the table and writes the summary.
//
// Environment: BENCH_SECONDS (idle window, default 60), BENCH_CHURN_SECONDS (the first window
// under change, default 30, 0 skips), BENCH_SUSTAINED_SECONDS (the window after it, default 60),
// BENCH_RUNS (P1 repetitions, default 10; P6 does min(runs, 5)), BENCH_SOAK_SECONDS (P7, default
// 600, 0 skips), BENCH_NODES / BENCH_SERVICES / BENCH_TASKS / BENCH_HISTORY (full size, default
// 100 / 1000 / 10 / 2). BENCH_QUICK=1 is the CI mode (a few minutes): SECONDS 6, CHURN 4,
// SUSTAINED 4, RUNS 2, SERVICES 100, SOAK 20, no profile, sweep 100,200,500; a variable set
// explicitly still wins.
// The sweep: BENCH_SWEEP=0 skips it, BENCH_SWEEP_SIZES (default 500,1000,5000),
// BENCH_SWEEP_SECONDS (idle window per size, default BENCH_SECONDS), BENCH_SWEEP_PROFILE=1 adds a
// CPU profile of the app idle at the largest size. BENCH_ONLY=p1,p2,objects,p3,p6,p7,profile,sweep,
// lastwords,explain,probe,recorder,manager runs only the measures named (p2 includes P5; manager:
// the load on the lab manager's dockerd, issue 17: BENCH_LOAD_SERVICES default 420,
// BENCH_LOAD_REPLICAS 1, BENCH_LOAD_SECONDS 120 per client).
// Nothing here asserts a time: the table says which targets are met. The exit status is non-zero
// only when the harness itself broke (smarm-top failed or crashed, a screen or a change never
// showed), so that CI catches a broken bench and not a slow machine.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installCleanup } from './lib/cleanup.js';
import { describeSize, fakeTarget, labTarget, stopEngines, type Size } from './lib/engines.js';
import { badKnob, env, num, numbers, QUICK, REFRESH_SECONDS, RESULTS, ROOT } from './lib/env.js';
import { attempt, log, nowMs, problems, which } from './lib/harness.js';
import { printTable, type Row } from './lib/table.js';
import { measureP1, p1Rows } from './measures/p1-start.js';
import { liveRows, measureLive, naiveClient, windowPaths } from './measures/p2-p5-idle.js';
import { measureP3, p3Rows } from './measures/p3-keys.js';
import { measureP6, p6Rows } from './measures/p6-reaction.js';
import { measureObjects, objectsRows } from './measures/p5-objects.js';
import { measureP7, p7Row } from './measures/p7-soak.js';
import { printProfile, profileOnce, type Profile } from './measures/profile.js';
import { measureSweep, printSweep, sweepRow } from './measures/size-sweep.js';
import { explainRows, measureExplain } from './measures/explain.js';
import { lastWordsRows, measureLastWords } from './measures/last-words.js';
import { measureProbe, probeRows } from './measures/probe.js';
import { managerLoadRows, measureManagerLoad } from './measures/manager-load.js';
import { measureRecorder, recorderRows } from './measures/recorder.js';

const SECONDS = num('BENCH_SECONDS', 60, 6);
const CHURN_SECONDS = num('BENCH_CHURN_SECONDS', 30, 4);
/** Under change after the first window: the cost of a refresh once the incident goes on. */
const SUSTAINED_SECONDS = num('BENCH_SUSTAINED_SECONDS', 60, 4);
const RUNS = Math.max(1, Math.round(num('BENCH_RUNS', 10, 2)));
const SOAK_SECONDS = num('BENCH_SOAK_SECONDS', 600, 20);
/** Each object view's idle window: long enough for the 30-refresh swarm read to show once. */
const OBJECT_SECONDS = num('BENCH_OBJECT_SECONDS', 60, 10);
const PROFILE = env['BENCH_PROFILE'] === undefined ? !QUICK : env['BENCH_PROFILE'] !== '0';
const FULL: Size = {
  nodes: num('BENCH_NODES', 100),
  services: num('BENCH_SERVICES', 1000, 100),
  tasksPerService: num('BENCH_TASKS', 10),
  historyPerTask: num('BENCH_HISTORY', 2),
};
/** About the lab's size: 5 nodes, a handful of services. */
const SMALL: Size = { nodes: 5, services: 6, tasksPerService: 3, historyPerTask: 2 };
const SWEEP = env['BENCH_SWEEP'] !== '0';
const SWEEP_SIZES = [...numbers('BENCH_SWEEP_SIZES', [500, 1000, 5000], [100, 200, 500])].sort(
  (a, b) => a - b,
);
const SWEEP_SECONDS = num('BENCH_SWEEP_SECONDS', SECONDS, SECONDS);
const SWEEP_PROFILE = env['BENCH_SWEEP_PROFILE'] === '1';
const MEASURES = [
  'p1',
  'p2',
  'objects',
  'p3',
  'p6',
  'p7',
  'profile',
  'sweep',
  'lastwords',
  'explain',
  'probe',
  'manager',
  'recorder',
] as const;
/** Failing groups (crash loops) the last-words measure adds at full size, and its window. */
const LAST_WORDS_GROUPS = num('BENCH_LAST_WORDS_GROUPS', 12, 4);
const LAST_WORDS_SECONDS = num('BENCH_LAST_WORDS_SECONDS', 30, 10);
/** Load on the manager (lab only): services added for it, their replicas, each client's window. */
const LOAD_SERVICES = num('BENCH_LOAD_SERVICES', 420, 40);
const LOAD_REPLICAS = num('BENCH_LOAD_REPLICAS', 1, 1);
const LOAD_SECONDS = num('BENCH_LOAD_SECONDS', 120, 10);
/** The recorder's measured window (issue 16: 10 minutes) and its churn (task failures a second). */
const RECORDER_SECONDS = num('BENCH_RECORDER_SECONDS', 600, 10);
const RECORDER_FAILURES = num('BENCH_RECORDER_FAILURES', 0.2);
const ONLY = (env['BENCH_ONLY'] ?? '')
  .split(',')
  .map((m) => m.trim().toLowerCase())
  .filter((m) => m !== '');
for (const name of ONLY) {
  if (!(MEASURES as readonly string[]).includes(name)) {
    badKnob(`BENCH_ONLY names "${name}"; the measures are ${MEASURES.join(', ')}`);
  }
}
const wants = (measure: (typeof MEASURES)[number]): boolean =>
  ONLY.length === 0 || ONLY.includes(measure);

async function main(): Promise<void> {
  const began = nowMs();
  installCleanup();
  log('building dist/cli.js (node scripts/build.mjs)');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });

  const haveDocker = which('docker');
  const haveTmux = which('tmux');
  if (!haveDocker) log('no docker CLI: its rows are skipped');
  if (!haveTmux)
    log('no tmux: the interactive rows (P1 first frame, P2, P3, P6, P7, SW) are skipped');

  const fixed = (['p1', 'p2', 'objects', 'p3', 'p6', 'p7', 'profile', 'lastwords'] as const).some(
    wants,
  );
  const small = fixed ? await fakeTarget('fake lab-size', SMALL) : null;
  const needsFull = (
    ['p1', 'p2', 'p3', 'p6', 'p7', 'profile', 'lastwords', 'recorder'] as const
  ).some(wants);
  const full = needsFull ? await fakeTarget('fake full', FULL) : null;
  const lab = wants('p1') || wants('manager') ? await labTarget() : null;
  const targets = [
    ...(small === null ? [] : [small]),
    ...(full === null ? [] : [full]),
    ...(lab === null ? [] : [lab]),
  ];
  const tmux = haveTmux;

  const p1 = wants('p1') ? await measureP1(targets, { runs: RUNS, haveDocker, haveTmux }) : null;
  const live =
    tmux && wants('p2')
      ? await attempt('P2', () =>
          measureLive(full!, {
            seconds: SECONDS,
            churnSeconds: CHURN_SECONDS,
            sustainedSeconds: SUSTAINED_SECONDS,
          }),
        )
      : null;
  const naive = wants('p2') ? await naiveClient(full!.fake!, full!.socketPath, SECONDS) : null;
  const objects =
    tmux && wants('objects')
      ? await attempt('P5 objects', () => measureObjects(small!, OBJECT_SECONDS))
      : null;
  // After P2 and P5, whose counters these changes would disturb.
  const p3 = tmux && wants('p3') ? await attempt('P3', () => measureP3(full!)) : null;
  const p6 =
    tmux && wants('p6')
      ? await attempt('P6', () => measureP6(full!, { runs: RUNS, replicas: FULL.tasksPerService }))
      : null;
  const p7 =
    tmux && wants('p7') && SOAK_SECONDS > 0
      ? await attempt('P7', () => measureP7(full!, SOAK_SECONDS))
      : null;
  const profiles: Profile[] = [];
  // One after the other, so that neither profile shares the CPU with the other.
  for (const target of PROFILE && wants('profile') ? [small!, full!] : []) {
    const profile = await profileOnce(target);
    if (profile !== null) profiles.push(profile);
  }
  // After the profiles: its crash loops stay in the full-size engine.
  const explain = wants('explain')
    ? await attempt('why pending', () =>
        Promise.resolve(measureExplain({ services: FULL.services })),
      )
    : null;
  const lastWords =
    tmux && wants('lastwords')
      ? await attempt('last words', () =>
          measureLastWords(full!, { groups: LAST_WORDS_GROUPS, seconds: LAST_WORDS_SECONDS }),
        )
      : null;
  // The lab's dockerd alone with each client: the fake engines are idle by now.
  const managerLoad =
    tmux && haveDocker && lab !== null && wants('manager')
      ? await attempt('manager load', () =>
          measureManagerLoad(lab, {
            services: LOAD_SERVICES,
            replicas: LOAD_REPLICAS,
            seconds: LOAD_SECONDS,
          }),
        )
      : null;
  if (wants('manager') && lab === null) log('manager load: no lab up; its rows are skipped');
  // Last of the full-size engine's measures: its churn leaves tasks failed and images rolled.
  const recorder = wants('recorder')
    ? await attempt('recorder', () =>
        measureRecorder(full!, { seconds: RECORDER_SECONDS, failuresPerSecond: RECORDER_FAILURES }),
      )
    : null;
  // The sweep's engines come alone: the fixed ones would share the memory and the CPU with them.
  await stopEngines();
  // Its own small engines, after the fixed ones are gone (a few seconds per window when quick).
  const probe = tmux && wants('probe') ? await attempt('probe', () => measureProbe(SECONDS)) : null;
  const { historyPerTask, nodes, tasksPerService } = FULL;
  const sweep =
    haveTmux && SWEEP && wants('sweep')
      ? await attempt('size sweep', () =>
          measureSweep({
            sizes: SWEEP_SIZES,
            shape: { nodes, tasksPerService, historyPerTask },
            seconds: SWEEP_SECONDS,
            profile: SWEEP_PROFILE,
          }),
        )
      : null;

  const rows: Row[] = [];
  if (p1 !== null) rows.push(...p1Rows(p1));
  if (live !== null && naive !== null) rows.push(...liveRows(live, naive));
  if (objects !== null) rows.push(...objectsRows(objects));
  if (p3 !== null) rows.push(...p3Rows(p3));
  if (p6 !== null) rows.push(...p6Rows(p6));
  if (p7 !== null) rows.push(p7Row(p7));
  if (sweep !== null) rows.push(sweepRow(sweep));
  if (lastWords !== null) rows.push(...lastWordsRows(lastWords));
  if (explain !== null) rows.push(...explainRows(explain));
  if (probe !== null) rows.push(...probeRows(probe));
  if (managerLoad !== null) rows.push(...managerLoadRows(managerLoad));
  if (recorder !== null) rows.push(...recorderRows(recorder));

  console.log('');
  console.log(
    `smarm-top benchmark — ${os.cpus()[0]?.model ?? 'unknown CPU'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`,
  );
  console.log(`full size: ${describeSize(FULL)}; lab-size fake: ${describeSize(SMALL)}`);
  console.log('');
  printTable(rows);
  if (sweep !== null) printSweep(sweep);
  for (const profile of profiles) {
    printProfile(`--once CPU profile, ${profile.target}`, profile);
  }
  if (sweep?.profile) {
    printProfile(
      `interactive CPU profile (${sweep.profile.file}), ${Math.round(sweep.profile.idleMs / 1000)} s idle at ${sweep.profile.services} services`,
      sweep.profile,
      12,
    );
  }
  if (live !== null) {
    console.log('');
    console.log(`idle requests by path: ${windowPaths(live.idle)}`);
    if (live.churn !== null) console.log(`under change, by path: ${windowPaths(live.churn)}`);
    if (live.sustained !== null) {
      console.log(`under change, the next window, by path: ${windowPaths(live.sustained)}`);
    }
  }

  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const summary = {
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? null,
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      kernel: os.release(),
      node: process.version,
      loadAverage: os.loadavg(),
    },
    config: {
      seconds: SECONDS,
      churnSeconds: CHURN_SECONDS,
      sustainedSeconds: SUSTAINED_SECONDS,
      runs: RUNS,
      soakSeconds: SOAK_SECONDS,
      quick: QUICK,
      refreshSeconds: REFRESH_SECONDS,
      full: FULL,
      small: SMALL,
      lab: lab?.host ?? null,
      only: ONLY.length === 0 ? null : ONLY,
      sweepSizes: SWEEP ? SWEEP_SIZES : null,
      sweepSeconds: SWEEP_SECONDS,
      recorderSeconds: RECORDER_SECONDS,
      recorderFailuresPerSecond: RECORDER_FAILURES,
    },
    p1:
      p1 === null
        ? null
        : {
            nodeBare: p1.floor,
            once: p1.once,
            dockerServiceLs: p1.serviceLs,
            dockerCli: p1.docker,
            interactiveFirstFrame: p1.frame,
            tmuxFloor: p1.tmux,
          },
    p2:
      live === null
        ? null
        : {
            firstFrameMs: live.firstFrameMs,
            idle: live.idle,
            churn: live.churn,
            sustained: live.sustained,
          },
    p5:
      live === null || naive === null
        ? null
        : { smarmTop: live.idle, naive, ratio: naive.bytesPerMinute / live.idle.bytesPerMinute },
    p5Objects: objects,
    lastWords,
    explain,
    probe,
    managerLoad,
    recorder,
    p3,
    p6,
    p7,
    profiles,
    sweep,
    table: rows,
    problems,
    totalSeconds: Math.round((nowMs() - began) / 1000),
  };
  writeFileSync(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
  console.log('');
  console.log(`wrote ${path.relative(ROOT, RESULTS)} in ${Math.round((nowMs() - began) / 1000)} s`);
  if (problems.length > 0) {
    console.log('');
    console.log(`the harness broke (${problems.length}):`);
    for (const message of problems) console.log(`  ${message}`);
  }
}

main().then(
  () => process.exit(problems.length > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
