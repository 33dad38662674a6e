// What-if before acting, in a real terminal against the lab: the scale prompt says how many new
// replicas the nodes can take when max replicas per node would overflow, and after the scale the
// docker CLI shows exactly that many pending; then `e` on a pending task explains it per node.
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { createTestService, docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

const SERVICE = 'fx-whatif';

describeWithLab('what-if before a scale, and why pending, against the lab', (lab) => {
  const host = lab.dockerHost;
  const cli = (...args: string[]) => docker(host, ...args);
  let tmux: TmuxSession | null = null;
  const remove = () => {
    try {
      cli('service', 'rm', SERVICE);
    } catch {
      // not there
    }
  };

  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });
  afterAll(remove);

  it('says how many new replicas stay pending under max replicas per node, as the swarm then does', async () => {
    remove();
    const workers = cli('node', 'ls', '--filter', 'role=worker', '--format', '{{.Availability}}')
      .split('\n')
      .filter((a) => a === 'Active').length;
    createTestService(
      host,
      SERVICE,
      '--replicas',
      '1',
      '--replicas-max-per-node',
      '1',
      '--constraint',
      'node.role==worker',
      'lab/busybox:1',
      'sleep',
      '100000',
    );
    await waitFor(
      `${SERVICE} to run`,
      () =>
        // The CLI writes "1/1 (max 1 per node)".
        cli('service', 'ls', '--filter', `name=${SERVICE}`, '--format', '{{.Replicas}}').startsWith(
          '1/1',
        )
          ? true
          : undefined,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const to = workers + 2;
    const t = TmuxSession.start([process.execPath, CLI, '--host', host], {
      columns: 120,
      rows: 36,
    });
    tmux = t;
    await t.waitForText(SERVICE);
    t.filterTo(SERVICE);
    t.send('s');
    await t.waitForText('New number of replicas');
    t.send(String(to), true);
    const extra = to - 1;
    const placed = workers - 1;
    const screen = await t.waitForText(
      `Where they go: ${placed} of ${extra} can be placed now; 2 would stay pending`,
      30_000,
    );
    expect(screen).toContain(`${workers} already run 1 (max 1 per node)`);
    t.send('Enter');
    // The swarm agrees: exactly two tasks stay pending.
    await waitFor(
      'two tasks pending in docker service ps',
      () => {
        const states = cli(
          'service',
          'ps',
          SERVICE,
          '--filter',
          'desired-state=running',
          '--format',
          '{{.CurrentState}}',
        ).split('\n');
        const pending = states.filter((s) => s.startsWith('Pending')).length;
        const running = states.filter((s) => s.startsWith('Running')).length;
        return pending === 2 && running === workers ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    // `e` on a pending task: each node and why, the workers full, the managers excluded.
    t.send('Enter');
    await t.waitForText(/TASKS OF SERVICE FX-WHATIF/i);
    t.filterTo('pending');
    const why = await waitFor(
      'the explain view',
      async () => {
        t.send('e');
        const text = await t.captureAsync();
        return /WHY fx-whatif\.\d+ IS PENDING/.test(text) && text.includes('max 1 per node')
          ? text
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2000 },
    );
    expect(why).toMatch(/0 of \d+ nodes fit/);
    expect(why).toContain('node.role==worker');
  }, 240_000);
});
