/* eslint-disable no-control-regex -- these tests read the SGR escape sequences on screen */
// The events, stacks and inspect views, copying through OSC 52 and switching the theme at run
// time: the built CLI, freshly launched in tmux against the lab for each test. Each test makes its
// own services and removes them; the docker CLI is the witness.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { colourCodes } from '../helpers/sgr.js';
import { waitFor } from '../helpers/wait-for.js';

/** The status line under the panes: the last non-empty line above the hint bar. */
function statusText(screen: string): string {
  const lines = screen.split('\n').filter((line) => line.trim() !== '');
  return lines.at(-2) ?? '';
}

describeWithLab('events, stacks, inspect, copy and themes in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'smarm-views-'));
  // An empty config directory: an operator's own config file must not change what is drawn.
  const configHome = mkdtempSync(path.join(tmpdir(), 'smarm-views-config-'));
  const services: string[] = [];
  const stacks: string[] = [];
  let tmux: TmuxSession | null = null;
  const cli = (...args: string[]) => docker(host, ...args);

  const start = (...extra: string[]) => {
    tmux = TmuxSession.start([process.execPath, CLI, '--host', host, ...extra], {
      columns: 120,
      rows: 36,
      env: { XDG_CONFIG_HOME: configHome },
    });
    return tmux;
  };
  /** A service of our own (one replica sleeping), created before smarm-top starts. */
  const createService = (purpose: string, ...flags: string[]) => {
    const name = `t-${purpose}-${suffix}`;
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
    return name;
  };

  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });
  afterAll(() => {
    for (const stack of stacks) {
      try {
        cli('stack', 'rm', stack);
      } catch {
        // already gone
      }
    }
    for (const name of services) {
      try {
        cli('service', 'rm', name);
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(configHome, { recursive: true, force: true });
  });

  it('shows a scale made with the docker CLI in the events view; Enter selects the service', async () => {
    const name = createService('ev');
    const t = start();
    // smarm-top knows the service before the event arrives (Enter needs it in the list).
    await t.waitForText(name);
    t.send('6');
    await t.waitForText(/^▸ EVENTS \(/m);
    cli('service', 'scale', '-d', `${name}=3`);
    await t.waitForText(new RegExp(`service +update +${name} +replicas 1 → 3`), 30_000);

    t.filterTo(`${name} replicas 1`);
    await t.waitForText(new RegExp(`service update ${name}: replicas 1 → 3$`, 'm'));
    t.send('Enter');
    const screen = await t.waitForText(/^▸ SERVICES \(/m);
    // Every service is listed, and ours is the selected one (inverse video, and the status line).
    expect(screen).toMatch(/^ {2}web /m);
    expect(statusText(screen)).toMatch(new RegExp(`^${name}: \\d/3 running`));
    const selected = t
      .captureWithEscapes()
      .split('\n')
      .filter((line) => /\u001b\[(?:[0-9;]*;)?7m/.test(line))
      // A row still below its count is drawn red and marked ✗: compare the text alone.
      .map((line) => line.replace(/\u001b\[[0-9;:]*m/g, ''));
    expect(
      selected.some((line) => line.startsWith(`  ${name} `) || line.startsWith(`✗ ${name} `)),
    ).toBe(true);
    expect(cli('service', 'inspect', name, '--format', '{{.Spec.Mode.Replicated.Replicas}}')).toBe(
      '3',
    );
  });

  it('lists a deployed stack with its two services; Enter shows them, Esc goes back', async () => {
    const stack = `t-stk-${suffix}`;
    const file = path.join(dir, 'compose.yml');
    // The lab's nodes share one network namespace, where overlay networks (a stack's default)
    // fail to create their vxlan: the services join the host network instead.
    writeFileSync(
      file,
      [
        'version: "3.8"',
        'services:',
        '  alpha:',
        '    image: lab/busybox:1',
        '    command: sleep 3600',
        '    networks: [hostnet]',
        '  beta:',
        '    image: lab/busybox:1',
        '    command: sleep 3600',
        '    networks: [hostnet]',
        'networks:',
        '  hostnet:',
        '    external: true',
        '    name: host',
        '',
      ].join('\n'),
    );
    stacks.push(stack);
    cli('stack', 'deploy', '--resolve-image', 'never', '-c', file, stack);
    expect(cli('stack', 'services', stack, '--format', '{{.Name}}').split('\n').sort()).toEqual([
      `${stack}_alpha`,
      `${stack}_beta`,
    ]);

    const t = start();
    await t.waitForText('SERVICES');
    t.send('7');
    await t.waitForText(new RegExp(`^[ ✗] ${stack} +2 `, 'm'));
    t.filterTo(stack);
    await t.waitForText(new RegExp(`^${stack}: 2 services`, 'm'));
    t.send('Enter');
    const inStack = await t.waitForText(`SERVICES OF STACK ${stack} (2)`);
    expect(inStack).toMatch(new RegExp(`^[ ✗] ${stack}_alpha `, 'm'));
    expect(inStack).toMatch(new RegExp(`^[ ✗] ${stack}_beta `, 'm'));
    // Only the stack's services.
    expect(inStack).not.toMatch(/^[ ✗] (web|crashy) /m);

    t.send('Escape');
    const back = await t.waitForText(/^▸ STACKS \(/m);
    expect(back).toMatch(new RegExp(`^[ ✗] ${stack} +2 `, 'm'));
  });

  it('inspects a service with its secret-looking values masked, scrolls, goes back', async () => {
    const name = createService('insp', '--env', 'DB_PASSWORD=hunter2', '--env', 'PLAIN=1');
    const t = start();
    await t.waitForText(name);
    t.filterTo(name);
    await t.waitForText(new RegExp(`^${name}: `, 'm'));
    t.send('i');
    const spec = await t.waitForText(/- PLAIN=1/);
    expect(spec).toContain(`inspect service ${name}`);
    expect(spec).toContain(`Name: ${name}`);
    expect(spec).toMatch(/- DB_PASSWORD=\S/);
    expect(spec).not.toContain('hunter2');
    const first = /lines 1–(\d+) of (\d+)/.exec(spec);
    expect(first).not.toBeNull();
    const [, shown, total] = first!.map(Number) as [number, number, number];
    expect(total).toBeGreaterThan(shown);

    t.send('j');
    await t.waitForText(`lines 2–${shown + 1} of ${total}`);
    t.send('G');
    const bottom = await t.waitForText(new RegExp(`lines \\d+–${total} of ${total}`));
    expect(bottom).not.toContain('hunter2');
    t.send('Escape');
    await t.waitForText(/^▸ SERVICES \(/m);
    tmux?.kill();

    // --show-secrets: the operator asked to see them.
    const shown2 = start('--show-secrets');
    await shown2.waitForText(name);
    shown2.filterTo(name);
    await shown2.waitForText(new RegExp(`^${name}: `, 'm'));
    shown2.send('i');
    await shown2.waitForText('- DB_PASSWORD=hunter2');
  });

  it("inspects a service's header: mounts, network and VIP, secret and config files, healthcheck, restart policy, resources", async () => {
    const net = `t-detail-net-${suffix}`;
    const secret = `t-detail-secret-${suffix}`;
    const config = `t-detail-config-${suffix}`;
    writeFileSync(path.join(dir, 'detail-secret'), 's3cr3t');
    writeFileSync(path.join(dir, 'detail-config'), 'listen 80;\n');
    cli('network', 'create', '-d', 'overlay', net);
    cli('secret', 'create', secret, path.join(dir, 'detail-secret'));
    cli('config', 'create', config, path.join(dir, 'detail-config'));
    const name = createService(
      'detail',
      '--mount',
      `type=volume,src=t-detail-vol-${suffix},dst=/data`,
      '--mount',
      'type=bind,src=/tmp,dst=/host-tmp,readonly',
      '--mount',
      'type=tmpfs,dst=/scratch',
      '--network',
      net,
      '--secret',
      `source=${secret},target=app_pw,uid=1000,gid=1001,mode=0400`,
      '--config',
      `source=${config},target=/etc/app.conf,uid=0,gid=0,mode=0440`,
      '--health-cmd',
      'wget -q http://admin:hunter2@localhost/ || exit 1',
      '--health-interval',
      '10s',
      '--health-retries',
      '2',
      '--restart-condition',
      'on-failure',
      '--restart-max-attempts',
      '4',
      '--limit-memory',
      '64M',
      '--reserve-cpu',
      '0.1',
    );
    try {
      const netId = cli('network', 'inspect', net, '--format', '{{.ID}}');
      const vips = JSON.parse(
        cli('service', 'inspect', name, '--format', '{{json .Endpoint.VirtualIPs}}'),
      ) as { NetworkID: string; Addr: string }[];
      const vip = vips.find((v) => v.NetworkID === netId)?.Addr;
      expect(vip).toBeDefined();
      const t = start();
      await t.waitForText(name);
      t.filterTo(name);
      await t.waitForText(new RegExp(`^${name}: `, 'm'));
      t.send('i');
      // The network named once the networks list is in: inspecting a service asks for it.
      const screen = await t.waitForText(`  ${net}  VIP ${vip}`);
      expect(screen).toContain(`inspect service ${name}`);
      expect(screen).toMatch(new RegExp(`^${name} · replicated · lab/busybox:1`, 'm'));
      expect(screen).toMatch(/^ {2}volume {2}t-detail-vol-\S+ → \/data {2}read-write/m);
      expect(screen).toMatch(/^ {2}bind {4}\/tmp → \/host-tmp {2}read-only/m);
      expect(screen).toMatch(/^ {2}tmpfs {3}\(memory\) → \/scratch {2}read-write/m);
      expect(screen).toMatch(/^networks \(endpoint mode vip\):/m);
      expect(screen).toContain(`${secret} → /run/secrets/app_pw  uid:gid 1000:1001 · mode 0400`);
      expect(screen).toContain(`${config} → /etc/app.conf  uid:gid 0:0 · mode 0440`);
      expect(screen).toMatch(/^healthcheck: CMD-SHELL wget -q http:\/\/admin:\S+@localhost\//m);
      expect(screen).toMatch(/^ {2}interval 10s · retries 2/m);
      expect(screen).toMatch(/^restart policy: on-failure( · delay \S+)? · max attempts 4/m);
      expect(screen).toMatch(/^resources: limits 64 MiB · reservations 0\.1 CPU/m);
      expect(screen).not.toContain('hunter2');
      // As the engine has it: the mode the CLI was given (JSON writes it in decimal).
      expect(
        cli(
          'service',
          'inspect',
          name,
          '--format',
          '{{json (index .Spec.TaskTemplate.ContainerSpec.Configs 0).File.Mode}}',
        ),
      ).toBe(String(0o440));
    } finally {
      tmux?.kill();
      tmux = null;
      for (const args of [
        ['service', 'rm', name],
        ['secret', 'rm', secret],
        ['config', 'rm', config],
      ]) {
        try {
          cli(...args);
        } catch {
          // already gone
        }
      }
      // The network is free once the service's tasks are gone.
      await waitFor(
        'the test network removed',
        () => {
          try {
            cli('network', 'rm', net);
            return true;
          } catch {
            return undefined;
          }
        },
        { timeoutMs: 30_000 },
      ).catch(() => undefined);
    }
  });

  it('inspects a node: capacity against reservations, labels and what runs there', async () => {
    const t = start();
    await t.waitForText('SERVICES');
    t.send('2');
    await t.waitForText(/^▸ NODES \(/m);
    const status = statusText(await t.waitForText(/^(manager|worker)-\d+: /m));
    const hostname = /^(\S+):/.exec(status)![1]!;
    t.send('i');
    const detail = await t.waitForText(/^memory /m);
    expect(detail).toContain(`inspect node ${hostname}`);
    expect(detail).toMatch(new RegExp(`^${hostname} · (manager|worker).* · active · ready$`, 'm'));
    expect(detail).toMatch(/^CPU \S+ · (nothing reserved|reserved .* by \d+ running tasks?)$/m);
    expect(detail).toMatch(
      /^memory \S+ \S+ · (nothing reserved|reserved .* by \d+ running tasks?)$/m,
    );
    expect(detail).toMatch(/^labels: /m);
    expect(detail).toMatch(/^tasks: (none meant to run here|\d+ meant to run here)$/m);
    // As the engine has it.
    const role = cli('node', 'inspect', hostname, '--format', '{{.Spec.Role}}');
    expect(detail).toMatch(new RegExp(`^${hostname} · ${role}`, 'm'));
    t.send('Escape');
    await t.waitForText(/^▸ NODES \(/m);
  });

  it('lists the managers with the leader first and the quorum the docker CLI implies', async () => {
    const t = start();
    await t.waitForText('SERVICES');
    t.send(':managers', true);
    t.send('Enter');
    const screen = await t.waitForText(/^▸ MANAGERS \(\d+\)/m);
    // The engine's own word on each manager: hostname, then Leader / Reachable / Unreachable.
    const managers = cli(
      'node',
      'ls',
      '--filter',
      'role=manager',
      '--format',
      '{{.Hostname}} {{.ManagerStatus}}',
    )
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]);
    const reachable = managers.filter(([, status]) => status !== 'Unreachable').length;
    const needed = Math.floor(managers.length / 2) + 1;
    expect(screen).toMatch(
      new RegExp(
        `^▸ MANAGERS \\(${managers.length}\\) · quorum ${needed} of ${managers.length}.*can lose ${reachable - needed}`,
        'm',
      ),
    );
    const leader = managers.find(([, status]) => status === 'Leader')![0];
    const rows = screen
      .split('\n')
      .filter((line) => /^[ ✗] \S+\s+(leader|reachable|unreachable)\s/.test(line));
    expect(rows).toHaveLength(managers.length);
    expect(rows[0]).toMatch(new RegExp(`^  ${leader}\\s+leader\\s`));
    // `:mgr` opens the same view; Enter goes to the tasks on the selected manager.
    t.send('1');
    await t.waitForText(/^▸ SERVICES/m);
    t.send(':mgr', true);
    t.send('Enter');
    await t.waitForText(/^▸ MANAGERS/m);
    t.send('Enter');
    await t.waitForText(new RegExp(`^▸ TASKS ON NODE ${leader.toUpperCase()}`, 'm'));
    t.send('Escape');
    await t.waitForText(/^▸ MANAGERS/m);
  });

  it('copies the ID, the name and the spec through OSC 52 into the tmux buffer', async () => {
    const name = createService('copy', '--env', 'DB_PASSWORD=hunter2', '--env', 'PLAIN=1');
    const id = cli('service', 'inspect', name, '--format', '{{.ID}}');
    const t = start();
    // tmux takes an application's OSC 52 into a paste buffer only with set-clipboard on (the
    // default, external, leaves it to the outer terminal).
    t.command('set-option', '-g', 'set-clipboard', 'on');
    await t.waitForText(name);
    t.filterTo(name);
    await t.waitForText(new RegExp(`^${name}: `, 'm'));

    t.send(['c', 'i']);
    await t.waitForText(`Copied the ID of service ${name} (25 bytes) to the clipboard (OSC 52).`);
    expect(t.command('show-buffer')).toBe(id);

    t.send(['c', 'n']);
    const named = await t.waitForText(`Copied the name of service ${name}`);
    expect(t.command('show-buffer')).toBe(name);

    t.send(['c', 's']);
    await t.waitForText(`Copied the spec of service ${name}`);
    const spec = await waitFor('the spec in the buffer', () => {
      const buffer = t.command('show-buffer');
      return buffer.includes('PLAIN=1') && buffer;
    });
    // The spec as JSON, the engine's own form, its secret-looking values masked there too.
    const parsed = JSON.parse(spec) as {
      Name: string;
      TaskTemplate: { ContainerSpec: { Env: string[] } };
    };
    expect(parsed.Name).toBe(name);
    const env = parsed.TaskTemplate.ContainerSpec.Env;
    expect(env).toContain('PLAIN=1');
    expect(env.find((e) => e.startsWith('DB_PASSWORD='))).toMatch(/^DB_PASSWORD=\S/);
    expect(spec).not.toContain('hunter2');

    // The tmux passthrough form sent alongside is dropped (allow-passthrough is off), not drawn.
    expect(named).not.toMatch(/tmux;|\]52;/);
    expect(t.capture()).not.toMatch(/tmux;|\]52;/);
  });

  it('switches the theme at run time: light, mono, and says which themes there are', async () => {
    const t = start();
    await t.waitForText(/crashy/);
    const dark = colourCodes(t.captureWithEscapes());
    // The cyan accent (focused pane, hint keys) is on every dark screen.
    expect(dark).toContain('36');
    expect(dark).not.toContain('34');

    const theme = async (word: string, said: string) => {
      t.send(':');
      t.send(`theme ${word}`, true);
      t.send('Enter');
      await t.waitForText(said);
      return t.captureWithEscapes();
    };

    const light = colourCodes(await theme('light', 'Theme: light.'));
    // Blue where dark has cyan, magenta where dark has yellow.
    expect(light).toContain('34');
    expect(light).not.toContain('36');
    expect(light).not.toContain('33');
    expect(light).not.toEqual(dark);

    const mono = await theme('mono', 'Theme: mono.');
    expect([...colourCodes(mono)]).toEqual([]);
    // Inverse (7) still marks the focused pane and the selection.
    expect(mono).toMatch(/\u001b\[[0-9;]*\b7[;m]/);

    await theme('nope', 'Unknown theme');
    const said = statusText(t.capture());
    expect(said).toBe('Unknown theme "nope": the themes are dark, light, mono.');
    // Still mono: a bad name changes nothing.
    expect([...colourCodes(t.captureWithEscapes())]).toEqual([]);
  });
});
