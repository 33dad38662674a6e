import { describe, expect, it } from 'vitest';
import { specView } from '../helpers/factories.js';
import { MASK } from '../../source/format/mask.js';
import {
  describeDiff,
  diffSpecs,
  formatPort,
  NO_DIFFERENCE,
} from '../../source/operations/spec-diff.js';

const spec = specView;

const MiB = 1024 ** 2;

describe('diffSpecs', () => {
  it('gives nothing for identical specs, and describeDiff says so', () => {
    const lines = diffSpecs(spec({ env: ['A=1'] }), spec({ env: ['A=1'] }));
    expect(lines).toEqual([]);
    expect(describeDiff(lines)).toEqual([NO_DIFFERENCE]);
  });

  it('reads before as now and after as after the rollback', () => {
    const lines = diffSpecs(spec({ image: 'lab/busybox:2' }), spec({ image: 'lab/busybox:1' }));
    expect(lines).toEqual([{ field: 'image', before: 'lab/busybox:2', after: 'lab/busybox:1' }]);
    expect(describeDiff(lines)).toEqual(['image: lab/busybox:2 → lab/busybox:1']);
  });

  it('diffs env per variable: changed, added, removed', () => {
    const current = spec({ env: ['VERSION=2', 'NEW_VAR=x', 'SAME=1'] });
    const previous = spec({ env: ['SAME=1', 'VERSION=1', 'OLD_VAR=y'] });
    expect(describeDiff(diffSpecs(current, previous))).toEqual([
      'env VERSION: 2 → 1',
      'env NEW_VAR: x → (unset)',
      'env OLD_VAR: (unset) → y',
    ]);
  });

  it('masks secret env values and marks a changed secret', () => {
    const current = spec({ env: ['DB_PASSWORD=new', 'API_KEY=k', 'TOKEN='] });
    const previous = spec({ env: ['DB_PASSWORD=old', 'TOKEN=t'] });
    const lines = diffSpecs(current, previous);
    expect(lines[0]).toEqual({ field: 'env DB_PASSWORD', before: MASK, after: MASK });
    expect(describeDiff(lines)).toEqual([
      `env DB_PASSWORD: ${MASK} → ${MASK} (changed)`,
      `env API_KEY: ${MASK} → (unset)`,
      `env TOKEN: "" → ${MASK}`,
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/new|old|"k"|"t"/);
  });

  it('shows secret values as they are when asked to (--show-secrets)', () => {
    const current = spec({
      env: ['DB_PASSWORD=new', 'DATABASE_URL=postgres://app:hunter2@db/app'],
      labels: { 'com.example.token': 'abc' },
    });
    const previous = spec({ env: ['DB_PASSWORD=old'], labels: {} });
    expect(describeDiff(diffSpecs(current, previous, { reveal: true }))).toEqual([
      'env DB_PASSWORD: new → old',
      'env DATABASE_URL: postgres://app:hunter2@db/app → (unset)',
      'label com.example.token: abc → (unset)',
    ]);
  });

  it('masks passwords in URLs and still notices they changed', () => {
    const lines = diffSpecs(
      spec({ env: ['DATABASE_URL=postgres://app:two@db/app'] }),
      spec({ env: ['DATABASE_URL=postgres://app:one@db/app'] }),
    );
    expect(describeDiff(lines)).toEqual([
      `env DATABASE_URL: postgres://app:${MASK}@db/app → postgres://app:${MASK}@db/app (changed)`,
    ]);
  });

  it('tells a variable without a value from an empty one', () => {
    expect(describeDiff(diffSpecs(spec({ env: ['FOO'] }), spec({ env: ['FOO='] })))).toEqual([
      'env FOO: (no value) → ""',
    ]);
  });

  it('lets the later of duplicate env entries win', () => {
    expect(diffSpecs(spec({ env: ['A=1', 'A=2'] }), spec({ env: ['A=2'] }))).toEqual([]);
  });

  it('shows command and args shell-like, empty as the image default', () => {
    const lines = diffSpecs(
      spec({ command: ['sh', '-c', 'echo hi'], args: [] }),
      spec({ command: [], args: ['--port', ''] }),
    );
    expect(describeDiff(lines)).toEqual([
      'command: sh -c "echo hi" → (image default)',
      'args: (image default) → --port ""',
    ]);
  });

  it('diffs replicas, constraints, resources', () => {
    const lines = diffSpecs(
      spec({
        replicas: 5,
        constraints: ['node.role==worker', 'node.labels.zone==b'],
        limits: { nanoCpus: 5e8, memoryBytes: 512 * MiB },
        reservations: { nanoCpus: null, memoryBytes: 64 * MiB },
      }),
      spec({
        replicas: 3,
        constraints: ['node.role==worker', 'node.labels.zone==a'],
        limits: { nanoCpus: 1e9, memoryBytes: 512 * MiB },
        reservations: { nanoCpus: 25e7, memoryBytes: null },
      }),
    );
    expect(describeDiff(lines)).toEqual([
      'replicas: 5 → 3',
      'constraint: node.labels.zone==b → (none)',
      'constraint: (none) → node.labels.zone==a',
      'limits CPUs: 0.5 → 1',
      'reservations CPUs: (unset) → 0.25',
      'reservations memory: 64 MiB → (unset)',
    ]);
  });

  it('diffs labels and container labels per key, masking secret-looking ones', () => {
    const lines = diffSpecs(
      spec({
        labels: { 'com.example.team': 'a', 'com.example.api-token': 'x' },
        containerLabels: { tier: 'web' },
      }),
      spec({
        labels: { 'com.example.team': 'b', 'com.example.api-token': 'y' },
        containerLabels: {},
      }),
    );
    expect(describeDiff(lines)).toEqual([
      'label com.example.team: a → b',
      `label com.example.api-token: ${MASK} → ${MASK} (changed)`,
      'container label tier: web → (unset)',
    ]);
  });

  it('diffs ports as items', () => {
    const web = { published: 8080, target: 80, protocol: 'tcp', mode: 'ingress' };
    const lines = diffSpecs(
      spec({ ports: [web] }),
      spec({ ports: [web, { published: 53, target: 53, protocol: 'udp', mode: 'host' }] }),
    );
    expect(describeDiff(lines)).toEqual(['port: (none) → 53→53/udp (host)']);
    expect(formatPort(web)).toBe('8080→80/tcp (ingress)');
  });

  it('diffs update and rollback config per key', () => {
    const lines = diffSpecs(
      spec({ updateConfig: { Parallelism: '2', Order: 'start-first' }, rollbackConfig: {} }),
      spec({
        updateConfig: { Parallelism: '1', Order: 'start-first' },
        rollbackConfig: { Delay: '5s' },
      }),
    );
    expect(describeDiff(lines)).toEqual([
      'update config Parallelism: 2 → 1',
      'rollback config Delay: (unset) → 5s',
    ]);
  });

  it('orders fields: image, env, command, args, replicas, constraints, resources, labels, ports, configs', () => {
    const a = spec();
    const b = spec({
      image: 'x',
      env: ['E=1'],
      command: ['c'],
      args: ['a'],
      replicas: 1,
      constraints: ['node.role==manager'],
      limits: { nanoCpus: 1e9, memoryBytes: null },
      reservations: { nanoCpus: null, memoryBytes: MiB },
      labels: { l: '1' },
      containerLabels: { c: '1' },
      ports: [{ published: 1, target: 1, protocol: 'tcp', mode: 'ingress' }],
      updateConfig: { u: '1' },
      rollbackConfig: { r: '1' },
    });
    expect(diffSpecs(a, b).map((line) => line.field)).toEqual([
      'image',
      'env E',
      'command',
      'args',
      'replicas',
      'constraint',
      'limits CPUs',
      'reservations memory',
      'label l',
      'container label c',
      'port',
      'update config u',
      'rollback config r',
    ]);
  });
});
