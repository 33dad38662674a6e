import { describe, expect, it, vi } from 'vitest';
import { ConnectionError } from '../../source/docker/errors.js';
import { createOperations } from '../../source/live/operations.js';
import type { AuditRecord } from '../../source/operations/audit-log.js';
import type { Action } from '../../source/state/actions.js';
import { titleOf, type OperationRecord, type OpRequest } from '../../source/operations/records.js';
import { FakeSwarm } from '../helpers/fake-api.js';
import { FakeWrites, specJsonOf, specView } from '../helpers/fake-writes.js';
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

function setup(
  options: { readOnly?: boolean; auditFails?: boolean | ((r: AuditRecord) => boolean) } = {},
) {
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
      const fails =
        typeof options.auditFails === 'function' ? options.auditFails(r) : options.auditFails;
      if (fails === true)
        throw new Error('Could not write the audit log /x/audit.log: permission denied.');
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
    const fields = {
      id: 'a-1',
      user: 'ops@manager-1',
      endpoint: 'unix:///fake.sock',
      action: 'scale',
      target: { kind: 'service', id: 's-web', name: 'web' },
      before: { replicas: 4 },
      after: { replicas: 6 },
    };
    expect(t.audits).toEqual([
      expect.objectContaining({ ...fields, result: 'attempt', message: null }),
      expect.objectContaining({ ...fields, result: 'accepted' }),
    ]);
  });

  it('writes the attempt record before the write request is sent', async () => {
    const t = setup();
    t.reads.services = [service({ id: 's-web', name: 'web', running: 6, desired: 6 })];
    let onRecordAtWrite: string[] | null = null;
    t.writes.beforeWrite = () => {
      onRecordAtWrite = t.audits.map((a) => a.result);
    };
    await t.operations.run(record(scaleTo6));
    expect(onRecordAtWrite).toEqual(['attempt']);
  });

  it('does not send when the attempt record cannot be written, and says why in one sentence', async () => {
    const t = setup({ auditFails: true });
    await t.operations.run(record(scaleTo6));
    expect(t.writes.writes).toEqual([]);
    expect(t.writes.replicas).toBe(4);
    expect(t.final()).toMatchObject({ status: 'failed' });
    expect(t.final().message).toBe(
      'Could not write the audit log /x/audit.log: permission denied; nothing was sent, as every change is recorded first (--audit-log PATH writes elsewhere)',
    );
  });

  it.each([
    [
      'ECONNRESET',
      'The connection to the Docker engine at x was closed unexpectedly; the engine may have restarted.',
    ],
    [
      'EPIPE',
      'The connection to the Docker engine at x was closed unexpectedly; the engine may have restarted.',
    ],
    ['ERR_SSH', 'ssh was ended by SIGTERM.'],
    ['ABORT_ERR', 'The request to the Docker engine at x was cancelled.'],
  ])(
    'a write whose connection dropped (%s) is unknown, may have been applied, never plain failed',
    async (code, text) => {
      const t = setup();
      t.writes.beforeWrite = () => {
        throw new ConnectionError(text, { cause: Object.assign(new Error(code), { code }) });
      };
      await t.operations.run(record(scaleTo6));
      expect(t.final()).toMatchObject({ status: 'unknown' });
      expect(t.final().message).toBe(
        `${text.replace(/\.$/, '')}; the change may have been applied — check before retrying`,
      );
      expect(t.audits.map((a) => [a.id, a.result])).toEqual([
        ['a-1', 'attempt'],
        ['a-1', 'unknown'],
      ]);
      expect(t.audits[1]!.message).toMatch(/may have been applied/);
    },
  );

  it('a write that timed out is unknown too', async () => {
    const t = setup();
    const timeout = Object.assign(new Error('aborted'), {
      name: 'AbortError',
      cause: Object.assign(new Error('timeout'), { name: 'TimeoutError' }),
    });
    t.writes.beforeWrite = () => {
      throw new ConnectionError('The Docker engine at x did not answer within 10 s.', {
        cause: timeout,
      });
    };
    await t.operations.run(record(scaleTo6));
    expect(t.audits.at(-1)).toMatchObject({ result: 'unknown' });
    expect(t.final()).toMatchObject({ status: 'unknown' });
  });

  it('an HTTP status from the engine stays failed, as does a connection that never opened', async () => {
    for (const error of [
      new ConnectionError('The Docker engine at x answered HTTP 500: boom', { statusCode: 500 }),
      new ConnectionError('nothing is listening at x.', {
        cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
      }),
    ]) {
      const t = setup();
      t.writes.beforeWrite = () => {
        throw error;
      };
      await t.operations.run(record(scaleTo6));
      expect(t.final().message).not.toMatch(/may have been applied/);
      expect(t.audits.map((a) => a.result)).toEqual(['attempt', 'failed']);
    }
  });

  it('quitting waits for the answer of an operation in flight and records it', async () => {
    const t = setup();
    let answer!: () => void;
    t.writes.answer = new Promise((resolve) => (answer = resolve));
    const running = t.operations.run(record(scaleTo6));
    await vi.waitFor(() => expect(t.audits.map((a) => a.result)).toEqual(['attempt']));
    expect(t.operations.inFlight()).toBe(1);
    const settled = t.operations.settle(60_000);
    t.operations.stop();
    answer();
    await settled;
    expect(t.audits.map((a) => a.result)).toEqual(['attempt', 'accepted']);
    expect(t.writes.replicas).toBe(6);
    await running;
  });

  it('what is still unanswered when the wait ends is recorded as unknown, may have been applied', async () => {
    const t = setup();
    t.writes.answer = new Promise(() => undefined); // the engine never answers
    void t.operations.run(record(scaleTo6));
    await vi.waitFor(() => expect(t.operations.inFlight()).toBe(1));
    await vi.waitFor(() => expect(t.audits).toHaveLength(1));
    await t.operations.settle(10);
    expect(t.audits.map((a) => [a.id, a.result])).toEqual([
      ['a-1', 'attempt'],
      ['a-1', 'unknown'],
    ]);
    expect(t.audits[1]!.message).toBe(
      'smarm-top exited before the engine answered; the change may have been applied — check before retrying',
    );
  });

  it('sends nothing new once quitting has begun', async () => {
    const t = setup();
    await t.operations.settle(10);
    await t.operations.run(record(scaleTo6));
    expect(t.writes.writes).toEqual([]);
    expect(t.audits).toEqual([]);
    expect(t.final().message).toMatch(/quitting; nothing was sent/);
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
      {
        kind: 'force-update',
        serviceId: 's-web',
        name: 'web',
        seenForceUpdate: 0,
        seenImage: 'lab/busybox:2',
      },
      {
        kind: 'rollback',
        serviceId: 's-web',
        name: 'web',
        seen: {
          spec: specView(),
          previousSpec: specView(),
          specJson: specJsonOf(specView()),
          previousSpecJson: specJsonOf(specView()),
        },
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

  it('shows on screen that the outcome record could not be written (the action was sent)', async () => {
    const t = setup({ auditFails: (r) => r.result !== 'attempt' });
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
      record({
        kind: 'force-update',
        serviceId: 's-web',
        name: 'web',
        seenForceUpdate: 0,
        seenImage: 'lab/busybox:2',
      }),
    );
    expect(t.writes.forceUpdate).toBe(1);
    expect(t.final()).toMatchObject({ status: 'paused', message: 'update paused due to failure' });
  });

  it('a force redeploy is not sent when the image shown in the dialog changed underneath', async () => {
    const t = setup();
    t.writes.spec = specView({ image: 'lab/busybox:3' });
    await t.operations.run(
      record({
        kind: 'force-update',
        serviceId: 's-web',
        name: 'web',
        seenForceUpdate: 0,
        seenImage: 'lab/busybox:2',
      }),
    );
    expect(t.writes.writes).toEqual([]);
    expect(t.final().message).toBe(
      'web now runs lab/busybox:3, not the lab/busybox:2 shown; nothing was sent — look again and retry if still needed',
    );
    expect(t.audits.map((a) => a.result)).toEqual(['changed-underneath']);
  });

  it("a force redeploy dialog counts the service's running tasks, not the inspect's (it has none)", async () => {
    const t = setup();
    t.reads.services = [service({ id: 's-web', name: 'web', running: 2, desired: 2 })];
    await t.operations.prepare(
      3,
      { kind: 'force-update', serviceId: 's-web', name: 'web' },
      { nodes: [], services: [] },
    );
    const ready = t.actions.find((a) => a.type === 'dialog-ready') as
      { lines: string[]; warnings: string[]; request: OpRequest } | undefined;
    expect(ready?.lines[0]).toMatch(/^Every task of web \(2 running\) is replaced/);
    expect(ready?.lines[1]).toBe('The spec stays as it is: image lab/busybox:2.');
    expect(ready?.warnings).toEqual([]);
    expect(ready?.request).toMatchObject({ seenImage: 'lab/busybox:2' });
  });

  it('a rollback ends succeeded at rollback_completed', async () => {
    const t = setup();
    const previous = specView({ image: 'lab/busybox:1', env: ['VERSION=1'] });
    t.writes.previousSpec = previous;
    const seen = {
      spec: { ...specView(), replicas: 4 },
      previousSpec: previous,
      specJson: specJsonOf({ ...specView(), replicas: 4 }),
      previousSpecJson: specJsonOf(previous),
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

  it('a rollback is not sent when a field only the raw spec holds changed after the dialog', async () => {
    const t = setup();
    t.writes.previousSpec = specView({ image: 'lab/busybox:1' });
    await t.operations.prepare(
      8,
      { kind: 'rollback', serviceId: 's-web', name: 'web' },
      { nodes: [], services: [] },
    );
    const ready = t.actions.find((a) => a.type === 'dialog-ready') as { request: OpRequest };
    // someone changes the service's user between the dialog and y: no spec view shows it
    t.writes.rawOnly = { User: 'root' };
    await t.operations.run(record(ready.request));
    expect(t.writes.writes).toEqual([]);
    expect(t.final().message).toMatch(/web's spec changed since the diff was shown/);
    expect(t.audits.map((a) => a.result)).toEqual(['changed-underneath']);
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
