// The node kinds (role; labels) through the one operations path, with the fake engine.
import { describe, expect, it } from 'vitest';
import { createOperations } from '../../source/live/operations.js';
import type { AuditRecord } from '../../source/operations/audit-log.js';
import { titleOf, type OperationRecord, type OpRequest } from '../../source/operations/records.js';
import type { Action } from '../../source/state/actions.js';
import type { SwarmNode } from '../../source/model.js';
import { initialState, reducer, type State } from '../../source/state/reducer.js';
import { FakeSwarm } from '../helpers/fake-api.js';
import { FakeWrites } from '../helpers/fake-writes.js';
import { node } from '../helpers/factories.js';

function record(request: OpRequest): OperationRecord {
  return {
    id: 'op-1',
    request,
    title: titleOf(request),
    status: 'sending',
    progress: '',
    message: null,
    auditError: null,
    startedAt: 0,
    endedAt: null,
  };
}

const leader = node({
  id: 'n-m1',
  hostname: 'manager-1',
  role: 'manager',
  manager: { reachability: 'leader', address: '10.0.0.1:2377' },
});

/** A swarm of manager-1 (the leader) and worker-1, whose engine side is the FakeWrites. */
function setup() {
  const writes = new FakeWrites();
  const reads = new FakeSwarm();
  const worker1 = (): SwarmNode => ({
    ...node({ id: 'n-w1', hostname: 'worker-1', labels: { ...writes.nodeLabels } }),
    role: writes.role,
    manager: writes.role === 'manager' ? { reachability: 'reachable', address: '' } : null,
  });
  reads.listNodes = async () => [leader, worker1()];
  const actions: Action[] = [];
  const audits: AuditRecord[] = [];
  let clock = 1_700_000_000_000;
  const operations = createOperations({
    reads,
    writes,
    dispatch: (a) => actions.push(a),
    audit: async (r) => {
      audits.push(r);
    },
    endpoint: 'unix:///fake.sock',
    user: 'ops@manager-1',
    newAuditId: () => 'a-1',
    hurry: () => undefined,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    followLimitMs: { node: 5000 },
  });
  const final = () => {
    const patches = actions.flatMap((a) => (a.type === 'op-update' ? [a.patch] : []));
    return Object.assign({}, ...patches) as Partial<OperationRecord>;
  };
  const ready = () => {
    const found = actions.find((a) => a.type === 'dialog-ready' || a.type === 'dialog-failed');
    return found as Extract<Action, { type: 'dialog-ready' | 'dialog-failed' }> | undefined;
  };
  return { reads, writes, actions, audits, operations, final, ready, worker1 };
}

describe('make manager / make worker', () => {
  it('prepares the promote dialog with the quorum before → after from a fresh node list', async () => {
    const t = setup();
    await t.operations.prepare(
      1,
      { kind: 'role', nodeId: 'n-w1', name: 'worker-1', to: 'manager' },
      { nodes: [], services: [] },
    );
    expect(t.ready()).toEqual({
      type: 'dialog-ready',
      id: 1,
      request: {
        kind: 'role',
        nodeId: 'n-w1',
        name: 'worker-1',
        to: 'manager',
        seenRole: 'worker',
      },
      lines: [
        'worker-1: worker → manager.',
        '1 → 2 managers: quorum 2, can lose none — an even count adds no tolerance.',
      ],
      warnings: [],
    });
  });

  it('refuses in the dialog to demote the last manager, from the fresh list', async () => {
    const t = setup();
    t.writes.nodeList = [leader];
    await t.operations.prepare(
      1,
      { kind: 'role', nodeId: 'n-m1', name: 'manager-1', to: 'worker' },
      { nodes: [], services: [] },
    );
    expect(t.ready()).toEqual({
      type: 'dialog-failed',
      id: 1,
      error: 'manager-1 is the last manager: demoting it would leave the swarm without one.',
    });
    expect(t.writes.writes).toEqual([]);
  });

  it('promotes and demotes with the full spec, audited, followed until the manager status shows or goes', async () => {
    const t = setup();
    const promote: OpRequest = {
      kind: 'role',
      nodeId: 'n-w1',
      name: 'worker-1',
      to: 'manager',
      seenRole: 'worker',
    };
    expect(titleOf(promote)).toBe('promote worker-1');
    await t.operations.run(record(promote));
    expect(t.writes.writes).toEqual(['role manager']);
    expect(t.final()).toMatchObject({
      status: 'succeeded',
      progress: 'worker-1 is a manager (reachable)',
    });
    expect(t.audits.map((a) => [a.action, a.result, a.before, a.after])).toEqual([
      ['role', 'attempt', { role: 'worker' }, { role: 'manager' }],
      ['role', 'accepted', { role: 'worker' }, { role: 'manager' }],
    ]);
    await t.operations.run(record({ ...promote, to: 'worker', seenRole: 'manager' }));
    expect(t.writes.writes).toEqual(['role manager', 'role worker']);
    expect(t.final()).toMatchObject({
      status: 'succeeded',
      progress: 'worker-1 has no manager status',
    });
  });

  it('sends nothing when the role changed since the dialog', async () => {
    const t = setup();
    t.writes.role = 'manager';
    await t.operations.run(
      record({ kind: 'role', nodeId: 'n-w1', name: 'worker-1', to: 'manager', seenRole: 'worker' }),
    );
    expect(t.writes.writes).toEqual([]);
    expect(t.final().message).toMatch(
      /^worker-1 is now a manager, not a worker as shown; nothing was sent/,
    );
    expect(t.audits.map((a) => a.result)).toEqual(['changed-underneath']);
  });
});

describe('M on a node row', () => {
  const press = (state: State, ...names: string[]): State =>
    names.reduce((s, name) => reducer(s, { type: 'key', name, pageSize: 10, at: 1000 }), state);
  const withNodes = (nodes: SwarmNode[]): State =>
    press(reducer(initialState, { type: 'nodes-loaded', nodes }), '2');

  it('opens "make a manager" on a worker and asks the engine for the quorum', () => {
    const state = press(withNodes([leader, node({ id: 'n-w1', hostname: 'worker-1' })]), 'G', 'M');
    expect(state.dialog).toMatchObject({
      kind: 'confirm',
      title: 'Make worker-1 a manager?',
      intent: { kind: 'role', nodeId: 'n-w1', to: 'manager' },
    });
    expect(state.outbox.map((e) => e.kind)).toContain('prepare');
  });

  it('refuses to demote the last manager in one sentence, opening nothing', () => {
    const state = press(withNodes([leader, node({ id: 'n-w1', hostname: 'worker-1' })]), 'g', 'M');
    expect(state.dialog).toBeNull();
    expect(state.message).toBe(
      'manager-1 is the last manager: demoting it would leave the swarm without one.',
    );
  });

  it('is refused in read-only mode', () => {
    const state = press(
      { ...withNodes([leader, node({ id: 'n-w1', hostname: 'worker-1' })]), readOnly: true },
      'G',
      'M',
    );
    expect(state.dialog).toBeNull();
    expect(state.message).toBe('read-only: make the selected node a manager / worker is off.');
  });
});
