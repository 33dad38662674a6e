import { describe, expect, it } from 'vitest';
import {
  parseEvent,
  parseEventLine,
  parseInfo,
  parseNode,
  parseNodes,
  parseService,
  parseServices,
  parseTask,
  parseTasks,
  parseTime,
  stripDigest,
} from '../../source/docker/parse.js';

// Odd and hand-made shapes (other API versions, missing fields, garbage). What a real engine sends
// is covered by parse-fixtures.test.ts on recorded lab data.

const ODD_INPUTS: unknown[] = [null, undefined, 42, 'x', [], true, { ID: 7 }, { ID: '' }];

describe('defensive parsing', () => {
  it.each([parseNode, parseService, parseTask])('%o throws only for a missing ID', (parse) => {
    for (const odd of ODD_INPUTS) expect(() => parse(odd)).toThrow(/without an ID/);
    expect(() => parse({ ID: 'x', Spec: 'odd', Status: [], Version: null })).not.toThrow();
  });

  it.each([parseNodes, parseServices, parseTasks])('%o skips unusable items', (parse) => {
    expect(parse([null, { ID: 'a' }, 'x', { nope: 1 }, { ID: 'b' }]).map((x) => x.id)).toEqual([
      'a',
      'b',
    ]);
    for (const odd of ODD_INPUTS) expect(parse(odd)).toEqual([]);
  });

  it('fills a bare node with defaults', () => {
    expect(parseNode({ ID: 'n1' })).toEqual({
      id: 'n1',
      version: 0,
      hostname: '',
      role: 'worker',
      availability: 'active',
      state: 'unknown',
      statusMessage: '',
      address: '',
      manager: null,
      engineVersion: '',
      nanoCpus: 0,
      memoryBytes: 0,
      labels: {},
      tlsIssuerKey: null,
      platform: { os: '', arch: '' },
      engineLabels: {},
      plugins: [],
      createdAt: null,
      updatedAt: null,
    });
  });

  it('reads manager status: leader wins over reachability, unknown values become unknown', () => {
    const node = (ManagerStatus: unknown) => parseNode({ ID: 'n', ManagerStatus }).manager;
    expect(node({ Leader: true, Reachability: 'reachable', Addr: '10.0.0.1:2377' })).toEqual({
      reachability: 'leader',
      address: '10.0.0.1:2377',
    });
    expect(node({ Reachability: 'unreachable' })?.reachability).toBe('unreachable');
    expect(node({ Reachability: 'sideways' })?.reachability).toBe('unknown');
    // Role falls back to what ManagerStatus implies.
    expect(parseNode({ ID: 'n', ManagerStatus: {} }).role).toBe('manager');
  });

  it('keeps only string labels', () => {
    expect(parseNode({ ID: 'n', Spec: { Labels: { a: 'b', n: 1, o: {} } } }).labels).toEqual({
      a: 'b',
    });
  });

  it.each<[unknown, string, number | null]>([
    [{ Replicated: { Replicas: 3 } }, 'replicated', 3],
    [{ Replicated: { Replicas: 0 } }, 'replicated', 0],
    [{ Replicated: {} }, 'replicated', null],
    [{ Global: {} }, 'global', null],
    [{ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 5 } }, 'replicated-job', null],
    [{ GlobalJob: {} }, 'global-job', null],
    [undefined, 'replicated', null],
  ])('service mode %j', (Mode, mode, specReplicas) => {
    const service = parseService({ ID: 's', Spec: { Mode } });
    expect(service.mode).toBe(mode);
    expect(service.specReplicas).toBe(specReplicas);
  });

  it('reads published ports from Endpoint, falling back to the spec', () => {
    const port = { PublishedPort: 8080, TargetPort: 80, Protocol: 'tcp', PublishMode: 'ingress' };
    const expected = [{ published: 8080, target: 80, protocol: 'tcp', mode: 'ingress' }];
    expect(parseService({ ID: 's', Endpoint: { Ports: [port] } }).ports).toEqual(expected);
    expect(parseService({ ID: 's', Spec: { EndpointSpec: { Ports: [port] } } }).ports).toEqual(
      expected,
    );
    expect(
      parseService({ ID: 's', Endpoint: { Ports: [{ TargetPort: 53, Protocol: 'udp' }] } }).ports,
    ).toEqual([{ published: 0, target: 53, protocol: 'udp', mode: 'ingress' }]);
    expect(parseService({ ID: 's' }).ports).toEqual([]);
  });

  it('reads stack, update status, previous spec and tty', () => {
    const service = parseService({
      ID: 's',
      Spec: {
        Name: 'shop_web',
        Labels: { 'com.docker.stack.namespace': 'shop' },
        TaskTemplate: {
          ContainerSpec: { Image: 'nginx:1.25@sha256:' + 'a'.repeat(64), TTY: true },
        },
      },
      PreviousSpec: { Name: 'shop_web' },
      UpdateStatus: { State: 'paused', Message: 'update paused due to failure' },
      ServiceStatus: { RunningTasks: 1, DesiredTasks: 3 },
    });
    expect(service).toMatchObject({
      name: 'shop_web',
      stack: 'shop',
      image: 'nginx:1.25',
      tty: true,
      hasPreviousSpec: true,
      updateState: 'paused',
      updateMessage: 'update paused due to failure',
      running: 1,
      desired: 3,
    });
    expect(parseService({ ID: 's' })).toMatchObject({
      stack: null,
      tty: false,
      hasPreviousSpec: false,
      updateState: null,
      running: 0,
      desired: 0,
    });
  });

  it('reads a task without container status or slot', () => {
    expect(parseTask({ ID: 't', NodeID: '', Slot: 0, Status: { Err: '' } })).toMatchObject({
      nodeId: null,
      slot: null,
      error: null,
      exitCode: null,
      containerId: null,
    });
  });

  it("says when a task's own log driver lets its logs be read back, with its own TTY", () => {
    const task = (spec: Record<string, unknown>) => parseTask({ ID: 't', Spec: spec });
    expect(task({}).readableLogs).toEqual({ tty: false });
    expect(task({ ContainerSpec: { TTY: true } }).readableLogs).toEqual({ tty: true });
    expect(task({ LogDriver: { Name: 'json-file' } }).readableLogs).toEqual({ tty: false });
    // Dual logging keeps a readable cache unless it is disabled.
    expect(task({ LogDriver: { Name: 'splunk' } }).readableLogs).toEqual({ tty: false });
    expect(
      task({ LogDriver: { Name: 'splunk', Options: { 'cache-disabled': 'true' } } }).readableLogs,
    ).toBeUndefined();
    expect(task({ LogDriver: { Name: 'none' } }).readableLogs).toBeUndefined();
  });

  it('treats a non-swarm /info as inactive', () => {
    expect(parseInfo({ Name: 'box', ServerVersion: '28.1.1', Swarm: { NodeID: '' } })).toEqual({
      hostname: 'box',
      serverVersion: '28.1.1',
      localNodeState: 'inactive',
      nodeId: null,
      controlAvailable: false,
      remoteManagers: [],
      clusterId: null,
    });
    expect(parseInfo('garbage').localNodeState).toBe('inactive');
  });
});

describe('helpers', () => {
  it.each<[unknown, string | null]>([
    ['0001-01-01T00:00:00Z', null],
    ['0001-01-01T00:00:00.000Z', null],
    ['', null],
    [42, null],
    ['2024-05-01T12:00:00.123456789Z', '2024-05-01T12:00:00.123456789Z'],
  ])('parseTime(%j)', (value, expected) => {
    expect(parseTime(value)).toBe(expected);
  });

  it.each([
    ['nginx:1.25@sha256:' + 'f'.repeat(64), 'nginx:1.25'],
    ['registry:5000/team/app@sha256:' + '0'.repeat(64), 'registry:5000/team/app'],
    ['lab/busybox:1', 'lab/busybox:1'],
    ['', ''],
  ])('stripDigest(%s)', (image, expected) => {
    expect(stripDigest(image)).toBe(expected);
  });
});

describe('events', () => {
  it('keeps timeNano exact from a raw line', () => {
    const event = parseEventLine(
      '{"Type":"node","Action":"update","Actor":{"ID":"n1","Attributes":{"availability.new":"drain","availability.old":"active","name":"worker-1"}},"scope":"swarm","time":1700000000,"timeNano":1700000000123456789}',
    );
    expect(event).toEqual({
      type: 'node',
      action: 'update',
      id: 'n1',
      name: 'worker-1',
      attributes: {
        'availability.new': 'drain',
        'availability.old': 'active',
        name: 'worker-1',
      },
      timeNano: 1_700_000_000_123_456_789n,
    });
  });

  it('does not touch "timeNano" inside a string value', () => {
    const event = parseEventLine(
      String.raw`{"Type":"service","Action":"x","Actor":{"ID":"s","Attributes":{"name":"a\"timeNano\":1"}},"timeNano":1700000000000000001}`,
    );
    expect(event?.name).toBe('a"timeNano":1');
    expect(event?.timeNano).toBe(1_700_000_000_000_000_001n);
  });

  it('falls back to time, maps unknown types to other, and skips events without an actor', () => {
    expect(parseEvent({ Type: 'container', Actor: { ID: 'c' }, time: 2 })).toMatchObject({
      type: 'other',
      name: null,
      timeNano: 2_000_000_000n,
    });
    expect(parseEvent({ Type: 'service', Actor: {} })).toBeNull();
    expect(parseEvent(null)).toBeNull();
    expect(parseEventLine('not json')).toBeNull();
  });
});
