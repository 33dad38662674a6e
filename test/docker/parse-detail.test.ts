import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../source/format/duration.js';
import {
  parseNodeDetail,
  parseService,
  parseServiceDetail,
  parseSpecView,
  specFromToken,
} from '../../source/docker/parse.js';

// Single inspects recorded from the lab by scripts/record-fixtures.ts: GET /services/<api>
// (updated from lab/busybox:1 VERSION=1 to lab/busybox:2 VERSION=2, so it has a PreviousSpec)
// and GET /nodes/<worker-2> (label zone=b).

const FIXTURES = new URL('../fixtures/lab/', import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;

const LOOP = 'while true; do echo "hello from $(hostname)"; sleep 2; done';

describe('parseServiceDetail on the recorded api service', () => {
  const raw = fixture('service-api.json');
  const detail = parseServiceDetail(raw);

  it('reads the service, its version and both specs', () => {
    expect(detail.service).toMatchObject({ name: 'api', mode: 'replicated', specReplicas: 2 });
    expect(detail.service.id).toBe(raw['ID']);
    expect(detail.version).toBe((raw['Version'] as { Index: number }).Index);
    expect(detail.version).toBeGreaterThan(0);
    expect(detail.forceUpdate).toBe(0);
    expect(detail.spec).toEqual({
      image: 'lab/busybox:2',
      env: ['VERSION=2'],
      command: [],
      args: ['sh', '-c', LOOP],
      replicas: 2,
      constraints: [],
      limits: { nanoCpus: null, memoryBytes: null },
      reservations: { nanoCpus: null, memoryBytes: null },
      labels: { 'com.smarm-lab.role': 'api' },
      containerLabels: {},
      ports: [],
      updateConfig: {},
      rollbackConfig: {},
    });
    expect(detail.previousSpec).toEqual({
      ...detail.spec,
      image: 'lab/busybox:1',
      env: ['VERSION=1'],
    });
  });

  it('carries both raw specs whole, frozen, for the rollback diff', () => {
    expect(detail.specJson).toEqual(raw['Spec']);
    expect(detail.previousSpecJson).toEqual(raw['PreviousSpec']);
    expect(detail.specJson).not.toBe(raw['Spec']);
    expect(Object.isFrozen(detail.specJson['TaskTemplate'])).toBe(true);
    expect(parseServiceDetail({ ...raw, PreviousSpec: undefined }).previousSpecJson).toBeNull();
  });

  it('keeps a frozen copy of the raw spec in the token and hands out fresh copies', () => {
    const first = specFromToken(detail.token, 'service');
    expect(first).toEqual({ id: detail.service.id, name: 'api', spec: raw['Spec'] });
    expect(first.spec).not.toBe(raw['Spec']);
    // a later change to the raw JSON or to a handed-out copy does not reach the token
    (first.spec['Mode'] as Record<string, unknown>)['Replicated'] = { Replicas: 9 };
    expect(specFromToken(detail.token, 'service').spec).toEqual(raw['Spec']);
    expect(Object.isFrozen(detail.token)).toBe(true);
  });

  it('refuses a token of the wrong kind or a made-up one', () => {
    expect(() => specFromToken(detail.token, 'node')).toThrow(TypeError);
    expect(() => specFromToken(null, 'service')).toThrow(TypeError);
    expect(() => specFromToken({ kind: 'service', id: 'x' }, 'service')).toThrow(TypeError);
  });

  it('has no previous spec and no token without a Spec', () => {
    const created = { ...raw, PreviousSpec: undefined };
    expect(parseServiceDetail(created).previousSpec).toBeNull();
    expect(() => parseServiceDetail({ ID: 'x' })).toThrow('service x without a Spec');
    expect(() => parseServiceDetail({ Spec: raw['Spec'] })).toThrow(TypeError);
  });
});

describe('parseNodeDetail on the recorded worker-2', () => {
  const raw = fixture('node-worker.json');
  const detail = parseNodeDetail(raw);

  it('reads the node and keeps its full spec: role, labels, availability', () => {
    expect(detail.node).toMatchObject({
      hostname: 'worker-2',
      role: 'worker',
      availability: 'active',
      labels: { zone: 'b' },
    });
    expect(detail.version).toBe((raw['Version'] as { Index: number }).Index);
    const { id, name, spec } = specFromToken(detail.token, 'node');
    expect([id, name]).toEqual([raw['ID'], 'worker-2']);
    expect(spec).toEqual({ Labels: { zone: 'b' }, Role: 'worker', Availability: 'active' });
    expect(() => specFromToken(detail.token, 'service')).toThrow(TypeError);
  });
});

describe('parseSpecView', () => {
  const spec = {
    Name: 'shop',
    Labels: { 'com.docker.stack.namespace': 'prod', tier: 'front' },
    TaskTemplate: {
      ContainerSpec: {
        Image:
          'registry.example/shop:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
        Command: ['/bin/shop'],
        Args: ['--port', '8080'],
        Env: ['A=1', 'SECRET_TOKEN=s3cr=t'],
        Labels: { 'com.example.container': 'yes' },
      },
      Resources: {
        Limits: { NanoCPUs: 500_000_000, MemoryBytes: 268_435_456 },
        Reservations: { NanoCPUs: 250_000_000 },
      },
      Placement: {
        Constraints: ['node.role==worker', 'node.labels.zone==b'],
        MaxReplicas: 2,
      },
      ForceUpdate: 3,
    },
    Mode: { Replicated: { Replicas: 6 } },
    UpdateConfig: {
      Parallelism: 2,
      Delay: 5_000_000_000,
      FailureAction: 'rollback',
      Monitor: 90_000_000_000,
      MaxFailureRatio: 0.25,
      Order: 'start-first',
    },
    RollbackConfig: { Parallelism: 1, Delay: 1_500_000_000, FailureAction: 'pause', Order: '' },
    EndpointSpec: {
      Ports: [{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: 80, PublishMode: 'ingress' }],
    },
  };

  it('reads every field an operator compares', () => {
    expect(parseSpecView(spec)).toEqual({
      image: 'registry.example/shop:1.2',
      env: ['A=1', 'SECRET_TOKEN=s3cr=t'],
      command: ['/bin/shop'],
      args: ['--port', '8080'],
      replicas: 6,
      constraints: ['node.role==worker', 'node.labels.zone==b'],
      limits: { nanoCpus: 500_000_000, memoryBytes: 268_435_456 },
      reservations: { nanoCpus: 250_000_000, memoryBytes: null },
      labels: { 'com.docker.stack.namespace': 'prod', tier: 'front' },
      containerLabels: { 'com.example.container': 'yes' },
      ports: [{ published: 80, target: 8080, protocol: 'tcp', mode: 'ingress' }],
      updateConfig: {
        Parallelism: '2',
        Delay: '5s',
        FailureAction: 'rollback',
        Monitor: '1m30s',
        MaxFailureRatio: '0.25',
        Order: 'start-first',
      },
      rollbackConfig: { Parallelism: '1', Delay: '1.5s', FailureAction: 'pause' },
    });
  });

  it('gives global services and jobs no replica count, and survives an empty spec', () => {
    expect(parseSpecView({ ...spec, Mode: { Global: {} } }).replicas).toBeNull();
    expect(parseSpecView({ ...spec, Mode: { ReplicatedJob: {} } }).replicas).toBeNull();
    expect(parseSpecView(undefined)).toMatchObject({ image: '', env: [], replicas: null });
  });

  it('also fills constraints and the per-node cap of the service', () => {
    const service = parseService({ ID: 's1', Spec: spec });
    expect(service.constraints).toEqual(['node.role==worker', 'node.labels.zone==b']);
    expect(service.maxReplicasPerNode).toBe(2);
    const uncapped = { ...spec.TaskTemplate, Placement: { MaxReplicas: 0 } };
    expect(parseService({ ID: 's1', Spec: { ...spec, TaskTemplate: uncapped } })).toMatchObject({
      constraints: [],
      maxReplicasPerNode: null,
    });
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [999, '999ns'],
    [1_500, '1.5\u00b5s'],
    [500_000_000, '500ms'],
    [1_250_000, '1.25ms'],
    [5_000_000_000, '5s'],
    [1_500_000_000, '1.5s'],
    [60_000_000_000, '1m0s'],
    [90_000_000_000, '1m30s'],
    [3_600_000_000_000, '1h0m0s'],
    [3_723_500_000_000, '1h2m3.5s'],
    [-2_000_000_000, '-2s'],
  ])('%d ns is %s, as Go prints it', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });
});
