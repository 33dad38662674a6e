import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { ConnectionError } from '../../source/docker/errors.js';
import { checkSwarmManager } from '../../source/docker/preflight.js';
import type { SwarmEvent } from '../../source/model.js';

// Read-only smoke test of the real client against the lab swarm (scripts/lab.sh): it changes
// nothing, so it can run while the lab is shared.

// Provided by the lab project's globalSetup (test/helpers/lab-setup.ts); null when no lab is up.

function connect(host: string): DockerodeSwarmApi {
  return new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
}

describeWithLab('DockerodeSwarmApi against the lab', (lab) => {
  const manager = connect(lab?.dockerHost ?? 'unix:///nonexistent');
  afterAll(() => manager.close());

  it('sees an active manager', async () => {
    const info = await manager.info();
    expect(info.localNodeState).toBe('active');
    expect(info.controlAvailable).toBe(true);
    expect(checkSwarmManager(info, manager.endpoint)).toBeNull();
  });

  it('lists every lab node', async () => {
    const nodes = await manager.listNodes();
    expect(nodes.map((node) => node.hostname).sort()).toEqual([...(lab?.nodes ?? [])].sort());
    expect(nodes.filter((node) => node.manager?.reachability === 'leader')).toHaveLength(1);
  });

  it('lists the lab services with their counts', async () => {
    const services = await manager.listServices();
    const byName = new Map(services.map((service) => [service.name, service]));
    expect([...byName.keys()].sort()).toEqual(
      expect.arrayContaining(['agent', 'api', 'crashy', 'web']),
    );
    expect(byName.get('agent')?.mode).toBe('global');
    expect(byName.get('api')?.hasPreviousSpec).toBe(true);
    expect(byName.get('web')?.desired).toBe(byName.get('web')?.specReplicas);
  });

  it('lists tasks with engine-side filters', async () => {
    const services = await manager.listServices();
    const crashy = services.find((service) => service.name === 'crashy');
    expect(crashy).toBeDefined();
    const all = await manager.listTasks({ serviceId: crashy?.id ?? '' });
    expect(all.every((task) => task.serviceId === crashy?.id)).toBe(true);
    const running = await manager.listTasks({
      serviceId: crashy?.id ?? '',
      desiredRunningOnly: true,
    });
    expect(running.every((task) => task.desiredState === 'running')).toBe(true);
    expect(running.length).toBeLessThanOrEqual(all.length);
  });

  it('replays recent swarm events from `since` and stops on abort', async () => {
    const controller = new AbortController();
    const events: SwarmEvent[] = [];
    const since = BigInt(Date.now() - 3_600_000) * 1_000_000n;
    const stop = setTimeout(() => controller.abort(), 3_000);
    await manager.watchEvents({
      since,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        controller.abort();
      },
    });
    clearTimeout(stop);
    expect(events.length).toBeGreaterThan(0);
    expect(['service', 'node', 'secret', 'config', 'network']).toContain(events[0]?.type);
    expect(events[0]?.timeNano).toBeGreaterThanOrEqual(since);
  });

  it('explains a worker instead of failing on it', async () => {
    const worker = connect(lab?.workerSockets[0] ?? '');
    const info = await worker.info();
    expect(checkSwarmManager(info, worker.endpoint)).toMatch(
      /is a swarm worker, and smarm-top needs a manager: run it on a manager \(swarm addresses 127\.0\.0\.1:/,
    );
    const err: unknown = await worker.listNodes().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).statusCode).toBe(503);
    expect((err as Error).message).toMatch(/says: This node is not a swarm manager/);
    worker.close();
  });

  it('counts requests and bytes', () => {
    const stats = manager.stats();
    expect(stats.requests).toBeGreaterThan(0);
    expect(stats.bytes).toBeGreaterThan(0);
  });
});
