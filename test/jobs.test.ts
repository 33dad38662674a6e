// Jobs (replicated-job, global-job) counted as the docker CLI counts them, and judged by their
// tasks: a finished job is not a problem, a job whose newest attempt in a slot failed is.
import { fixture } from './helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import { parseServices, parseTasks } from '../source/docker/parse.js';
import {
  failedJobSlots,
  isHistory,
  isServiceDegraded,
  isServiceDown,
  isTaskLive,
  isTaskTrouble,
  jobProgress,
  outdatedJobFailures,
} from '../source/health.js';
import type { SwarmService } from '../source/model.js';
import { formatSnapshotJson, formatSnapshotText } from '../source/once.js';
import { problemRows, troubledNow } from '../source/views/problem-rows.js';
import { modeText, replicasText } from '../source/views/services.js';
import { stackRows } from '../source/views/stack-rows.js';
import { node, service, task } from './helpers/factories.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

const replicatedJob = (overrides: Partial<SwarmService> = {}) =>
  service({
    id: 'j',
    name: 'report',
    mode: 'replicated-job',
    specReplicas: null,
    totalCompletions: 3,
    jobIteration: 0,
    running: 0,
    desired: 3,
    completed: 0,
    ...overrides,
  });
const globalJob = (overrides: Partial<SwarmService> = {}) =>
  service({
    id: 'g',
    name: 'prune',
    mode: 'global-job',
    specReplicas: null,
    jobIteration: 0,
    running: 0,
    desired: 0,
    completed: 0,
    ...overrides,
  });
const jobTask = (id: string, slot: number | null, state: string, ms: number, more = {}) =>
  task({
    id,
    serviceId: 'j',
    slot,
    state,
    desiredState: state === 'failed' ? 'shutdown' : 'complete',
    error: state === 'failed' ? 'task: non-zero exit (3)' : null,
    jobIteration: 0,
    stateSince: ago(ms),
    createdAt: ago(ms + 1_000),
    ...more,
  });

describe('the REPLICAS cell, as `docker service ls` writes it', () => {
  it.each([
    ['a replicated job running 1 of 3', replicatedJob({ running: 1 }), '1/3 (0/3 completed)'],
    [
      'a replicated job half done',
      replicatedJob({ running: 2, completed: 1 }),
      '2/3 (1/3 completed)',
    ],
    ['a finished replicated job', replicatedJob({ completed: 3 }), '0/3 (3/3 completed)'],
    ['a finished global job', globalJob({ completed: 6 }), '0/0 (6/6 completed)'],
    [
      'a global job under way',
      globalJob({ running: 2, desired: 4, completed: 2 }),
      '2/4 (2/6 completed)',
    ],
    ['a service', service({ id: 's', running: 2, desired: 3 }), '2/3'],
    [
      'a service with a per-node cap',
      service({ id: 's', running: 3, desired: 3, maxReplicasPerNode: 1 }),
      '3/3 (max 1 per node)',
    ],
  ])('%s: %s', (_what, s, text) => {
    expect(replicasText(s)).toBe(text);
  });

  it('names the run of a job in its mode', () => {
    expect(modeText(replicatedJob({ jobIteration: 2 }))).toBe('replicated-job #2');
    expect(modeText(service({ id: 's' }))).toBe('replicated');
  });
});

describe('a job is never below a count', () => {
  it('finished or running, a job is not degraded; a service below its count is', () => {
    expect(isServiceDegraded(replicatedJob({ completed: 3 }))).toBe(false);
    expect(isServiceDegraded(replicatedJob({ running: 1 }))).toBe(false);
    expect(isServiceDegraded(globalJob({ completed: 6 }))).toBe(false);
    expect(isServiceDegraded(service({ id: 's', running: 0, desired: 3 }))).toBe(true);
  });

  it('is down only when the problems view lists it (its tasks fail)', () => {
    const job = replicatedJob();
    expect(isServiceDown(job, new Set())).toBe(false);
    expect(isServiceDown(job, new Set(['j']))).toBe(true);
    // A service at its count with failing tasks is a warning (!), not down.
    expect(isServiceDown(service({ id: 's' }), new Set(['s']))).toBe(false);
  });

  it('finished when the completions reach the total', () => {
    expect(jobProgress(replicatedJob({ completed: 3 }))).toEqual({
      completed: 3,
      total: 3,
      finished: true,
    });
    expect(jobProgress(globalJob({ desired: 2, completed: 4 }))).toEqual({
      completed: 4,
      total: 6,
      finished: false,
    });
    expect(jobProgress(service({ id: 's' }))).toBeNull();
  });

  it('unfinished jobs are followed for the problems view; finished ones are not', () => {
    expect(
      troubledNow([replicatedJob({ running: 3 }), replicatedJob({ id: 'k', completed: 3 })]),
    ).toEqual(['j']);
  });

  it('a finished job adds nothing missing to its stack', () => {
    const [row] = stackRows([
      replicatedJob({ stack: 'b', completed: 3 }),
      service({ id: 's', stack: 'b', running: 2, desired: 2 }),
    ]);
    expect(row).toMatchObject({ running: 2, desired: 2, degraded: 0 });
  });
});

describe("a job's tasks", () => {
  it('a running job task is neither history nor trouble, and not what a drain waits for', () => {
    const running = jobTask('r', 1, 'running', 5_000);
    expect(isHistory(running)).toBe(false);
    expect(isTaskTrouble(running)).toBe(false);
    expect(isTaskLive(running)).toBe(false);
    expect(isHistory(jobTask('c', 1, 'complete', 5_000))).toBe(false);
    expect(isTaskTrouble(jobTask('p', 1, 'pending', 60_000))).toBe(true);
  });

  it('a slot whose newest ended attempt failed is failing, even with a retry on its way', () => {
    const tasks = [
      jobTask('f1', 1, 'failed', 20_000),
      jobTask('f2', 1, 'failed', 10_000),
      jobTask('retry', 1, 'ready', 1_000, { desiredState: 'ready' }),
      jobTask('ok', 2, 'complete', 10_000),
    ];
    expect(failedJobSlots(replicatedJob(), tasks).map((t) => t.id)).toEqual(['f2']);
  });

  it('a failure made good by a later attempt of its slot does not count', () => {
    const tasks = [jobTask('f', 1, 'failed', 20_000), jobTask('ok', 1, 'complete', 5_000)];
    expect(failedJobSlots(replicatedJob(), tasks)).toEqual([]);
    expect([...outdatedJobFailures(replicatedJob(), tasks)]).toEqual(['f']);
  });

  it("a failure of the job's earlier run does not count", () => {
    const tasks = [jobTask('old', 1, 'failed', 20_000, { jobIteration: 0 })];
    expect(failedJobSlots(replicatedJob({ jobIteration: 1 }), tasks)).toEqual([]);
    expect([...outdatedJobFailures(replicatedJob({ jobIteration: 1 }), tasks)]).toEqual(['old']);
  });

  it("a global job's slots are its nodes", () => {
    const tasks = [
      jobTask('a', null, 'failed', 20_000, { serviceId: 'g', nodeId: 'n1' }),
      jobTask('b', null, 'complete', 5_000, { serviceId: 'g', nodeId: 'n2' }),
    ];
    expect(failedJobSlots(globalJob({ desired: 1, completed: 1 }), tasks).map((t) => t.id)).toEqual(
      ['a'],
    );
  });

  it('a service has no job slots', () => {
    expect(failedJobSlots(service({ id: 'j' }), [jobTask('f', 1, 'failed', 1_000)])).toEqual([]);
  });
});

describe('the problems of jobs', () => {
  const nodes = [node({ id: 'n1' })];
  it('a finished job is no problem, even with a failure its retry made good', () => {
    const rows = problemRows({
      nodes,
      services: [replicatedJob({ completed: 3 })],
      tasks: [
        jobTask('f', 1, 'failed', 60_000),
        jobTask('a', 1, 'complete', 30_000),
        jobTask('b', 2, 'complete', 30_000),
        jobTask('c', 3, 'complete', 30_000),
      ],
      troubled: ['j'],
      nowMs: NOW,
    });
    expect(rows).toEqual([]);
  });

  it('a failing job is one, said with its progress and the engine error', () => {
    const rows = problemRows({
      nodes,
      services: [replicatedJob({ completed: 1 })],
      tasks: [
        jobTask('a', 1, 'complete', 30_000),
        jobTask('f', 2, 'failed', 20_000),
        jobTask('g', 3, 'failed', 10_000),
      ],
      troubled: ['j'],
      nowMs: NOW,
    });
    expect(rows[0]).toMatchObject({
      kind: 'service',
      severity: 'bad',
      what: 'report: job failing, 1/3 completed',
      detail: '2 tasks failed and not completed since; newest task error: task: non-zero exit (3)',
      serviceIds: ['j'],
    });
    // The failed tasks themselves are grouped by their error, as any failing tasks.
    expect(rows[1]).toMatchObject({ kind: 'tasks', what: '2 tasks: task: non-zero exit (3)' });
  });

  it('a job that gave up long ago is still a problem (its newest attempt failed)', () => {
    const rows = problemRows({
      nodes,
      services: [replicatedJob({ totalCompletions: 1, desired: 1 })],
      tasks: [jobTask('f', 1, 'failed', 3 * 3600_000)],
      troubled: ['j'],
      nowMs: NOW,
    });
    expect(rows.map((r) => r.what)).toEqual(['report: job failing, 0/1 completed']);
  });
});

// Recorded from the lab (Docker 20.10 managers) next to `docker service ls`, which printed:
//   xfail  replicated job  0/2 (0/2 completed)    (sh -c 'exit 3', retried)
//   xgjob  global job      0/0 (6/6 completed)
//   xjob   replicated job  0/3 (3/3 completed)
//   xslow  replicated job  2/2 (0/2 completed)    (sleep 600)
describe('jobs recorded from the lab', () => {
  const read = fixture;
  const services = parseServices(read('jobs-services.json'));
  const ids = new Set(services.map((s) => s.id));
  // The fixture also holds the overlay services' tasks (network-problems.test.ts reads them).
  const tasks = parseTasks(read('jobs-tasks.json')).filter((t) => ids.has(t.serviceId));
  const named = (name: string) => services.find((s) => s.name === name)!;
  const recordedAt = Date.parse('2026-12-05T22:34:21Z');

  it('reads as the CLI reads them', () => {
    expect(Object.fromEntries(services.map((s) => [s.name, replicasText(s)]))).toEqual({
      xfail: '0/2 (0/2 completed)',
      xgjob: '0/0 (6/6 completed)',
      xjob: '0/3 (3/3 completed)',
      xslow: '2/2 (0/2 completed)',
    });
    expect(named('xjob')).toMatchObject({ mode: 'replicated-job', jobIteration: 0 });
    expect(named('xjob').jobLastExecution).toMatch(/^2026-12-05T22:30/);
    expect(tasks.find((t) => t.serviceId === named('xjob').id)?.jobIteration).toBe(0);
  });

  it('only the failing job is a problem', () => {
    const rows = problemRows({
      nodes: [],
      services,
      tasks,
      troubled: services.map((s) => s.id),
      nowMs: recordedAt,
    });
    const about = new Set(rows.flatMap((r) => r.serviceIds));
    expect([...about].map((id) => services.find((s) => s.id === id)?.name)).toEqual(['xfail']);
    expect(rows[0]?.what).toBe('xfail: job failing, 0/2 completed');
  });

  it('--once and --json say the same counts and problems', () => {
    const snapshot = { nodes: [], services, tasks };
    const now = new Date(recordedAt);
    const text = formatSnapshotText(snapshot, now);
    expect(text).toMatch(/^xjob +0\/3 \(3\/3 completed\) +replicated-job #0 /m);
    expect(text).toMatch(/^✗ xfail: job failing, 0\/2 completed/m);
    expect(text).not.toMatch(/^✗ (xjob|xgjob|xslow)/m);
    const json = JSON.parse(formatSnapshotJson(snapshot, now));
    const xgjob = json.services.find((s: { name: string }) => s.name === 'xgjob');
    expect(xgjob).toMatchObject({ replicas: '0/0 (6/6 completed)', completed: 6, jobIteration: 0 });
    expect(json.problems.map((p: { what: string }) => p.what)).toContain(
      'xfail: job failing, 0/2 completed',
    );
  });
});
