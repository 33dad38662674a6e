// X (remove a service, remove a stack) and U (set an image) against the lab, through the one
// operations path (fresh inspect, audit write-ahead, the write, the follow). Every effect is
// checked with the docker CLI, and each operation is found in the audit log.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { createOperations } from '../../source/live/operations.js';
import { appendAudit, type AuditRecord } from '../../source/operations/audit-log.js';
import {
  titleOf,
  type OperationRecord,
  type OpIntent,
  type OpRequest,
} from '../../source/operations/records.js';
import type { Action } from '../../source/state/actions.js';
import { docker } from '../helpers/docker-cli.js';
import { waitFor } from '../helpers/wait-for.js';

describeWithLab('X and U against the lab, checked with the docker CLI', (lab) => {
  const host = lab.dockerHost;
  const api = new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-rm-'));
  const auditFile = path.join(dir, 'state', 'audit.log');
  const suffix = `${process.pid}`;
  const cleanup: string[][] = [];
  afterAll(() => {
    for (const args of cleanup.reverse()) {
      try {
        docker(host, ...args);
      } catch {
        // already gone: the test removed it
      }
    }
    api.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]): string => docker(host, ...args);

  const actions: Action[] = [];
  const operations = createOperations({
    reads: api,
    writes: api,
    dispatch: (a) => actions.push(a),
    audit: (r) => appendAudit(auditFile, r),
    endpoint: api.endpoint,
    user: 'lab@test',
    hurry: () => undefined,
  });
  afterAll(() => operations.stop());

  /** What the dialog would show, then `y` (or the typed name): the operation, run to its end. */
  async function confirmAndRun(intent: OpIntent): Promise<OperationRecord> {
    const id = actions.length + 1000;
    await operations.prepare(id, intent, {
      nodes: await api.listNodes(),
      services: await api.listServices(),
    });
    const ready = actions.find(
      (a): a is Extract<Action, { type: 'dialog-ready' | 'dialog-failed' }> =>
        (a.type === 'dialog-ready' || a.type === 'dialog-failed') && a.id === id,
    );
    if (ready?.type !== 'dialog-ready') throw new Error(`not ready: ${JSON.stringify(ready)}`);
    const request: OpRequest = ready.request;
    const record: OperationRecord = {
      id: `op-${id}`,
      request,
      title: titleOf(request),
      status: 'sending',
      progress: '',
      message: null,
      auditError: null,
      startedAt: Date.now(),
      endedAt: null,
    };
    await operations.run(record);
    const patches = actions.flatMap((a) =>
      a.type === 'op-update' && a.id === record.id ? [a.patch] : [],
    );
    return { ...record, ...Object.assign({}, ...patches) } as OperationRecord;
  }

  const audited = (action: string): AuditRecord[] =>
    readFileSync(auditFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditRecord)
      .filter((r) => r.action === action);

  it(
    'removes a service: gone from docker service ls, audited before and after',
    {
      timeout: 240_000,
    },
    async () => {
      const name = `t-rm-${suffix}`;
      cleanup.push(['service', 'rm', name]);
      cli(
        'service',
        'create',
        '-d',
        '--no-resolve-image',
        '--name',
        name,
        '--replicas',
        '2',
        'lab/busybox:1',
        'sleep',
        '3600',
      );
      await waitFor(
        `${name} to run 2 tasks`,
        () =>
          cli('service', 'ls', '--filter', `name=${name}`, '--format', '{{.Replicas}}') === '2/2',
        { timeoutMs: 60_000 },
      );
      const id = cli('service', 'inspect', name, '--format', '{{.ID}}');
      const done = await confirmAndRun({ kind: 'remove-service', serviceId: id, name });
      expect(done).toMatchObject({ status: 'succeeded', message: null });
      expect(cli('service', 'ls', '--filter', `name=${name}`, '--format', '{{.Name}}')).toBe('');
      expect(audited('remove-service').map((r) => [r.result, r.target.name])).toEqual([
        ['attempt', name],
        ['accepted', name],
      ]);
      expect(statSync(auditFile).mode & 0o777).toBe(0o600);
    },
  );

  it('removes a stack deployed with docker stack deploy: its services, network, secret and config', async () => {
    const stack = `t-rs-${suffix}`;
    const compose = path.join(dir, 'stack.yml');
    writeFileSync(path.join(dir, 'secret.txt'), 'not-a-real-password\n');
    writeFileSync(path.join(dir, 'config.txt'), 'setting=1\n');
    // An overlay network of its own: its tasks may be rejected in the lab (one shared network
    // namespace), which does not matter for removing it.
    writeFileSync(
      compose,
      [
        'version: "3.8"',
        'services:',
        '  alpha:',
        '    image: lab/busybox:1',
        '    command: sleep 3600',
        '    networks: [front]',
        '    secrets: [db_password]',
        '    configs: [app_conf]',
        '  beta:',
        '    image: lab/busybox:1',
        '    command: sleep 3600',
        '    networks: [front]',
        'networks:',
        '  front:',
        '    driver: overlay',
        'secrets:',
        '  db_password:',
        `    file: ${path.join(dir, 'secret.txt')}`,
        'configs:',
        '  app_conf:',
        `    file: ${path.join(dir, 'config.txt')}`,
        '',
      ].join('\n'),
    );
    cleanup.push(['stack', 'rm', stack]);
    cli('stack', 'deploy', '--resolve-image', 'never', '-c', compose, stack);
    const label = `label=com.docker.stack.namespace=${stack}`;
    const names = (kind: string): string[] => {
      const out = cli(kind, 'ls', '--filter', label, '--format', '{{.Name}}');
      return out === '' ? [] : out.split('\n').sort();
    };
    expect(names('service')).toEqual([`${stack}_alpha`, `${stack}_beta`]);
    expect(names('network')).toEqual([`${stack}_front`]);
    expect(names('secret')).toEqual([`${stack}_db_password`]);
    expect(names('config')).toEqual([`${stack}_app_conf`]);

    const done = await confirmAndRun({ kind: 'remove-stack', stack, name: stack });
    expect(done).toMatchObject({ status: 'succeeded' });
    for (const kind of ['service', 'network', 'secret', 'config']) {
      expect(names(kind), `${kind}s of ${stack}`).toEqual([]);
    }
    expect(cli('network', 'ls', '--format', '{{.Name}}').split('\n')).not.toContain(
      `${stack}_front`,
    );
    const records = audited('remove-stack');
    expect(records.map((r) => [r.result, r.target])).toEqual([
      ['attempt', { kind: 'stack', id: stack, name: stack }],
      ['accepted', { kind: 'stack', id: stack, name: stack }],
    ]);
    expect(records[0]?.before).toMatchObject({
      services: expect.arrayContaining([`${stack}_alpha`, `${stack}_beta`]),
      networks: [`${stack}_front`],
      secrets: [`${stack}_db_password`],
      configs: [`${stack}_app_conf`],
    });
  });

  it(
    'sets an image: the spec has the new tag, the rolling update completed, audited',
    {
      timeout: 300_000,
    },
    async () => {
      const name = `t-img-${suffix}`;
      cleanup.push(['service', 'rm', name]);
      cli(
        'service',
        'create',
        '-d',
        '--no-resolve-image',
        '--name',
        name,
        '--replicas',
        '2',
        '--update-parallelism',
        '1',
        // sleep as PID 1 ignores SIGTERM: without this each replaced task takes the 10 s grace.
        '--stop-grace-period',
        '1s',
        '--update-monitor',
        '2s',
        'lab/busybox:1',
        'sleep',
        '3600',
      );
      await waitFor(
        `${name} to run 2 tasks`,
        () =>
          cli('service', 'ls', '--filter', `name=${name}`, '--format', '{{.Replicas}}') === '2/2',
        { timeoutMs: 60_000 },
      );
      const id = cli('service', 'inspect', name, '--format', '{{.ID}}');
      const done = await confirmAndRun({
        kind: 'set-image',
        serviceId: id,
        name,
        image: 'lab/busybox:2',
      });
      expect(done).toMatchObject({ status: 'succeeded' });
      const inspect = (format: string) => cli('service', 'inspect', name, '--format', format);
      expect(inspect('{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toBe('lab/busybox:2');
      expect(inspect('{{.PreviousSpec.TaskTemplate.ContainerSpec.Image}}')).toBe('lab/busybox:1');
      expect(inspect('{{.UpdateStatus.State}}')).toBe('completed');
      const running = cli(
        'service',
        'ps',
        name,
        '--filter',
        'desired-state=running',
        '--format',
        '{{.Image}} {{.CurrentState}}',
      ).split('\n');
      expect(running).toHaveLength(2);
      for (const line of running) expect(line).toMatch(/^lab\/busybox:2 Running /);
      expect(audited('set-image').map((r) => [r.result, r.before, r.after])).toEqual([
        ['attempt', { image: 'lab/busybox:1' }, { image: 'lab/busybox:2' }],
        ['accepted', { image: 'lab/busybox:1' }, { image: 'lab/busybox:2' }],
      ]);
    },
  );
});
