import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { OutOfSequenceError } from '../../source/docker/errors.js';
import { checkSwarmManager } from '../../source/docker/preflight.js';
import { readLastWords } from '../../source/live/last-words.js';
import type { LogLine, SwarmEvent } from '../../source/model.js';
import { startFakeEngine, type FakeEngine } from './index.js';

// The fake engine is benchmark and test infrastructure: these tests check that the real client
// (DockerodeSwarmApi, dockerode, our parsers) reads it as it reads the lab, at full size.

const dir = mkdtempSync(path.join(tmpdir(), 'smarm-fake-'));

function connect(engine: FakeEngine): DockerodeSwarmApi {
  const socketPath = engine.socketPath;
  return new DockerodeSwarmApi(
    { kind: 'unix', socketPath, label: `unix://${socketPath}`, source: '--host' },
    { requestTimeoutMs: 30_000 },
  );
}

/** A raw GET, for what DockerodeSwarmApi does not ask (legacy filters, version prefix). */
function get(socketPath: string, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: url }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Follows /events until stopped, collecting what arrives; resolves once the stream is open. */
async function watch(engine: FakeEngine, api: DockerodeSwarmApi, since?: bigint) {
  // Streams of earlier tests close asynchronously: start from none open.
  await waitUntil('earlier streams to close', () => engine.cluster.eventListeners === 0);
  const events: SwarmEvent[] = [];
  const abort = new AbortController();
  const done = api.watchEvents({ since, signal: abort.signal, onEvent: (e) => events.push(e) });
  await waitUntil('the event stream', () => engine.cluster.eventListeners === 1);
  return {
    events,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fake engine at full size', () => {
  let engine: FakeEngine;
  let api: DockerodeSwarmApi;

  beforeAll(async () => {
    engine = await startFakeEngine({ socketPath: path.join(dir, 'full.sock'), seed: 7 });
    api = connect(engine);
  }, 60_000);

  afterAll(async () => {
    api.close();
    await engine.stop();
  });

  it('is an active manager', async () => {
    const info = await api.info();
    expect(info.localNodeState).toBe('active');
    expect(info.controlAvailable).toBe(true);
    expect(info.nodeId).toBe(engine.cluster.nodes[0]!.ID);
    expect(info.remoteManagers).toHaveLength(3);
    expect(checkSwarmManager(info, api.endpoint)).toBeNull();
  });

  it('lists 100 nodes with one leader', async () => {
    const nodes = await api.listNodes();
    expect(nodes).toHaveLength(100);
    expect(new Set(nodes.map((n) => n.hostname)).size).toBe(100);
    expect(nodes.filter((n) => n.manager?.reachability === 'leader')).toHaveLength(1);
    expect(nodes.filter((n) => n.role === 'manager')).toHaveLength(3);
    expect(nodes.every((n) => n.state === 'ready' && n.availability === 'active')).toBe(true);
  });

  it('lists 1,000 services with their counts from status=true', async () => {
    const services = await api.listServices();
    expect(services).toHaveLength(1000);
    expect(new Set(services.map((s) => s.name)).size).toBe(1000);
    expect(services.every((s) => s.running === 10 && s.desired === 10)).toBe(true);
    expect(services.every((s) => s.mode === 'replicated' && s.specReplicas === 10)).toBe(true);
    expect(services.some((s) => s.hasPreviousSpec && s.updateState === 'completed')).toBe(true);
    expect(services.every((s) => s.stack !== null && s.createdAt !== null)).toBe(true);
  }, 30_000);

  it('lists 10,000 running tasks and their history', async () => {
    const tasks = await api.listTasks({});
    expect(tasks).toHaveLength(30_000);
    const running = tasks.filter((t) => t.state === 'running');
    expect(running).toHaveLength(10_000);
    expect(running.every((t) => t.desiredState === 'running' && t.exitCode === null)).toBe(true);
    expect(new Set(running.map((t) => t.slot))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const failed = tasks.filter((t) => t.state === 'failed');
    expect(failed.length).toBe(10_000);
    expect(failed[0]).toMatchObject({ desiredState: 'shutdown', exitCode: 3 });
    expect(failed[0]!.error).toMatch(/non-zero exit/);
    expect(tasks.every((t) => t.nodeId !== null && t.createdAt !== null)).toBe(true);
  }, 60_000);

  it('filters tasks by service, node and desired state', async () => {
    const service = engine.cluster.services[42]!;
    const all = await api.listTasks({ serviceId: service.ID });
    expect(all).toHaveLength(30);
    expect(all.every((t) => t.serviceId === service.ID)).toBe(true);
    const live = await api.listTasks({ serviceId: service.ID, desiredRunningOnly: true });
    expect(live).toHaveLength(10);
    const node = engine.cluster.nodes[50]!;
    const onNode = await api.listTasks({ nodeId: node.ID });
    expect(onNode.length).toBeGreaterThan(0);
    expect(onNode.every((t) => t.nodeId === node.ID)).toBe(true);
  });

  it('parses the filters query like the engine: names, the map form, errors', async () => {
    const socket = engine.socketPath;
    const name = engine.cluster.services[3]!.Spec.Name;
    const legacy = encodeURIComponent(JSON.stringify({ service: { [name]: true } }));
    const byName = await get(socket, `/v1.41/tasks?filters=${legacy}`);
    expect(byName.status).toBe(200);
    expect(JSON.parse(byName.body)).toHaveLength(30);
    const missing = encodeURIComponent(JSON.stringify({ service: ['nope'] }));
    expect(await get(socket, `/tasks?filters=${missing}`)).toEqual({
      status: 404,
      body: '{"message":"service nope not found"}\n',
    });
    const bad = encodeURIComponent(JSON.stringify({ colour: ['red'] }));
    expect((await get(socket, `/tasks?filters=${bad}`)).status).toBe(400);
    expect((await get(socket, '/v1.41/_ping')).body).toBe('OK');
    const version = JSON.parse((await get(socket, '/v1.41/version')).body) as {
      ApiVersion: string;
    };
    expect(version.ApiVersion).toBe('1.41');
  });

  it('counts requests and bytes by path', async () => {
    const before = engine.stats();
    await api.listNodes();
    const after = engine.stats();
    expect(after.requests).toBe(before.requests + 1);
    const nodes = (key: typeof after) => key.byPath['GET /nodes'];
    expect(nodes(after)!.requests).toBe((nodes(before)?.requests ?? 0) + 1);
    expect(after.bytesSent - before.bytesSent).toBeGreaterThan(100_000);
  });
});

describe('fake engine changes', () => {
  let engine: FakeEngine;
  let api: DockerodeSwarmApi;

  beforeAll(async () => {
    engine = await startFakeEngine({
      socketPath: path.join(dir, 'small.sock'),
      nodes: 6,
      services: 12,
      tasksPerService: 4,
      historyPerTask: 2,
      seed: 3,
      logIntervalMs: 30,
      logBacklogLines: 8,
    });
    api = connect(engine);
  });

  afterAll(async () => {
    api.close();
    await engine.stop();
  });

  it('streams a service event for a scale and converges the tasks', async () => {
    const service = engine.cluster.services[1]!;
    const stream = await watch(engine, api);
    engine.mutate.scaleService(service.Spec.Name, 6);
    await waitUntil('a service event', () => stream.events.length > 0);
    await stream.stop();
    expect(stream.events[0]).toMatchObject({
      type: 'service',
      action: 'update',
      id: service.ID,
      name: service.Spec.Name,
      attributes: { 'replicas.old': '4', 'replicas.new': '6' },
    });
    const listed = (await api.listServices()).find((s) => s.id === service.ID);
    expect(listed).toMatchObject({ running: 6, desired: 6, specReplicas: 6 });
    const live = await api.listTasks({ serviceId: service.ID, desiredRunningOnly: true });
    expect(live.map((t) => t.slot).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('replays events from `since`', async () => {
    const first = await watch(engine, api);
    engine.mutate.drainNode(engine.cluster.nodes[5]!.Description.Hostname);
    await waitUntil('a node event', () => first.events.some((e) => e.type === 'node'));
    await first.stop();
    const drained = first.events.find((e) => e.type === 'node')!;
    expect(drained.attributes).toMatchObject({
      'availability.old': 'active',
      'availability.new': 'drain',
    });
    const replay = await watch(engine, api, drained.timeNano);
    await waitUntil('the replay', () => replay.events.length > 0);
    await replay.stop();
    expect(replay.events[0]).toEqual(drained);
    const onNode = await api.listTasks({ nodeId: drained.id, desiredRunningOnly: true });
    expect(onNode).toHaveLength(0);
  });

  it('fails a task and replaces it in its slot, without an event', async () => {
    const service = engine.cluster.services[2]!;
    const stream = await watch(engine, api);
    const { failed, replacement } = engine.mutate.failTask(service.Spec.Name, 2);
    const tasks = await api.listTasks({ serviceId: service.ID });
    await stream.stop();
    expect(tasks.find((t) => t.id === failed)).toMatchObject({
      state: 'failed',
      desiredState: 'shutdown',
      slot: 2,
      error: expect.stringMatching(/^task: non-zero exit \(\d\)$/) as unknown,
    });
    expect(tasks.find((t) => t.id === replacement)).toMatchObject({ state: 'running', slot: 2 });
    // History per slot stays within the retention limit.
    expect(tasks.filter((t) => t.slot === 2)).toHaveLength(3);
    expect(stream.events).toEqual([]);
  });

  it('churns: tasks fail and a rolling update goes from updating to completed', async () => {
    const service = engine.cluster.services[4]!;
    const image = service.Spec.TaskTemplate.ContainerSpec.Image.replace(/\d+$/, (n) =>
      String(Number(n) + 1),
    );
    const stream = await watch(engine, api);
    const failed = () =>
      [...engine.cluster.tasks.values()]
        .filter((t) => t.Status.State === 'failed')
        .map((t) => t.ID);
    const failedBefore = new Set(failed());
    const stop = engine.startChurn({
      taskFailuresPerSecond: 20,
      rollingUpdate: service.Spec.Name,
      updateStepMs: 20,
      restartMs: 50,
    });
    await waitUntil('the update to complete', () =>
      stream.events.some((e) => e.attributes['updatestate.new'] === 'completed'),
    );
    stop();
    await stream.stop();
    const states = stream.events
      .filter((e) => e.id === service.ID)
      .map((e) => e.attributes['updatestate.new'] ?? e.attributes['image.new']);
    expect(states).toEqual([image, 'updating', 'completed']);
    const listed = (await api.listServices()).find((s) => s.id === service.ID)!;
    expect(listed).toMatchObject({ updateState: 'completed', image });
    const live = await api.listTasks({ serviceId: service.ID, desiredRunningOnly: true });
    expect(live.every((t) => t.image === image)).toBe(true);
    // Old tasks beyond the retention limit are removed, so the new failures are counted by ID.
    expect(failed().filter((id) => !failedBefore.has(id)).length).toBeGreaterThan(0);
  });

  it('takes updates through the API with the version check', async () => {
    const service = engine.cluster.services[6]!;
    const detail = await api.inspectService(service.ID);
    await api.scaleService(detail, 2);
    await expect(api.scaleService(detail, 3)).rejects.toBeInstanceOf(OutOfSequenceError);
    const node = await api.inspectNode(engine.cluster.nodes[4]!.ID);
    await api.setNodeAvailability(node, 'pause');
    expect((await api.inspectNode(node.node.id)).node).toMatchObject({
      availability: 'pause',
      labels: node.node.labels,
    });
    expect((await api.listServices()).find((s) => s.id === service.ID)?.desired).toBe(2);
  });

  it('streams service logs: multiplexed frames with timestamps and details', async () => {
    const service = engine.cluster.services[8]!;
    const lines: LogLine[] = [];
    await api.streamLogs(
      { target: { kind: 'service', id: service.ID }, tty: false, tail: 3, follow: false },
      { signal: new AbortController().signal, onLines: (batch) => lines.push(...batch) },
    );
    const running = engine.cluster
      .tasksOf(service.ID)
      .filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');
    expect(lines).toHaveLength(running.length * 3);
    const taskIds = new Set(engine.cluster.tasksOf(service.ID).map((t) => t.ID));
    for (const line of lines) {
      expect(line.serviceId).toBe(service.ID);
      expect(taskIds.has(line.taskId ?? '')).toBe(true);
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      expect(line.text).toMatch(/^(hello from [0-9a-f]{12}|logger .+)$/);
    }
    expect(lines.some((l) => l.stream === 'stderr')).toBe(true);
  });

  it("reads a listed task's last lines without asking for the task first", async () => {
    const listed = (await api.listTasks({ serviceId: engine.cluster.services[9]!.ID })).find(
      (t) => t.state === 'running',
    )!;
    expect(listed.readableLogs).toEqual({ tty: false });
    engine.resetStats();
    const words = await readLastWords(api, listed.id, { logs: listed.readableLogs });
    expect(words.error).toBeNull();
    expect(words.lines.length).toBeGreaterThan(0);
    expect(Object.keys(engine.stats().byPath)).toEqual(['GET /tasks/{id}/logs']);
    // Not listed (or unreadable): the task is asked for first, for its TTY and its log driver.
    engine.resetStats();
    expect(await readLastWords(api, listed.id)).toEqual(words);
    expect(Object.keys(engine.stats().byPath).sort()).toEqual([
      'GET /tasks/{id}',
      'GET /tasks/{id}/logs',
    ]);
  });

  it('follows a task log', async () => {
    const task = engine.cluster
      .tasksOf(engine.cluster.services[9]!.ID)
      .find((t) => t.Status.State === 'running')!;
    const lines: LogLine[] = [];
    const abort = new AbortController();
    const done = api.streamLogs(
      { target: { kind: 'task', id: task.ID }, tty: false, tail: 0, follow: true },
      { signal: abort.signal, onLines: (batch) => lines.push(...batch) },
    );
    await waitUntil('followed lines', () => lines.length >= 3);
    abort.abort();
    await done;
    expect(lines.every((l) => l.taskId === task.ID && l.nodeId === task.NodeID)).toBe(true);
  });
});
