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
import { node, service, task } from '../helpers/factories.js';

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

describe('node labels', () => {
  const gpu = service({ id: 's-gpu', name: 'render', constraints: ['node.labels.gpu==true'] });
  const zoned = service({ id: 's-zone', name: 'zoned', constraints: ['node.labels.zone==a'] });
  const pending = task({
    id: 't-p',
    serviceId: 's-gpu',
    nodeId: null,
    state: 'pending',
    desiredState: 'running',
  });
  const request = (labels: Record<string, string>, seen: Record<string, string>): OpRequest => ({
    kind: 'labels',
    nodeId: 'n-w1',
    name: 'worker-1',
    edit: { set: { gpu: 'true' }, remove: ['zone'] },
    seenLabels: seen,
    labels,
  });

  it('prepares labels before → after, the services that start and stop matching, the pending tasks unblocked', async () => {
    const t = setup();
    t.writes.nodeLabels = { zone: 'a', db_password: 'hunter2' };
    t.reads.services = [gpu, zoned];
    t.reads.tasks = [
      pending,
      task({ id: 't-z', serviceId: 's-zone', nodeId: 'n-w1', state: 'running' }),
    ];
    await t.operations.prepare(
      1,
      {
        kind: 'labels',
        nodeId: 'n-w1',
        name: 'worker-1',
        edit: { set: { gpu: 'true' }, remove: ['zone'] },
      },
      { nodes: [], services: [] },
    );
    expect(t.ready()).toEqual({
      type: 'dialog-ready',
      id: 1,
      request: request(
        { db_password: 'hunter2', gpu: 'true' },
        { zone: 'a', db_password: 'hunter2' },
      ),
      lines: [
        'Labels of worker-1, before → after:',
        '  gpu: (none) → true',
        '  zone: a → (none)',
        '  db_password: •••• (kept)',
        'Starts matching worker-1: render (node.labels.gpu==true) — unblocks 1 pending task.',
        'Stops matching worker-1: zoned (node.labels.zone==a: the node has no label zone).',
      ],
      warnings: [
        "zoned's 1 task on worker-1 will be shut down and placed elsewhere, if a node fits.",
      ],
    });
    expect(t.writes.writes).toEqual([]);
  });

  it('refuses in the dialog to remove a label that is gone', async () => {
    const t = setup();
    await t.operations.prepare(
      1,
      { kind: 'labels', nodeId: 'n-w1', name: 'worker-1', edit: { set: {}, remove: ['zone'] } },
      { nodes: [], services: [] },
    );
    expect(t.ready()).toEqual({
      type: 'dialog-failed',
      id: 1,
      error: 'worker-1 has no label zone any more.',
    });
  });

  it('writes the whole label set, audits it masked, follows until the labels show', async () => {
    const t = setup();
    t.writes.nodeLabels = { zone: 'a', db_password: 'hunter2' };
    const r = request(
      { db_password: 'hunter2', gpu: 'true' },
      { zone: 'a', db_password: 'hunter2' },
    );
    expect(titleOf(r)).toBe('label worker-1 +gpu=true -zone');
    await t.operations.run(record(r));
    expect(t.writes.writes).toEqual(['labels db_password=hunter2 gpu=true']);
    expect(t.writes.nodeLabels).toEqual({ db_password: 'hunter2', gpu: 'true' });
    expect(t.final()).toMatchObject({
      status: 'succeeded',
      progress: 'worker-1 has the new labels',
    });
    expect(t.audits.map((a) => [a.action, a.result, a.before, a.after])).toEqual([
      [
        'labels',
        'attempt',
        { labels: { zone: 'a', db_password: '••••' } },
        { labels: { db_password: '••••', gpu: 'true' } },
      ],
      [
        'labels',
        'accepted',
        { labels: { zone: 'a', db_password: '••••' } },
        { labels: { db_password: '••••', gpu: 'true' } },
      ],
    ]);
    expect(JSON.stringify(t.audits)).not.toContain('hunter2');
  });

  it('sends nothing when the labels changed since the dialog', async () => {
    const t = setup();
    t.writes.nodeLabels = { zone: 'b' };
    await t.operations.run(record(request({ gpu: 'true' }, { zone: 'a' })));
    expect(t.writes.writes).toEqual([]);
    expect(t.final().message).toMatch(
      /^the labels of worker-1 changed since the dialog was shown; nothing was sent/,
    );
  });
});

describe('L on a node row', () => {
  const press = (state: State, ...names: string[]): State =>
    names.reduce((s, name) => reducer(s, { type: 'key', name, pageSize: 10, at: 1000 }), state);
  const worker = node({ id: 'n-w1', hostname: 'worker-1', labels: { zone: 'a', api_key: 'k3y' } });
  const withNodes = (): State =>
    press(reducer(initialState, { type: 'nodes-loaded', nodes: [leader, worker] }), '2', 'G');
  const typed = (state: State, text: string) => press(state, ...Array.from(text));

  it('opens the prompt with the labels now, masked', () => {
    const state = press(withNodes(), 'L');
    expect(state.dialog).toMatchObject({
      kind: 'prompt',
      opKind: 'labels',
      ref: { nodeId: 'n-w1', name: 'worker-1' },
      title: 'Labels of worker-1',
      label: 'Change: ',
      text: '',
    });
    expect(state.dialog?.kind === 'prompt' && state.dialog.lines[0]).toBe(
      'Labels now: api_key=••••, zone=a.',
    );
    expect(state.outbox).toEqual([]);
  });

  it('bad input: one sentence in the prompt, nothing asked or sent', () => {
    const state = press(typed(press(withNodes(), 'L'), 'zone=b'), 'return');
    expect(state.dialog).toMatchObject({
      kind: 'prompt',
      error: expect.stringMatching(/^"zone=b" needs \+ to add it or - to remove it/),
    });
    expect(state.outbox).toEqual([]);
    expect(state.ops).toEqual([]);
    const missing = press(typed(press(withNodes(), 'L'), '-rack'), 'return');
    expect(missing.dialog).toMatchObject({ error: 'worker-1 has no label rack to remove.' });
  });

  it('Esc cancels: nothing is sent', () => {
    const state = press(typed(press(withNodes(), 'L'), '+gpu=true'), 'escape');
    expect(state.dialog).toBeNull();
    expect(state.message).toBe('Cancelled; nothing was sent.');
    expect(state.outbox).toEqual([]);
    expect(state.ops).toEqual([]);
  });

  it('Enter opens the confirm dialog and asks the engine for what it does', () => {
    const state = press(typed(press(withNodes(), 'L'), '+gpu=true -zone'), 'return');
    expect(state.dialog).toMatchObject({
      kind: 'confirm',
      title: 'Change the labels of worker-1?',
      intent: {
        kind: 'labels',
        nodeId: 'n-w1',
        edit: { set: { gpu: 'true' }, remove: ['zone'] },
      },
    });
    expect(state.outbox.map((e) => e.kind)).toEqual(['prepare']);
    expect(state.ops).toEqual([]);
  });

  it('says to select a node first on the services list, and is refused read-only', () => {
    const onServices = press(initialState, 'L');
    expect(onServices.dialog).toBeNull();
    expect(onServices.message).toBe('Select a node first (2, then a row).');
    const readOnly = press({ ...withNodes(), readOnly: true }, 'L');
    expect(readOnly.dialog).toBeNull();
    expect(readOnly.message).toBe('read-only: label the selected node is off.');
  });
});
