// The published ports: rows from the services' ports, who answers on each (every node for the
// routing mesh, the nodes running a task in host mode), and the host-mode troubles that are problems.
import { describe, expect, it } from 'vitest';
import type { SwarmService } from '../../source/model.js';
import { portRows, portTrouble } from '../../source/views/port-rows.js';
import { portsView } from '../../source/views/ports.js';
import { problemRows } from '../../source/views/problem-rows.js';
import { problemsView } from '../../source/views/problems.js';
import type { ViewData } from '../../source/views/view.js';
import { node, service, task } from '../helpers/factories.js';

const nodes = [
  node({ id: 'n1', hostname: 'manager-1' }),
  node({ id: 'n2', hostname: 'worker-1' }),
  node({ id: 'n3', hostname: 'worker-2', availability: 'drain' }),
];
const host = (published: number, protocol = 'tcp') => ({
  published,
  target: 80,
  protocol,
  mode: 'host',
});

const web = service({
  id: 's1',
  name: 'web',
  specReplicas: 3,
  desired: 3,
  ports: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'ingress' }],
});
const agent = service({
  id: 's2',
  name: 'agent',
  mode: 'global',
  specReplicas: null,
  ports: [host(9100)],
});
const placements = [
  task({ id: 't1', serviceId: 's2', nodeId: 'n2' }),
  task({ id: 't2', serviceId: 's2', nodeId: 'n1' }),
  task({ id: 't3', serviceId: 's2', nodeId: null, state: 'pending' }),
  task({ id: 't4', serviceId: 's2', nodeId: 'n3', state: 'starting' }),
];

describe('port rows', () => {
  it('one row per port, by port number; ingress is answered by every node, host by the nodes running a task', () => {
    const rows = portRows([agent, web], nodes, placements);
    expect(rows.map((r) => [r.published, r.mode, r.serviceName, r.nodes])).toEqual([
      [8080, 'ingress', 'web', null],
      [9100, 'host', 'agent', ['manager-1', 'worker-1']],
    ]);
    const cells = rows.map((r) =>
      Object.fromEntries(
        portsView.columns({} as never, new Date(), {} as ViewData).map((c) => [c.key, c.cell(r)]),
      ),
    );
    expect(cells[0]).toMatchObject({ published: '8080', protocol: 'tcp', nodes: 'every node' });
    expect(cells[1]).toMatchObject({ mode: 'host', nodes: 'manager-1, worker-1' });
  });

  it('says the host-mode nodes are not known yet before the placements come', () => {
    const [row] = portRows([agent], nodes, null);
    expect(row?.nodes).toBeNull();
    const cell = portsView
      .columns({} as never, new Date(), {} as ViewData)
      .find((c) => c.key === 'nodes');
    expect(cell?.cell(row!)).toBe('…');
  });

  it('two services on the same host-mode port and protocol conflict; other protocols and ingress do not', () => {
    const other = service({ id: 's3', name: 'exporter', mode: 'global', ports: [host(9100)] });
    const udp = service({ id: 's4', name: 'dns', mode: 'global', ports: [host(9100, 'udp')] });
    const rows = portRows([agent, other, udp, web], nodes, null);
    const byService = new Map(rows.map((r) => [r.serviceName, r]));
    expect(byService.get('agent')?.conflicts).toEqual(['exporter']);
    expect(byService.get('exporter')?.conflicts).toEqual(['agent']);
    expect(byService.get('dns')?.conflicts).toEqual([]);
    expect(byService.get('web')?.conflicts).toEqual([]);
    expect(portTrouble(byService.get('agent')!)).toBe('also published in host mode by exporter');
  });

  it('a replicated service with more replicas than nodes able to take one overreaches', () => {
    // Two nodes are ready and active (worker-2 is drained), one is ruled out by the constraint.
    const many = service({ id: 's5', name: 'edge', specReplicas: 3, ports: [host(443)] });
    const fits = service({ id: 's6', name: 'fits', specReplicas: 2, ports: [host(444)] });
    const picky = service({
      id: 's7',
      name: 'picky',
      specReplicas: 2,
      constraints: ['node.hostname==worker-1'],
      ports: [host(445)],
    });
    const ingress = service({ id: 's8', name: 'mesh', specReplicas: 9, ports: web.ports });
    const rows = portRows([many, fits, picky, ingress], nodes, null);
    const over = Object.fromEntries(rows.map((r) => [r.serviceName, r.overreach]));
    expect(over).toEqual({
      edge: { replicas: 3, eligible: 2 },
      fits: null,
      picky: { replicas: 2, eligible: 1 },
      mesh: null,
    });
  });

  it('`!` keeps the troubled ports; a port filter finds the port and not a longer one', () => {
    const other = service({ id: 's3', name: 'exporter', mode: 'global', ports: [host(9100)] });
    const far = service({ id: 's9', name: 'far', ports: [host(19100)] });
    const data = { services: [agent, other, far, web], nodes, placements: null } as never;
    const rows = portsView.rows(data);
    expect(rows.filter((r) => portsView.trouble!(r, { flagged: new Set() })).length).toBe(2);
    expect(rows.filter((r) => portsView.search(r).includes(':9100/tcp')).length).toBe(2);
  });
});

describe('port problems', () => {
  const problems = (services: SwarmService[]) =>
    problemRows({ nodes, services, tasks: [], troubled: [], nowMs: 0 }).filter(
      (p) => p.kind === 'ports',
    );

  it('a host-mode port claimed twice is one problem naming both services, with a jump to the port', () => {
    const other = service({ id: 's3', name: 'exporter', mode: 'global', ports: [host(9100)] });
    expect(problems([agent, other, web])).toEqual([
      expect.objectContaining({
        id: 'ports:conflict:9100/tcp',
        severity: 'bad',
        what: 'host port 9100/tcp published by 2 services',
        serviceIds: ['s2', 's3'],
        jump: { view: 'ports', filter: ':9100/tcp', selectId: null },
      }),
    ]);
    // Enter on it in the problems view: the ports list, filtered to that port.
    expect(problemsView.enter!(problems([agent, other, web])[0]!, {} as ViewData)).toMatchObject({
      view: 'ports',
      filter: ':9100/tcp',
    });
  });

  it('more replicas than nodes on a host-mode port is a problem; a healthy swarm has none', () => {
    const edge = service({ id: 's5', name: 'edge', specReplicas: 3, ports: [host(443)] });
    expect(problems([edge])).toEqual([
      expect.objectContaining({
        what: 'edge: 3 replicas on host port 443/tcp',
        detail: expect.stringContaining('1 stay pending'),
        serviceIds: ['s5'],
      }),
    ]);
    expect(problems([agent, web])).toEqual([]);
  });
});
