import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { parseNode } from '../../source/docker/parse.js';
import { parseServiceSpecDetail } from '../../source/docker/parse-service-detail.js';
import { inspectLines, specText } from '../../source/format/inspect-text.js';
import { MASK } from '../../source/format/mask.js';
import { nodeDetailLines } from '../../source/state/node-capacity.js';
import { serviceDetailLines } from '../../source/state/service-detail.js';
import { docker } from '../helpers/docker-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// inspectObject against the real lab, with the docker CLI as the witness; and the inspect text of
// services whose specs carry hostile bytes. The shared lab services are only read; the one
// service this file creates is its own and is removed afterwards.

const lab = inject('lab');
const host = lab?.dockerHost ?? 'unix:///nonexistent';

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function cliInspect(...args: string[]): Record<string, unknown> {
  return (JSON.parse(docker(host, ...args)) as Record<string, unknown>[])[0]!;
}

describeWithLab('inspect against the lab', () => {
  const api = new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
  const name = `t-inspect-${randomBytes(4).toString('hex')}`;
  const ESC = '\x1b';

  beforeAll(() => {
    // Real control bytes (not their backslash spellings) in a label, an env value and an arg.
    docker(
      host,
      'service',
      'create',
      '--detach',
      '--name',
      name,
      '--label',
      `evil=a${ESC}]0;pwned\x07b${ESC}[2Jc\u009b31m`,
      '--label',
      'db.password=hunter2',
      '--env',
      `API_TOKEN=tok${ESC}]52;c;aGk=\x07`,
      '--env',
      'DATABASE_URL=postgres://app:s3cret@db/app',
      '--reserve-cpu',
      '0.01',
      '--reserve-memory',
      '4MB',
      'lab/busybox:1',
      'sh',
      '-c',
      `echo "${ESC}]0;title${ESC}\\\\"; sleep 3600`,
    );
  });

  afterAll(() => {
    api.close();
    try {
      docker(host, 'service', 'rm', name);
    } catch {
      // Already gone; nothing to clean.
    }
  });

  it('answers for a service what docker service inspect says', async () => {
    const raw = await api.inspectObject('service', 'web');
    const cli = cliInspect('service', 'inspect', 'web');
    expect(raw['ID']).toBe(cli['ID']);
    expect(raw['Spec']).toEqual(cli['Spec']);
    expect(raw['Version']).toEqual(cli['Version']);
  });

  it('answers for a node what docker node inspect says', async () => {
    const id = docker(host, 'node', 'inspect', '--format', '{{.ID}}', 'manager-1');
    const raw = await api.inspectObject('node', id);
    const cli = cliInspect('node', 'inspect', id);
    expect(raw['Spec']).toEqual(cli['Spec']);
    expect(raw['Description']).toMatchObject({ Hostname: 'manager-1' });
    expect(raw['ManagerStatus']).toBeDefined();
    const node = parseNode(raw);
    const lines = nodeDetailLines(
      node,
      await api.listTasks({ nodeId: id, desiredRunningOnly: true }),
      new Map(),
    );
    expect(lines[0]).toMatch(/^manager-1 · manager \(\w+\) · \w+ · ready$/);
    expect(lines[1]).toMatch(/^CPU \d/);
  });

  it('answers for a task what docker inspect --type task says, reservations included', async () => {
    const taskId = await waitFor(
      'a task of the test service',
      () => docker(host, 'service', 'ps', '-q', '--no-trunc', name).split('\n')[0] || undefined,
      { timeoutMs: 30_000 },
    );
    const raw = await api.inspectObject('task', taskId);
    const cli = cliInspect('inspect', '--type', 'task', taskId);
    expect(raw['ID']).toBe(taskId);
    expect(raw['Spec']).toEqual(cli['Spec']);
    expect(raw['ServiceID']).toBe(cli['ServiceID']);
    const [task] = (await api.listTasks({ serviceId: String(raw['ServiceID']) })).filter(
      (t) => t.id === taskId,
    );
    expect(task).toMatchObject({ reservedNanoCpus: 1e7, reservedMemoryBytes: 4 * 1024 * 1024 });
  });

  it('says a removed object no longer exists', async () => {
    await expect(api.inspectObject('service', 'no-such-service-here')).rejects.toThrow(
      /^The service no-such-service-here no longer exists \(the engine says: service no-such-service-here not found\)\.$/,
    );
  });

  it('renders the lab hostile service without control bytes', async () => {
    const raw = await api.inspectObject('service', 'hostile');
    const lines = inspectLines(raw, { revealSecrets: true });
    expect(lines).toContain('  Name: hostile');
    for (const line of lines) expect(line).not.toMatch(CONTROL);
  });

  it('renders a spec with real control bytes inert and masked', async () => {
    const raw = await api.inspectObject('service', name);
    for (const reveal of [false, true]) {
      const lines = inspectLines(raw, { revealSecrets: reveal });
      for (const line of lines) expect(line).not.toMatch(CONTROL);
      const text = lines.join('\n');
      expect(text).not.toContain('pwned');
      // The C1 CSI (0x9B) and its parameters go with the other escape sequences.
      expect(text).toContain('evil: abc\n');
      expect(text.includes('hunter2')).toBe(reveal);
      expect(text.includes('s3cret')).toBe(reveal);
      expect(specText(raw, { revealSecrets: reveal })).not.toMatch(CONTROL);
    }
    expect(inspectLines(raw, { revealSecrets: false })).toContain(`        - API_TOKEN=${MASK}`);
  });
});

// A service with every part of the inspect view's header, made with the docker CLI; what we read
// is compared with what `docker service inspect` (and `docker network inspect`) say.
describeWithLab('the service header against the lab', () => {
  const api = new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
  const tag = randomBytes(4).toString('hex');
  const name = `t-detail-${tag}`;
  const net = `t-detail-net-${tag}`;
  const secret = `t-detail-secret-${tag}`;
  const config = `t-detail-config-${tag}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'smarm-detail-'));
  const format = (what: string) =>
    docker(host, 'service', 'inspect', name, '--format', `{{json ${what}}}`);

  beforeAll(() => {
    writeFileSync(path.join(dir, 'secret'), 's3cr3t');
    writeFileSync(path.join(dir, 'config'), 'listen 80;\n');
    docker(host, 'network', 'create', '-d', 'overlay', net);
    docker(host, 'secret', 'create', secret, path.join(dir, 'secret'));
    docker(host, 'config', 'create', config, path.join(dir, 'config'));
    docker(
      host,
      'service',
      'create',
      '--detach',
      '--no-resolve-image',
      '--name',
      name,
      '--mount',
      `type=volume,src=t-detail-vol-${tag},dst=/data`,
      '--mount',
      'type=bind,src=/tmp,dst=/host-tmp,readonly',
      '--mount',
      'type=tmpfs,dst=/scratch,tmpfs-size=1048576',
      '--network',
      net,
      '--secret',
      `source=${secret},target=app_pw,uid=1000,gid=1001,mode=0400`,
      '--config',
      `source=${config},target=/etc/app.conf,uid=0,gid=0,mode=0444`,
      '--health-cmd',
      'wget -q http://admin:hunter2@localhost/ || exit 1',
      '--health-interval',
      '10s',
      '--health-timeout',
      '3s',
      '--health-retries',
      '2',
      '--health-start-period',
      '5s',
      '--restart-condition',
      'on-failure',
      '--restart-delay',
      '7s',
      '--restart-max-attempts',
      '4',
      '--restart-window',
      '60s',
      '--limit-cpu',
      '0.5',
      '--limit-memory',
      '64M',
      '--reserve-cpu',
      '0.1',
      '--reserve-memory',
      '16M',
      '--constraint',
      'node.role==worker',
      '--replicas-max-per-node',
      '1',
      'lab/busybox:1',
      'sleep',
      '100000',
    );
  });

  afterAll(() => {
    api.close();
    for (const args of [
      ['service', 'rm', name],
      ['secret', 'rm', secret],
      ['config', 'rm', config],
      ['network', 'rm', net],
    ]) {
      try {
        docker(host, ...args);
      } catch {
        // Already gone (or the service's tasks still hold the network: the lab goes down anyway).
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every part of the header as docker service inspect has it', async () => {
    const detail = parseServiceSpecDetail(await api.inspectObject('service', name));
    const mounts = JSON.parse(format('.Spec.TaskTemplate.ContainerSpec.Mounts')) as {
      Type: string;
      Source?: string;
      Target: string;
      ReadOnly?: boolean;
    }[];
    expect(detail.mounts.map((m) => [m.type, m.source, m.target, m.readOnly])).toEqual(
      mounts.map((m) => [m.Type, m.Source ?? '', m.Target, m.ReadOnly === true]),
    );
    expect(detail.mounts.map((m) => m.type)).toEqual(['volume', 'bind', 'tmpfs']);
    expect(detail.mounts[1]?.readOnly).toBe(true);

    const netId = docker(host, 'network', 'inspect', net, '--format', '{{.ID}}');
    const vips = JSON.parse(format('.Endpoint.VirtualIPs')) as {
      NetworkID: string;
      Addr: string;
    }[];
    const vip = vips.find((v) => v.NetworkID === netId)?.Addr;
    expect(vip).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(detail.networks).toEqual([{ id: netId, aliases: [], vip }]);
    expect(detail.endpointMode).toBe(JSON.parse(format('.Endpoint.Spec.Mode')));

    const secrets = JSON.parse(format('.Spec.TaskTemplate.ContainerSpec.Secrets')) as {
      SecretName: string;
      File: { Name: string; UID: string; GID: string; Mode: number };
    }[];
    expect(detail.secrets.map((f) => [f.name, f.target, f.uid, f.gid, f.mode])).toEqual(
      secrets.map((f) => [f.SecretName, f.File.Name, f.File.UID, f.File.GID, f.File.Mode]),
    );
    expect(detail.secrets[0]).toMatchObject({ uid: '1000', gid: '1001', mode: 0o400 });
    const configs = JSON.parse(format('.Spec.TaskTemplate.ContainerSpec.Configs')) as {
      ConfigName: string;
      File: { Name: string; UID: string; GID: string; Mode: number };
    }[];
    expect(detail.configs.map((f) => [f.name, f.target, f.uid, f.gid, f.mode])).toEqual(
      configs.map((f) => [f.ConfigName, f.File.Name, f.File.UID, f.File.GID, f.File.Mode]),
    );

    const health = JSON.parse(format('.Spec.TaskTemplate.ContainerSpec.Healthcheck')) as {
      Test: string[];
      Interval: number;
      Timeout: number;
      Retries: number;
      StartPeriod: number;
    };
    expect(detail.healthcheck).toEqual({
      test: health.Test,
      intervalNs: health.Interval,
      timeoutNs: health.Timeout,
      retries: health.Retries,
      startPeriodNs: health.StartPeriod,
    });
    const restart = JSON.parse(format('.Spec.TaskTemplate.RestartPolicy')) as {
      Condition: string;
      Delay: number;
      MaxAttempts: number;
      Window: number;
    };
    expect(detail.restartPolicy).toEqual({
      condition: restart.Condition,
      delayNs: restart.Delay,
      maxAttempts: restart.MaxAttempts,
      windowNs: restart.Window,
    });
    const resources = JSON.parse(format('.Spec.TaskTemplate.Resources')) as Record<
      'Limits' | 'Reservations',
      { NanoCPUs: number; MemoryBytes: number }
    >;
    expect(detail.limits).toEqual({
      nanoCpus: resources.Limits.NanoCPUs,
      memoryBytes: resources.Limits.MemoryBytes,
    });
    expect(detail.reservations).toEqual({
      nanoCpus: resources.Reservations.NanoCPUs,
      memoryBytes: resources.Reservations.MemoryBytes,
    });
    const placement = JSON.parse(format('.Spec.TaskTemplate.Placement')) as {
      Constraints: string[];
      MaxReplicas: number;
    };
    expect(detail.constraints).toEqual(placement.Constraints);
    expect(detail.maxReplicasPerNode).toBe(placement.MaxReplicas);
  });

  it('draws it with the network named from the networks list, the password masked', async () => {
    const detail = parseServiceSpecDetail(await api.inspectObject('service', name));
    const names = new Map((await api.listNetworks()).map((n) => [n.id, n.name]));
    const netId = docker(host, 'network', 'inspect', net, '--format', '{{.ID}}');
    const vips = JSON.parse(format('.Endpoint.VirtualIPs')) as {
      NetworkID: string;
      Addr: string;
    }[];
    const vip = vips.find((v) => v.NetworkID === netId)?.Addr ?? '?';
    for (const reveal of [false, true]) {
      const lines = serviceDetailLines(detail, {
        revealSecrets: reveal,
        networkName: (id) => names.get(id),
      });
      for (const line of lines) expect(line).not.toMatch(CONTROL);
      expect(lines).toContain('  bind    /tmp → /host-tmp  read-only');
      expect(lines).toContain(`  ${net}  VIP ${vip}`);
      expect(lines).toContain(`  ${secret} → /run/secrets/app_pw  uid:gid 1000:1001 · mode 0400`);
      expect(lines).toContain(`  ${config} → /etc/app.conf  uid:gid 0:0 · mode 0444`);
      expect(lines).toContain('  interval 10s · timeout 3s · retries 2 · start period 5s');
      expect(lines).toContain(
        'restart policy: on-failure · delay 7s · max attempts 4 · window 1m0s',
      );
      expect(lines).toContain('resources: limits 0.5 CPU, 64 MiB · reservations 0.1 CPU, 16 MiB');
      expect(lines).toContain('placement: node.role==worker · max 1 per node');
      expect(lines.join('\n').includes('hunter2')).toBe(reveal);
    }
  });
});
