// `--once` and `--once --json`: the networks and published ports sections.
import { describe, expect, it } from 'vitest';
import { MASK } from '../source/format/mask.js';
import { formatSnapshotJson, formatSnapshotText } from '../source/once.js';
import type { Snapshot } from '../source/model.js';
import { network, node, service, task } from './helpers/factories.js';

const now = new Date('2026-12-01T12:00:00Z');
const host = { published: 9100, target: 9100, protocol: 'tcp', mode: 'host' };

function snapshot(): Snapshot {
  return {
    nodes: [node({ id: 'n1', hostname: 'manager-1' }), node({ id: 'n2', hostname: 'worker-1' })],
    services: [
      service({
        id: 's1',
        name: 'web',
        ports: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'ingress' }],
        virtualIps: [
          { networkId: 'ning', addr: '10.0.0.2/24' },
          { networkId: 'nsec', addr: '10.0.2.2/24' },
        ],
      }),
      service({ id: 's2', name: 'agent', mode: 'global', specReplicas: null, ports: [host] }),
      service({ id: 's3', name: 'exporter', mode: 'global', specReplicas: null, ports: [host] }),
    ],
    tasks: [
      task({ id: 't1', serviceId: 's1', nodeId: 'n1' }),
      task({ id: 't2', serviceId: 's2', nodeId: 'n2' }),
      task({ id: 't3', serviceId: 's3', nodeId: 'n2', state: 'failed', desiredState: 'shutdown' }),
    ],
    networks: [
      network({ id: 'ning', name: 'ingress', ingress: true }),
      network({
        id: 'nsec',
        name: 'billing_secure',
        encrypted: true,
        options: { encrypted: '', 'vault.token': 's.ABCDEF' },
        labels: { 'db.password': 'hunter2', team: 'billing' },
      }),
      network({ id: 'nold', name: 'legacy', internal: true }),
    ],
  };
}

describe('--once --json: networks and ports', () => {
  it('lists networks with their services (VIP, endpoint mode) and nodes; options and labels masked', () => {
    const text = formatSnapshotJson(snapshot(), now);
    expect(text).not.toMatch(/hunter2|s\.ABCDEF/);
    const json = JSON.parse(text);
    expect(json.networks.map((n: { name: string }) => n.name)).toEqual([
      'ingress',
      'billing_secure',
      'legacy',
    ]);
    expect(json.networks[1]).toMatchObject({
      encrypted: true,
      options: { encrypted: '', 'vault.token': MASK },
      labels: { 'db.password': MASK, team: 'billing' },
      services: [{ id: 's1', name: 'web', endpointMode: 'vip', vip: '10.0.2.2' }],
      nodes: ['manager-1'],
      unused: false,
    });
    expect(json.networks[2]).toMatchObject({ internal: true, services: [], unused: true });
    const revealed = JSON.parse(formatSnapshotJson(snapshot(), now, { revealSecrets: true }));
    expect(revealed.networks[1].labels['db.password']).toBe('hunter2');
  });

  it('lists published ports: who answers, and a host-mode conflict', () => {
    const json = JSON.parse(formatSnapshotJson(snapshot(), now));
    expect(json.ports).toEqual([
      expect.objectContaining({
        published: 8080,
        mode: 'ingress',
        serviceName: 'web',
        nodes: null,
      }),
      expect.objectContaining({
        published: 9100,
        mode: 'host',
        serviceName: 'agent',
        nodes: ['worker-1'],
        conflicts: ['exporter'],
      }),
      // Its only task failed: no node answers for it.
      expect.objectContaining({ serviceName: 'exporter', nodes: [], conflicts: ['agent'] }),
    ]);
    expect(json.problems).toContainEqual(
      expect.objectContaining({
        kind: 'ports',
        what: 'host port 9100/tcp published by 2 services',
      }),
    );
  });

  it('a network list the engine refused is null, and the ports still come', () => {
    const json = JSON.parse(formatSnapshotJson({ ...snapshot(), networks: null }, now));
    expect(json.networks).toBeNull();
    expect(json.ports).toHaveLength(3);
  });
});

describe('--once: networks and ports', () => {
  it('prints a NETWORKS and a PUBLISHED PORTS table', () => {
    const text = formatSnapshotText(snapshot(), now);
    expect(text).toMatch(/NETWORKS \(swarm scope\)\nNAME +SERVICES +NODES +SUBNET/);
    expect(text).toMatch(/\nlegacy +unused /);
    expect(text).toMatch(/\nbilling_secure +1 +1 +10\.0\.1\.0\/24 +encrypted /);
    expect(text).toMatch(/\n8080 +tcp +80 +ingress +web +every node\n/);
    expect(text).toMatch(/\n9100 +tcp +9100 +host +agent +worker-1\n/);
    expect(formatSnapshotText({ ...snapshot(), networks: null }, now)).toContain(
      'NETWORKS (swarm scope)\ncould not be read',
    );
  });
});
