// The stats probe's figures summed per service (the services list's CPU and MEM while the probe
// runs) and a task's restarts counted in its slot's retained history (the usage view).
import { describe, expect, it } from 'vitest';
import { slotRestarts, slotRestartsText } from '../../source/format/restarts.js';
import type { UsageFigure } from '../../source/probe/line.js';
import { serviceColumns } from '../../source/views/services.js';
import {
  serviceUsage,
  showsSums,
  sumCpuText,
  type ServiceUsage,
} from '../../source/views/service-usage.js';
import { usageRows } from '../../source/views/usage.js';
import type { ViewData } from '../../source/views/view.js';
import { makeTheme } from '../../source/format/palette.js';
import { node, service, task } from '../helpers/factories.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const MiB = 1024 * 1024;
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const figure = (over: Partial<UsageFigure> & { task: string }): UsageFigure => ({
  node: 'n1',
  cpu: 10,
  mem: 10 * MiB,
  lim: 0,
  health: 'none',
  at: NOW,
  receivedAt: NOW,
  ...over,
});
const placements = [
  task({ id: 't1', serviceId: 's1', nodeId: 'n1', slot: 1 }),
  task({ id: 't2', serviceId: 's1', nodeId: 'n2', slot: 2 }),
  task({ id: 't3', serviceId: 's2', nodeId: 'n1', slot: 1 }),
  task({ id: 'g1', serviceId: 's3', nodeId: 'n1', slot: null }),
];

describe('per service sums', () => {
  it('sums CPU and memory of the fresh figures of each service’s tasks meant to run', () => {
    const sums = serviceUsage(
      new Map(
        [
          figure({ task: 't1', cpu: 97.3, mem: 100 * MiB }),
          figure({ task: 't2', cpu: 12.4, mem: 50 * MiB, receivedAt: NOW - 3_000 }),
          figure({ task: 't3', cpu: 5, receivedAt: NOW - 30_000 }),
          figure({ task: 'g1', cpu: null, mem: 2 * MiB }),
          // a task no longer meant to run (replaced since) is not counted
          figure({ task: 'gone', cpu: 50 }),
        ].map((f) => [f.task, f]),
      ),
      placements,
      NOW,
    );
    expect(sums.get('s1')).toMatchObject({ mem: 150 * MiB, tasks: 2, stale: false });
    expect(sums.get('s1')!.cpu).toBeCloseTo(109.7);
    expect(sumCpuText(sums.get('s1'))).toBe('110%');
    // every figure of s2 is old: STALE, nothing summed
    expect(sums.get('s2')).toMatchObject({ cpu: null, mem: 0, tasks: 0, stale: true });
    expect(sumCpuText(sums.get('s2'))).toBe('STALE');
    // no CPU figure yet (a container's first tick)
    expect(sumCpuText(sums.get('s3'))).toBe('…');
    expect(sumCpuText(sums.get('nope'))).toBe('-');
    expect([...sums.keys()].sort()).toEqual(['s1', 's2', 's3']);
  });

  it('adds the two columns only while the probe runs with figures', () => {
    const usage = (phase: 'running' | 'off', n: number) => ({
      figures: new Map([...Array(n).keys()].map((i) => [`t${i}`, figure({ task: `t${i}` })])),
      nodeErrors: {},
      phase,
      image: 'smarm-top',
    });
    expect(showsSums(usage('running', 1))).toBe(true);
    expect(showsSums(usage('running', 0))).toBe(false);
    expect(showsSums(usage('off', 1))).toBe(false);
    const theme = makeTheme('mono');
    const now = new Date(NOW);
    const keys = (sums: ReadonlyMap<string, ServiceUsage> | null) =>
      serviceColumns(theme, now, new Set(), [], sums).map((c) => c.key);
    expect(keys(null)).not.toContain('cpu');
    expect(keys(new Map<string, ServiceUsage>())).toEqual(expect.arrayContaining(['cpu', 'mem']));
    expect(keys(null).length + 2).toBe(keys(new Map<string, ServiceUsage>()).length);
  });
});

describe('a task’s restarts', () => {
  const failed = (id: string, slot: number | null, at: number, nodeId = 'n1') =>
    task({
      id,
      serviceId: 's1',
      nodeId,
      slot,
      state: 'failed',
      desiredState: 'shutdown',
      createdAt: ago(at),
      stateSince: ago(at - 1_000),
    });
  const current = (slot: number | null, nodeId = 'n1') =>
    task({ id: `cur-${slot ?? nodeId}`, serviceId: 's1', nodeId, slot, createdAt: ago(1_000) });

  it('counts the earlier tasks of its slot that ended, not other slots or services', () => {
    const mine = current(1);
    const tasks = [
      failed('a', 1, 60_000),
      failed('b', 1, 30_000),
      // an update's shut-down task is not a restart
      task({ id: 'u', serviceId: 's1', slot: 1, state: 'shutdown', createdAt: ago(90_000) }),
      failed('other-slot', 2, 20_000),
      { ...failed('other-service', 1, 20_000), serviceId: 's2' },
      mine,
    ];
    const rate = slotRestarts(tasks, mine, 5);
    expect(rate).toEqual({ count: 2, atLeast: false });
    expect(slotRestartsText(rate)).toBe('2');
  });

  it('says ≥N when the slot’s retained history is full', () => {
    // the lab at the default limit of 5: a crash loop keeps its new task and 4 failures
    const mine = current(1);
    const tasks = [1, 2, 3, 4].map((i) => failed(`f${i}`, 1, i * 30_000)).concat(mine);
    expect(slotRestartsText(slotRestarts(tasks, mine, 5))).toBe('≥4');
    expect(slotRestartsText(slotRestarts(tasks, mine, null))).toBe('≥4');
    // a bigger limit keeps more: the four were all
    expect(slotRestartsText(slotRestarts(tasks, mine, 10))).toBe('4');
  });

  it('keys a global task’s slot by its node; a later task is not an earlier restart', () => {
    const mine = current(null, 'n2');
    const tasks = [
      failed('here', null, 60_000, 'n2'),
      failed('elsewhere', null, 60_000, 'n3'),
      { ...failed('later', null, 60_000, 'n2'), createdAt: ago(0) },
      mine,
    ];
    expect(slotRestarts(tasks, mine, 5)).toEqual({ count: 1, atLeast: false });
  });

  it('is shown in the usage view only where the service’s history is held', () => {
    const crashy = current(1);
    const data = {
      nodes: [node({ id: 'n1', hostname: 'manager-1' })],
      services: [service({ id: 's1', name: 'crashy' }), service({ id: 's2', name: 'web' })],
      placements: [crashy, task({ id: 'w1', serviceId: 's2', nodeId: 'n1', slot: 1 })],
      taskHistory: 5,
      history: {
        tasks: [failed('a', 1, 60_000), crashy],
        services: new Set(['s1']),
      },
      usage: {
        figures: new Map([
          [crashy.id, figure({ task: crashy.id })],
          ['w1', figure({ task: 'w1' })],
          // a task that ended since: named from the history held
          ['a', figure({ task: 'a', receivedAt: NOW - 20_000 })],
        ]),
        nodeErrors: {},
        phase: 'running',
        image: 'smarm-top',
      },
    } as unknown as ViewData;
    const rows = usageRows(data, NOW);
    expect(rows.map((r) => [r.task, r.restarts])).toEqual([
      ['crashy.1', { count: 1, atLeast: false }],
      ['web.1', null],
      ['crashy.1', { count: 0, atLeast: false }],
    ]);
  });
});
