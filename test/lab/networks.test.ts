// The networks and published ports of `--once --json` against the lab, checked with the docker CLI:
// overlay networks (encrypted, attachable, internal, one unused), services on them (a VIP, DNS round
// robin), ports in ingress and host mode, a host-mode port claimed twice and one with more replicas
// than nodes. Tasks on overlays may be rejected in the lab ("network sandbox join failed"): what is
// checked is the manager's objects, never traffic.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { docker, dockerJsonLines } from '../helpers/docker-cli.js';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait-for.js';

interface JsonNetwork {
  id: string;
  name: string;
  driver: string;
  scope: string;
  attachable: boolean;
  internal: boolean;
  ingress: boolean;
  encrypted: boolean;
  ipam: { subnet: string; gateway: string }[];
  services: { id: string; name: string; endpointMode: string; vip: string | null }[];
  nodes: string[] | null;
  unused: boolean;
}
interface JsonPort {
  published: number;
  protocol: string;
  target: number;
  mode: string;
  serviceName: string;
  nodes: string[] | null;
  conflicts: string[];
  overreach: { replicas: number; eligible: number } | null;
}
interface JsonSnapshot {
  networks: JsonNetwork[] | null;
  ports: JsonPort[];
  problems: { kind: string; what: string }[];
}

interface EngineNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Attachable: boolean;
  Internal: boolean;
  Ingress: boolean;
  Options: Record<string, string> | null;
  IPAM: { Config: { Subnet: string; Gateway: string }[] | null };
}
interface EngineService {
  ID: string;
  Spec: { Name: string; EndpointSpec?: { Mode?: string } };
  Endpoint: {
    Ports?: { PublishedPort: number; TargetPort: number; Protocol: string; PublishMode: string }[];
    VirtualIPs?: { NetworkID: string; Addr: string }[];
  };
}

describeWithLab('networks and published ports against the lab swarm', (lab) => {
  const host = lab.dockerHost;
  const cli = (...args: string[]) => docker(host, ...args);
  const tag = Math.random().toString(36).slice(2, 7);
  const net = (what: string) => `nt-${what}-${tag}`;
  const svc = (what: string) => `nt-${what}-${tag}`;
  const networks: string[] = [];
  const services: string[] = [];
  // Ports nothing else on this machine is expected to publish.
  const INGRESS_PORT = 38080;
  const HOST_PORT = 39100;
  const MANY_PORT = 39200;

  const createNetwork = (name: string, ...flags: string[]) => {
    networks.push(name);
    cli('network', 'create', '-d', 'overlay', ...flags, name);
  };
  const createService = (name: string, ...flags: string[]) => {
    services.push(name);
    cli(
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      '--name',
      name,
      ...flags,
      'lab/busybox:1',
      'sleep',
      '3600',
    );
  };
  const snapshot = (): JsonSnapshot => {
    const result = runCli(['--once', '--json', '--host', host]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('SWMTKN');
    return JSON.parse(result.stdout) as JsonSnapshot;
  };
  const inspectNetwork = (name: string) =>
    JSON.parse(cli('network', 'inspect', name))[0] as EngineNetwork;
  const inspectService = (name: string) =>
    JSON.parse(cli('service', 'inspect', name))[0] as EngineService;

  beforeAll(async () => {
    createNetwork(net('enc'), '--opt', 'encrypted');
    createNetwork(net('att'), '--attachable');
    createNetwork(net('int'), '--internal');
    createNetwork(net('idle'));
    createService(
      svc('web'),
      '--network',
      net('enc'),
      '--publish',
      `published=${INGRESS_PORT},target=80`,
    );
    createService(svc('dns'), '--endpoint-mode', 'dnsrr', '--network', net('int'));
    createService(
      svc('hosta'),
      '--network',
      net('att'),
      '--publish',
      `mode=host,published=${HOST_PORT},target=9100`,
    );
    createService(svc('hostb'), '--publish', `mode=host,published=${HOST_PORT},target=9100`);
    // Four replicas, one per manager at most: the lab has three.
    createService(
      svc('many'),
      '--replicas',
      '4',
      '--constraint',
      'node.role==manager',
      '--publish',
      `mode=host,published=${MANY_PORT},target=80`,
    );
    // The allocator gives the VIPs a moment after the service is created.
    await waitFor(
      'the VIPs allocated',
      () => {
        const web = inspectService(svc('web'));
        return (web.Endpoint.VirtualIPs ?? []).length >= 2 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  }, 120_000);

  afterAll(async () => {
    for (const name of services) {
      try {
        cli('service', 'rm', name);
      } catch {
        // already gone
      }
    }
    // A network is removable once the tasks of the services on it are gone; a node's own copy
    // of an attachable network stays listed until its last container there has stopped (under
    // load, a task's container may start after its service was removed, and is then stopped).
    const ours = () =>
      cli('network', 'ls', '--filter', 'name=nt-', '--format', '{{.Name}}')
        .split('\n')
        .filter((name) => name.endsWith(tag));
    await waitFor(
      'our networks removed',
      () => {
        for (const name of ours()) {
          try {
            cli('network', 'rm', name);
          } catch {
            // in use still, or only the node's copy is left
          }
        }
        return ours().length === 0 ? true : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 2000 },
    ).catch(() => undefined);
    expect(ours()).toEqual([]);
  }, 180_000);

  it('lists the same swarm-scope networks as docker network ls, with what docker network inspect says', () => {
    const ours = snapshot().networks!;
    const theirs = dockerJsonLines<{ ID: string; Name: string }>(
      host,
      'network',
      'ls',
      '--filter',
      'scope=swarm',
    );
    expect(ours.map((n) => n.name).sort()).toEqual(theirs.map((n) => n.Name).sort());
    for (const name of [net('enc'), net('att'), net('int'), net('idle'), 'ingress']) {
      const engine = inspectNetwork(name);
      const mine = ours.find((n) => n.name === name)!;
      expect(mine.id).toBe(engine.Id);
      expect(mine.driver).toBe(engine.Driver);
      expect(mine.scope).toBe(engine.Scope);
      expect(mine.attachable).toBe(engine.Attachable);
      expect(mine.internal).toBe(engine.Internal);
      expect(mine.ingress).toBe(engine.Ingress);
      expect(mine.encrypted).toBe('encrypted' in (engine.Options ?? {}));
      expect(mine.ipam).toEqual(
        (engine.IPAM.Config ?? []).map((c) => ({ subnet: c.Subnet, gateway: c.Gateway ?? '' })),
      );
    }
    const flags = (name: string) => ours.find((n) => n.name === name)!;
    expect(flags(net('enc')).encrypted).toBe(true);
    expect(flags(net('att')).attachable).toBe(true);
    expect(flags(net('int')).internal).toBe(true);
    expect(flags('ingress').ingress).toBe(true);
  });

  it("names each network's services with the VIP docker service inspect gives, and the unused one", () => {
    const ours = snapshot().networks!;
    const on = (name: string) => ours.find((n) => n.name === name)!;
    const web = inspectService(svc('web'));
    const vipOf = (networkId: string) =>
      (web.Endpoint.VirtualIPs ?? [])
        .find((v) => v.NetworkID === networkId)
        ?.Addr.replace(/\/\d+$/, '');
    expect(on(net('enc')).services).toEqual([
      { id: web.ID, name: svc('web'), endpointMode: 'vip', vip: vipOf(on(net('enc')).id) },
    ]);
    // Publishing in ingress mode gives the service a VIP on the ingress network too.
    expect(on('ingress').services).toContainEqual({
      id: web.ID,
      name: svc('web'),
      endpointMode: 'vip',
      vip: vipOf(on('ingress').id),
    });
    const dns = inspectService(svc('dns'));
    expect(dns.Spec.EndpointSpec?.Mode).toBe('dnsrr');
    expect(on(net('int')).services).toEqual([
      { id: dns.ID, name: svc('dns'), endpointMode: 'dnsrr', vip: null },
    ]);
    expect(on(net('att')).services.map((s) => s.name)).toEqual([svc('hosta')]);
    expect(on(net('idle'))).toMatchObject({ services: [], unused: true });
    expect(on(net('enc')).unused).toBe(false);
  });

  it('lists the published ports as docker service inspect gives them, with the host-mode troubles', () => {
    const { ports, problems } = snapshot();
    const mine = ports.filter((p) => p.serviceName.endsWith(tag));
    const theirs = services.flatMap((name) =>
      (inspectService(name).Endpoint.Ports ?? []).map((p) => ({
        published: p.PublishedPort,
        protocol: p.Protocol,
        target: p.TargetPort,
        mode: p.PublishMode,
        serviceName: name,
      })),
    );
    const key = (p: { published: number; protocol: string; serviceName: string }) =>
      `${p.published}/${p.protocol} ${p.serviceName}`;
    expect(mine.map(key).sort()).toEqual(theirs.map(key).sort());
    for (const port of theirs) {
      expect(mine.find((p) => key(p) === key(port))).toMatchObject(port);
    }
    const by = (name: string) => mine.find((p) => p.serviceName === name)!;
    expect(by(svc('web'))).toMatchObject({ mode: 'ingress', nodes: null, conflicts: [] });
    expect(by(svc('hosta')).conflicts).toEqual([svc('hostb')]);
    expect(by(svc('hostb')).conflicts).toEqual([svc('hosta')]);
    // The managers able to take a task, as docker node ls tells it.
    const managers = dockerJsonLines<{
      Status: string;
      Availability: string;
      ManagerStatus: string;
    }>(host, 'node', 'ls').filter(
      (n) => n.ManagerStatus !== '' && n.Status === 'Ready' && n.Availability === 'Active',
    );
    expect(by(svc('many')).overreach).toEqual({ replicas: 4, eligible: managers.length });
    const whats = problems.filter((p) => p.kind === 'ports').map((p) => p.what);
    expect(whats).toContain(`host port ${HOST_PORT}/tcp published by 2 services`);
    expect(whats).toContain(`${svc('many')}: 4 replicas on host port ${MANY_PORT}/tcp`);
  });

  it('--once prints the NETWORKS and PUBLISHED PORTS tables', () => {
    const text = runCli(['--once', '--host', host]);
    expect(text.status).toBe(0);
    expect(text.stdout).not.toContain('SWMTKN');
    expect(text.stdout).toMatch(/^NETWORKS/m);
    expect(text.stdout).toMatch(new RegExp(`^${net('enc')} +1 .*encrypted`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^${net('idle')} +unused `, 'm'));
    expect(text.stdout).toMatch(/^PUBLISHED PORTS/m);
    expect(text.stdout).toMatch(
      new RegExp(`^${INGRESS_PORT} +tcp +80 +ingress +${svc('web')} +every node$`, 'm'),
    );
  });
});
