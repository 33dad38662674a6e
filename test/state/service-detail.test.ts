import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseServiceSpecDetail } from '../../source/docker/parse-service-detail.js';
import { MASK } from '../../source/format/mask.js';
import type { ServiceSpecDetail } from '../../source/model.js';
import { serviceDetailLines } from '../../source/state/service-detail.js';

// service-detail.json is recorded from the lab (see test/docker/parse-service-detail.test.ts).
const recorded = parseServiceSpecDetail(
  JSON.parse(
    readFileSync(new URL('../fixtures/lab/service-detail.json', import.meta.url), 'utf8'),
  ) as unknown,
);

/** A hand-made service with nothing in its spec beyond a name and an image. */
function bare(overrides: Partial<ServiceSpecDetail> = {}): ServiceSpecDetail {
  return {
    name: 'web',
    mode: 'replicated',
    image: 'nginx:1',
    mounts: [],
    endpointMode: 'vip',
    networks: [],
    secrets: [],
    configs: [],
    healthcheck: null,
    restartPolicy: null,
    limits: { nanoCpus: null, memoryBytes: null },
    reservations: { nanoCpus: null, memoryBytes: null },
    constraints: [],
    maxReplicasPerNode: null,
    ...overrides,
  };
}

describe('serviceDetailLines', () => {
  it('the recorded service: every part, the network named by the networks list', () => {
    const names = new Map([['qw5i3psu2uvpuuszcohdd56uq', 'xnet']]);
    expect(serviceDetailLines(recorded, { networkName: (id) => names.get(id) })).toEqual([
      'xdetail · replicated · lab/busybox:1',
      'mounts:',
      '  bind    /tmp → /host-tmp  read-only',
      '  tmpfs   (memory) → /scratch  read-write · size 1 MiB',
      '  volume  xvol → /data  read-write',
      'networks (endpoint mode vip):',
      '  xnet  VIP 10.0.1.47/24',
      'secrets:',
      '  xsecret → /run/secrets/app_pw  uid:gid 1000:1000 · mode 0400',
      'configs:',
      '  xconf → /etc/app.conf  uid:gid 0:0 · mode 0444',
      'healthcheck: CMD-SHELL test -f /tmp/ok || exit 1',
      '  interval 10s · timeout 3s · retries 2 · start period 5s',
      'restart policy: on-failure · delay 7s · max attempts 4 · window 1m0s',
      'resources: limits 0.5 CPU, 64 MiB · reservations 0.1 CPU, 16 MiB',
      'placement: node.role==worker · max 1 per node',
    ]);
  });

  it("a network the list does not know (or no list): the ID's first 12 characters", () => {
    expect(serviceDetailLines(recorded)).toContain('  qw5i3psu2uvp  VIP 10.0.1.47/24');
    expect(serviceDetailLines(recorded, { networkName: () => undefined })).toContain(
      '  qw5i3psu2uvp  VIP 10.0.1.47/24',
    );
  });

  it('a bare service says what it lacks', () => {
    expect(serviceDetailLines(bare())).toEqual([
      'web · replicated · nginx:1',
      'mounts: none',
      'networks (endpoint mode vip): none',
      'secrets: none',
      'configs: none',
      "healthcheck: no healthcheck in the spec (the image's own applies, if any)",
      "restart policy: none in the spec (the swarm's default: any)",
      'resources: no limits · no reservations',
      'placement: any node',
    ]);
  });

  it('a disabled healthcheck, dnsrr without a VIP, a secret without a file name, a runtime config', () => {
    const lines = serviceDetailLines(
      bare({
        healthcheck: {
          test: ['NONE'],
          intervalNs: null,
          timeoutNs: null,
          retries: null,
          startPeriodNs: null,
        },
        endpointMode: 'dnsrr',
        networks: [{ id: 'n1', aliases: ['db'], vip: null }],
        secrets: [{ name: 'pw', id: 's1', target: '', uid: '0', gid: '0', mode: 0o444 }],
        configs: [{ name: 'spec', id: 'c1', target: '', uid: '0', gid: '0', mode: 0o444 }],
      }),
      { networkName: () => 'back' },
    );
    expect(lines).toContain('healthcheck: disabled (NONE)');
    expect(lines).toContain('networks (endpoint mode dnsrr):');
    expect(lines).toContain('  back  no VIP (DNS round robin) · aliases db');
    expect(lines).toContain('  pw → /run/secrets/pw  uid:gid 0:0 · mode 0444');
    expect(lines).toContain('  spec → (runtime, no file)  uid:gid 0:0 · mode 0444');
  });

  const secretive = bare({
    mounts: [
      {
        type: 'volume',
        source: 'nfs',
        target: '/mnt',
        readOnly: false,
        volumeDriver: 'local',
        volumeOptions: { type: 'nfs', o: 'addr=nas,username=u,password=hunter2', password: 'p2' },
        tmpfsSizeBytes: null,
      },
    ],
    healthcheck: {
      test: ['CMD-SHELL', 'curl -fsu admin:hunter2 http://x:s3cr3t@localhost/ --token abc'],
      intervalNs: null,
      timeoutNs: null,
      retries: null,
      startPeriodNs: null,
    },
  });

  it('masks secret-looking values in a healthcheck command and in volume options', () => {
    const text = serviceDetailLines(secretive).join('\n');
    for (const secret of ['hunter2', 's3cr3t', 'abc', 'p2']) expect(text).not.toContain(secret);
    expect(text).toContain(`curl -fsu admin:${MASK} http://x:${MASK}@localhost/ --token ${MASK}`);
    expect(text).toContain(`password=${MASK}`);
    expect(text).toContain('addr=nas');
  });

  it('shows them with --show-secrets', () => {
    const text = serviceDetailLines(secretive, { revealSecrets: true }).join('\n');
    expect(text).toContain('curl -fsu admin:hunter2 http://x:s3cr3t@localhost/ --token abc');
    expect(text).toContain('password=p2');
  });

  it('sanitizes every string: no escape, control byte or newline reaches the screen', () => {
    const evil = '\x1b]0;pwned\x07a\nb\x9b31m';
    const lines = serviceDetailLines(
      bare({
        name: evil,
        image: evil,
        mounts: [
          {
            type: evil,
            source: evil,
            target: evil,
            readOnly: true,
            volumeDriver: null,
            volumeOptions: {},
            tmpfsSizeBytes: null,
          },
        ],
        networks: [{ id: 'n', aliases: [evil], vip: evil }],
        secrets: [{ name: evil, id: 's', target: evil, uid: evil, gid: evil, mode: 0o400 }],
        healthcheck: {
          test: ['CMD', evil],
          intervalNs: 1e9,
          timeoutNs: null,
          retries: null,
          startPeriodNs: null,
        },
        restartPolicy: { condition: evil, delayNs: null, maxAttempts: null, windowNs: null },
        constraints: [evil],
      }),
      { networkName: () => evil },
    );
    for (const line of lines) {
      // eslint-disable-next-line no-control-regex
      expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    }
  });
});
