// The usage view's pure parts (issue 15): rows from probe lines named through the tasks meant to
// run, `!` for unhealthy or near the memory limit, STALE figures, per-node totals, the problems
// the probe's health feeds, the nodes where the probe cannot start, and the once-per-session ask.
import { describe, expect, it } from 'vitest';
import { nodeErrorsOf } from '../../source/live/usage-probe.js';
import { probeName } from '../../source/operations/kinds/probe.js';
import type { UsageFigure } from '../../source/probe/line.js';
import { reducer, startState } from '../../source/state/reducer.js';
import { initialUsage, probePhase } from '../../source/state/usage.js';
import { usageRows, usageView, nodeTotals } from '../../source/views/usage.js';
import { unhealthyProblems } from '../../source/views/usage-problems.js';
import type { ViewData } from '../../source/views/view.js';
import { node, service, task } from '../helpers/factories.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const MiB = 1024 * 1024;
const figure = (over: Partial<UsageFigure> & { task: string }): UsageFigure => ({
  node: 'n1',
  cpu: 10,
  mem: 10 * MiB,
  lim: 100 * MiB,
  health: 'none',
  at: NOW,
  receivedAt: NOW,
  ...over,
});

function data(figures: UsageFigure[]): ViewData {
  return {
    nodes: [node({ id: 'n1', hostname: 'manager-1', nanoCpus: 2e9, memoryBytes: 1024 * MiB })],
    services: [service({ id: 's1', name: 'web' })],
    placements: [
      task({ id: 't1', serviceId: 's1', nodeId: 'n1', slot: 1 }),
      task({ id: 't2', serviceId: 's1', nodeId: 'n1', slot: 2 }),
      task({ id: 't3', serviceId: 's1', nodeId: 'n1', slot: 3 }),
    ],
    history: { tasks: [], services: new Set() },
    usage: {
      figures: new Map(figures.map((f) => [f.task, f])),
      nodeErrors: {},
      phase: 'running',
      image: 'smarm-top',
    },
  } as unknown as ViewData;
}

describe('the usage view', () => {
  const d = data([
    figure({ task: 't1', cpu: 97.3 }),
    figure({ task: 't2', mem: 95 * MiB }),
    figure({ task: 't3', health: 'unhealthy', receivedAt: NOW - 30_000 }),
  ]);
  const rows = usageRows(d, NOW);

  it('names each figure by its service, slot and node', () => {
    expect(rows.map((r) => [r.service, r.task, r.node])).toEqual([
      ['web', 'web.1', 'manager-1'],
      ['web', 'web.2', 'manager-1'],
      ['web', 'web.3', 'manager-1'],
    ]);
  });

  it('marks unhealthy tasks and memory near the limit, and old figures STALE', () => {
    expect(rows.map((r) => usageView.trouble!(r, { flagged: new Set() }))).toEqual([
      false,
      true,
      true,
    ]);
    expect(rows.map((r) => r.stale)).toEqual([false, false, true]);
  });

  it('sorts by CPU and by memory, largest first', () => {
    const byCpu = usageView.sorts.find((s) => s.name === 'cpu')!;
    const byMem = usageView.sorts.find((s) => s.name === 'memory')!;
    expect([...rows].sort(byCpu.compare)[0]!.task).toBe('web.1');
    expect([...rows].sort(byMem.compare)[0]!.task).toBe('web.2');
  });

  it('sums each node against its capacity, leaving stale figures out', () => {
    expect(nodeTotals(rows, d)).toEqual(['manager-1 107%/200% 105 MiB/1 GiB']);
  });

  it('feeds fresh unhealthy tasks to the problems view', () => {
    const fresh = data([figure({ task: 't3', health: 'unhealthy' }), figure({ task: 't1' })]);
    const problems = unhealthyProblems(
      fresh.usage.figures,
      fresh.placements,
      fresh.services,
      fresh.nodes,
      NOW,
    );
    expect(problems.map((p) => [p.what, p.detail, p.serviceIds])).toEqual([
      ['web: 1 unhealthy', 'health check failing on manager-1 (stats probe)', ['s1']],
    ]);
    // a stale figure says nothing any more
    expect(unhealthyProblems(d.usage.figures, d.placements, d.services, d.nodes, NOW)).toEqual([]);
  });

  it('says which node lacks the probe image, from its task error', () => {
    const errors = nodeErrorsOf(
      [
        task({
          id: 'p1',
          serviceId: 'p',
          nodeId: 'n1',
          state: 'rejected',
          error: 'No such image: smarm-top:latest',
        }),
        task({ id: 'p2', serviceId: 'p', nodeId: 'n2', state: 'running' }),
      ],
      'smarm-top',
    );
    expect(errors).toEqual({ n1: 'image smarm-top not found (No such image: smarm-top:latest)' });
  });

  it('says the engine socket is elsewhere on a node where its mount fails, and the flag for it', () => {
    // The engine's words on the lab, whose nodes' sockets are not at /var/run/docker.sock.
    const error =
      'invalid mount config for type "bind": bind source path does not exist: /var/run/docker.sock';
    const errors = nodeErrorsOf(
      [task({ id: 'p1', serviceId: 'p', nodeId: 'n1', state: 'rejected', error })],
      'smarm-top',
    );
    expect(errors).toEqual({
      n1: `${error}: the engine socket is not there on this node; name it with --probe-socket PATH`,
    });
  });
});

describe('asking for the probe', () => {
  it('asks once per session; read-only says why and asks nothing', () => {
    const base = startState({
      readOnly: false,
      scaleCeiling: 10,
      usage: { ...initialUsage, sessionId: 'abc' },
    });
    const asked = reducer(base, { type: 'usage-ask' });
    expect(asked.dialog?.kind === 'confirm' && asked.dialog.intent.kind).toBe('probe-start');
    expect(asked.outbox.at(-1)?.kind).toBe('prepare');
    const cancelled = reducer(asked, { type: 'dialog-cancel' });
    expect(probePhase(cancelled.usage, cancelled.ops)).toBe('declined');
    expect(reducer(cancelled, { type: 'usage-ask' })).toBe(cancelled);

    const readOnly = reducer(startState({ readOnly: true, scaleCeiling: 10 }), {
      type: 'usage-ask',
    });
    expect(readOnly.dialog).toBeNull();
    expect(readOnly.message).toBe('read-only: the stats probe creates a service');
  });

  it('starts and stops the probe as operations of this session', () => {
    const base = startState({
      readOnly: false,
      scaleCeiling: 10,
      usage: { ...initialUsage, sessionId: 'abc' },
    });
    const name = probeName('abc');
    const started = reducer(base, {
      type: 'usage-op',
      request: {
        kind: 'probe-start',
        serviceId: name,
        name,
        sessionId: 'abc',
        image: 'i',
        socket: '/s',
        lifetimeS: 600,
      },
    });
    expect(started.outbox.at(-1)?.kind).toBe('send');
    expect(probePhase(started.usage, started.ops)).toBe('starting');
    const running = reducer(started, {
      type: 'op-update',
      id: started.ops[0]!.id,
      patch: { status: 'succeeded' },
    });
    expect(probePhase(running.usage, running.ops)).toBe('running');
    const stopped = reducer(running, {
      type: 'usage-op',
      request: { kind: 'probe-stop', serviceId: name, name, why: 'left the usage view' },
    });
    expect(probePhase(stopped.usage, stopped.ops)).toBe('off');
  });
});
