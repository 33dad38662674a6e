// Operations from hotkeys, driven in a real terminal (tmux) against the real lab swarm; every
// effect is checked with the docker CLI, never with smarm-top's own code.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

describeWithLab('operations from hotkeys against the lab', (lab) => {
  const host = lab.dockerHost;
  const dir = mkdtempSync(path.join(tmpdir(), 'smarm-ops-'));
  let auditLog = '';
  let tmux: TmuxSession | null = null;
  const cli = (...args: string[]) => docker(host, ...args);
  const replicas = (service: string) =>
    Number(cli('service', 'inspect', service, '--format', '{{.Spec.Mode.Replicated.Replicas}}'));
  const availability = (node: string) =>
    cli('node', 'inspect', node, '--format', '{{.Spec.Availability}}');
  const auditLines = () =>
    existsSync(auditLog)
      ? readFileSync(auditLog, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>)
      : [];

  let n = 0;
  const start = (...extra: string[]) => {
    auditLog = path.join(dir, `audit-${++n}.log`);
    tmux = TmuxSession.start(
      [process.execPath, CLI, '--host', host, '--audit-log', auditLog, ...extra],
      { columns: 120, rows: 36 },
    );
    return tmux;
  };

  beforeAll(() => {
    cli('service', 'scale', '-d', 'web=4');
    for (const node of lab.nodes) cli('node', 'update', '--availability', 'active', node);
  });
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });
  afterAll(() => {
    cli('service', 'scale', '-d', 'web=4');
    for (const node of lab.nodes) cli('node', 'update', '--availability', 'active', node);
  });

  it('scales a service up and down, recorded in the audit log (0600)', async () => {
    const t = start();
    await t.waitForText(/web .*4\/4/);
    t.filterTo('web');
    t.send('s');
    await t.waitForText('New number of replicas');
    t.send('6', true);
    t.send('Enter');
    await t.waitForText('✓ scale web 4 → 6 · succeeded · running 6/6', 90_000);
    expect(replicas('web')).toBe(6);
    t.send('s');
    await t.waitForText('Now 6/6 running');
    t.send('4', true);
    t.send('Enter');
    await t.waitForText('✓ scale web 6 → 4 · succeeded · running 4/4', 90_000);
    expect(replicas('web')).toBe(4);
    // write-ahead: an attempt before each request, its outcome after it
    const records = auditLines();
    expect(records.map((r) => r['result'])).toEqual(['attempt', 'accepted', 'attempt', 'accepted']);
    const first = {
      action: 'scale',
      target: { kind: 'service', name: 'web' },
      before: { replicas: 4 },
      after: { replicas: 6 },
      endpoint: host,
    };
    expect(records[0]).toMatchObject({ ...first, result: 'attempt' });
    expect(records[1]).toMatchObject({ ...first, result: 'accepted' });
    expect(statSync(auditLog).mode & 0o777).toBe(0o600);
  });

  it('refuses bad input in the scale prompt and sends nothing', async () => {
    const version = cli('service', 'inspect', 'web', '--format', '{{.Version.Index}}');
    const t = start();
    await t.waitForText(/web .*4\/4/);
    t.filterTo('web');
    for (const [input, message] of [
      ['abc', '"abc" is not a number'],
      ['-3', '"-3" is not a number'],
      ['99999999', 'above the ceiling of 1000'],
      ['', 'Type the new number of replicas'],
    ] as const) {
      t.send('s');
      await t.waitForText('New number of replicas');
      if (input !== '') t.send(input, true);
      t.send('Enter');
      await t.waitForText(message);
      t.send('Escape');
      await t.waitForText('Cancelled; nothing was sent.');
    }
    // scaling to 0 wants the name typed; Esc there too
    t.send('s');
    t.send('0', true);
    t.send('Enter');
    await t.waitForText('Type the service name to confirm');
    t.send('we', true);
    t.send('Escape');
    await t.waitForText('Cancelled; nothing was sent.');
    // every confirm dialog: Esc and n cancel, other keys do not confirm
    for (const [key, cancel] of [
      ['R', 'Escape'],
      ['F', 'n'],
    ] as const) {
      t.send(key);
      await t.waitForText('[y] Confirm');
      t.send(['Enter', 'Y', 'x', 'Space']);
      t.send(cancel);
      await t.waitForText('Cancelled; nothing was sent.');
    }
    expect(replicas('web')).toBe(4);
    expect(cli('service', 'inspect', 'web', '--format', '{{.Version.Index}}')).toBe(version);
    const nodeVersions = lab.nodes.map((node) =>
      cli('node', 'inspect', node, '--format', '{{.Version.Index}}'),
    );
    t.send('2');
    for (const key of ['D', 'P']) {
      t.send(key);
      await t.waitForText('[y] Confirm');
      t.send(['Enter', 'x']);
      t.send('Escape');
      await t.waitForText('Cancelled; nothing was sent.');
    }
    expect(
      lab.nodes.map((node) => cli('node', 'inspect', node, '--format', '{{.Version.Index}}')),
    ).toEqual(nodeVersions);
    expect(existsSync(auditLog)).toBe(false);
  });

  it('rolls back a changed service with the diff shown, then force-redeploys it', async () => {
    const name = 'rb-e2e';
    const inspect = (format: string) => cli('service', 'inspect', name, '--format', format);
    const updateState = () => inspect('{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}');
    try {
      cli('service', 'rm', name);
    } catch {
      // not there: fine
    }
    cli(
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      '--name',
      name,
      '--replicas',
      '1',
      '--stop-grace-period',
      '2s',
      '--update-monitor',
      '1s',
      '--rollback-monitor',
      '1s',
      '--env',
      'VERSION=1',
      'lab/busybox:1',
      'sh',
      '-c',
      'while true; do sleep 1; done',
    );
    try {
      cli(
        'service',
        'update',
        '-d',
        '--no-resolve-image',
        '--image',
        'lab/busybox:2',
        '--env-add',
        'VERSION=2',
        name,
      );
      await waitFor('the CLI update to complete', () => updateState() === 'completed', {
        timeoutMs: 90_000,
      });
      const t = start();
      await t.waitForText(name);
      t.filterTo(name);
      t.send('R');
      const dialog = await t.waitForText('[y] Confirm');
      expect(dialog).toContain('image: lab/busybox:2 → lab/busybox:1');
      expect(dialog).toMatch(/env VERSION: 2 → 1/);
      t.send('y');
      await t.waitForText(`✓ roll back ${name} · succeeded`, 120_000);
      expect(inspect('{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toMatch(/^lab\/busybox:1/);
      expect(inspect('{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).toBe('["VERSION=1"]');
      expect(updateState()).toBe('rollback_completed');

      const running = () =>
        cli('service', 'ps', name, '-q', '--filter', 'desired-state=running').split('\n');
      const tasksBefore = running();
      const force = Number(inspect('{{.Spec.TaskTemplate.ForceUpdate}}'));
      t.send('F');
      await t.waitForText('is replaced by a new one');
      await t.waitForText('[y] Confirm');
      t.send('y');
      await t.waitForText(`✓ force redeploy ${name} · succeeded`, 120_000);
      expect(Number(inspect('{{.Spec.TaskTemplate.ForceUpdate}}'))).toBe(force + 1);
      const tasksAfter = running();
      expect(tasksAfter.some((id) => !tasksBefore.includes(id))).toBe(true);
      expect(auditLines().map((r) => [r['action'], r['result']])).toEqual([
        ['rollback', 'attempt'],
        ['rollback', 'accepted'],
        ['force-update', 'attempt'],
        ['force-update', 'accepted'],
      ]);
    } finally {
      cli('service', 'rm', name);
    }
  });

  it('drains a worker until no task runs there, then pauses and activates it, labels kept', async () => {
    const worker = lab.nodes.find((name) => name.startsWith('worker'))!;
    const t = start();
    await t.waitForText('SERVICES');
    t.send('2');
    await t.waitForText('NODES');
    t.filterTo(worker);
    t.send('D');
    await t.waitForText(`${worker}: active → drain.`);
    await t.waitForText('[y] Confirm');
    t.send('y');
    await t.waitForText(`✓ drain ${worker} · succeeded · 0 tasks still on ${worker}`, 120_000);
    expect(availability(worker)).toBe('drain');
    const left = cli('node', 'ps', worker, '--filter', 'desired-state=running', '-q');
    expect(left).toBe('');

    t.send('A');
    await t.waitForText('[y] Confirm');
    t.send('y');
    await t.waitForText(`✓ activate ${worker} · succeeded`, 60_000);
    expect(availability(worker)).toBe('active');

    t.send('P');
    await t.waitForText('[y] Confirm');
    t.send('y');
    await t.waitForText(`✓ pause ${worker} · succeeded`, 60_000);
    expect(availability(worker)).toBe('pause');
    t.send('A');
    await t.waitForText('[y] Confirm');
    t.send('y');
    await waitFor('worker active again', () => availability(worker) === 'active', {
      timeoutMs: 60_000,
    });
    expect(cli('node', 'inspect', worker, '--format', '{{.Spec.Role}}')).toBe('worker');
    expect(auditLines().map((r) => `${String(r['action'])} ${String(r['result'])}`)).toEqual(
      ['drain', 'activate', 'pause', 'activate'].flatMap((action) => [
        `${action} attempt`,
        `${action} accepted`,
      ]),
    );
  });

  it('does not overwrite a change made with the docker CLI while the dialog was open', async () => {
    const t = start();
    await t.waitForText(/web .*4\/4/);
    t.filterTo('web');
    t.send('s');
    await t.waitForText('Now 4/4 running');
    cli('service', 'scale', '-d', 'web=3');
    t.send('6', true);
    t.send('Enter');
    await t.waitForText('now asks for 3 replicas, not the 4 you saw; nothing was sent');
    expect(replicas('web')).toBe(3);
    expect(auditLines()[0]).toMatchObject({ result: 'changed-underneath' });

    const worker = lab.nodes.filter((name) => name.startsWith('worker')).at(-1)!;
    t.send('2');
    t.filterTo(worker);
    t.send('D');
    await t.waitForText('[y] Confirm');
    cli('node', 'update', '--availability', 'pause', worker);
    t.send('y');
    await t.waitForText(`${worker} is now pause, not active as shown`);
    expect(availability(worker)).toBe('pause');
  });

  it('read-only from the config file', async () => {
    const config = mkdtempSync(path.join(tmpdir(), 'smarm-config-'));
    mkdirSync(path.join(config, 'smarm-top'));
    writeFileSync(path.join(config, 'smarm-top', 'config.json'), '{ "readOnly": true }');
    auditLog = path.join(dir, 'audit-config.log');
    const t = TmuxSession.start([process.execPath, CLI, '--host', host, '--audit-log', auditLog], {
      columns: 120,
      rows: 36,
      env: { XDG_CONFIG_HOME: config },
    });
    tmux = t;
    await t.waitForText('READ-ONLY');
    t.filterTo('web');
    t.send('s');
    await t.waitForText('read-only:');
    expect(t.capture()).not.toContain('New number of replicas');
  });

  it('read-only: every mutation key does nothing but say so', async () => {
    const before = {
      web: cli('service', 'inspect', 'web', '--format', '{{.Version.Index}}'),
      nodes: lab.nodes.map((node) =>
        cli('node', 'inspect', node, '--format', '{{.Version.Index}}'),
      ),
    };
    const t = start('--read-only');
    const screen = await t.waitForText(/web .*\d\/\d[\s\S]*\? help/);
    expect(screen).toContain('READ-ONLY');
    expect(screen).not.toMatch(/s scale|R rollback/);
    t.filterTo('api');
    for (const key of ['s', 'R', 'F']) {
      t.send(key);
      await t.waitForText('read-only:');
      t.send('j');
    }
    t.send('2');
    for (const key of ['D', 'P', 'A']) {
      t.send(key);
      await t.waitForText('read-only:');
      t.send('j');
    }
    t.send('?');
    const help = await t.waitForText('Keys');
    expect(help).not.toMatch(/scale the selected service/);
    expect(cli('service', 'inspect', 'web', '--format', '{{.Version.Index}}')).toBe(before.web);
    expect(
      lab.nodes.map((node) => cli('node', 'inspect', node, '--format', '{{.Version.Index}}')),
    ).toEqual(before.nodes);
    expect(existsSync(auditLog)).toBe(false);
  });
});
