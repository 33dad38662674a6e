// The networks view driven by keys through the whole App against a FakeSwarm: 8 lists the
// networks (fetched only once it is open), Enter on ingress shows the published ports, Enter on
// another network its services, `i` inspects a network with secret-looking values masked.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../source/app.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { network, node, service, task } from './helpers/factories.js';
import { renderFixed, type RenderFixedResult } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

function lab(): FakeSwarm {
  const api = new FakeSwarm();
  api.nodes = [
    node({
      id: 'n1',
      hostname: 'manager-1',
      role: 'manager',
      manager: { reachability: 'leader', address: '127.0.0.1:2377' },
    }),
    node({ id: 'n2', hostname: 'worker-1' }),
  ];
  api.networks = [
    network({ id: 'ning', name: 'ingress', ingress: true }),
    network({ id: 'nshop', name: 'shop_default' }),
    network({ id: 'nold', name: 'legacy_backend', internal: true }),
  ];
  api.services = [
    service({
      id: 's1',
      name: 'web',
      ports: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'ingress' }],
      virtualIps: [
        { networkId: 'ning', addr: '10.0.0.2/24' },
        { networkId: 'nshop', addr: '10.0.1.2/24' },
      ],
      networks: ['nshop'],
    }),
    service({
      id: 's2',
      name: 'node-agent',
      mode: 'global',
      specReplicas: null,
      ports: [{ published: 9100, target: 9100, protocol: 'tcp', mode: 'host' }],
    }),
  ];
  api.tasks = [
    task({ id: 't1', serviceId: 's1', nodeId: 'n1' }),
    task({ id: 't2', serviceId: 's2', nodeId: 'n2' }),
  ];
  api.raw.set('network:nold', {
    Name: 'legacy_backend',
    Id: 'nold',
    Driver: 'overlay',
    Internal: true,
    Labels: { 'db.password': 'hunter2' },
  });
  return api;
}

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

function until(r: RenderFixedResult, what: string, check: (frame: string) => boolean) {
  return waitFor(
    what,
    () => {
      const frame = r.lastFrame() ?? '';
      return check(frame) ? frame : undefined;
    },
    { timeoutMs: 5000, intervalMs: 10 },
  );
}

const press = async (r: RenderFixedResult, ...keys: string[]) => {
  for (const key of keys) {
    r.stdin.write(key);
    await r.flush();
  }
};

async function start(api: FakeSwarm) {
  const r = renderFixed(<App api={api} refreshMs={60_000} theme="mono" />, {
    columns: 100,
    rows: 30,
  });
  mounted.push(r);
  await until(r, 'services on screen', (f) => f.includes('node-agent'));
  return r;
}

describe('App: the networks view', () => {
  it('8 lists the networks, fetched once it is open; Enter on ingress: the published ports; Esc: back', async () => {
    const api = lab();
    const r = await start(api);
    expect(api.calls).not.toContain('networks');
    await press(r, '8');
    const frame = await until(
      r,
      'networks',
      (f) => f.includes('NETWORKS (3)') && f.includes('shop_default'),
    );
    expect(api.calls).toContain('networks');
    expect(frame).toMatch(/legacy_backend +unused/);
    // The ingress network comes first.
    await press(r, '\r');
    const ports = await until(r, 'published ports', (f) => f.includes('PUBLISHED PORTS (2)'));
    expect(ports).toMatch(/8080 tcp +80 ingress web +every node/);
    expect(ports).toMatch(/9100 tcp +9100 host +node-agent +worker-1/);
    await press(r, '\u001b');
    await until(r, 'back on the networks', (f) => f.includes('NETWORKS (3)'));
  });

  it('Enter on another network: its services with their VIP there; Enter: the service', async () => {
    const r = await start(lab());
    await press(r, '8');
    await until(r, 'networks', (f) => f.includes('shop_default'));
    // ingress, legacy_backend, shop_default.
    await press(r, 'G', '\r');
    const frame = await until(r, 'its services', (f) =>
      f.includes('SERVICES ON NETWORK shop_default (1)'),
    );
    expect(frame).toMatch(/web +shop_default +10\.0\.1\.2 +vip/);
    await press(r, '\r');
    await until(r, 'the service', (f) => f.includes('SERVICES (1)') && f.includes('/web'));
  });

  it('Enter on an unused network says so; i inspects it, secret-looking labels masked', async () => {
    const api = lab();
    const r = await start(api);
    await press(r, '8');
    await until(r, 'networks', (f) => f.includes('legacy_backend'));
    await press(r, 'j', '\r');
    await until(r, 'unused', (f) => f.includes('No service uses the network legacy_backend.'));
    await press(r, 'i');
    const frame = await until(r, 'inspect', (f) => f.includes('db.password'));
    expect(frame).toContain('db.password: ••••');
    expect(frame).not.toContain('hunter2');
    expect(api.calls).toContain('inspect:network:nold');
  });
});
