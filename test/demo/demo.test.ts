// The demo's swarm converges the way the real engine does: tasks start over time, drains move
// them, a rollback goes back to the previous spec, and every change emits the engine's events.
// The cluster runs on fake timers (deterministic ticks); one test drives it through the seam.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { demoCluster, startDemo, type Demo } from '../../source/demo/index.js';
import type { EngineEvent, FakeCluster } from '../../source/demo/engine/cluster.js';
import { RECORDED_LOG_TEXTS } from '../../source/demo/engine/logs.js';
import { waitFor } from '../helpers/wait-for.js';
import { parseProbeLine, type ProbeLine } from '../../source/probe/line.js';

const START_MS = 1000;

function running(cluster: FakeCluster, name: string): number {
  return cluster.serviceStatus(cluster.findService(name)).RunningTasks;
}

function liveOn(cluster: FakeCluster, hostname: string): string[] {
  const node = cluster.findNode(hostname);
  return cluster
    .tasksOn(node.ID)
    .filter((t) => t.DesiredState === 'running')
    .map((t) => cluster.taskName(t));
}

describe('the demo swarm', () => {
  let cluster: FakeCluster;
  let events: EngineEvent[];

  beforeEach(() => {
    vi.useFakeTimers();
    cluster = demoCluster({ taskStartMs: START_MS, updateStepMs: 500 });
    events = [];
    cluster.onEvent((event) => events.push(event));
  });
  afterEach(() => {
    cluster.stop();
    vi.useRealTimers();
  });

  it('has 5 nodes, 3 managers with one leader, and a drained worker', () => {
    expect(cluster.nodes.map((n) => n.Description.Hostname)).toEqual([
      'manager-1',
      'manager-2',
      'manager-3',
      'worker-001',
      'worker-002',
    ]);
    expect(cluster.nodes.filter((n) => n.Spec.Role === 'manager')).toHaveLength(3);
    expect(cluster.nodes.filter((n) => n.ManagerStatus?.Leader === true)).toHaveLength(1);
    expect(cluster.findNode('worker-002').Spec.Availability).toBe('drain');
    expect(liveOn(cluster, 'worker-002')).toEqual([]);
  });

  it('has a healthy, a global, an updated, a rolling-out and a stuck service', () => {
    expect(running(cluster, 'shop_web')).toBe(3);
    const global = cluster.findService('monitoring_node-agent');
    expect(global.Spec.Mode.Global).toEqual({});
    expect(running(cluster, 'monitoring_node-agent')).toBe(4);
    expect(cluster.findService('shop_api').PreviousSpec?.TaskTemplate.ContainerSpec.Image).toBe(
      'registry.example/shop/api:1.7.3',
    );
    expect(cluster.findService('shop_worker').UpdateStatus?.State).toBe('updating');
    const [pending] = cluster.tasksOf(cluster.findService('billing_pdf-render').ID);
    expect(pending?.Status.State).toBe('pending');
    expect(pending?.NodeID).toBeUndefined();
    expect(pending?.Status.Err).toBe(
      'no suitable node (1 node not available for new tasks; scheduling constraints not satisfied on 4 nodes)',
    );
  });

  it('crash-loops with its error, the history growing up to the retention limit', () => {
    const crashy = cluster.findService('billing_invoices');
    const failed = () =>
      cluster.tasksOf(crashy.ID).filter((t) => t.Status.State === 'failed' && t.Slot === 1);
    expect(failed().length).toBe(5);
    expect(failed()[0]?.Status.Err).toBe('task: non-zero exit (1)');
    const before = new Set(failed().map((t) => t.ID));
    // restart delay (5 s), then it runs (4 s) and fails again
    vi.advanceTimersByTime(5000);
    expect(running(cluster, 'billing_invoices')).toBe(2);
    vi.advanceTimersByTime(4000);
    expect(running(cluster, 'billing_invoices')).toBe(0);
    expect(failed().some((t) => !before.has(t.ID))).toBe(true);
    expect(failed().length).toBe(5);
  });

  it('scales: new tasks start, then run; the event carries the replica counts', () => {
    cluster.scaleService('shop_web', 5);
    expect(running(cluster, 'shop_web')).toBe(3);
    expect(cluster.serviceStatus(cluster.findService('shop_web')).DesiredTasks).toBe(5);
    vi.advanceTimersByTime(START_MS);
    expect(running(cluster, 'shop_web')).toBe(5);
    expect(events).toContainEqual(
      expect.objectContaining({
        Type: 'service',
        Action: 'update',
        Actor: expect.objectContaining({
          Attributes: { name: 'shop_web', 'replicas.old': '3', 'replicas.new': '5' },
        }),
      }),
    );
    cluster.scaleService('shop_web', 1);
    expect(running(cluster, 'shop_web')).toBe(1);
  });

  it('drains a node: its tasks move elsewhere, the global task there stops', () => {
    expect(liveOn(cluster, 'worker-001').length).toBeGreaterThan(1);
    const webBefore = running(cluster, 'shop_web');
    cluster.setNodeAvailability('worker-001', 'drain');
    expect(liveOn(cluster, 'worker-001')).toEqual([]);
    vi.advanceTimersByTime(START_MS);
    expect(running(cluster, 'shop_web')).toBe(webBefore);
    expect(running(cluster, 'shop_api')).toBe(2);
    expect(running(cluster, 'monitoring_node-agent')).toBe(3);
    expect(events).toContainEqual(
      expect.objectContaining({
        Type: 'node',
        Action: 'update',
        Actor: expect.objectContaining({
          Attributes: {
            name: 'worker-001',
            'availability.old': 'active',
            'availability.new': 'drain',
          },
        }),
      }),
    );
  });

  it('activates the drained node: the global service starts there, the stuck reason follows', () => {
    cluster.setNodeAvailability('worker-002', 'active');
    vi.advanceTimersByTime(START_MS);
    expect(liveOn(cluster, 'worker-002')).toEqual([
      'monitoring_node-agent.' + cluster.findNode('worker-002').ID,
    ]);
    const [pending] = cluster.tasksOf(cluster.findService('billing_pdf-render').ID);
    expect(pending?.Status.Err).toBe(
      'no suitable node (scheduling constraints not satisfied on 5 nodes)',
    );
    // pause: nothing new goes there, what runs stays
    cluster.setNodeAvailability('worker-002', 'pause');
    expect(liveOn(cluster, 'worker-002')).toHaveLength(1);
  });

  it('places the pending task once a node meets its constraint', () => {
    const node = cluster.findNode('worker-001');
    cluster.applyNodeSpec(node, { ...structuredClone(node.Spec), Labels: { gpu: 'true' } });
    const [task] = cluster.tasksOf(cluster.findService('billing_pdf-render').ID);
    expect(task?.NodeID).toBe(node.ID);
    expect(task?.Status.State).toBe('starting');
    vi.advanceTimersByTime(START_MS);
    expect(running(cluster, 'billing_pdf-render')).toBe(1);
  });

  it('moves a task off a node whose labels no longer meet its constraint', () => {
    const node = cluster.findNode('worker-001');
    cluster.applyNodeSpec(node, { ...structuredClone(node.Spec), Labels: { gpu: 'TRUE' } });
    vi.advanceTimersByTime(START_MS);
    // Values compare case-insensitively, as swarmkit compares them.
    expect(running(cluster, 'billing_pdf-render')).toBe(1);
    cluster.applyNodeSpec(node, { ...structuredClone(node.Spec), Labels: {} });
    const service = cluster.findService('billing_pdf-render').ID;
    const live = cluster.tasksOf(service).filter((t) => t.DesiredState === 'running');
    expect(live.map((t) => [t.NodeID ?? null, t.Status.State])).toEqual([[null, 'pending']]);
    expect(running(cluster, 'billing_pdf-render')).toBe(0);
  });

  it('rolls back to the previous spec, task by task, with the rollback states', () => {
    const api = cluster.findService('shop_api');
    cluster.applySpec(api, structuredClone(api.PreviousSpec!), true);
    expect(api.Spec.TaskTemplate.ContainerSpec.Image).toBe('registry.example/shop/api:1.7.3');
    expect(api.PreviousSpec?.TaskTemplate.ContainerSpec.Image).toBe(
      'registry.example/shop/api:1.8.0',
    );
    expect(api.UpdateStatus?.State).toBe('rollback_started');
    for (let i = 0; i < 10; i++) vi.advanceTimersByTime(START_MS);
    expect(api.UpdateStatus?.State).toBe('rollback_completed');
    const images = cluster
      .tasksOf(api.ID)
      .filter((t) => t.DesiredState === 'running')
      .map((t) => t.Spec.ContainerSpec.Image);
    expect(images).toEqual(['registry.example/shop/api:1.7.3', 'registry.example/shop/api:1.7.3']);
    expect(running(cluster, 'shop_api')).toBe(2);
    expect(events.map((e) => e.Actor.Attributes['updatestate.new'])).toContain(
      'rollback_completed',
    );
  });
});

describe('the demo engine through the seam', () => {
  let demo: Demo;
  let api: DockerodeSwarmApi;

  beforeEach(async () => {
    demo = await startDemo({ taskStartMs: 50, updateStepMs: 50 });
    api = new DockerodeSwarmApi(demo.endpoint, { requestTimeoutMs: 10_000 });
  });
  afterEach(async () => {
    api.close();
    await demo.stop();
  });

  it('serves a private socket that is gone after stop', async () => {
    expect(statSync(demo.dir).mode & 0o777).toBe(0o700);
    expect(existsSync(demo.endpoint.kind === 'unix' ? demo.endpoint.socketPath : '')).toBe(true);
    const dir = demo.dir;
    await demo.stop();
    expect(existsSync(dir)).toBe(false);
    demo = await startDemo();
  });

  it('scales, forces and rolls back as the real engine does, with events', async () => {
    const seen: string[] = [];
    const abort = new AbortController();
    const watching = api.watchEvents({
      signal: abort.signal,
      onEvent: (e) => seen.push(`${e.type} ${e.name}`),
    });
    await waitFor('the event stream', () => demo.cluster.eventListeners === 1);
    const web = (await api.listServices()).find((s) => s.name === 'shop_web')!;
    await api.scaleService(await api.inspectService(web.id), 4);
    await waitFor('4 running', async () => {
      const now = (await api.listServices()).find((s) => s.name === 'shop_web');
      return now?.running === 4;
    });
    const apiService = (await api.listServices()).find((s) => s.name === 'shop_api')!;
    await api.rollbackService(await api.inspectService(apiService.id));
    await waitFor('the rollback to finish', async () => {
      const raw = await api.inspectObject('service', apiService.id);
      return (
        (raw['UpdateStatus'] as { State?: string } | undefined)?.State === 'rollback_completed'
      );
    });
    await api.forceUpdateService(await api.inspectService(web.id));
    const worker = (await api.listNodes()).find((n) => n.hostname === 'worker-001')!;
    await api.setNodeAvailability(await api.inspectNode(worker.id), 'drain');
    await waitFor('the events', () =>
      ['service shop_web', 'service shop_api', 'node worker-001'].every((e) => seen.includes(e)),
    );
    abort.abort();
    await watching;
  });

  it('makes the stats probe: a global service whose logs are one probe line per running task of each node', async () => {
    const id = await api.createProbeService!({
      name: 'smarm-top-probe-demo',
      image: 'smarm-top',
      labels: { 'smarm-top.probe.session': 'demo' },
      args: ['probe'],
      nanoCpus: 50_000_000,
      memoryBytes: 32 * 1024 * 1024,
      socket: '/var/run/docker.sock',
    });
    const probe = (await api.listServices()).find((s) => s.id === id)!;
    expect(probe).toMatchObject({ name: 'smarm-top-probe-demo', mode: 'global' });
    expect(probe.labels['com.docker.stack.namespace']).toBeUndefined();
    await waitFor('a probe task on every node that takes tasks', async () => {
      const now = (await api.listServices()).find((s) => s.id === id);
      return now !== undefined && now.running > 0 && now.running === now.desired;
    });
    const abort = new AbortController();
    const lines: ProbeLine[] = [];
    const following = api.streamLogs(
      { target: { kind: 'service', id }, tty: false, follow: true },
      {
        signal: abort.signal,
        onLines: (batch) => {
          for (const l of batch) {
            const line = parseProbeLine(l.text);
            if (line !== null) lines.push(line);
          }
        },
      },
    );
    const running = (await api.listTasks({ desiredRunningOnly: true })).filter(
      (t) => t.serviceId !== id && t.state === 'running',
    );
    await waitFor('a line for every running task', () =>
      running.every((t) => lines.some((l) => l.task === t.id && l.node === t.nodeId)),
    );
    // never a line about a probe task itself
    const probeTasks = new Set((await api.listTasks({ serviceId: id })).map((t) => t.id));
    expect(lines.some((l) => probeTasks.has(l.task))).toBe(false);
    abort.abort();
    await following;
    await api.removeService(id);
    expect((await api.listServices()).some((s) => s.id === id)).toBe(false);
  });

  it('sets an image (rolled out), removes a stack by its label, refusing a network still in use', async () => {
    const web = (await api.listServices()).find((s) => s.name === 'shop_web')!;
    await api.setServiceImage(await api.inspectService(web.id), 'lab/busybox:9');
    await waitFor('the update to complete', async () => {
      const now = (await api.listServices()).find((s) => s.id === web.id);
      return now?.updateState === 'completed' && now.image === 'lab/busybox:9';
    });
    const shop = await api.inspectStack('shop');
    expect(shop.services.map((s) => s.name).sort()).toEqual(
      (await api.listServices())
        .filter((s) => s.stack === 'shop')
        .map((s) => s.name)
        .sort(),
    );
    expect(shop.networks.map((n) => n.name)).toEqual(['shop_default']);
    expect(shop.secrets.map((n) => n.name)).toEqual(['shop_db_password']);
    expect(shop.configs.map((n) => n.name)).toEqual(['shop_nginx_conf']);
    const network = shop.networks[0]!;
    await expect(api.removeNetwork(network.id)).rejects.toThrow(/is in use by service/);
    await expect(api.removeSecret(shop.secrets[0]!.id)).rejects.toThrow(/is in use by/);
    for (const s of shop.services) await api.removeService(s.id);
    await api.removeSecret(shop.secrets[0]!.id);
    await api.removeConfig(shop.configs[0]!.id);
    await api.removeNetwork(network.id);
    expect(await api.inspectStack('shop')).toEqual({
      name: 'shop',
      services: [],
      networks: [],
      secrets: [],
      configs: [],
    });
    await expect(api.removeService(web.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('promotes and demotes a node, labels it, and refuses to demote the last manager', async () => {
    const byName = async (name: string) =>
      (await api.listNodes()).find((n) => n.hostname === name)!;
    const worker = await byName('worker-001');
    await api.setNodeRole(await api.inspectNode(worker.id), 'manager');
    expect((await byName('worker-001')).manager?.reachability).toBe('reachable');
    await api.setNodeLabels(await api.inspectNode(worker.id), { zone: 'b' });
    const labelled = await byName('worker-001');
    expect(labelled.labels).toEqual({ zone: 'b' });
    expect(labelled.role).toBe('manager');
    await api.setNodeRole(await api.inspectNode(worker.id), 'worker');
    expect((await byName('worker-001')).manager).toBeNull();
    const managers = (await api.listNodes()).filter((n) => n.manager !== null);
    for (const m of managers.slice(1)) await api.setNodeRole(await api.inspectNode(m.id), 'worker');
    await expect(api.setNodeRole(await api.inspectNode(managers[0]!.id), 'worker')).rejects.toThrow(
      /last manager/,
    );
    expect((await api.listNodes()).filter((n) => n.manager !== null)).toHaveLength(1);
  });
});

it('keeps the log texts of the lab recordings', () => {
  const texts: string[] = [];
  for (const name of ['logs-web.bin', 'logs-logger.bin']) {
    const bytes = readFileSync(new URL(`../fixtures/lab/${name}`, import.meta.url));
    for (let at = 0; at + 8 <= bytes.length;) {
      const length = bytes.readUInt32BE(at + 4);
      const payload = bytes.subarray(at + 8, at + 8 + length).toString('utf8');
      at += 8 + length;
      const text = /^\S+ \S+ (.*)$/s.exec(payload.replace(/\r?\n$/, ''))?.[1];
      if (text === undefined) continue;
      const template = text.replace(/\b[0-9a-f]{12}\b/g, '{cid}').replace(/\d+/g, '{n}');
      if (!texts.includes(template)) texts.push(template);
    }
  }
  expect(RECORDED_LOG_TEXTS).toEqual(texts);
});
