import { describe, expect, it } from 'vitest';
import { createOperations } from '../../source/hooks/operations.js';
import type { AuditRecord } from '../../source/operations/audit-log.js';
import type { Action } from '../../source/state/actions.js';
import { titleOf, type OperationRecord, type OpRequest } from '../../source/state/operations.js';
import { FakeSwarm } from '../helpers/fake-api.js';
import { FakeWrites, specView } from '../helpers/fake-writes.js';
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

function setup(options: { readOnly?: boolean; auditFails?: boolean } = {}) {
  const reads = new FakeSwarm();
  const writes = new FakeWrites();
  const actions: Action[] = [];
  const audits: AuditRecord[] = [];
  let clock = 1_700_000_000_000;
  const operations = createOperations({
    reads,
    writes: options.readOnly ? null : writes,
    dispatch: (a) => actions.push(a),
    audit: async (r) => {
      if (options.auditFails)
        throw new Error('Could not write the audit log /x/audit.log: permission denied.');
      audits.push(r);
    },
    endpoint: 'unix:///fake.sock',
    user: 'ops@manager-1',
    hurry: () => undefined,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    followLimitMs: { scale: 5000, update: 5000, drain: 5000 },
  });
  const final = () => {
    const patches = actions.flatMap((a) => (a.type === 'op-update' ? [a.patch] : []));
    return Object.assign({}, ...patches) as Partial<OperationRecord>;
  };
  return { reads, writes, actions, audits, operations, final };
}

const scaleTo6: OpRequest = { kind: 'scale', serviceId: 's-web', name: 'web', from: 4, to: 6 };

describe('operations path', () => {
  it('scales with the fresh version, records it, and follows until running reaches the target', async () => {
    const t = setup();
    t.reads.services = [service({ id: 's-web', name: 'web', running: 6, desired: 6 })];
    await t.operations.run(record(scaleTo6));
    expect(t.writes.writes).toEqual(['scale 6']);
    expect(t.writes.replicas).toBe(6);
    expect(t.final()).toMatchObject({ status: 'succeeded', progress: 'running 6/6' });
    expect(t.audits).toEqual([
      expect.objectContaining({
        user: 'ops@manager-1',
        endpoint: 'unix:///fake.sock',
        action: 'scale',
        target: { kind: 'service', id: 's-web', name: 'web' },
        before: { replicas: 4 },
        after: { replicas: 6 },
        result: 'accepted',
      }),
    ]);
  });

  it('does not overwrite a change made since the dialog: nothing is sent', async () => {
    const t = setup();
    t.writes.replicas = 5; // someone scaled to 5 after the user saw 4
    await t.operations.run(record(scaleTo6));
    expect(t.writes.writes).toEqual([]);
    expect(t.final()).toMatchObject({ status: 'failed' });
    expect(t.final().message).toMatch(
      /now asks for 5 replicas, not the 4 you saw; nothing was sent/,
    );
    expect(t.audits[0]).toMatchObject({ result: 'changed-underneath' });
  });

  it('retries once after "update out of sequence" when the field is still as seen', async () => {
    const t = setup();
    t.reads.services = [service({ id: 's-web', name: 'web', running: 6, desired: 6 })];
    let once = true;
    t.writes.beforeWrite = () => {
      if (once) t.writes.serviceVersion++; // an unrelated change races our update
      once = false;
    };
    await t.operations.run(record(scaleTo6));
    expect(t.writes.writes).toEqual(['scale 6', 'scale 6']);
    expect(t.writes.replicas).toBe(6);
    expect(t.final().status).toBe('succeeded');
  });

  it('stops after "out of sequence" when the field itself changed', async () => {
    const t = setup();
    t.writes.beforeWrite = () => {
      t.writes.serviceVersion++;
      t.writes.replicas = 2;
    };
    await t.operations.run(record(scaleTo6));
    expect(t.writes.writes).toEqual(['scale 6']);
    expect(t.writes.replicas).toBe(2);
    expect(t.final().message).toMatch(/now asks for 2 replicas/);
  });

  it('gives up on a second "out of sequence" and says so', async () => {
    const t = setup();
    t.writes.beforeWrite = () => {
      t.writes.serviceVersion++;
    };
    await t.operations.run(record(scaleTo6));
    expect(t.writes.writes).toHaveLength(2);
    expect(t.final()).toMatchObject({ status: 'failed' });
    expect(t.final().message).toMatch(/out of sequence/);
  });

  it('read-only: no write is reachable and the audit log is untouched', async () => {
    const t = setup({ readOnly: true });
    const requests: OpRequest[] = [
      scaleTo6,
      { kind: 'force-update', serviceId: 's-web', name: 'web', seenForceUpdate: 0 },
      {
        kind: 'rollback',
        serviceId: 's-web',
        name: 'web',
        seen: { spec: specView(), previousSpec: specView() },
      },
      { kind: 'drain', nodeId: 'n1', name: 'worker-1', seenAvailability: 'active' },
      { kind: 'pause', nodeId: 'n1', name: 'worker-1', seenAvailability: 'active' },
      { kind: 'activate', nodeId: 'n1', name: 'worker-1', seenAvailability: 'drain' },
    ];
    for (const request of requests) await t.operations.run(record(request));
    await t.operations.prepare(
      1,
      { kind: 'drain', nodeId: 'n1', name: 'worker-1' },
      { nodes: [], services: [] },
    );
    expect(t.writes.writes).toEqual([]);
    expect(t.audits).toEqual([]);
    expect(t.final().message).toMatch(/read-only/);
  });

  it('shows on screen that the audit record could not be written, and still does the action', async () => {
    const t = setup({ auditFails: true });
    t.reads.services = [service({ id: 's-web', name: 'web', running: 6, desired: 6 })];
    await t.operations.run(record(scaleTo6));
    expect(t.writes.replicas).toBe(6);
    expect(t.final()).toMatchObject({ status: 'succeeded' });
    expect(t.final().auditError).toMatch(/permission denied/);
  });

  it('a scale that does not converge ends failed with the newest task error', async () => {
    const t = setup();
    t.reads.services = [service({ id: 's-web', name: 'web', running: 4, desired: 6 })];
    t.reads.tasks = [
      task({ id: 'x', serviceId: 's-web', state: 'failed', error: 'no suitable node' }),
    ];
    await t.operations.run(record(scaleTo6));
    expect(t.final().status).toBe('failed');
    expect(t.final().message).toMatch(
      /not finished after 5 s: running 4\/6 · last task error: no suitable node/,
    );
  });

  it('follows a force update by its own update status, not an earlier one', async () => {
    const t = setup();
    const before = await t.writes.inspectService('s-web');
    expect(before.service.updateStartedAt).toBeNull();
    t.reads.services = [
      service({
        id: 's-web',
        name: 'web',
        updateState: 'paused',
        updateMessage: 'update paused due to failure',
        updateStartedAt: '2026-11-25T01:00:00Z',
      }),
    ];
    await t.operations.run(
      record({ kind: 'force-update', serviceId: 's-web', name: 'web', seenForceUpdate: 0 }),
    );
    expect(t.writes.forceUpdate).toBe(1);
    expect(t.final()).toMatchObject({ status: 'paused', message: 'update paused due to failure' });
  });

  it('a rollback ends succeeded at rollback_completed', async () => {
    const t = setup();
    const seen = {
      spec: { ...specView(), replicas: 4 },
      previousSpec: specView({ image: 'lab/busybox:1', env: ['VERSION=1'] }),
    };
    t.reads.services = [
      service({
        id: 's-web',
        name: 'web',
        updateState: 'rollback_completed',
        updateStartedAt: '2026-11-25T01:00:00Z',
      }),
    ];
    await t.operations.run(record({ kind: 'rollback', serviceId: 's-web', name: 'web', seen }));
    expect(t.writes.writes).toEqual(['rollback']);
    expect(t.final()).toMatchObject({ status: 'succeeded' });
    expect(t.audits[0]).toMatchObject({
      before: { image: 'lab/busybox:2' },
      after: { image: 'lab/busybox:1' },
    });
  });

  it('a drain counts the tasks left on the node down to 0', async () => {
    const t = setup();
    t.reads.tasks = [
      task({ id: 'a', serviceId: 's', nodeId: 'n1', desiredState: 'shutdown', state: 'shutdown' }),
    ];
    await t.operations.run(
      record({ kind: 'drain', nodeId: 'n1', name: 'worker-1', seenAvailability: 'active' }),
    );
    expect(t.writes.availability).toBe('drain');
    expect(t.final()).toMatchObject({ status: 'succeeded', progress: '0 tasks still on worker-1' });
  });

  it('prepares a rollback dialog with the diff, env secrets masked', async () => {
    const t = setup();
    t.writes.spec = specView({ env: ['VERSION=2', 'DB_PASSWORD=hunter2'] });
    t.writes.previousSpec = specView({
      image: 'lab/busybox:1',
      env: ['VERSION=1', 'DB_PASSWORD=letmein'],
    });
    await t.operations.prepare(
      7,
      { kind: 'rollback', serviceId: 's-web', name: 'web' },
      { nodes: [], services: [] },
    );
    const ready = t.actions.find((a) => a.type === 'dialog-ready');
    expect(ready).toBeDefined();
    const text = (ready as { lines: string[] }).lines.join('\n');
    expect(text).toMatch(/lab\/busybox:2 → lab\/busybox:1/);
    expect(text).toMatch(/VERSION/);
    expect(text).not.toMatch(/hunter2|letmein/);
  });
});
