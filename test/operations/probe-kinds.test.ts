// The stats probe's service through the one operations path: made on `y`, removed by name and
// label only, audited, refused in read-only mode, and expired probes told apart from live ones.
import { describe, expect, it } from 'vitest';
import type { ProbeServiceSpec, SwarmReads, SwarmWrites } from '../../source/docker/swarm-api.js';
import type { SwarmService } from '../../source/model.js';
import type { AuditRecord } from '../../source/operations/audit-log.js';
import type { OperationRecord, OpRequest } from '../../source/operations/records.js';
import { titleOf } from '../../source/operations/records.js';
import {
  expiredProbes,
  PROBE_EXPIRES_LABEL,
  PROBE_LABEL,
  probeDialogLines,
  probeName,
  probeSpec,
} from '../../source/operations/kinds/probe.js';
import { createOperations } from '../../source/live/operations.js';
import type { Action } from '../../source/state/actions.js';
import { service } from '../helpers/factories.js';

function engine(initial: SwarmService[]) {
  let services = [...initial];
  const created: ProbeServiceSpec[] = [];
  const removed: string[] = [];
  const reads = { listServices: () => Promise.resolve(services) } as unknown as SwarmReads;
  const writes = {
    createProbeService: (spec: ProbeServiceSpec) => {
      created.push(spec);
      services = [...services, service({ id: 'p1', name: spec.name, labels: spec.labels })];
      return Promise.resolve('p1');
    },
    removeService: (id: string) => {
      removed.push(id);
      services = services.filter((s) => s.id !== id);
      return Promise.resolve();
    },
  } as unknown as SwarmWrites;
  return { reads, writes, created, removed };
}

function runner(e: ReturnType<typeof engine>, readOnly = false) {
  const audits: AuditRecord[] = [];
  const actions: Action[] = [];
  const operations = createOperations({
    reads: e.reads,
    writes: readOnly ? null : e.writes,
    dispatch: (a) => actions.push(a),
    audit: (r) => {
      audits.push(r);
      return Promise.resolve();
    },
    endpoint: 'unix:///fake.sock',
    user: 'ops',
    hurry: () => undefined,
    sleep: () => Promise.resolve(),
  });
  const run = (request: OpRequest) => {
    const record: OperationRecord = {
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
    return operations.run(record);
  };
  const ended = () =>
    actions.flatMap((a) => (a.type === 'op-update' && a.patch.status ? [a.patch] : []));
  return { run, audits, ended };
}

const start = {
  kind: 'probe-start' as const,
  serviceId: probeName('s1'),
  name: probeName('s1'),
  sessionId: 's1',
  image: 'smarm-top',
  socket: '/lab/{{.Node.Hostname}}/docker.sock',
  lifetimeS: 600,
};

describe('the stats probe service', () => {
  it('is made global with its labels, limits, read-only socket and lifetime, and audited', async () => {
    const e = engine([service({ id: 'web' })]);
    const r = runner(e);
    await r.run(start);
    expect(e.created).toHaveLength(1);
    const spec = e.created[0]!;
    expect(spec.name).toBe('smarm-top-probe-s1');
    expect(spec.image).toBe('smarm-top');
    expect(spec.args).toEqual(['probe', '--lifetime', '600']);
    expect(spec.nanoCpus).toBe(50_000_000);
    expect(spec.memoryBytes).toBe(32 * 1024 * 1024);
    expect(spec.socket).toBe('/lab/{{.Node.Hostname}}/docker.sock');
    expect(spec.labels[PROBE_LABEL]).toBe('s1');
    expect(Date.parse(spec.labels[PROBE_EXPIRES_LABEL]!)).toBeGreaterThan(Date.now() + 600_000);
    expect(r.audits.map((a) => [a.action, a.result])).toEqual([
      ['probe-start', 'attempt'],
      ['probe-start', 'accepted'],
    ]);
    expect(r.ended().at(-1)?.status).toBe('succeeded');
  });

  it('is refused in read-only mode: nothing made, nothing recorded', async () => {
    const e = engine([]);
    const r = runner(e, true);
    await r.run(start);
    expect(e.created).toEqual([]);
    expect(r.audits).toEqual([]);
    expect(r.ended()[0]?.message).toMatch(/read-only/);
  });

  it('is removed by its name and label only, and audited', async () => {
    const probe = service({
      id: 'p9',
      name: probeName('s1'),
      labels: { [PROBE_LABEL]: 's1' },
    });
    // a service of the same name without the label is never ours
    const e = engine([probe, service({ id: 'web' })]);
    const r = runner(e);
    await r.run({ kind: 'probe-stop', serviceId: probe.name, name: probe.name, why: 'quit' });
    expect(e.removed).toEqual(['p9']);
    expect(r.audits.map((a) => [a.action, a.result])).toEqual([
      ['probe-stop', 'attempt'],
      ['probe-stop', 'accepted'],
    ]);
    expect(r.ended().at(-1)?.status).toBe('succeeded');

    const unlabelled = engine([service({ id: 'x', name: probeName('s2') })]);
    const again = runner(unlabelled);
    await again.run({
      kind: 'probe-stop',
      serviceId: probeName('s2'),
      name: probeName('s2'),
      why: 'quit',
    });
    expect(unlabelled.removed).toEqual([]);
    expect(again.ended().at(-1)?.message).toMatch(/already gone/);
  });

  it('tells expired probes from live ones and from other services', () => {
    const now = Date.parse('2026-12-06T10:00:00Z');
    const labelled = (id: string, expires: string) =>
      service({ id, labels: { [PROBE_LABEL]: id, [PROBE_EXPIRES_LABEL]: expires } });
    const found = expiredProbes(
      [
        labelled('old', '2026-12-06T09:00:00Z'),
        labelled('live', '2026-12-06T10:05:00Z'),
        labelled('unreadable', 'soon'),
        service({ id: 'web', labels: { [PROBE_EXPIRES_LABEL]: '2020-01-01T00:00:00Z' } }),
      ],
      now,
    );
    expect(found.map((s) => s.id)).toEqual(['old']);
    expect(probeSpec(start, now).labels[PROBE_EXPIRES_LABEL]).toBe('2026-12-06T10:11:00.000Z');
  });

  it('says exactly what will happen before anything is made', () => {
    expect(probeDialogLines('smarm-top', 's1', 600)).toEqual([
      'It creates the global service smarm-top-probe-s1 (image smarm-top, docker socket mounted read-only, 0.05 CPU and 32 MiB at most, ends itself after 10 minutes), reads it through the manager, and removes it when you leave this view and the services list.',
    ]);
  });
});
