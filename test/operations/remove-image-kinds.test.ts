// X (remove a service or a stack) and U (set an image) through the one operations path, with the
// fake engine; and the keys that open their dialogs.
import { describe, expect, it } from 'vitest';
import { createOperations } from '../../source/live/operations.js';
import type { AuditRecord } from '../../source/operations/audit-log.js';
import { rolloutLine } from '../../source/operations/kinds/set-image.js';
import { titleOf, type OperationRecord, type OpRequest } from '../../source/operations/records.js';
import type { Action } from '../../source/state/actions.js';
import type { SwarmService } from '../../source/model.js';
import { initialState, reducer, type State } from '../../source/state/reducer.js';
import { FakeSwarm } from '../helpers/fake-api.js';
import { FakeWrites } from '../helpers/fake-writes.js';
import { service, task } from '../helpers/factories.js';

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

const SHOP = {
  name: 'shop',
  services: [
    { id: 's1', name: 'shop_web' },
    { id: 's2', name: 'shop_api' },
  ],
  networks: [{ id: 'net1', name: 'shop_default' }],
  secrets: [{ id: 'sec1', name: 'shop_db_password' }],
  configs: [{ id: 'cfg1', name: 'shop_nginx_conf' }],
};

function setup() {
  const writes = new FakeWrites();
  writes.stack = structuredClone(SHOP);
  const reads = new FakeSwarm();
  reads.services = [
    service({ id: 'web', name: 'web', specReplicas: 4, running: 4, desired: 4 }),
    service({ id: 's1', name: 'shop_web', stack: 'shop' }),
    service({ id: 's2', name: 'shop_api', stack: 'shop' }),
  ];
  reads.tasks = [
    ...[1, 2, 3, 4].map((slot) => task({ id: `t${slot}`, serviceId: 'web', slot })),
    task({ id: 'old', serviceId: 'web', slot: 1, state: 'shutdown', desiredState: 'shutdown' }),
    task({ id: 'ts1', serviceId: 's1', slot: 1 }),
    task({ id: 'ts2', serviceId: 's2', slot: 1 }),
  ];
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
    followLimitMs: { scale: 5000, update: 5000 },
  });
  const final = () => {
    const patches = actions.flatMap((a) => (a.type === 'op-update' ? [a.patch] : []));
    return Object.assign({}, ...patches) as Partial<OperationRecord>;
  };
  const ready = () => {
    const found = actions.find((a) => a.type === 'dialog-ready' || a.type === 'dialog-failed');
    return found as Extract<Action, { type: 'dialog-ready' | 'dialog-failed' }> | undefined;
  };
  return { reads, writes, actions, audits, operations, final, ready };
}

describe('remove a service', () => {
  it('says how many tasks stop, removes it, follows until it is gone and its tasks stopped', async () => {
    const t = setup();
    await t.operations.prepare(
      1,
      { kind: 'remove-service', serviceId: 'web', name: 'web' },
      { nodes: [], services: t.reads.services },
    );
    const ready = t.ready();
    expect(ready?.type).toBe('dialog-ready');
    if (ready?.type !== 'dialog-ready') return;
    expect(ready.lines[0]).toBe(
      '4 tasks of web stop and the service is deleted with its spec (lab/busybox:2, 4 replicas).',
    );
    expect(t.writes.writes).toEqual([]);
    // The engine: the service is gone at once, its tasks stop a moment later.
    t.reads.services = t.reads.services.filter((s) => s.id !== 'web');
    let reads = 0;
    const listTasks = t.reads.listTasks.bind(t.reads);
    t.reads.listTasks = async (query) => {
      if (++reads > 1) t.reads.tasks = t.reads.tasks.filter((x) => x.serviceId !== 'web');
      return listTasks(query);
    };
    await t.operations.run(record(ready.request));
    expect(t.writes.writes).toEqual(['remove service web']);
    expect(t.final()).toMatchObject({ status: 'succeeded', progress: 'web removed' });
    expect(t.audits.map((a) => [a.action, a.result, a.target, a.before, a.after])).toEqual([
      [
        'remove-service',
        'attempt',
        { kind: 'service', id: 'web', name: 'web' },
        { image: 'lab/busybox:2', replicas: 4, tasks: 4 },
        null,
      ],
      [
        'remove-service',
        'accepted',
        { kind: 'service', id: 'web', name: 'web' },
        { image: 'lab/busybox:2', replicas: 4, tasks: 4 },
        null,
      ],
    ]);
  });
});

describe('remove a stack', () => {
  it('lists its services, secrets, configs and networks and removes them in that order', async () => {
    const t = setup();
    await t.operations.prepare(
      1,
      { kind: 'remove-stack', stack: 'shop', name: 'shop' },
      { nodes: [], services: t.reads.services },
    );
    const ready = t.ready();
    if (ready?.type !== 'dialog-ready') throw new Error(JSON.stringify(ready));
    expect(ready.lines).toEqual([
      'Everything labelled com.docker.stack.namespace=shop goes, in this order (as docker stack rm):',
      '2 services: shop_web, shop_api (2 tasks stop)',
      '1 secret: shop_db_password',
      '1 config: shop_nginx_conf',
      '1 network: shop_default',
      'None of it can be rolled back: deploying the stack again brings it back.',
    ]);
    t.reads.services = t.reads.services.filter((s) => s.stack !== 'shop');
    t.reads.tasks = t.reads.tasks.filter((x) => x.serviceId === 'web');
    await t.operations.run(record(ready.request));
    expect(t.writes.writes).toEqual([
      'remove service s1',
      'remove service s2',
      'remove secret sec1',
      'remove config cfg1',
      'remove network net1',
    ]);
    expect(t.final()).toMatchObject({ status: 'succeeded', progress: 'stack shop removed' });
    expect(t.audits.map((a) => [a.result, a.target])).toEqual([
      ['attempt', { kind: 'stack', id: 'shop', name: 'shop' }],
      ['accepted', { kind: 'stack', id: 'shop', name: 'shop' }],
    ]);
  });

  it('says plainly what was removed and what was not, and why, when part of it fails', async () => {
    const t = setup();
    t.writes.refuseRemoval.set(
      'net1',
      'rpc error: code = FailedPrecondition desc = network net1 is in use by service x9',
    );
    await t.operations.run(
      record({
        kind: 'remove-stack',
        stack: 'shop',
        name: 'shop',
        seen: structuredClone(SHOP),
        seenTasks: 2,
      }),
    );
    expect(t.final()).toMatchObject({
      status: 'failed',
      message:
        'Removed services shop_web, shop_api; secret shop_db_password; config shop_nginx_conf. Not removed: network shop_default: rpc error: code = FailedPrecondition desc = network net1 is in use by service x9.',
    });
    expect(t.audits.map((a) => a.result)).toEqual(['attempt', 'failed']);
  });

  it('sends nothing when the stack gained an object since the dialog', async () => {
    const t = setup();
    t.writes.stack.secrets.push({ id: 'sec2', name: 'shop_new_key' });
    await t.operations.run(
      record({
        kind: 'remove-stack',
        stack: 'shop',
        name: 'shop',
        seen: structuredClone(SHOP),
        seenTasks: 2,
      }),
    );
    expect(t.writes.writes).toEqual([]);
    expect(t.final().message).toMatch(
      /^the stack shop gained the secret shop_new_key since the dialog listed it; nothing was sent/,
    );
  });
});

describe('set an image', () => {
  it('shows the whole spec diff and the rollout, sends the image with the version, follows the update', async () => {
    const t = setup();
    await t.operations.prepare(
      1,
      { kind: 'set-image', serviceId: 'web', name: 'web', image: 'lab/busybox:3' },
      { nodes: [], services: t.reads.services },
    );
    const ready = t.ready();
    if (ready?.type !== 'dialog-ready') throw new Error(JSON.stringify(ready));
    expect(ready.lines).toEqual([
      'What changes (now → after the update):',
      'image: lab/busybox:2 → lab/busybox:3',
      '4 running tasks replaced. Rolling update: 1 task at a time (stop-first); each new task watched 5s; on failure: pause.',
      'Followed until the update completes, pauses or is rolled back.',
    ]);
    const updated = (state: string): SwarmService[] =>
      t.reads.services.map((s) =>
        s.id === 'web'
          ? {
              ...s,
              updateState: state,
              updateStartedAt: '2026-12-01T00:00:00Z',
              updateMessage: null,
            }
          : s,
      );
    t.reads.services = updated('completed');
    await t.operations.run(record(ready.request));
    expect(t.writes.writes).toEqual(['image lab/busybox:3']);
    expect(t.writes.spec.image).toBe('lab/busybox:3');
    expect(t.final()).toMatchObject({ status: 'succeeded' });
    expect(t.audits.map((a) => [a.action, a.result, a.before, a.after])).toEqual([
      ['set-image', 'attempt', { image: 'lab/busybox:2' }, { image: 'lab/busybox:3' }],
      ['set-image', 'accepted', { image: 'lab/busybox:2' }, { image: 'lab/busybox:3' }],
    ]);
  });

  it('ends as failed when the update was rolled back, and as paused when it paused', async () => {
    for (const [state, status] of [
      ['rollback_completed', 'failed'],
      ['paused', 'paused'],
    ] as const) {
      const t = setup();
      t.reads.services = t.reads.services.map((s) =>
        s.id === 'web' ? { ...s, updateState: state, updateStartedAt: 'new' } : s,
      );
      const detail = await t.writes.inspectService('web');
      await t.operations.run(
        record({
          kind: 'set-image',
          serviceId: 'web',
          name: 'web',
          image: 'lab/busybox:3',
          seenImage: 'lab/busybox:2',
          seenSpecJson: detail.specJson,
        }),
      );
      expect(t.final().status).toBe(status);
    }
  });

  it('sends nothing when the spec changed since the diff', async () => {
    const t = setup();
    const detail = await t.writes.inspectService('web');
    t.writes.replicas = 7;
    await t.operations.run(
      record({
        kind: 'set-image',
        serviceId: 'web',
        name: 'web',
        image: 'lab/busybox:3',
        seenImage: 'lab/busybox:2',
        seenSpecJson: detail.specJson,
      }),
    );
    expect(t.writes.writes).toEqual([]);
    expect(t.final().message).toMatch(
      /^web's spec changed since the diff was shown; nothing was sent/,
    );
  });

  it('states the UpdateConfig as it is', () => {
    expect(
      rolloutLine({
        Parallelism: '2',
        Order: 'start-first',
        Delay: '10s',
        FailureAction: 'rollback',
        Monitor: '30s',
        MaxFailureRatio: '0.2',
      }),
    ).toBe(
      'Rolling update: 2 tasks at a time (start-first), 10s apart; each new task watched 30s; on failure: rollback (failures up to 0.2 of the tasks tolerated).',
    );
    expect(rolloutLine({ Parallelism: '0' })).toMatch(/^Rolling update: all tasks at once/);
  });
});

describe('X and U keys', () => {
  const press = (state: State, ...names: string[]): State =>
    names.reduce((s, name) => reducer(s, { type: 'key', name, pageSize: 10, at: 1000 }), state);
  const services = [
    service({ id: 's1', name: 'shop_web', stack: 'shop', image: 'lab/busybox:1' }),
    service({ id: 's9', name: 'lone' }),
  ];
  const loaded = reducer(initialState, { type: 'services-loaded', services });
  const ready = (state: State): State => {
    const d = state.dialog;
    if (d?.kind !== 'confirm') throw new Error('no confirm dialog');
    const intent = d.intent;
    const request =
      intent.kind === 'remove-service'
        ? { ...intent, seenImage: 'lab/busybox:1', seenReplicas: 1, seenTasks: 1 }
        : intent.kind === 'remove-stack'
          ? { ...intent, seen: { ...SHOP }, seenTasks: 1 }
          : null;
    if (request === null) throw new Error(intent.kind);
    return reducer(state, { type: 'dialog-ready', id: d.id, request, lines: ['x'], warnings: [] });
  };
  const sent = (state: State) => state.outbox.filter((e) => e.kind === 'send');

  it('X on a service asks for its name: y and a wrong name send nothing, the name and Enter do', () => {
    let state = press(loaded, 'g', 'X');
    expect(state.dialog).toMatchObject({
      kind: 'confirm',
      title: 'Remove the service lone?',
      typeToConfirm: 'lone',
    });
    state = ready(state);
    state = press(state, 'y');
    expect(sent(state)).toEqual([]);
    expect(state.dialog).toMatchObject({ typed: 'y' });
    state = press(state, 'backspace', 'l', 'o', 'n', 'return');
    expect(sent(state)).toEqual([]);
    expect(state.dialog).toMatchObject({
      typedError: 'Type lone exactly to confirm, or Esc to cancel.',
    });
    state = press(state, 'e', 'return');
    expect(sent(state)).toHaveLength(1);
    expect(state.ops[0]?.title).toBe('remove service lone');
  });

  it('Esc and n cancel a removal without sending', () => {
    let state = ready(press(loaded, 'g', 'X'));
    state = press(state, 'escape');
    expect(state.dialog).toBeNull();
    expect(state.message).toBe('Cancelled; nothing was sent.');
    expect(sent(state)).toEqual([]);
  });

  it('X in the stacks view removes the stack; on the services of no stack it says why not', () => {
    let state = press(loaded, '7', 'g', 'X');
    expect(state.dialog).toMatchObject({
      title: 'Remove the stack shop?',
      intent: { kind: 'remove-stack', stack: 'shop' },
      typeToConfirm: 'shop',
    });
    state = press(ready(state), 's', 'h', 'o', 'p', 'return');
    expect(sent(state)).toHaveLength(1);
    const none = press(loaded, '7', 'G', 'X');
    expect(none.dialog).toBeNull();
    expect(none.message).toBe(
      'The services of no stack are not a stack: remove them one at a time (1, then X on each).',
    );
  });

  it('U opens a prompt with the image; bad input is one sentence and nothing is sent', () => {
    let state = press(loaded, 'G', 'U');
    expect(state.dialog).toMatchObject({ kind: 'prompt', text: 'lab/busybox:1' });
    state = press(state, 'return');
    expect(state.dialog).toMatchObject({
      kind: 'prompt',
      error: 'shop_web already runs lab/busybox:1: nothing to change.',
    });
    state = press(state, 'ctrl+u', 'return');
    expect(state.dialog).toMatchObject({ error: 'Type the new image, or Esc to cancel.' });
    state = press(state, 'A', ' ', 'b', 'return');
    expect(state.dialog).toMatchObject({
      error: '"A b" has a space in it: an image reference has none.',
    });
    expect(state.outbox.filter((e) => e.kind === 'prepare' || e.kind === 'send')).toEqual([]);
    state = press(state, 'escape');
    expect(state.dialog).toBeNull();
    expect(state.message).toBe('Cancelled; nothing was sent.');
  });

  it('U then an edited image and Enter opens the diff dialog, which the engine fills', () => {
    const state = press(loaded, 'G', 'U', 'backspace', '2', 'return');
    expect(state.dialog).toMatchObject({
      kind: 'confirm',
      title: 'Set the image of shop_web to lab/busybox:2?',
      intent: { kind: 'set-image', serviceId: 's1', image: 'lab/busybox:2' },
    });
    expect(state.dialog).not.toHaveProperty('typeToConfirm');
    expect(state.outbox.map((e) => e.kind)).toContain('prepare');
  });

  it('X and U are refused in read-only mode', () => {
    for (const key of ['X', 'U']) {
      const state = press({ ...loaded, readOnly: true }, 'G', key);
      expect(state.dialog).toBeNull();
      expect(state.message).toMatch(/^read-only: /);
    }
  });
});
