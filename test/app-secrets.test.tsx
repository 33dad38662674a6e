// The secrets and configs view driven by keys through the whole App against a FakeSwarm:
// 9 and :configs, Enter to the services that mount one, i on a config, c s on a config.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../source/app.js';
import { MASK } from '../source/format/mask.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { config, node, secret, service, task } from './helpers/factories.js';
import { renderFixed, type RenderFixedResult } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

const file = (id: string, name: string, target: string) => ({
  id,
  name,
  target,
  uid: '0',
  gid: '0',
  mode: 0o444,
});

function lab(): FakeSwarm {
  const api = new FakeSwarm();
  api.nodes = [node({ id: 'n1', hostname: 'manager-1' }), node({ id: 'n2', hostname: 'worker-1' })];
  api.services = [
    service({ id: 's1', name: 'web', configs: [file('c1', 'nginx_conf', '/etc/nginx.conf')] }),
    service({ id: 's2', name: 'api', secrets: [file('x1', 'db_password', 'db')] }),
    service({ id: 's3', name: 'worker', secrets: [file('x1', 'db_password', 'db')] }),
    service({ id: 's4', name: 'cron' }),
  ];
  api.tasks = [
    task({ id: 't1', serviceId: 's1', nodeId: 'n1' }),
    task({ id: 't2', serviceId: 's2', nodeId: 'n2' }),
  ];
  api.secrets = [secret({ id: 'x1', name: 'db_password' }), secret({ id: 'x2', name: 'old_key' })];
  api.configs = [config({ id: 'c1', name: 'nginx_conf' }), config({ id: 'c2', name: 'flags' })];
  api.raw.set('config:c1', {
    ID: 'c1',
    Spec: {
      Name: 'nginx_conf',
      Data: Buffer.from('worker_processes 4;\nauth_token hunter2;\n').toString('base64'),
    },
  });
  return api;
}

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
  vi.restoreAllMocks();
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

async function press(r: RenderFixedResult, ...keys: string[]) {
  for (const key of keys) {
    r.stdin.write(key);
    await r.flush();
  }
}

async function start(api: FakeSwarm) {
  const r = renderFixed(<App api={api} refreshMs={60_000} theme="mono" />, {
    columns: 100,
    rows: 30,
  });
  mounted.push(r);
  await until(r, 'services on screen', (f) => f.includes('SERVICES (4)'));
  return r;
}

describe('App: the secrets and configs view', () => {
  it('9 lists both kinds with who mounts them and where; the lists are fetched only then', async () => {
    const api = lab();
    const r = await start(api);
    expect(api.calls).not.toContain('secrets');
    await press(r, '9');
    const frame = await until(r, 'the list', (f) => f.includes('SECRETS AND CONFIGS (4)'));
    expect(frame).toContain('· 2 unused');
    expect(frame).toMatch(/db_password +secret +2 +1 worker-1/);
    expect(frame).toMatch(/! old_key +secret +unused/);
    expect(frame).toMatch(/nginx_conf +config +1 +1 manager-1/);
    expect(frame).toContain('db_password (secret): mounted by api → /run/secrets/db uid 0 gid 0');
    expect(api.calls).toEqual(expect.arrayContaining(['secrets', 'configs', 'tasks:all']));
  });

  it('Enter: the services that mount it; Esc comes back; on an unused one it says so', async () => {
    const r = await start(lab());
    await press(r, '9');
    await until(r, 'the list', (f) => f.includes('SECRETS AND CONFIGS (4)'));
    await press(r, '\r');
    const services = await until(r, 'its services', (f) => f.includes('SERVICES (2)'));
    expect(services).toContain('/db_password');
    expect(services).toMatch(/ api /);
    expect(services).toMatch(/ worker /);
    expect(services).not.toMatch(/ cron /);
    await press(r, '\u001b', '\u001b');
    await until(r, 'back', (f) => f.includes('SECRETS AND CONFIGS (4)'));
    await press(r, 'j', '\r');
    await until(r, 'the refusal', (f) => f.includes('No service mounts the secret old_key.'));
  });

  it(':configs shows the configs alone; i shows the data decoded and masked', async () => {
    const api = lab();
    const r = await start(api);
    await press(r, ':', ...'configs', '\r');
    const frame = await until(r, 'configs', (f) => f.includes('CONFIGS (2) · 1 unused'));
    expect(frame).not.toContain('db_password');
    expect(api.calls).not.toContain('secrets');
    // flags, then nginx_conf.
    await press(r, 'j', 'i');
    const inspect = await until(r, 'the data', (f) => f.includes('worker_processes 4;'));
    expect(inspect).toContain('inspect config nginx_conf');
    expect(inspect).toContain(`auth_token ${MASK}`);
    expect(inspect).not.toContain('hunter2');
  });

  it("c s copies a config's spec without its data", async () => {
    const r = await start(lab());
    await press(r, ':', ...'configs', '\r');
    await until(r, 'configs', (f) => f.includes('CONFIGS (2)'));
    await press(r, 'j');
    await until(r, 'nginx_conf selected', (f) => f.includes('nginx_conf (config'));
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    await press(r, 'c', 's');
    await until(r, 'copied', (f) => f.includes('spec of config nginx_conf'));
    const out = writes.join('');
    const at = out.indexOf('\u001b]52;c;');
    expect(at).toBeGreaterThanOrEqual(0);
    const payload = /^[A-Za-z0-9+/=]+/.exec(out.slice(at + '\u001b]52;c;'.length))![0];
    const copied = Buffer.from(payload, 'base64').toString('utf8');
    expect(JSON.parse(copied)).toEqual({ Name: 'nginx_conf', Data: MASK });
  });
});
