// The built CLI in a real terminal (tmux) against the real lab swarm, driven by keys.
import { afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

describeWithLab('smarm-top in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  let tmux: TmuxSession | null = null;
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  const start = (columns = 100, rows = 30, refresh = '1') => {
    tmux = TmuxSession.start([process.execPath, CLI, '--host', host, '--refresh', refresh], {
      columns,
      rows,
    });
    return tmux;
  };

  it('shows nodes and services, drills into the crash-looping service, quits cleanly', async () => {
    const t = start();
    const services = await t.waitForText(/crashy/);
    for (const name of ['web', 'agent', 'crashy', 'api']) expect(services).toContain(name);
    expect(services).toMatch(/nodes \d+\/\d+/);

    t.send('2');
    const nodes = await t.waitForText('NODES');
    for (const hostname of lab.nodes) expect(nodes).toContain(hostname);

    t.send('1');
    t.send('/');
    t.send('crashy', true);
    t.send('Enter');
    t.send('Enter');
    // the focused pane (▸) is the drilled-down task list, not the services view's lower pane
    const tasks = await t.waitForText(/▸ TASKS OF SERVICE CRASHY[^\n]*\n.*\n.*crashy\.1/);
    expect(tasks).not.toContain('SERVICES (');
    // the full error of the crash loop, as the engine words it
    await t.waitForText('task: non-zero exit (3)', 60_000);

    t.send('Escape');
    await t.waitForText('SERVICES');
    t.send('q');
    const after = await t.waitForText('[exited 0]');
    // the alternate screen is gone: none of the app's frame is left on the terminal
    expect(after).not.toContain('SERVICES');
  });

  it('shows a scale and a drain made with the docker CLI without a key press', async () => {
    // A 10-minute poll interval: what changes on screen here came through the event stream
    // (and the fast polling that follows an event).
    const t = start(100, 30, '600');
    await t.waitForText(/web .*4\/4/);
    docker(host, 'service', 'scale', '-d', 'web=6');
    try {
      await t.waitForText(/web .*6\/6/, 60_000);
    } finally {
      docker(host, 'service', 'scale', '-d', 'web=4');
    }
    await t.waitForText(/web .*4\/4/, 60_000);

    t.send('2');
    const worker = lab.nodes.find((n) => n.startsWith('worker'))!;
    await t.waitForText(new RegExp(`${worker} .*active`));
    docker(host, 'node', 'update', '--availability', 'drain', worker);
    try {
      await t.waitForText(new RegExp(`${worker} .*drain`), 30_000);
    } finally {
      docker(host, 'node', 'update', '--availability', 'active', worker);
    }
    await t.waitForText(new RegExp(`${worker} .*active`), 30_000);
  });

  it('fits 80×24, says "terminal too small" when shrunk below the minimum, recovers', async () => {
    const t = start(80, 24);
    const screen = await t.waitForText(/crashy/);
    const lines = screen.split('\n');
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(screen).toMatch(/\? help/);
    t.resize(50, 10);
    await t.waitForText('terminal too small');
    t.resize(80, 24);
    await t.waitForText(/crashy/);
    t.send('?');
    await t.waitForText('Keys');
    t.send('Escape');
    t.send('C-c');
    await t.waitForText('[exited 0]');
  });
});
