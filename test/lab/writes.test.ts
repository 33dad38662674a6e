// The writes of the real client against the lab swarm. Every effect is checked with the docker
// CLI (the independent witness), never with smarm-top's own reads, and everything changed is
// restored in a finally block, so the shared lab is left as it was found.
import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { OutOfSequenceError, SmarmError } from '../../source/docker/errors.js';
import { docker } from '../helpers/docker-cli.js';
import { waitFor } from '../helpers/wait-for.js';

describeWithLab('DockerodeSwarmApi writes against the lab', (lab) => {
  const host = lab?.dockerHost ?? 'unix:///nonexistent';
  const api = new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
  afterAll(() => api.close());

  const cli = (...args: string[]): string => docker(host, ...args);
  const service = (name: string, format: string): string =>
    cli('service', 'inspect', name, '--format', format);
  const node = (name: string, format: string): string =>
    cli('node', 'inspect', name, '--format', format);
  const replicas = (name: string): string => service(name, '{{.Spec.Mode.Replicated.Replicas}}');
  /** Running/desired from `docker service ls`, e.g. "4/4". */
  const counts = (name: string): string =>
    cli('service', 'ls', '--filter', `name=${name}`, '--format', '{{.Name}} {{.Replicas}}')
      .split('\n')
      .find((line) => line.startsWith(`${name} `))
      ?.split(' ')[1] ?? '';
  /** The spec as the CLI sees it, without the parts a test means to change. */
  const specWithout = (name: string, drop: (spec: Record<string, unknown>) => void): unknown => {
    const spec = JSON.parse(service(name, '{{json .Spec}}')) as Record<string, unknown>;
    drop(spec);
    return spec;
  };

  it('scales web to 5 and back to 4, changing nothing but the replicas', async () => {
    const id = service('web', '{{.ID}}');
    const before = replicas('web');
    const rest = (): unknown =>
      specWithout('web', (spec) => {
        delete spec['Mode'];
      });
    const restBefore = rest();
    try {
      await api.scaleService(await api.inspectService(id), 5);
      expect(replicas('web')).toBe('5');
      expect(rest()).toEqual(restBefore);
      await waitFor('web to run 5 tasks', () => counts('web') === '5/5');

      await api.scaleService(await api.inspectService(id), 4);
      expect(replicas('web')).toBe('4');
      expect(rest()).toEqual(restBefore);
      await waitFor('web to run 4 tasks', () => counts('web') === '4/4');
    } finally {
      if (replicas('web') !== before) cli('service', 'scale', '-d', `web=${before}`);
    }
  });

  it('refuses to scale the global service agent, sending nothing', async () => {
    const version = service('agent', '{{.Version.Index}}');
    const detail = await api.inspectService(service('agent', '{{.ID}}'));
    await expect(api.scaleService(detail, 2)).rejects.toThrow(
      new SmarmError(
        'The service agent is a global service; only replicated services can be scaled.',
        1,
      ),
    );
    expect(service('agent', '{{.Version.Index}}')).toBe(version);
  });

  it('force-updates web: ForceUpdate + 1 and every task replaced', async () => {
    const id = service('web', '{{.ID}}');
    const forceBefore = Number(service('web', '{{.Spec.TaskTemplate.ForceUpdate}}'));
    /** Tasks meant to run: [id, current state]. */
    const running = (): string[][] =>
      cli(
        'service',
        'ps',
        'web',
        '--no-trunc',
        '--filter',
        'desired-state=running',
        '--format',
        '{{.ID}} {{.CurrentState}}',
      )
        .split('\n')
        .map((line) => line.split(' '));
    const oldTasks = running().map(([task]) => task);

    await api.forceUpdateService(await api.inspectService(id));
    expect(Number(service('web', '{{.Spec.TaskTemplate.ForceUpdate}}'))).toBe(forceBefore + 1);

    // The rollout replaces one task at a time: wait for it before the next test. Judged by the
    // tasks, not by UpdateStatus alone: any other change to web (someone scaling it in the shared
    // lab) resets UpdateStatus to nil mid-rollout, and it then never says "completed".
    await waitFor(
      'the force update of web to replace every task',
      () => {
        const now = running();
        return (
          service('web', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}') !== 'updating' &&
          now.length === Number(replicas('web')) &&
          now.every(([task, state]) => state === 'Running' && !oldTasks.includes(task))
        );
      },
      { timeoutMs: 110_000, intervalMs: 500 },
    );
    const desired = new Map(
      cli('service', 'ps', 'web', '--no-trunc', '--format', '{{.ID}} {{.DesiredState}}')
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    );
    expect(oldTasks.map((task) => desired.get(task ?? ''))).toEqual(oldTasks.map(() => 'Shutdown'));
  });

  it('rolls a service back to its previous spec on the engine', async () => {
    const name = 'rb-test';
    try {
      cli('service', 'rm', name);
    } catch {
      // not there: the usual case
    }
    try {
      cli(
        'service',
        'create',
        '-d',
        '--no-resolve-image',
        '--stop-grace-period',
        '2s',
        '--name',
        name,
        '--replicas',
        '1',
        '--env',
        'VERSION=1',
        'lab/busybox:1',
        'sh',
        '-c',
        'while true; do sleep 1; done',
      );
      const id = service(name, '{{.ID}}');
      const noPrevious = await api.inspectService(id);
      await expect(api.rollbackService(noPrevious)).rejects.toThrow(
        'The service rb-test has no previous spec to roll back to.',
      );

      cli(
        'service',
        'update',
        '-d',
        '--no-resolve-image',
        '--image',
        'lab/busybox:2',
        '--env-add',
        'VERSION=2',
        name,
      );
      expect(service(name, '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toBe('lab/busybox:2');
      await waitFor(
        'the update of rb-test to complete',
        () => service(name, '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}') === 'completed',
      );

      const detail = await api.inspectService(id);
      expect(detail.previousSpec).toMatchObject({ image: 'lab/busybox:1', env: ['VERSION=1'] });
      await api.rollbackService(detail);

      expect(service(name, '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toBe('lab/busybox:1');
      expect(service(name, '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).toBe('["VERSION=1"]');
      await waitFor(
        'the rollback of rb-test to complete',
        () => service(name, '{{.UpdateStatus.State}}') === 'rollback_completed',
      );
      expect(
        cli('service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.Image}}'),
      ).toBe('lab/busybox:1');
    } finally {
      cli('service', 'rm', name);
    }
  });

  it('drains worker-1 and makes it active again, role and labels kept', async () => {
    const spec = (): unknown => JSON.parse(node('worker-1', '{{json .Spec}}'));
    const before = spec() as Record<string, unknown>;
    expect(before['Availability']).toBe('active');
    const id = node('worker-1', '{{.ID}}');
    try {
      await api.setNodeAvailability(await api.inspectNode(id), 'drain');
      expect(spec()).toEqual({ ...before, Availability: 'drain' });
      // the swarm moves the tasks off a drained node (the global agent's task included)
      await waitFor('worker-1 to have no running tasks', () =>
        cli('node', 'ps', 'worker-1', '-q', '--filter', 'desired-state=running') === ''
          ? true
          : undefined,
      );

      await api.setNodeAvailability(await api.inspectNode(id), 'active');
      expect(spec()).toEqual(before);
    } finally {
      if (node('worker-1', '{{.Spec.Availability}}') !== 'active') {
        cli('node', 'update', '--availability', 'active', 'worker-1');
      }
    }
  });

  it('keeps the zone=b label of worker-2 through a pause/active cycle', async () => {
    const labels = (): string => node('worker-2', '{{json .Spec.Labels}}');
    const id = node('worker-2', '{{.ID}}');
    expect(labels()).toBe('{"zone":"b"}');
    try {
      await api.setNodeAvailability(await api.inspectNode(id), 'pause');
      expect(node('worker-2', '{{.Spec.Availability}} {{.Spec.Role}}')).toBe('pause worker');
      expect(labels()).toBe('{"zone":"b"}');
      await api.setNodeAvailability(await api.inspectNode(id), 'active');
      expect(node('worker-2', '{{.Spec.Availability}} {{.Spec.Role}}')).toBe('active worker');
      expect(labels()).toBe('{"zone":"b"}');
    } finally {
      if (node('worker-2', '{{.Spec.Availability}}') !== 'active') {
        cli('node', 'update', '--availability', 'active', 'worker-2');
      }
    }
  });

  it("rejects a stale version as OutOfSequenceError and keeps the CLI's change", async () => {
    const label = 'com.smarm-test.stale';
    const before = replicas('web');
    const detail = await api.inspectService(service('web', '{{.ID}}'));
    try {
      // someone else changes web after our inspect (a service label: no tasks restart)
      cli('service', 'update', '-d', '--label-add', `${label}=1`, 'web');
      const err: unknown = await api
        .scaleService(detail, Number(before) + 1)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutOfSequenceError);
      expect((err as OutOfSequenceError).statusCode).toBe(500);
      expect((err as Error).message).toBe(
        'The service web changed on the engine since it was inspected (update out of sequence).',
      );
      expect(service('web', `{{index .Spec.Labels "${label}"}}`)).toBe('1');
      expect(replicas('web')).toBe(before);
    } finally {
      cli('service', 'update', '-d', '--label-rm', label, 'web');
      if (replicas('web') !== before) cli('service', 'scale', '-d', `web=${before}`);
    }
  });

  it('rejects a stale node version too, leaving the node as it is', async () => {
    const label = 'com.smarm-test.stale';
    const detail = await api.inspectNode(node('worker-1', '{{.ID}}'));
    try {
      cli('node', 'update', '--label-add', `${label}=1`, 'worker-1');
      await expect(api.setNodeAvailability(detail, 'pause')).rejects.toThrow(OutOfSequenceError);
      expect(node('worker-1', `{{.Spec.Availability}} {{index .Spec.Labels "${label}"}}`)).toBe(
        'active 1',
      );
    } finally {
      cli('node', 'update', '--label-rm', label, 'worker-1');
      if (node('worker-1', '{{.Spec.Availability}}') !== 'active') {
        cli('node', 'update', '--availability', 'active', 'worker-1');
      }
    }
  });

  it('counts the writes as requests', () => {
    expect(api.stats().requests).toBeGreaterThanOrEqual(14);
  });
});
