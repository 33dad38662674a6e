// U (set the image), L (node labels) and X (remove a service) from their keys, in a real terminal
// at 80×24 against the lab: each prompt or dialog as typed by an operator, each effect checked
// with the docker CLI, each change in the audit log before and after it was sent.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

describeWithLab('U, L and X in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  const dir = mkdtempSync(path.join(tmpdir(), 'smarm-change-keys-'));
  const auditLog = path.join(dir, 'audit.log');
  const cli = (...args: string[]) => docker(host, ...args);
  const IMG = 'e2e-img';
  const RM = 'e2e-rm';
  const NODE = 'worker-1';
  let tmux: TmuxSession | null = null;

  const start = () =>
    (tmux = TmuxSession.start([process.execPath, CLI, '--host', host, '--audit-log', auditLog], {
      columns: 80,
      rows: 24,
      env: { XDG_CONFIG_HOME: dir },
    }));
  const audited = (action: string) =>
    readFileSync(auditLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; result: string })
      .filter((r) => r.action === action)
      .map((r) => r.result);
  const create = (name: string) =>
    cli(
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      '--name',
      name,
      '--replicas',
      '1',
      'lab/busybox:1',
      'sleep',
      '100000',
    );
  const remove = (name: string) => {
    try {
      cli('service', 'rm', name);
    } catch {
      // already gone
    }
  };

  const dropLabel = () => {
    try {
      cli('node', 'update', '--label-rm', 'e2e', NODE);
    } catch {
      // never set
    }
  };

  beforeAll(() => {
    remove(IMG);
    remove(RM);
    create(IMG);
    create(RM);
    dropLabel();
  });
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });
  afterAll(() => {
    remove(IMG);
    remove(RM);
    dropLabel();
    rmSync(dir, { recursive: true, force: true });
  });

  it('U sets the image through a prefilled prompt and the whole-spec dialog', async () => {
    const t = start();
    await t.waitForText(new RegExp(`${IMG} .*1/1`));
    t.filterTo(IMG);
    t.send('U');
    const prompt = await t.waitForText('New image: lab/busybox:1');
    expect(prompt).toContain(`Set the image of ${IMG}`);
    // Backspace once and type 2: lab/busybox:1 → lab/busybox:2
    t.send('BSpace');
    t.send('2', true);
    t.send('Enter');
    const dialog = await t.waitForText(/Rolling update/);
    expect(dialog).toContain(`Set the image of ${IMG} to lab/busybox:2?`);
    t.send('y');
    await waitFor(
      'the new image in docker service inspect',
      () =>
        cli('service', 'inspect', IMG, '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}') ===
          'lab/busybox:2' || undefined,
      { timeoutMs: 60_000 },
    );
    await t.waitForText(`set image ${IMG}`, 90_000);
    // the outcome is written once the engine's answer is in: the docker CLI may see it first
    await waitFor(
      'the outcome in the audit log',
      () => audited('set-image').length >= 2 || undefined,
    );
    expect(audited('set-image').slice(0, 2)).toEqual(['attempt', 'accepted']);
  });

  it('L adds a node label (+key=value) after a refused entry', async () => {
    const t = start();
    await t.waitForText('SERVICES');
    t.send('2');
    await t.waitForText(/NODES/);
    t.filterTo(NODE);
    t.send('L');
    await t.waitForText(`Labels of ${NODE}`);
    // without + or - the prompt says why and nothing is sent
    t.send('e2e=yes', true);
    t.send('Enter');
    await t.waitForText('needs + to add it');
    t.send('C-u');
    t.send('+e2e=yes', true);
    t.send('Enter');
    await t.waitForText(`Change the labels of ${NODE}?`);
    // y before the details are loaded does nothing: the impact is read before it is confirmed
    await t.waitForText('[y] Confirm');
    t.send('y');
    await waitFor(
      'the label in docker node inspect',
      () =>
        cli('node', 'inspect', NODE, '--format', '{{index .Spec.Labels "e2e"}}') === 'yes' ||
        undefined,
      { timeoutMs: 60_000 },
    );
    // the outcome is written once the engine's answer is in: the docker CLI may see it first
    await waitFor('the outcome in the audit log', () => audited('labels').length >= 2 || undefined);
    expect(audited('labels').slice(0, 2)).toEqual(['attempt', 'accepted']);
  });

  it('X removes a service once its name is typed', async () => {
    const t = start();
    await t.waitForText(new RegExp(`${RM} .*1/1`));
    t.filterTo(RM);
    t.send('X');
    await t.waitForText(`Type ${RM}`);
    // y is only a letter here: the service is still there
    t.send('y');
    t.send('Enter');
    await t.waitForText(`Type ${RM} exactly`);
    expect(cli('service', 'ls', '--format', '{{.Name}}').split('\n')).toContain(RM);
    t.send('BSpace');
    t.send(RM, true);
    t.send('Enter');
    await waitFor(
      'the service gone from docker service ls',
      () => !cli('service', 'ls', '--format', '{{.Name}}').split('\n').includes(RM) || undefined,
      { timeoutMs: 60_000 },
    );
    // the outcome is written once the engine's answer is in: the docker CLI may see it first
    await waitFor(
      'the outcome in the audit log',
      () => audited('remove-service').length >= 2 || undefined,
    );
    expect(audited('remove-service').slice(0, 2)).toEqual(['attempt', 'accepted']);
  });
});
