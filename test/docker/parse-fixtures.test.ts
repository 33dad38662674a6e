import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEngineError } from '../../source/docker/errors.js';
import { splitNdjson } from '../../source/docker/ndjson.js';
import {
  parseEventLine,
  parseInfo,
  parseNodes,
  parseServices,
  parseTasks,
} from '../../source/docker/parse.js';
import { checkSwarmManager } from '../../source/docker/preflight.js';
import type { SwarmService } from '../../source/model.js';

// Raw Engine JSON recorded from the lab swarm by scripts/record-fixtures.ts (engine 20.10, five
// nodes: manager-1..3, worker-1..2; services web, agent (global), crashy (exits 3), api (updated
// from lab/busybox:1 to :2)). IDs change with every recording, so tests look things up by name.

const FIXTURES = new URL('../fixtures/lab/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
const fixture = (name: string): unknown => JSON.parse(read(name));

const nodes = parseNodes(fixture('nodes.json'));
const services = parseServices(fixture('services.json'));
const tasks = parseTasks(fixture('tasks.json'));

function service(name: string): SwarmService {
  const found = services.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no service ${name} in the fixture`);
  return found;
}

describe('recorded /info', () => {
  it('is an active manager with the three managers of the lab', () => {
    const info = parseInfo(fixture('info.json'));
    expect(info).toMatchObject({
      hostname: 'manager-1',
      localNodeState: 'active',
      controlAvailable: true,
    });
    expect(info.serverVersion).not.toBe('');
    expect(info.nodeId).toMatch(/^[a-z0-9]{25}$/);
    expect(info.clusterId).toMatch(/^[a-z0-9]{25}$/);
    expect(info.remoteManagers).toHaveLength(3);
    expect(info.remoteManagers.every((m) => /^127\.0\.0\.1:\d+$/.test(m.address))).toBe(true);
    expect(checkSwarmManager(info, 'unix:///lab')).toBeNull();
  });

  it('of a worker leads to the worker sentence', () => {
    const info = parseInfo(fixture('info-worker.json'));
    expect(info).toMatchObject({ localNodeState: 'active', controlAvailable: false });
    expect(checkSwarmManager(info, 'unix:///w')).toBe(
      "The Docker engine at unix:///w is a swarm worker, and smarm-top needs a manager: run it on a manager (swarm addresses 127.0.0.1:2377, 127.0.0.1:2378, 127.0.0.1:2379) or point --host at a manager's Docker endpoint.",
    );
  });
});

describe('recorded refusal of a worker', () => {
  it('is described with the engine message', () => {
    const { statusCode, body } = fixture('worker-nodes-refusal.json') as {
      statusCode: number;
      body: { message: string };
    };
    expect(statusCode).toBe(503);
    const err = Object.assign(new Error(`(HTTP code 503) unexpected - ${body.message} `), {
      statusCode,
      json: body,
    });
    expect(describeEngineError(err, 'unix:///w')).toMatch(
      /^The Docker engine at unix:\/\/\/w says: This node is not a swarm manager\. Worker nodes can't be used to view or modify cluster state\./,
    );
  });
});

describe('recorded /nodes', () => {
  it('has every lab node', () => {
    expect(nodes.map((n) => n.hostname).sort()).toEqual([
      'manager-1',
      'manager-2',
      'manager-3',
      'worker-1',
      'worker-2',
    ]);
  });

  it('reads roles, the leader and manager addresses', () => {
    const managers = nodes.filter((n) => n.role === 'manager');
    expect(managers).toHaveLength(3);
    expect(managers.filter((n) => n.manager?.reachability === 'leader')).toHaveLength(1);
    expect(managers.every((n) => n.manager?.address.startsWith('127.0.0.1:'))).toBe(true);
    expect(nodes.filter((n) => n.role === 'worker').every((n) => n.manager === null)).toBe(true);
  });

  it('reads a node in full', () => {
    const worker = nodes.find((n) => n.hostname === 'worker-2');
    expect(worker).toMatchObject({
      role: 'worker',
      availability: 'active',
      state: 'ready',
      statusMessage: '',
      address: '127.0.0.1',
      manager: null,
      labels: { zone: 'b' },
    });
    expect(worker?.version).toBeGreaterThan(0);
    expect(worker?.engineVersion).toMatch(/^\d+\.\d+/);
    expect(worker?.nanoCpus).toBeGreaterThan(0);
    expect(worker?.memoryBytes).toBeGreaterThan(0);
    expect(worker?.createdAt).toMatch(/^20\d\d-/);
  });
});

describe('recorded /services?status=true', () => {
  it('reads modes and counts', () => {
    expect(service('agent')).toMatchObject({ mode: 'global', specReplicas: null });
    expect(service('agent').desired).toBe(5);
    expect(service('web')).toMatchObject({ mode: 'replicated', specReplicas: 4, desired: 4 });
    expect(service('crashy')).toMatchObject({ specReplicas: 1, desired: 1 });
  });

  it('sees the previous spec and completed update of api', () => {
    expect(service('api')).toMatchObject({
      hasPreviousSpec: true,
      image: 'lab/busybox:2',
      updateState: 'completed',
      updateMessage: 'update completed',
    });
    expect(service('web').hasPreviousSpec).toBe(false);
    expect(service('web').updateState).toBeNull();
  });

  it('reads labels, no stack, no ports, no tty', () => {
    expect(service('crashy')).toMatchObject({
      labels: { 'com.smarm-lab.role': 'crashloop' },
      stack: null,
      ports: [],
      tty: false,
      image: 'lab/busybox:1',
    });
  });
});

describe('recorded /tasks', () => {
  const crashy = tasks.filter((t) => t.serviceId === service('crashy').id);
  const agent = tasks.filter((t) => t.serviceId === service('agent').id);

  it('shows why crashy fails', () => {
    const failed = crashy.filter((t) => t.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const task of failed) {
      expect(task).toMatchObject({
        error: 'task: non-zero exit (3)',
        exitCode: 3,
        desiredState: 'shutdown',
        slot: 1,
      });
      expect(task.containerId).toMatch(/^[0-9a-f]{64}$/);
      expect(task.stateSince).not.toBeNull();
    }
  });

  it('gives running tasks no exit code and no error', () => {
    const running = tasks.filter((t) => t.state === 'running');
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((t) => t.exitCode === null && t.error === null)).toBe(true);
    expect(running.every((t) => t.nodeId !== null && t.containerId !== null)).toBe(true);
  });

  it('gives global tasks no slot, one per node', () => {
    expect(agent.length).toBeGreaterThanOrEqual(5);
    expect(agent.every((t) => t.slot === null)).toBe(true);
    const runningNodes = agent.filter((t) => t.state === 'running').map((t) => t.nodeId);
    expect(new Set(runningNodes).size).toBe(runningNodes.length);
  });

  it('keeps the old image on the tasks api replaced', () => {
    const api = tasks.filter((t) => t.serviceId === service('api').id);
    const images = new Set(api.map((t) => `${t.state}:${t.image}`));
    expect(images).toContain('running:lab/busybox:2');
    expect(images).toContain('shutdown:lab/busybox:1');
  });
});

describe('recorded /events', () => {
  const lines = splitNdjson([readFileSync(new URL('events.ndjson', FIXTURES))]);
  const events = lines.map(parseEventLine);

  it('parses every line', () => {
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e !== null)).toBe(true);
  });

  it('keeps timeNano exact and in order', () => {
    for (const [i, line] of lines.entries()) {
      const digits = /"timeNano":(\d+)/.exec(line)?.[1];
      expect(events[i]?.timeNano).toBe(BigInt(digits ?? '-1'));
    }
    const times = events.map((e) => e?.timeNano ?? 0n);
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0n))).toBe(true);
  });

  it('reads service create and the api image update', () => {
    const created = events.filter((e) => e?.type === 'service' && e.action === 'create');
    expect(created.map((e) => e?.name).sort()).toEqual(['agent', 'api', 'crashy', 'web']);
    const imageUpdate = events.find((e) => e?.attributes['image.new'] !== undefined);
    expect(imageUpdate).toMatchObject({
      type: 'service',
      action: 'update',
      name: 'api',
      attributes: { 'image.old': 'lab/busybox:1', 'image.new': 'lab/busybox:2' },
    });
  });

  it('reads node events, including those without a name yet', () => {
    const nodeEvents = events.filter((e) => e?.type === 'node');
    expect(nodeEvents.length).toBeGreaterThan(0);
    expect(nodeEvents.some((e) => e?.attributes['state.new'] === 'ready')).toBe(true);
    // A node joining is announced before it has a hostname: name is "" then, not null.
    expect(nodeEvents.some((e) => e?.name === '')).toBe(true);
  });
});
