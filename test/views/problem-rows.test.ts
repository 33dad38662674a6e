import { describe, expect, it } from 'vitest';
import type { ManagerReachability, SwarmNode } from '../../source/model.js';
import {
  isTaskProblem,
  isTaskTrouble,
  RECENT_FAILURE_MS,
  STUCK_PENDING_MS,
} from '../../source/health.js';
import {
  healthyLine,
  problemRows,
  taskReason,
  troubledNow,
  type ProblemInput,
  type ProblemRow,
} from '../../source/views/problem-rows.js';
import { node, service, task } from '../helpers/factories.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
/** An ISO time `ms` before NOW. */
const ago = (ms: number) => new Date(NOW - ms).toISOString();

function managers(reachabilities: ManagerReachability[]): SwarmNode[] {
  return reachabilities.map((reachability, i) =>
    node({
      id: `m${i + 1}`,
      hostname: `manager-${i + 1}`,
      role: 'manager',
      manager: { reachability, address: `127.0.0.1:${2377 + i}` },
    }),
  );
}

function rows(input: Partial<ProblemInput>): ProblemRow[] {
  return problemRows({ nodes: [], services: [], tasks: [], troubled: [], nowMs: NOW, ...input });
}

const quorumRow = (nodes: SwarmNode[]) => rows({ nodes }).find((r) => r.kind === 'quorum');

describe('quorum', () => {
  it('3 managers, all reachable: no row', () => {
    expect(quorumRow(managers(['leader', 'reachable', 'reachable']))).toBeUndefined();
  });

  it('3 managers, 1 down: 2 reachable, 2 needed, so none spare — bad, one more loses quorum', () => {
    const row = quorumRow(managers(['leader', 'reachable', 'unreachable']))!;
    expect(row).toMatchObject({ severity: 'bad', what: '1 manager unreachable', count: 1 });
    expect(row.detail).toContain('manager-3');
    expect(row.detail).toContain('2 of 3 managers reachable, 2 needed');
    expect(row.detail).toContain('losing one more loses quorum');
    expect(row.jump).toEqual({ view: 'nodes', filter: 'manager', selectId: null });
  });

  it('3 managers, 2 down: quorum lost, naming both', () => {
    const row = quorumRow(managers(['leader', 'unreachable', 'unreachable']))!;
    expect(row).toMatchObject({ severity: 'bad', what: 'quorum lost', count: 2 });
    expect(row.detail).toContain('1 of 3 managers reachable, 2 needed');
    expect(row.detail).toContain('manager-2, manager-3 unreachable');
  });

  it('5 managers, 1 down: one more can be lost — a warning', () => {
    const row = quorumRow(managers(['leader', 'reachable', 'reachable', 'reachable', 'unknown']))!;
    expect(row.severity).toBe('warn');
    expect(row.detail).toContain('4 of 5 managers reachable, 3 needed');
    expect(row.detail).toContain('1 more can be lost');
  });

  it('5 managers, 2 down: spare 0 — bad', () => {
    const row = quorumRow(
      managers(['leader', 'reachable', 'reachable', 'unreachable', 'unreachable']),
    )!;
    expect(row).toMatchObject({ severity: 'bad', what: '2 managers unreachable' });
    expect(row.detail).toContain('losing one more loses quorum');
  });

  it('5 managers, 3 down: quorum lost', () => {
    const row = quorumRow(managers(['leader', 'reachable', 'unknown', 'unknown', 'unknown']))!;
    expect(row.what).toBe('quorum lost');
  });

  it('2 managers, both up: a warning that either one loses quorum', () => {
    const row = quorumRow(managers(['leader', 'reachable']))!;
    expect(row).toMatchObject({ severity: 'warn', what: 'two managers' });
  });

  it('1 manager, or none: no quorum row', () => {
    expect(quorumRow(managers(['leader']))).toBeUndefined();
    expect(quorumRow([node({ id: 'w1' })])).toBeUndefined();
  });

  it('many lost managers are named up to three, then counted', () => {
    const row = quorumRow(
      managers(['leader', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown']),
    )!;
    expect(row.detail).toContain('manager-2, manager-3, manager-4 and 3 more unreachable');
  });
});

describe('isTaskProblem: the recent window', () => {
  const failed = (since: string | null) =>
    task({ id: 't', serviceId: 's', state: 'failed', desiredState: 'shutdown', stateSince: since });
  const pending = (since: string | null) =>
    task({ id: 't', serviceId: 's', state: 'pending', desiredState: 'running', stateSince: since });

  it('a failure within 15 minutes is a problem, an older one is history', () => {
    expect(RECENT_FAILURE_MS).toBe(15 * 60_000);
    expect(isTaskProblem(failed(ago(60_000)), NOW)).toBe(true);
    expect(isTaskProblem(failed(ago(RECENT_FAILURE_MS)), NOW)).toBe(true);
    expect(isTaskProblem(failed(ago(RECENT_FAILURE_MS + 1000)), NOW)).toBe(false);
    expect(isTaskProblem(failed(ago(60 * 60_000)), NOW)).toBe(false);
  });

  it('a failure of unknown time counts (better shown than missed)', () => {
    expect(isTaskProblem(failed(null), NOW)).toBe(true);
    expect(isTaskProblem(failed('not a time'), NOW)).toBe(true);
  });

  it('rejected and orphaned count as failed', () => {
    for (const state of ['rejected', 'orphaned']) {
      expect(isTaskProblem({ ...failed(ago(1000)), state }, NOW)).toBe(true);
    }
  });

  it('pending younger than 30 s is starting, 30 s or older is stuck', () => {
    expect(STUCK_PENDING_MS).toBe(30_000);
    expect(isTaskProblem(pending(ago(5_000)), NOW)).toBe(false);
    expect(isTaskProblem(pending(ago(29_999)), NOW)).toBe(false);
    expect(isTaskProblem(pending(ago(30_000)), NOW)).toBe(true);
    expect(isTaskProblem(pending(ago(10 * 60_000)), NOW)).toBe(true);
    expect(isTaskProblem(pending(null), NOW)).toBe(false);
  });

  it("pending with the scheduler's refusal is a problem at once: no node takes it", () => {
    const refused = { ...pending(ago(1_000)), error: 'no suitable node (insufficient resources)' };
    expect(isTaskProblem(refused, NOW)).toBe(true);
    expect(isTaskProblem({ ...refused, error: '' }, NOW)).toBe(false);
    // Placed, it waits for its node like any other: the 30 s hold again.
    expect(isTaskProblem({ ...refused, state: 'assigned' }, NOW)).toBe(false);
    expect(isTaskProblem({ ...refused, desiredState: 'shutdown' }, NOW)).toBe(false);
  });

  it('a waiting task that is not meant to run is no problem; running is none', () => {
    expect(isTaskProblem({ ...pending(ago(60_000)), desiredState: 'shutdown' }, NOW)).toBe(false);
    expect(isTaskProblem(task({ id: 't', serviceId: 's', stateSince: ago(1000) }), NOW)).toBe(
      false,
    );
    expect(
      isTaskProblem(task({ id: 't', serviceId: 's', state: 'complete', stateSince: ago(1) }), NOW),
    ).toBe(false);
  });
});

describe('isTaskTrouble (the `!` toggle in a task list)', () => {
  it('keeps failed and waiting-to-run tasks whatever their age', () => {
    const old = ago(24 * 60 * 60_000);
    expect(isTaskTrouble(task({ id: 't', serviceId: 's', state: 'failed', stateSince: old }))).toBe(
      true,
    );
    expect(isTaskTrouble(task({ id: 't', serviceId: 's', state: 'assigned' }))).toBe(true);
    expect(
      isTaskTrouble(task({ id: 't', serviceId: 's', state: 'pending', desiredState: 'shutdown' })),
    ).toBe(false);
    expect(isTaskTrouble(task({ id: 't', serviceId: 's' }))).toBe(false);
    expect(isTaskTrouble(task({ id: 't', serviceId: 's', state: 'shutdown' }))).toBe(false);
  });
});

describe('taskReason', () => {
  it("is the engine's error when there is one, trimmed", () => {
    expect(
      taskReason(
        task({
          id: 't',
          serviceId: 's',
          state: 'failed',
          error: '  non-zero exit (3) ',
          message: 'x',
        }),
      ),
    ).toBe('non-zero exit (3)');
  });

  it('a waiting task without an error gives its message, as the task list shows it', () => {
    expect(
      taskReason(
        task({ id: 't', serviceId: 's', state: 'pending', message: 'pending task scheduling' }),
      ),
    ).toBe('pending task scheduling');
    expect(taskReason(task({ id: 't', serviceId: 's', state: 'pending', message: ' ' }))).toBe('');
  });

  it('otherwise the state message', () => {
    expect(
      taskReason(task({ id: 't', serviceId: 's', state: 'rejected', error: ' ', message: 'gone' })),
    ).toBe('gone');
  });
});

describe('problemRows: grouped task errors', () => {
  const crashA = service({ id: 's-a', name: 'alpha', running: 0, desired: 1 });
  const crashB = service({ id: 's-b', name: 'beta', running: 0, desired: 2 });
  const nodes = [
    node({ id: 'n1', hostname: 'worker-1' }),
    node({ id: 'n2', hostname: 'worker-2' }),
  ];
  const failing = (id: string, serviceId: string, error: string, since: number, nodeId = 'n1') =>
    task({
      id,
      serviceId,
      nodeId,
      state: 'failed',
      desiredState: 'shutdown',
      error,
      stateSince: ago(since),
    });

  it('the same error across two services is one row, scoped to the troubled services', () => {
    const out = rows({
      nodes,
      services: [crashA, crashB],
      tasks: [
        failing('t1', 's-a', 'task: non-zero exit (3)', 10_000),
        failing('t2', 's-b', 'task: non-zero exit (3)', 20_000, 'n2'),
        failing('t3', 's-b', 'task: non-zero exit (3)', 30_000, 'n2'),
      ],
      troubled: ['s-a', 's-b'],
    });
    const tasks = out.filter((r) => r.kind === 'tasks');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      severity: 'bad',
      what: '3 tasks: task: non-zero exit (3)',
      count: 3,
      detail: "alpha, beta · on worker-1, worker-2 · the program's own error",
      jump: {
        view: 'tasks',
        scope: { kind: 'troubled', ids: ['s-a', 's-b'] },
        filter: 'task: non-zero exit (3)',
      },
    });
  });

  it("one service's error is scoped to that service", () => {
    const out = rows({
      nodes,
      services: [crashA, crashB],
      tasks: [failing('t1', 's-a', 'no such image', 10_000)],
      troubled: ['s-a', 's-b'],
    });
    const row = out.find((r) => r.kind === 'tasks')!;
    expect(row.what).toBe('1 task: no such image');
    expect(row.jump).toEqual({
      view: 'tasks',
      scope: { kind: 'service', id: 's-a' },
      filter: 'no such image',
    });
  });

  it('different errors are different rows, the biggest group first, then the newest', () => {
    const out = rows({
      nodes,
      services: [crashA, crashB],
      tasks: [
        failing('t1', 's-a', 'old but single', 50_000),
        failing('t2', 's-b', 'twice', 100_000),
        failing('t3', 's-b', 'twice', 200_000),
        failing('t4', 's-a', 'new and single', 1_000),
      ],
      troubled: ['s-a', 's-b'],
    });
    expect(out.filter((r) => r.kind === 'tasks').map((r) => r.what)).toEqual([
      '2 tasks: twice',
      '1 task: new and single',
      '1 task: old but single',
    ]);
  });

  it('leaves out failures older than the window and tasks that run', () => {
    const out = rows({
      nodes,
      services: [crashA],
      tasks: [
        failing('t1', 's-a', 'long ago', RECENT_FAILURE_MS + 60_000),
        task({ id: 't2', serviceId: 's-a', stateSince: ago(1000) }),
      ],
      troubled: ['s-a'],
    });
    expect(out.filter((r) => r.kind === 'tasks')).toEqual([]);
  });

  it('a stuck pending task is a group of its own words', () => {
    const out = rows({
      services: [crashA],
      tasks: [
        task({
          id: 't1',
          serviceId: 's-a',
          state: 'pending',
          error: 'no suitable node (scheduling constraints not satisfied on 5 nodes)',
          stateSince: ago(60_000),
        }),
        task({ id: 't2', serviceId: 's-a', state: 'pending', stateSince: ago(1_000) }),
      ],
      troubled: ['s-a'],
    });
    const row = out.find((r) => r.kind === 'tasks')!;
    expect(row.what).toBe(
      '1 task pending: no suitable node (scheduling constraints not satisfied on 5 nodes)',
    );
    // Not yet placed: no node to name.
    expect(row.detail).toBe('alpha');
  });

  it('a group jumps with words its tasks can be found by in the task list', () => {
    const out = rows({
      services: [crashA],
      tasks: [
        task({
          id: 't1',
          serviceId: 's-a',
          state: 'pending',
          message: 'pending task scheduling',
          stateSince: ago(60_000),
        }),
      ],
      troubled: ['s-a'],
    });
    const row = out.find((r) => r.kind === 'tasks')!;
    expect(row.what).toBe('1 task pending: pending task scheduling');
    // The task list searches a task's state, error and message: the filter must be one of them.
    expect(row.jump).toMatchObject({ filter: 'pending task scheduling' });
  });

  it('failed and pending tasks with the same words are two groups; no words at all is said', () => {
    const out = rows({
      services: [crashA],
      tasks: [
        failing('t1', 's-a', 'same words', 1000),
        task({
          id: 't2',
          serviceId: 's-a',
          state: 'pending',
          error: 'same words',
          stateSince: ago(60_000),
        }),
        task({
          id: 't3',
          serviceId: 's-a',
          state: 'assigned',
          message: '',
          stateSince: ago(60_000),
        }),
      ],
      troubled: ['s-a'],
    });
    const groups = out.filter((r) => r.kind === 'tasks');
    expect(groups.map((r) => r.what).sort()).toEqual([
      '1 task pending: no reason given',
      '1 task pending: same words',
      '1 task: same words',
    ]);
    expect(new Set(groups.map((r) => r.id)).size).toBe(3);
  });

  it("a service row quotes the newest error of that service's own tasks", () => {
    const out = rows({
      nodes,
      services: [crashA, crashB],
      tasks: [
        failing('t1', 's-a', 'older error', 60_000),
        failing('t2', 's-a', 'newest error', 5_000),
        failing('t3', 's-b', 'beta error', 1_000),
      ],
      troubled: ['s-a', 's-b'],
    });
    const alpha = out.find((r) => r.id === 'service:s-a')!;
    expect(alpha).toMatchObject({
      kind: 'service',
      severity: 'bad',
      what: 'alpha: 0/1 running',
      // Two failures of its slot in the last 10 minutes: a restart rate.
      detail: 'newest task error: newest error · 2 restarts in 10 min',
      count: 1,
      jump: { view: 'services', filter: 'alpha', selectId: 's-a' },
    });
    expect(out.find((r) => r.id === 'service:s-b')!.detail).toBe('newest task error: beta error');
  });

  it('a service below its count with no task answer says so', () => {
    const out = rows({ services: [crashB] });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ detail: 'below its desired count', count: 2 });
  });

  it('unknown service and node ids are shown shortened', () => {
    const out = rows({
      tasks: [failing('t1', 'abcdefghijklmnopqrstuvwxyz', 'boom', 1000, 'zyxwvutsrqponmlkjih')],
    });
    expect(out[0]!.detail).toBe('abcdefghijkl · on zyxwvutsrqpo');
  });
});

describe('problemRows: nodes, rollouts and the order', () => {
  it('a down node is bad and jumps to it; a drained or paused one is a warning', () => {
    const out = rows({
      nodes: [
        node({
          id: 'n1',
          hostname: 'worker-1',
          state: 'down',
          statusMessage: 'heartbeat failure',
        }),
        node({ id: 'n2', hostname: 'worker-2', availability: 'drain' }),
        node({ id: 'n3', hostname: 'worker-3', availability: 'pause' }),
        node({ id: 'n4', hostname: 'worker-4', state: 'unknown' }),
      ],
    });
    expect(out.map((r) => [r.severity, r.what, r.detail])).toEqual([
      ['bad', 'node worker-1 down', 'heartbeat failure'],
      ['bad', 'node worker-4 unknown', "the node's status is unknown"],
      ['warn', 'node worker-2 drained', 'no tasks run here; A activates it'],
      ['warn', 'node worker-3 paused', 'no new tasks are placed here; A activates it'],
    ]);
    expect(out[0]!.jump).toEqual({ view: 'nodes', filter: 'worker-1', selectId: 'n1' });
  });

  it('rollouts: paused is bad, a rollback in progress a warning; updating or completed is none', () => {
    const out = rows({
      services: [
        service({
          id: 's1',
          name: 'one',
          updateState: 'paused',
          updateMessage: 'update paused due to failure',
        }),
        service({
          id: 's2',
          name: 'two',
          updateState: 'rollback_started',
          updateMessage: 'rolling back',
        }),
        service({ id: 's3', name: 'three', updateState: 'rollback_paused' }),
        service({ id: 's4', name: 'four', updateState: 'updating' }),
        service({ id: 's5', name: 'five', updateState: 'completed' }),
      ],
    });
    expect(out.map((r) => [r.id, r.severity, r.what, r.detail])).toEqual([
      ['rollout:s1', 'bad', 'one: update paused', 'update paused due to failure'],
      ['rollout:s2', 'warn', 'two: update rollback started', 'rolling back'],
      ['rollout:s3', 'warn', 'three: update rollback paused', ''],
    ]);
  });

  it('most urgent first: quorum, down nodes, services, task groups, rollouts, parked nodes', () => {
    const nodes = [
      ...managers(['leader', 'reachable', 'unreachable']),
      node({ id: 'w1', hostname: 'worker-1', availability: 'drain' }),
      node({ id: 'w2', hostname: 'worker-2', state: 'down' }),
    ];
    const out = rows({
      nodes,
      services: [
        service({ id: 's1', name: 'crashy', running: 0, desired: 1 }),
        service({ id: 's2', name: 'api', updateState: 'paused' }),
      ],
      tasks: [
        task({
          id: 't1',
          serviceId: 's1',
          state: 'failed',
          error: 'exit 3',
          stateSince: ago(1000),
        }),
      ],
      troubled: ['s1', 's2'],
    });
    expect(out.map((r) => r.kind)).toEqual([
      'quorum',
      // the unreachable manager's node is ready: only the quorum row names it
      'node',
      'service',
      'tasks',
      'rollout',
      'node',
    ]);
    expect(out[1]!.what).toBe('node worker-2 down');
    expect(out[5]!.what).toBe('node worker-1 drained');
    // Ids are unique: the table and the selection key on them.
    expect(new Set(out.map((r) => r.id)).size).toBe(out.length);
  });

  it('a healthy swarm has no rows', () => {
    expect(
      rows({
        nodes: managers(['leader', 'reachable', 'reachable']),
        services: [service({ id: 's1' }), service({ id: 's2', updateState: 'completed' })],
        tasks: [task({ id: 't1', serviceId: 's1', stateSince: ago(1000) })],
      }),
    ).toEqual([]);
  });
});

describe('healthyLine and troubledNow', () => {
  it('healthyLine counts ready nodes and services and names the window', () => {
    expect(
      healthyLine(
        [node({ id: 'a' }), node({ id: 'b' }), node({ id: 'c', state: 'down' })],
        [service({ id: 's1' }), service({ id: 's2' })],
      ),
    ).toBe(
      'No problems: 2/3 nodes ready, 2 services at their desired count, no failed tasks in the last 15 minutes.',
    );
  });

  it('healthyLine says how many managers can be lost', () => {
    const manager = (id: string) =>
      node({ id, role: 'manager', manager: { reachability: 'reachable', address: `${id}:2377` } });
    expect(healthyLine([manager('a'), manager('b'), manager('c')], [])).toMatch(
      / Quorum: 3 managers, 1 can be lost\.$/,
    );
    expect(healthyLine([manager('a')], [])).toMatch(/ Quorum: 1 manager, none can be lost\.$/);
  });

  it('troubledNow: services below their count or in a troubled rollout, in the order given', () => {
    expect(
      troubledNow([
        service({ id: 'ok' }),
        service({ id: 'low', running: 1, desired: 3 }),
        service({ id: 'paused', updateState: 'paused' }),
        service({ id: 'rolling', updateState: 'updating' }),
        service({ id: 'rb', updateState: 'rollback_started' }),
        service({ id: 'over', running: 3, desired: 2 }),
      ]),
    ).toEqual(['low', 'paused', 'rb']);
  });
});
