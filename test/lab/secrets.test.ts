// Secrets and configs against the lab: made with `docker secret create` / `docker config create`
// (a secret-looking label among their labels), mounted by a service with uid, gid and mode; what
// `--once --json` says is checked against `docker secret ls`, `docker config inspect` and
// `docker service ps`; a config's content appears in no output; the unused ones are marked; the
// view itself opened with `9` in tmux at 80×24. Everything made here is removed afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { MASK } from '../../source/format/mask.js';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI, runCli } from '../helpers/cli.js';
import { docker, dockerJsonLines } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

interface Mount {
  id: string;
  name: string;
  file: string;
  uid: string;
  gid: string;
  mode: string;
}
interface ObjectJson {
  id: string;
  name: string;
  labels: Record<string, string>;
  driver?: string | null;
  templating: string | null;
  dataBytes?: number;
  createdAt: string | null;
  services: Mount[];
  nodes: string[] | null;
  unused: boolean;
}
interface Snapshot {
  secrets: ObjectJson[] | null;
  configs: ObjectJson[] | null;
}

describeWithLab('secrets and configs against the lab', (lab) => {
  const host = lab.dockerHost;
  const cli = (...args: string[]) => docker(host, ...args);
  // Short: the names stay whole in the 80-column view.
  const suffix = Math.random().toString(36).slice(2, 7);
  const dir = mkdtempSync(path.join(tmpdir(), 'smarm-secrets-'));
  const configHome = mkdtempSync(path.join(tmpdir(), 'smarm-secrets-config-'));
  const name = (what: string) => `t-${what}-${suffix}`;
  const used = name('dbpw');
  const unused = name('oldkey');
  const conf = name('appconf');
  const unusedConf = name('flags');
  const service = name('secsvc');
  // Texts that must never be printed: the secret's value, the config's content, a label's value.
  const SECRET_VALUE = `s3cret-value-${suffix}`;
  const CONFIG_SECRET = `cfg-pass-${suffix}`;
  const CONFIG_TEXT = `listen 8080;\nauth_password ${CONFIG_SECRET};\nserver_name shop.example;\n`;
  const LABEL_SECRET = `label-pass-${suffix}`;
  let tmux: TmuxSession | null = null;

  const fileOf = (base: string, content: string) => {
    const file = path.join(dir, base);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  };

  beforeAll(async () => {
    const labels = ['--label', 'team=shop', '--label', `backup.passphrase=${LABEL_SECRET}`];
    cli('secret', 'create', ...labels, used, fileOf('secret', SECRET_VALUE));
    cli('secret', 'create', unused, fileOf('old', 'old'));
    cli('config', 'create', ...labels, conf, fileOf('conf', CONFIG_TEXT));
    cli('config', 'create', unusedConf, fileOf('flags', '{"v2": true}\n'));
    cli(
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      '--name',
      service,
      '--replicas',
      '2',
      '--secret',
      `source=${used},target=db_pw,uid=1000,gid=1001,mode=0400`,
      '--config',
      `source=${conf},target=/etc/app.conf,mode=0440`,
      'lab/busybox:1',
      'sleep',
      '3600',
    );
    await waitFor(
      `${service} to run 2 tasks`,
      () =>
        cli('service', 'ls', '--filter', `name=${service}`, '--format', '{{.Replicas}}') === '2/2',
      { timeoutMs: 90_000 },
    );
  });

  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  afterAll(async () => {
    try {
      cli('service', 'rm', service);
    } catch {
      // not made, or already gone
    }
    // The engine refuses to remove what a service still names: wait for the service to go.
    for (const [kind, object] of [
      ['secret', used],
      ['secret', unused],
      ['config', conf],
      ['config', unusedConf],
    ] as const) {
      await waitFor(
        `${kind} ${object} removed`,
        () => {
          try {
            cli(kind, 'rm', object);
            return true;
          } catch (error) {
            return /not found|no such/i.test(String(error)) ? true : undefined;
          }
        },
        { timeoutMs: 60_000 },
      ).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(configHome, { recursive: true, force: true });
  });

  const once = (...extra: string[]) => {
    const result = runCli(['--once', ...extra, '--host', host]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout;
  };
  const snapshot = (): Snapshot => JSON.parse(once('--json')) as Snapshot;

  it('lists the secrets docker secret ls lists, labels masked, with who mounts them and where', () => {
    const ours = snapshot().secrets!;
    const theirs = dockerJsonLines<{ ID: string; Name: string }>(host, 'secret', 'ls');
    expect(ours.map((s) => `${s.id} ${s.name}`).sort()).toEqual(
      theirs.map((s) => `${s.ID} ${s.Name}`).sort(),
    );
    const secret = ours.find((s) => s.name === used)!;
    const inspected = JSON.parse(cli('secret', 'inspect', used)) as [
      { CreatedAt: string; Spec: { Labels: Record<string, string> } },
    ];
    expect(Object.keys(secret.labels).sort()).toEqual(Object.keys(inspected[0].Spec.Labels).sort());
    expect(secret.labels).toEqual({ team: 'shop', 'backup.passphrase': MASK });
    expect(Date.parse(secret.createdAt!)).toBe(Date.parse(inspected[0].CreatedAt));

    // The mount as the service's spec has it (mode in octal).
    const [ref] = JSON.parse(
      cli(
        'service',
        'inspect',
        service,
        '--format',
        '{{json .Spec.TaskTemplate.ContainerSpec.Secrets}}',
      ),
    ) as [{ SecretID: string; File: { Name: string; UID: string; GID: string; Mode: number } }];
    expect(ref.SecretID).toBe(secret.id);
    expect(secret.services).toEqual([
      {
        id: cli('service', 'inspect', service, '--format', '{{.ID}}'),
        name: service,
        file: `/run/secrets/${ref.File.Name}`,
        uid: ref.File.UID,
        gid: ref.File.GID,
        mode: `0${ref.File.Mode.toString(8)}`,
      },
    ]);
    expect(secret.services[0]).toMatchObject({ uid: '1000', gid: '1001', mode: '0400' });

    // Delivered to the nodes running its tasks, as docker service ps names them.
    const nodes = cli(
      'service',
      'ps',
      service,
      '--filter',
      'desired-state=running',
      '--format',
      '{{.Node}}',
    ).split('\n');
    expect(secret.nodes).toEqual([...new Set(nodes)].sort());
    expect(secret.unused).toBe(false);
    expect(ours.find((s) => s.name === unused)).toMatchObject({
      unused: true,
      services: [],
      nodes: [],
    });
  });

  it('lists the configs with their size as docker config inspect has it, never their content', () => {
    const out = once('--json');
    const configs = (JSON.parse(out) as Snapshot).configs!;
    const theirs = dockerJsonLines<{ ID: string; Name: string }>(host, 'config', 'ls');
    expect(configs.map((c) => c.id).sort()).toEqual(theirs.map((c) => c.ID).sort());
    const inspected = JSON.parse(cli('config', 'inspect', conf)) as [
      { ID: string; Spec: { Data: string } },
    ];
    const config = configs.find((c) => c.name === conf)!;
    expect(config.id).toBe(inspected[0].ID);
    expect(config.dataBytes).toBe(Buffer.from(inspected[0].Spec.Data, 'base64').length);
    expect(config.services).toEqual([
      expect.objectContaining({ name: service, file: '/etc/app.conf', mode: '0440' }),
    ]);
    expect(configs.find((c) => c.name === unusedConf)).toMatchObject({ unused: true });
    // Neither the content, nor its base64, nor the masked label, in the JSON or the text.
    for (const text of [out, once()]) {
      expect(text).not.toContain(CONFIG_SECRET);
      expect(text).not.toContain('server_name');
      expect(text).not.toContain(inspected[0].Spec.Data);
      expect(text).not.toContain(LABEL_SECRET);
      expect(text).not.toContain(SECRET_VALUE);
    }
  });

  it('--once text: SECRETS and CONFIGS tables, the unused ones said', () => {
    const text = once();
    expect(text).toMatch(new RegExp(`^${used} +secret +1 +\\d `, 'm'));
    expect(text).toMatch(new RegExp(`^${unused} +secret +unused `, 'm'));
    expect(text).toMatch(new RegExp(`^${unusedConf} +config +unused `, 'm'));
  });

  it('9 in tmux at 80×24: the view, Enter to the service that mounts it, i on the config', async () => {
    const t = TmuxSession.start([process.execPath, CLI, '--host', host], {
      columns: 80,
      rows: 24,
      env: { XDG_CONFIG_HOME: configHome },
    });
    tmux = t;
    await t.waitForText(/^▸ SERVICES \(/m);
    t.send('9');
    await t.waitForText(/^▸ SECRETS AND CONFIGS \(/m);
    t.filterTo(suffix);
    const list = await t.waitForText(new RegExp(`^! ${unused} +secret +unused`, 'm'));
    expect(list).toMatch(new RegExp(`^  ${used} +secret +1 `, 'm'));
    expect(list).toMatch(new RegExp(`^! ${unusedConf} +config +unused`, 'm'));
    expect(list).not.toContain(LABEL_SECRET);
    t.filterTo(used);
    await t.waitForText(`${used} (secret): mounted by ${service}`);
    t.send('Enter');
    const services = await t.waitForText(/^▸ SERVICES \(1\)/m);
    expect(services).toContain(service);
    // Esc clears the services' filter, then goes back where Enter came from.
    t.send('Escape');
    t.send('Escape');
    await t.waitForText(/^▸ SECRETS AND CONFIGS/m);
    t.filterTo(conf);
    await t.waitForText(`${conf} (config`);
    t.send('i');
    const inspect = await t.waitForText('listen 8080;');
    expect(inspect).toContain(`auth_password ${MASK}`);
    expect(inspect).not.toContain(CONFIG_SECRET);
  });
});
