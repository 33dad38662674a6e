// Faults against the real lab, in a real terminal: a manager's daemon stops (with and without
// other managers to move to), and a manager that accepts connections but never answers.
// manager-1 is what the other lab tests talk to, so the daemons stopped here are manager-2/3.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { labNode } from '../helpers/lab-node.js';
import { waitFor } from '../helpers/wait-for.js';

/** Every service back at its desired count, as the docker CLI sees it. */
async function swarmSettled(host: string): Promise<void> {
  await waitFor(
    'every lab node ready and every replicated service converged',
    () => {
      const nodes = docker(host, 'node', 'ls', '--format', '{{.Status}} {{.ManagerStatus}}');
      if (nodes.split('\n').some((line) => !line.startsWith('Ready') || /Unreachable/.test(line))) {
        return false;
      }
      const replicas = docker(host, 'service', 'ls', '--format', '{{.Mode}} {{.Replicas}}');
      return replicas.split('\n').every((line) => {
        const match = /^replicated (\d+)\/(\d+)/.exec(line);
        // crashy never converges by design: it is the crash-looping service.
        return match === null || match[1] === match[2] || line.includes('crashy');
      });
    },
    { timeoutMs: 180_000, intervalMs: 1000 },
  );
}

/** Forwards a unix socket to the lab's manager until told to swallow requests unanswered. */
function blackHoleProxy(target: string): {
  socketPath: string;
  swallow(on: boolean): void;
  close(): void;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-hang-'));
  const socketPath = path.join(dir, 'docker.sock');
  let swallowing = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (swallowing) return; // accepted, read, never answered
    const upstream = net.connect(target);
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  server.listen(socketPath);
  return {
    socketPath,
    swallow(on) {
      swallowing = on;
      // Connections kept alive from before would still answer: they go, and new ones hang.
      if (on) for (const socket of open) socket.destroy();
    },
    close() {
      for (const socket of open) socket.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeWithLab('faults against the lab, in tmux', (lab) => {
  const [m1, m2, m3] = lab?.managerSockets ?? [];
  let tmux: TmuxSession | null = null;
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });
  afterAll(async () => {
    // Whatever a failed test left stopped is started again, and the swarm settles.
    for (const name of ['manager-2', 'manager-3', 'worker-2']) {
      try {
        labNode('start-node', name);
      } catch {
        // it was running
      }
    }
    if (lab !== null) await swarmSettled(lab.dockerHost);
  }, 300_000);

  const start = (...args: string[]) => {
    tmux = TmuxSession.start([process.execPath, CLI, '--refresh', '1', ...args], {
      columns: 160,
      rows: 30,
    });
    return tmux;
  };

  it('moves to the next manager when the one in use stops, and goes on after it is back', async () => {
    const t = start('--host', m3!, '--host', m2!, '--host', m1!);
    await t.waitForText(new RegExp(`manager-3/docker\\.sock +live`));
    await t.waitForText(/crashy/);

    const stoppedAt = Date.now();
    labNode('stop-node', 'manager-3');
    // The next manager in the list, manager-2; or manager-1 after it, when manager-2 too failed to
    // answer while the swarm elected a leader again (seen on a loaded machine).
    const moved = await t.waitForText(/manager-[12]\/docker\.sock \(failed over from/, 60_000);
    console.log(`[faults] moved on ${Date.now() - stoppedAt} ms after manager-3 was stopped`);
    // The status line says why (it may wrap).
    expect(moved).toMatch(
      /stopped answering[\s\S]*now on\s+unix:\/\/\S+manager-[12]\/docker\.sock/,
    );
    // Live data from the manager it moved to: the header says live, and a new service shows up.
    await t.waitForText(/failed over from .*live/);
    docker(
      m1!,
      'service',
      'create',
      '-d',
      '--name',
      'after-failover',
      '--replicas',
      '1',
      'lab/busybox:1',
      'sleep',
      '3600',
    );
    try {
      await t.waitForText('after-failover');

      labNode('start-node', 'manager-3');
      t.send('2');
      const nodes = await t.waitForText(/manager-3 +manager +active +ready +reachable/, 120_000);
      expect(nodes).toMatch(/manager-[12]\/docker\.sock/);
      t.send('q');
      await t.waitForText('[exited 0]');
    } finally {
      docker(m1!, 'service', 'rm', 'after-failover');
    }
  });

  it('keeps the last state on screen, marked stale, while its only manager is down', async () => {
    const t = start('--host', m2!);
    await t.waitForText(/crashy/);
    labNode('stop-node', 'manager-2');
    const stale = await t.waitForText(/STALE · updated \d+ s ago/, 60_000);
    // The last known services stay on screen, with the reason in the header.
    expect(stale).toContain('crashy');
    expect(stale).toMatch(/refresh failed: /);

    labNode('start-node', 'manager-2');
    // Back by itself: no key pressed, the header is live again and nothing is stale.
    const back = await t.waitForText(/manager-2\/docker\.sock +live/, 120_000);
    expect(back).not.toContain('STALE');
    t.send('q');
    await t.waitForText('[exited 0]');
  });

  it("lists a down worker's tasks that were running there, told to shut down, and says it is down", async () => {
    const host = lab!.dockerHost;
    const t = start('--host', m1!);
    await t.waitForText(/crashy/);
    labNode('stop-node', 'worker-2');
    await waitFor(
      'the docker CLI to see worker-2 down',
      () => docker(host, 'node', 'inspect', 'worker-2', '--format', '{{.Status.State}}') === 'down',
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    // What the manager still believes runs there: the global agent's task at least.
    const running = docker(
      host,
      'node',
      'ps',
      'worker-2',
      '--format',
      '{{.Name}} {{.CurrentState}}',
    )
      .split('\n')
      .filter((line) => / Running /.test(line))
      .map((line) => line.split(' ')[0]!);
    expect(running.length).toBeGreaterThan(0);
    t.send('5');
    await t.waitForText(/node worker-2 down/, 30_000);
    t.send('2');
    t.filterTo('worker-2');
    t.send('Enter');
    const screen = await t.waitForText(/TASKS ON NODE WORKER-2 \([1-9]/, 30_000);
    for (const name of running) {
      // The CLI names a global task by its node's ID; smarm-top by the node's hostname.
      const shown = name.startsWith('agent.') ? 'agent.worker-2' : name;
      expect(screen).toMatch(new RegExp(`${shown.replace('.', '\\.')} +worker-2 +\\w+ +running`));
    }
    labNode('start-node', 'worker-2');
    await swarmSettled(host);
  }, 300_000);

  it('says a hung manager is slow, then stale, and keeps taking keys', async () => {
    const proxy = blackHoleProxy(m1!.replace(/^unix:\/\//, ''));
    try {
      const t = start('--host', `unix://${proxy.socketPath}`);
      await t.waitForText(/crashy/);
      proxy.swallow(true);
      await t.waitForText(/manager slow: no answer for \d+ s/, 30_000);
      // Keys still work while requests hang.
      t.send('?');
      await t.waitForText(/help|Keys/i);
      t.send('Escape');
      await t.waitForText(/STALE/, 60_000);
      // Requests cut when the proxy started swallowing may fail first as "closed"; the next
      // failure is the timeout, and the header says so.
      const stale = await t.waitForText(/did not answer/, 60_000);
      // STALE, or each kind's own age when one kind still got answers: a connection the proxy
      // opened before it started swallowing can carry a request through (seen once in a full run:
      // "tasks stale 11 s · services stale 10 s · troubled tasks live").
      expect(stale).toMatch(/STALE|tasks stale \d+ s/);
      proxy.swallow(false);
      await t.waitForText(/docker\.sock +live/, 60_000);
      t.send('q');
      await t.waitForText('[exited 0]');
    } finally {
      proxy.close();
    }
  });
});
