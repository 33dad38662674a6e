// Promote/demote and node labels through the one operations path (fresh inspect → still as seen →
// audit → write with version → follow) against the lab swarm. Every effect is checked with the
// docker CLI, and the lab is restored in finally blocks.
import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { createOperations } from '../../source/live/operations.js';
import type { AuditRecord } from '../../source/operations/audit-log.js';
import {
  titleOf,
  type OperationRecord,
  type OpIntent,
  type OpRequest,
} from '../../source/operations/records.js';
import type { Action } from '../../source/state/actions.js';
import { docker } from '../helpers/docker-cli.js';

describeWithLab('node actions through the operations path against the lab', (lab) => {
  const host = lab?.dockerHost ?? 'unix:///nonexistent';
  const api = new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
  afterAll(() => api.close());
  const cli = (...args: string[]): string => docker(host, ...args);
  const inspect = (format: string): string =>
    cli('node', 'inspect', 'worker-1', '--format', format);
  const roleNow = () =>
    inspect('{{.Spec.Role}} {{if .ManagerStatus}}{{.ManagerStatus.Reachability}}{{end}}').trim();
  const labelsNow = () => JSON.parse(inspect('{{json .Spec.Labels}}')) as Record<string, string>;

  /** Prepares the dialog of `intent`, confirms it and runs it to its end; the final record. */
  async function confirmAndRun(intent: OpIntent): Promise<{
    final: Partial<OperationRecord>;
    request: OpRequest;
    audits: AuditRecord[];
  }> {
    const actions: Action[] = [];
    const audits: AuditRecord[] = [];
    const operations = createOperations({
      reads: api,
      writes: api,
      dispatch: (a) => actions.push(a),
      audit: async (r) => {
        audits.push(r);
      },
      endpoint: host,
      user: 'lab@test',
      hurry: () => undefined,
      followEveryMs: 500,
    });
    await operations.prepare(1, intent, { nodes: await api.listNodes(), services: [] });
    const ready = actions.find((a) => a.type === 'dialog-ready');
    if (ready?.type !== 'dialog-ready') throw new Error(`no dialog: ${JSON.stringify(actions)}`);
    const record: OperationRecord = {
      id: 'op-1',
      request: ready.request,
      title: titleOf(ready.request),
      status: 'sending',
      progress: '',
      message: null,
      auditError: null,
      startedAt: Date.now(),
      endedAt: null,
    };
    await operations.run(record);
    const patches = actions.flatMap((a) => (a.type === 'op-update' ? [a.patch] : []));
    return { final: Object.assign({}, ...patches), request: ready.request, audits };
  }

  it('promotes worker-1 to a manager and demotes it back', { timeout: 300_000 }, async () => {
    const id = inspect('{{.ID}}').trim();
    expect(roleNow()).toBe('worker');
    const labelsBefore = labelsNow();
    try {
      const promoted = await confirmAndRun({
        kind: 'role',
        nodeId: id,
        name: 'worker-1',
        to: 'manager',
      });
      expect(promoted.final).toMatchObject({ status: 'succeeded' });
      expect(roleNow()).toBe('manager reachable');
      expect(promoted.audits.map((a) => a.result)).toEqual(['attempt', 'accepted']);
      // The full spec went with the role: availability and labels are as they were.
      expect(inspect('{{.Spec.Availability}}').trim()).toBe('active');
      expect(labelsNow()).toEqual(labelsBefore);

      const demoted = await confirmAndRun({
        kind: 'role',
        nodeId: id,
        name: 'worker-1',
        to: 'worker',
      });
      expect(demoted.final).toMatchObject({ status: 'succeeded' });
      expect(roleNow()).toBe('worker');
    } finally {
      if (roleNow() !== 'worker') cli('node', 'demote', 'worker-1');
    }
  });
});
