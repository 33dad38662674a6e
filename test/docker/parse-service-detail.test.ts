import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseServiceSpecDetail } from '../../source/docker/parse-service-detail.js';

// service-detail.json: service xdetail as the lab's engine answered for it (one object, recorded
// by an earlier session). Its spec is what this makes, checked again against the lab (the 20.10
// CLI also sends Update/RollbackConfig defaults and a StopGracePeriod, absent from the fixture):
//   docker service create --name xdetail --label api.token=abc --env DB_PASSWORD=hunter2 \
//     --mount type=bind,src=/tmp,dst=/host-tmp,readonly --mount type=tmpfs,dst=/scratch,tmpfs-size=1048576 \
//     --mount type=volume,src=xvol,dst=/data --network <an overlay> \
//     --health-cmd 'test -f /tmp/ok || exit 1' --health-interval 10s --health-timeout 3s \
//     --health-start-period 5s --health-retries 2 \
//     --secret source=xsecret,target=app_pw,uid=1000,gid=1000,mode=0400 \
//     --config source=xconf,target=/etc/app.conf,uid=0,gid=0,mode=0444 \
//     --restart-condition on-failure --restart-delay 7s --restart-max-attempts 4 --restart-window 60s \
//     --limit-cpu 0.5 --limit-memory 64M --reserve-cpu 0.1 --reserve-memory 16M \
//     --constraint node.role==worker --replicas-max-per-node 1 lab/busybox:1 sleep 100000
// services.json: GET /services of the lab's own services (none of that in their specs).
const FIXTURES = new URL('../fixtures/lab/', import.meta.url);
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as unknown;

describe('parseServiceSpecDetail on the recorded xdetail service', () => {
  const detail = parseServiceSpecDetail(fixture('service-detail.json'));

  it('reads its name, mode and image', () => {
    expect(detail).toMatchObject({ name: 'xdetail', mode: 'replicated', image: 'lab/busybox:1' });
  });

  it('reads the bind (read-only), the tmpfs (with its size) and the volume mounts in order', () => {
    expect(detail.mounts).toEqual([
      {
        type: 'bind',
        source: '/tmp',
        target: '/host-tmp',
        readOnly: true,
        volumeDriver: null,
        volumeOptions: {},
        tmpfsSizeBytes: null,
      },
      {
        type: 'tmpfs',
        source: '',
        target: '/scratch',
        readOnly: false,
        volumeDriver: null,
        volumeOptions: {},
        tmpfsSizeBytes: 1048576,
      },
      {
        type: 'volume',
        source: 'xvol',
        target: '/data',
        readOnly: false,
        volumeDriver: null,
        volumeOptions: {},
        tmpfsSizeBytes: null,
      },
    ]);
  });

  it('reads its network with the VIP the manager gave it there, and the endpoint mode', () => {
    expect(detail.endpointMode).toBe('vip');
    expect(detail.networks).toEqual([
      { id: 'qw5i3psu2uvpuuszcohdd56uq', aliases: [], vip: '10.0.1.47/24' },
    ]);
  });

  it('reads the secret and the config as files: name, target, uid, gid and mode', () => {
    expect(detail.secrets).toEqual([
      {
        name: 'xsecret',
        id: 'l7545l6wd25mrqvo96wf12vxc',
        target: 'app_pw',
        uid: '1000',
        gid: '1000',
        mode: 0o400,
      },
    ]);
    expect(detail.configs).toEqual([
      {
        name: 'xconf',
        id: 'vpefyqplamit86ibfv0qn4irx',
        target: '/etc/app.conf',
        uid: '0',
        gid: '0',
        mode: 0o444,
      },
    ]);
  });

  it('reads the healthcheck and the restart policy, durations in nanoseconds', () => {
    expect(detail.healthcheck).toEqual({
      test: ['CMD-SHELL', 'test -f /tmp/ok || exit 1'],
      intervalNs: 10e9,
      timeoutNs: 3e9,
      retries: 2,
      startPeriodNs: 5e9,
    });
    expect(detail.restartPolicy).toEqual({
      condition: 'on-failure',
      delayNs: 7e9,
      maxAttempts: 4,
      windowNs: 60e9,
    });
  });

  it('reads limits, reservations, constraints and the per-node cap', () => {
    expect(detail.limits).toEqual({ nanoCpus: 5e8, memoryBytes: 64 * 1024 * 1024 });
    expect(detail.reservations).toEqual({ nanoCpus: 1e8, memoryBytes: 16 * 1024 * 1024 });
    expect(detail.constraints).toEqual(['node.role==worker']);
    expect(detail.maxReplicasPerNode).toBe(1);
  });
});

describe('parseServiceSpecDetail on the recorded lab services', () => {
  const services = fixture('services.json') as Record<string, unknown>[];
  const byName = (name: string) => {
    const found = services.find((s) => (s['Spec'] as { Name: string }).Name === name);
    if (found === undefined) throw new Error(`no ${name} in services.json`);
    return parseServiceSpecDetail(found);
  };

  it('a service with none of it: no mounts, networks, files, healthcheck, policy or resources', () => {
    expect(byName('web')).toMatchObject({
      mounts: [],
      networks: [],
      secrets: [],
      configs: [],
      healthcheck: null,
      restartPolicy: null,
      limits: { nanoCpus: null, memoryBytes: null },
      reservations: { nanoCpus: null, memoryBytes: null },
      constraints: [],
      maxReplicasPerNode: null,
      endpointMode: 'vip',
    });
  });

  it("crashy's restart policy: any, 2s apart, no max attempts (0), no window", () => {
    expect(byName('crashy').restartPolicy).toEqual({
      condition: 'any',
      delayNs: 2e9,
      maxAttempts: 0,
      windowNs: null,
    });
  });
});

describe('parseServiceSpecDetail on hand-made shapes', () => {
  it('reads the deprecated Spec.Networks and dnsrr (no VIP), and aliases', () => {
    const detail = parseServiceSpecDetail({
      ID: 'x',
      Spec: {
        Name: 'old',
        Networks: [{ Target: 'net1', Aliases: ['db'] }, { Target: '' }],
        EndpointSpec: { Mode: 'dnsrr' },
      },
    });
    expect(detail.endpointMode).toBe('dnsrr');
    expect(detail.networks).toEqual([{ id: 'net1', aliases: ['db'], vip: null }]);
  });

  it('reads a volume driver with its options; a file without owner or mode gets the defaults', () => {
    const detail = parseServiceSpecDetail({
      ID: 'x',
      Spec: {
        TaskTemplate: {
          ContainerSpec: {
            Mounts: [
              {
                Type: 'volume',
                Source: 'nfs',
                Target: '/mnt',
                VolumeOptions: {
                  DriverConfig: { Name: 'local', Options: { type: 'nfs', o: 'password=x' } },
                },
              },
            ],
            Secrets: [{ SecretName: 's', File: { Name: 's' } }],
          },
        },
      },
    });
    expect(detail.mounts[0]).toMatchObject({
      volumeDriver: 'local',
      volumeOptions: { type: 'nfs', o: 'password=x' },
    });
    // The engine's defaults for a file without them: root, 0444.
    expect(detail.secrets[0]).toMatchObject({ name: 's', mode: 0o444, uid: '0', gid: '0' });
  });

  it('throws only for an object without an ID; garbage elsewhere falls back', () => {
    expect(() => parseServiceSpecDetail({ Spec: {} })).toThrow();
    const detail = parseServiceSpecDetail({
      ID: 'x',
      Spec: {
        TaskTemplate: { ContainerSpec: { Mounts: 'no', Healthcheck: 3 }, RestartPolicy: [] },
      },
      Endpoint: { VirtualIPs: [null, { NetworkID: 5 }] },
    });
    expect(detail.mounts).toEqual([]);
    expect(detail.healthcheck).toBeNull();
    expect(detail.restartPolicy).toBeNull();
  });
});
