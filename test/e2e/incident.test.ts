// An incident as an operator meets it: the built CLI, freshly launched in tmux against the lab,
// driven by keys only. The lab's crashy service exits with code 3 every few seconds; the docker
// CLI is the independent witness of what the engine says.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

/** The line of `screen` that holds every one of `parts`, or undefined. */
function lineWith(screen: string, ...parts: string[]): string | undefined {
  return screen.split('\n').find((line) => parts.every((part) => line.includes(part)));
}

describeWithLab('an incident in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  // An empty config directory: an operator's own config file must not change what is drawn.
  const configHome = mkdtempSync(path.join(tmpdir(), 'smarm-incident-'));
  const created: string[] = [];
  let tmux: TmuxSession | null = null;

  /** A fresh launch with the default refresh, as an operator starts it. */
  const start = (columns = 120, rows = 36) => {
    tmux = TmuxSession.start([process.execPath, CLI, '--host', host], {
      columns,
      rows,
      env: { XDG_CONFIG_HOME: configHome },
    });
    return tmux;
  };

  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });
  afterAll(() => {
    for (const name of created) {
      try {
        docker(host, 'service', 'rm', name);
      } catch {
        // already gone
      }
    }
    rmSync(configHome, { recursive: true, force: true });
  });

  it("shows the crash-looping service's error in two keys or fewer", async () => {
    const t = start();
    // Waiting for the first screen presses nothing.
    await t.waitForText('SERVICES');
    const keys: string[] = [];
    const press = (key: string) => {
      keys.push(key);
      t.send(key);
    };

    press('5');

    // The engine's own words and the service they belong to, on one row of the problems view.
    const screen = await t.waitForText(
      /^.*(task: non-zero exit \(3\).*crashy|crashy.*task: non-zero exit \(3\))/m,
      60_000,
    );
    expect(screen).toContain('PROBLEMS (');
    expect(keys).toEqual(['5']);
    expect(keys.length).toBeLessThanOrEqual(2);
    // The engine says the same of crashy's tasks.
    const errors = docker(host, 'service', 'ps', 'crashy', '--no-trunc', '--format', '{{.Error}}');
    expect(errors).toContain('task: non-zero exit (3)');
  });

  it("shows crashy's last words (its cause, on stderr) one key from launch at 80×24", async () => {
    const t = start(80, 24);
    await t.waitForText('SERVICES');
    const keys: string[] = [];
    keys.push('5');
    t.send('5');
    // The line under crashy's problem: the crashed task and what it wrote last on stderr.
    const screen = await t.waitForText(/└ crashy\.\d+ said\s+stderr: failing/, 90_000);
    expect(screen).toContain('PROBLEMS (');
    expect(keys).toEqual(['5']);
    // The engine has the same words for crashy's tasks (the CLI writes their stderr to its own).
    const logs = spawnSync(
      'docker',
      ['-H', host, 'service', 'logs', '--raw', '--tail', '20', 'crashy'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(logs.stderr).toContain('failing');
  });

  it("reaches the failing task's logs from the problems view", async () => {
    // Wide enough for the group's status line (error, service, nodes, the exit's meaning, the
    // restart rate and the crashed task's last words) on one line.
    const t = start(280, 36);
    await t.waitForText('SERVICES');
    // The copied task ID (see below) names exactly the task whose logs are shown.
    t.command('set-option', '-g', 'set-clipboard', 'on');
    t.send('5');
    await t.waitForText(/\d+ tasks?: task: non-zero exit \(3\)/, 60_000);
    // Filtering by the error keeps its task group (and crashy's service row, when it is down):
    // the group is the last row.
    t.send('/');
    t.send('non-zero exit (3)', true);
    t.send('Enter');
    t.send('G');
    await t.waitForText(
      /^\d+ tasks?: task: non-zero exit \(3\) — crashy.*\(Enter: its tasks, filtered\)/m,
    );

    t.send('Enter');
    await t.waitForText(
      /^▸ TASKS OF SERVICE CRASHY \(\d+\) · with history {2}\/task: non-zero exit \(3\)/m,
    );
    await t.waitForText(/^✗ crashy\.1 .*failed .*task: non-zero exit \(3\)/m);
    // Pin the selection to the newest failed task (new failures keep arriving above it), note its
    // ID through the copy key, then open its logs.
    t.send('k');
    t.send(['c', 'i']);
    await t.waitForText(/Copied the ID of task crashy\.1/);
    const taskId = t.command('show-buffer').trim();
    expect(taskId).toMatch(/^[a-z0-9]{25}$/);

    t.send('l');
    const logs = await t.waitForText(/crashy\.1@\S+ +│ failing/, 30_000);
    expect(logs).toContain('logs of task crashy.1');
    expect(logs).toMatch(/crashy\.1@\S+ +│ starting/);

    // The docker CLI shows the same lines for that very task (crashy echoes "starting", then
    // "failing" to stderr, then exits 3).
    const witness = spawnSync('docker', ['-H', host, 'service', 'logs', '--raw', taskId], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(witness.status).toBe(0);
    expect(witness.stdout).toContain('starting');
    expect(witness.stderr).toContain('failing');
    const node = docker(host, 'inspect', taskId, '--format', '{{.NodeID}}');
    const hostname = docker(host, 'node', 'inspect', node, '--format', '{{.Description.Hostname}}');
    expect(logs).toContain(`crashy.1@${hostname}`);
  });

  it('lists a task that no node can take as stuck, in the engine words, and jumps to it', async () => {
    const name = `t-pend-${suffix}`;
    created.push(name);
    docker(
      host,
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      '--name',
      name,
      '--constraint',
      'node.labels.nope==1',
      'lab/busybox:1',
      'sleep',
      '3600',
    );
    // What the engine says of the task: it waits, with this error.
    const engine = await waitFor('the engine to give up placing the task', () => {
      const line = docker(
        host,
        'service',
        'ps',
        name,
        '--no-trunc',
        '--format',
        '{{.CurrentState}}|{{.Error}}',
      );
      return line.startsWith('Pending') && line.includes('no suitable node') && line;
    });
    const engineError = engine.split('|')[1]!.replace(/^"|"$/g, '');

    // Wide enough for the whole error and why no node fits on the status line.
    const t = start(220, 36);
    await t.waitForText('SERVICES');
    t.send('5');
    await t.waitForText('PROBLEMS (');
    t.send('/');
    t.send(name, true);
    t.send('Enter');
    // Stuck only after 30 s of waiting: before that the service is just below its count.
    const problems = await t.waitForText(/\d+ tasks? pending: no suitable node/, 90_000);
    expect(problems).toContain(`${name}: 0/1 running`);
    t.send('G');
    const selected = await t.waitForText(
      /^\d+ tasks? pending: no suitable node.*0 of \d+ nodes fit.*\(Enter: its tasks, filtered, e: per node\)/m,
    );
    // The whole error, as the engine words it, names the service.
    expect(lineWith(selected, engineError, name)).toBeDefined();

    t.send('Enter');
    const tasks = await t.waitForText(new RegExp(`${name}\\.1 .*running +pending`));
    expect(tasks).toMatch(
      /TASKS OF (SERVICE T-PEND|.*TROUBLED).*· with history {2}\/no suitable node/,
    );
    expect(lineWith(tasks, `${name}.1`, 'pending', 'no suitable node')).toBeDefined();
  });

  it('! keeps the services with a problem, > sorts, :services web filters', async () => {
    const t = start();
    await t.waitForText(/web .*\d+\/\d+/);
    t.send('!');
    await t.waitForText(/^▸ SERVICES .*problems only/m);
    // crashy is below its count between two of its runs; it shows then, web never.
    const troubled = await t.waitForText(/^✗ crashy +0\/1/m, 60_000);
    const title = troubled.split('\n').find((line) => line.startsWith('▸ SERVICES'));
    expect(title).toBeDefined();
    // The setting is named once in the pane's title.
    expect(title!.match(/problems only/g)).toHaveLength(1);
    expect(troubled).not.toMatch(/^ {2}web /m);

    t.send('!');
    await t.waitForText(/^ {2}web /m);
    t.send('>');
    const sorted = await t.waitForText(/^▸ SERVICES .*sorted by missing/m);
    expect(
      sorted
        .split('\n')
        .find((l) => l.startsWith('▸ SERVICES'))!
        .match(/sorted by/g),
    ).toHaveLength(1);

    t.send(':');
    t.send('services web', true);
    t.send('Enter');
    const filtered = await t.waitForText(/^▸ SERVICES \(\d+\) .*\/web/m);
    expect(filtered).toMatch(/^ {2}web +\d+\/\d+/m);
    expect(filtered).not.toMatch(/^[ ✗] crashy /m);
    // Only services whose name, image or mode holds "web" are left.
    const rows = filtered
      .split('\n')
      .filter((line) => /^[ ✗] \S+ +\d+\/\d+ /.test(line) && !line.includes('.'));
    for (const row of rows) expect(row).toMatch(/web/);
  });
});
