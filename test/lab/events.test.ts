import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import type { SwarmEvent } from '../../source/model.js';
import { describeEvent } from '../../source/views/event-log.js';
import { servicesOfStack, stackRows } from '../../source/views/stack-rows.js';
import { docker } from '../helpers/docker-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// The events timeline and the stacks list against the real swarm: changes are made with the
// docker CLI on objects of our own (uniquely named, removed afterwards) and must come back
// through DockerodeSwarmApi.watchEvents / listServices in the words the views show.

const lab = inject('lab');
const host = lab?.dockerHost ?? 'unix:///nonexistent';
const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const serviceName = `t-events-${suffix}`;
const secretName = `t-events-sec-${suffix}`;
const stackName = `t-stack-${suffix}`;

function quietly(...args: string[]): void {
  try {
    docker(host, ...args);
  } catch {
    // already gone
  }
}

describeWithLab('events and stacks against the lab', () => {
  const api = new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
  const controller = new AbortController();
  const events: SwarmEvent[] = [];
  let watching: Promise<void> = Promise.resolve();
  const composeDir = mkdtempSync(join(tmpdir(), 't-stack-'));

  beforeAll(() => {
    // From a moment ago: whatever the stream's opening takes, no event of ours is missed.
    watching = api.watchEvents({
      since: BigInt(Date.now() - 2_000) * 1_000_000n,
      signal: controller.signal,
      onEvent: (event) => events.push(event),
    });
  });

  afterAll(async () => {
    controller.abort();
    await watching.catch(() => undefined);
    quietly('service', 'rm', serviceName);
    quietly('secret', 'rm', secretName);
    quietly('stack', 'rm', stackName);
    rmSync(composeDir, { recursive: true, force: true });
    api.close();
  });

  const rowsFor = (name: string) =>
    events.filter((e) => e.name === name).map((e, i) => describeEvent(e, i));

  it('tells a scale of our service as "replicas 1 → 2"', async () => {
    docker(
      host,
      'service',
      'create',
      '-d',
      '--name',
      serviceName,
      'lab/busybox:1',
      'sleep',
      '3600',
    );
    await waitFor('the create event', () =>
      rowsFor(serviceName).some((r) => r.action === 'create'),
    );
    docker(host, 'service', 'scale', '-d', `${serviceName}=2`);
    const scaled = await waitFor('the scale event', () =>
      rowsFor(serviceName).find((r) => r.change === 'replicas 1 → 2'),
    );
    expect(scaled).toMatchObject({ type: 'service', action: 'update', level: 'normal' });

    docker(host, 'service', 'rm', serviceName);
    const removed = await waitFor('the remove event', () =>
      rowsFor(serviceName).find((r) => r.action === 'remove'),
    );
    expect(removed.level).toBe('bad');
  });

  it('sees a secret created and removed', async () => {
    const value = join(composeDir, 'secret');
    writeFileSync(value, 'not really secret\n');
    docker(host, 'secret', 'create', secretName, value);
    docker(host, 'secret', 'rm', secretName);
    const actions = await waitFor('both secret events', () => {
      const seen = rowsFor(secretName).map((r) => `${r.type} ${r.action}`);
      return seen.length >= 2 && seen;
    });
    expect(actions).toEqual(['secret create', 'secret remove']);
  });

  it('groups the services of a deployed stack', async () => {
    const file = join(composeDir, 'compose.yml');
    writeFileSync(
      file,
      [
        'version: "3.8"',
        'services:',
        '  one:',
        '    image: lab/busybox:1',
        '    command: ["sleep", "3600"]',
        '  two:',
        '    image: lab/busybox:1',
        '    command: ["sleep", "3600"]',
        '    deploy:',
        '      replicas: 2',
        '',
      ].join('\n'),
    );
    docker(host, 'stack', 'deploy', '-c', file, stackName);
    const services = await waitFor('the stack services', async () => {
      const list = await api.listServices();
      return servicesOfStack(list, stackName).length === 2 && list;
    });
    const row = stackRows(services).find((r) => r.id === stackName);
    expect(row).toMatchObject({ name: stackName, services: 2, desired: 3 });
    expect(
      servicesOfStack(services, stackName)
        .map((s) => s.name)
        .sort(),
    ).toEqual([`${stackName}_one`, `${stackName}_two`]);
    // The lab's own services were deployed without a stack.
    expect(servicesOfStack(services, '').map((s) => s.name)).toEqual(
      expect.arrayContaining(['web', 'api']),
    );
  });
});
