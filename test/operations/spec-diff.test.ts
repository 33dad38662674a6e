import { describe, expect, it } from 'vitest';
import { specView } from '../helpers/factories.js';
import { specJsonOf } from '../helpers/fake-writes.js';
import { MASK } from '../../source/format/mask.js';
import type { ServiceSpecView } from '../../source/model.js';
import {
  describeDiff,
  diffSpecs,
  formatPort,
  NO_DIFFERENCE,
} from '../../source/operations/spec-diff.js';

/** An engine Spec with what a spec view holds. */
const spec = (overrides: Partial<ServiceSpecView> = {}) => specJsonOf(specView(overrides));

/** `base` with `patch` merged in, objects deeply (arrays and scalars replace). */
function merged(base: Record<string, unknown>, patch: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const old = out[key];
    out[key] =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof old === 'object' &&
      old !== null &&
      !Array.isArray(old)
        ? merged(old as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

const container = (fields: Record<string, unknown>) => ({
  TaskTemplate: { ContainerSpec: fields },
});

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

  it('shortens digest pins but still shows that only the pin changed', () => {
    const pin = (hex: string) => `app:2@sha256:${hex.repeat(64)}`;
    expect(describeDiff(diffSpecs(spec({ image: pin('a') }), spec({ image: pin('b') })))).toEqual([
      `image: app:2@sha256:${'a'.repeat(12)}… → app:2@sha256:${'b'.repeat(12)}…`,
    ]);
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
      args: ['--token', 't1'],
    });
    const previous = spec({ env: ['DB_PASSWORD=old'], labels: {}, args: ['--token', 't0'] });
    expect(describeDiff(diffSpecs(current, previous, { reveal: true }))).toEqual([
      'env DB_PASSWORD: new → old',
      'env DATABASE_URL: postgres://app:hunter2@db/app → (unset)',
      'args: --token t1 → --token t0',
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

  it('says a change the per-variable lines cannot (duplicates, order) as the whole list', () => {
    expect(describeDiff(diffSpecs(spec({ env: ['A=1', 'A=2'] }), spec({ env: ['A=2'] })))).toEqual([
      'TaskTemplate.ContainerSpec.Env: A=1 A=2 → A=2',
    ]);
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

  it('masks command and args: URL passwords, secret flags in both forms', () => {
    const lines = describeDiff(
      diffSpecs(
        spec({ args: ['--db', 'postgres://app:NEW@db/app', '--token', 'n1', '--api-key=n2'] }),
        spec({ args: ['--db', 'postgres://app:OLD@db/app', '--token', 'o1', '--api-key=o2'] }),
      ),
    );
    expect(lines).toEqual([
      `args: --db postgres://app:${MASK}@db/app --token ${MASK} --api-key=${MASK} → --db postgres://app:${MASK}@db/app --token ${MASK} --api-key=${MASK} (changed)`,
    ]);
    expect(lines.join('\n')).not.toMatch(/NEW|OLD|n1|n2|o1|o2/);
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

  it('says a change of mode', () => {
    expect(describeDiff(diffSpecs(spec({ replicas: 2 }), spec({ replicas: null })))).toEqual([
      'mode: replicated, 2 replicas → global',
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

  it('diffs update and rollback config per setting, durations readable', () => {
    const lines = diffSpecs(
      merged(spec(), { UpdateConfig: { Parallelism: 2, Order: 'start-first' } }),
      merged(spec(), {
        UpdateConfig: { Parallelism: 1, Order: 'start-first' },
        RollbackConfig: { Delay: 5e9 },
      }),
    );
    expect(describeDiff(lines)).toEqual([
      'UpdateConfig.Parallelism: 2 → 1',
      'RollbackConfig.Delay: (unset) → 5000000000 (5 s)',
    ]);
  });

  it('is the whole diff: secrets, volumes, user, networks (the review repro)', () => {
    const current = merged(spec({ image: 'app:2' }), {
      TaskTemplate: {
        ContainerSpec: {
          User: 'app',
          Secrets: [
            {
              SecretName: 'db_pw_v2',
              SecretID: 's2',
              File: { Name: 'db_pw', UID: '0', GID: '0', Mode: 292 },
            },
          ],
          Mounts: [{ Type: 'volume', Source: 'data-v2', Target: '/data' }],
        },
        Networks: [{ Target: 'backend' }],
      },
    });
    const previous = merged(spec({ image: 'app:1' }), {
      TaskTemplate: {
        ContainerSpec: {
          User: 'root',
          Secrets: [
            {
              SecretName: 'db_pw_v1',
              SecretID: 's1',
              File: { Name: 'db_pw', UID: '0', GID: '0', Mode: 292 },
            },
          ],
          Mounts: [{ Type: 'volume', Source: 'data-v1', Target: '/data' }],
        },
        Networks: [{ Target: 'public' }],
      },
    });
    expect(describeDiff(diffSpecs(current, previous))).toEqual([
      'image: app:2 → app:1',
      'secret: db_pw_v2 as db_pw → (none)',
      'secret: (none) → db_pw_v1 as db_pw',
      'mount: volume data-v2 at /data → (none)',
      'mount: (none) → volume data-v1 at /data',
      'network: backend → (none)',
      'network: (none) → public',
      'TaskTemplate.ContainerSpec.User: app → root',
    ]);
  });

  it('shows every other difference by its path, masked: healthcheck, restart, log driver, placement, volume options', () => {
    const side = (v: string) =>
      merged(spec(), {
        TaskTemplate: {
          ContainerSpec: {
            Healthcheck: { Test: ['CMD-SHELL', `curl -fu admin:${v} http://x/`], Retries: 3 },
            Mounts: [
              {
                Type: 'volume',
                Source: 'nas',
                Target: '/nas',
                VolumeOptions: { DriverConfig: { Options: { o: `addr=nas,password=${v}` } } },
              },
            ],
            Hosts: v === 'pw1' ? ['10.0.0.1 db'] : [],
          },
          RestartPolicy: { Condition: v === 'pw1' ? 'any' : 'on-failure', MaxAttempts: 0 },
          LogDriver: { Name: v === 'pw1' ? 'json-file' : 'splunk', Options: { 'splunk-token': v } },
          Placement: {
            Preferences: [
              { Spread: { SpreadDescriptor: `node.labels.${v === 'pw1' ? 'zone' : 'rack'}` } },
            ],
          },
        },
      });
    const lines = describeDiff(diffSpecs(side('pw1'), side('pw2')));
    expect(lines).toEqual([
      `mount volume nas at /nas VolumeOptions.DriverConfig.Options.o: addr=nas,password=${MASK} → addr=nas,password=${MASK} (changed)`,
      `TaskTemplate.ContainerSpec.Healthcheck.Test: CMD-SHELL "curl -fu admin:${MASK} http://x/" → CMD-SHELL "curl -fu admin:${MASK} http://x/" (changed)`,
      'TaskTemplate.RestartPolicy.Condition: any → on-failure',
      'TaskTemplate.LogDriver.Name: json-file → splunk',
      `TaskTemplate.LogDriver.Options.splunk-token: ${MASK} → ${MASK} (changed)`,
      'TaskTemplate.Placement.Preferences[0].Spread.SpreadDescriptor: node.labels.zone → node.labels.rack',
      'TaskTemplate.ContainerSpec.Hosts: "10.0.0.1 db" → []',
    ]);
    expect(lines.join('\n')).not.toMatch(/pw1|pw2/);
  });

  it('never hides a change its renderers cannot say: a secret file mode, a reordered list', () => {
    const ref = (mode: number) => ({ SecretName: 'db', File: { Name: 'db', Mode: mode } });
    expect(
      describeDiff(
        diffSpecs(
          merged(spec(), container({ Secrets: [ref(292)] })),
          merged(spec(), container({ Secrets: [ref(256)] })),
        ),
      ),
    ).toEqual(['secret db as db File.Mode: 292 → 256']);
    expect(
      describeDiff(
        diffSpecs(spec({ constraints: ['a==1', 'b==2'] }), spec({ constraints: ['b==2', 'a==1'] })),
      ),
    ).toEqual(['TaskTemplate.Placement.Constraints: a==1 b==2 → b==2 a==1']);
  });

  it('orders fields: image, mode, env, command, args, secrets, configs, mounts, networks, ports, placement, resources, labels, then the rest', () => {
    const a = spec();
    const b = merged(
      spec({
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
      }),
      {
        TaskTemplate: {
          ContainerSpec: {
            Secrets: [{ SecretName: 's', File: { Name: 's' } }],
            Configs: [{ ConfigName: 'c', Runtime: {} }],
            Mounts: [{ Type: 'bind', Source: '/a', Target: '/b', ReadOnly: true }],
            User: 'root',
          },
          Networks: [{ Target: 'n', Aliases: ['x'] }],
          ForceUpdate: 1,
        },
        UpdateConfig: { Parallelism: 1 },
      },
    );
    expect(describeDiff(diffSpecs(a, b))).toEqual([
      'image: lab/busybox:1 → x',
      'replicas: 2 → 1',
      'env E: (unset) → 1',
      'command: (image default) → c',
      'args: (image default) → a',
      'secret: (none) → s as s',
      'config: (none) → c (runtime)',
      'mount: (none) → bind /a at /b (read-only)',
      'network: (none) → n (aliases x)',
      'port: (none) → 1→1/tcp (ingress)',
      'constraint: (none) → node.role==manager',
      'limits CPUs: (unset) → 1',
      'reservations memory: (unset) → 1 MiB',
      'label l: (unset) → 1',
      'container label c: (unset) → 1',
      'TaskTemplate.ContainerSpec.User: (unset) → root',
      'UpdateConfig.Parallelism: (unset) → 1',
      'TaskTemplate.ForceUpdate: (unset) → 1',
    ]);
  });
});
