import { describe, expect, it } from 'vitest';
import { MASK } from '../../source/format/mask.js';
import { makeTheme } from '../../source/format/palette.js';
import { mountPath, octalMode, secretRows } from '../../source/views/secret-rows.js';
import {
  configsView,
  driverText,
  nodesText,
  secretColumns,
  secretDetail,
  secretsView,
} from '../../source/views/secrets.js';
import type { ViewData } from '../../source/views/view.js';
import { config, node, secret, service, task } from '../helpers/factories.js';

const file = (id: string, name: string, target: string, mode = 0o444, uid = '0') => ({
  id,
  name,
  target,
  uid,
  gid: uid,
  mode,
});

const nodes = [
  node({ id: 'n1', hostname: 'manager-1' }),
  node({ id: 'n2', hostname: 'worker-1' }),
  node({ id: 'n3', hostname: 'worker-2' }),
];
const secrets = [
  secret({ id: 'x2', name: 'db_password', labels: { 'vault.token': 's.abc', team: 'shop' } }),
  secret({ id: 'x1', name: 'api_key', driver: 'vault' }),
  secret({ id: 'x3', name: 'old_tls_key' }),
];
const configs = [
  config({ id: 'c1', name: 'nginx_conf', dataBytes: 2048, templating: 'golang' }),
  config({ id: 'c2', name: 'flags' }),
];
const services = [
  service({
    id: 's1',
    name: 'web',
    configs: [file('c1', 'nginx_conf', '/etc/nginx/nginx.conf')],
    secrets: [file('x1', 'api_key', 'api_key')],
  }),
  service({
    id: 's2',
    name: 'api',
    secrets: [
      file('x2', 'db_password', 'db_password', 0o400, '1000'),
      file('x2', 'db_password', '/etc/app/db', 0o440),
      file('x1', 'api_key', 'key'),
    ],
  }),
  // Scaled to zero: it still mounts the secret (the engine would refuse to remove it).
  service({ id: 's3', name: 'idle', secrets: [file('x3', 'old_tls_key', 'tls')], running: 0 }),
];
// Shut-down tasks and tasks without a node deliver nothing.
const placements = [
  task({ id: 't1', serviceId: 's1', nodeId: 'n1' }),
  task({ id: 't2', serviceId: 's1', nodeId: 'n2' }),
  task({ id: 't3', serviceId: 's2', nodeId: 'n2' }),
  task({ id: 't4', serviceId: 's2', nodeId: 'n3', desiredState: 'shutdown', state: 'failed' }),
  task({ id: 't5', serviceId: 's2', nodeId: null, state: 'pending' }),
];

const rows = () => secretRows(secrets, configs, services, nodes, placements);
const row = (name: string) => rows().find((r) => r.name === name)!;

describe('secretRows', () => {
  it('lists secrets then configs, each by name', () => {
    expect(rows().map((r) => [r.kind, r.name])).toEqual([
      ['secret', 'api_key'],
      ['secret', 'db_password'],
      ['secret', 'old_tls_key'],
      ['config', 'flags'],
      ['config', 'nginx_conf'],
    ]);
  });

  it('counts the services that mount it, and lists every mount with its file, owner and mode', () => {
    expect(row('api_key').services).toBe(2);
    expect(row('api_key').mounts.map((m) => [m.serviceName, m.path])).toEqual([
      ['api', '/run/secrets/key'],
      ['web', '/run/secrets/api_key'],
    ]);
    // One service mounting it twice is one service with two files.
    const db = row('db_password');
    expect(db.services).toBe(1);
    expect(db.mounts).toEqual([
      {
        serviceId: 's2',
        serviceName: 'api',
        path: '/etc/app/db',
        uid: '0',
        gid: '0',
        mode: 0o440,
      },
      {
        serviceId: 's2',
        serviceName: 'api',
        path: '/run/secrets/db_password',
        uid: '1000',
        gid: '1000',
        mode: 0o400,
      },
    ]);
    expect(row('nginx_conf').mounts[0]!.path).toBe('/etc/nginx/nginx.conf');
  });

  it('delivers it to the nodes running a task of a service that mounts it', () => {
    expect(row('api_key').nodes).toEqual(['manager-1', 'worker-1']);
    // worker-2's task is shut down; the pending task has no node yet.
    expect(row('db_password').nodes).toEqual(['worker-1']);
    // Mounted by a service with no task running: used, but on no node.
    expect(row('old_tls_key')).toMatchObject({ unused: false, nodes: [] });
  });

  it('marks what no service mounts as unused', () => {
    expect(row('flags')).toMatchObject({ unused: true, services: 0, mounts: [], nodes: [] });
    expect(
      rows()
        .filter((r) => r.unused)
        .map((r) => r.name),
    ).toEqual(['flags']);
  });

  it('leaves the nodes unknown until the tasks are read', () => {
    const unread = secretRows(secrets, configs, services, nodes, null);
    expect(unread.every((r) => r.nodes === null)).toBe(true);
    expect(nodesText(unread[0]!)).toBe('…');
  });

  it('matches a mount by ID, not by a name that a new object took over', () => {
    const renamed = [secret({ id: 'x9', name: 'api_key' })];
    expect(secretRows(renamed, [], services, nodes, placements)[0]!.unused).toBe(true);
  });

  it('gives no rows for lists not read yet', () => {
    expect(secretRows(null, null, services, nodes, placements)).toEqual([]);
  });

  it('keeps sizes for configs only', () => {
    expect(row('nginx_conf').dataBytes).toBe(2048);
    expect(row('api_key').dataBytes).toBeNull();
  });
});

describe('mount texts', () => {
  it('writes modes in octal and paths as the task sees them', () => {
    expect(octalMode(0o444)).toBe('0444');
    expect(octalMode(0o400)).toBe('0400');
    expect(octalMode(0o4755)).toBe('04755');
    expect(mountPath('secret', 'db')).toBe('/run/secrets/db');
    expect(mountPath('config', 'app.yml')).toBe('/app.yml');
    expect(mountPath('config', '/etc/app.yml')).toBe('/etc/app.yml');
    expect(mountPath('config', '')).toBe('(runtime, no file)');
  });

  it('names the driver and the templating', () => {
    expect(driverText(row('api_key'))).toBe('vault');
    expect(driverText(row('nginx_conf'))).toBe('tmpl golang');
    expect(driverText(row('flags'))).toBe('-');
  });
});

describe('the status line', () => {
  it('says each mount with file, uid, gid and mode, and the nodes', () => {
    expect(secretDetail(row('db_password'), false)).toBe(
      `db_password (secret): mounted by api → /etc/app/db uid 0 gid 0 mode 0440; api → /run/secrets/db_password uid 1000 gid 1000 mode 0400 · delivered to worker-1 · labels vault.token=${MASK} team=shop`,
    );
    expect(secretDetail(row('flags'), false)).toBe('flags (config, 12 B): no service mounts it');
  });

  it('shows label values with --show-secrets', () => {
    expect(secretDetail(row('db_password'), true)).toContain('vault.token=s.abc');
  });
});

describe('the views', () => {
  const data = {
    nodes,
    services,
    secrets,
    configs,
    placements,
    revealSecrets: false,
  } as unknown as ViewData;

  it('9 lists both kinds, :configs the configs alone', () => {
    expect(secretsView.rows(data)).toHaveLength(5);
    expect(configsView.rows(data).map((r) => r.name)).toEqual(['flags', 'nginx_conf']);
    expect(secretsView.title(secretsView.rows(data), data)).toBe(
      'SECRETS AND CONFIGS (5) · 1 unused',
    );
    expect(configsView.title(configsView.rows(data), data)).toBe('CONFIGS (2) · 1 unused');
  });

  it('asks for what it shows, and no more', () => {
    expect(secretsView.needs).toEqual(['secrets', 'configs', 'placements']);
    expect(configsView.needs).toEqual(['configs', 'placements']);
  });

  it('`!` keeps the unused ones', () => {
    expect(rows().filter((r) => secretsView.trouble!(r, { flagged: new Set() }))).toEqual([
      row('flags'),
    ]);
  });

  it('Enter goes to the services that mount it; on an unused one it says so', () => {
    expect(secretsView.enter!(row('api_key'), data)).toEqual({
      view: 'services',
      stack: null,
      filter: 'api_key',
      selectId: null,
      problemsOnly: false,
    });
    expect(secretsView.enter!(row('flags'), data)).toBe('No service mounts the config flags.');
  });

  it('i and c act on the secret or config itself', () => {
    expect(secretsView.target!(row('api_key'))).toEqual({
      kind: 'secret',
      id: 'x1',
      name: 'api_key',
    });
    expect(configsView.target!(row('flags'))).toEqual({ kind: 'config', id: 'c2', name: 'flags' });
  });

  it('the filter never matches a masked label value', () => {
    const text = secretsView.search(row('db_password'));
    expect(text).not.toContain('s.abc');
    expect(text).toContain('team=shop');
    expect(text).toContain('api');
  });

  it('cells: unused said in words, sizes for configs, labels masked', () => {
    const columns = secretColumns(makeTheme('mono'), new Date('2026-11-26T00:00:00Z'), false);
    const cell = (key: string, name: string) => columns.find((c) => c.key === key)!.cell(row(name));
    expect(cell('services', 'flags')).toBe('unused');
    expect(cell('services', 'api_key')).toBe('2');
    expect(cell('nodes', 'api_key')).toBe('2 manager-1,worker-1');
    expect(cell('size', 'nginx_conf')).toBe('2 KiB');
    expect(cell('size', 'api_key')).toBe('-');
    expect(cell('labels', 'db_password')).toBe(`vault.token=${MASK} team=shop`);
    expect(cell('mark', 'flags')).toBe('!');
  });
});
