// ssh:// against the lab swarm through a real sshd and the real ssh client: the transport the
// docker CLI uses (ssh … docker system dial-stdio), host keys checked, keys from an ssh config.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI, runCli } from '../helpers/cli.js';
import { dockerJsonLines } from '../helpers/docker-cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { isAlive } from '../helpers/processes.js';

/** One line, no stack trace, naming the endpoint. */
function expectOneSentence(stderr: string, url: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^smarm-top: .*${url.replace(/[/.]/g, '\\$&')}`));
  expect(stderr).not.toMatch(/\n\s+at |node:internal|Error:/);
}

describeWithLab('ssh:// against the lab swarm', (lab) => {
  let sshd: Sshd;
  let tmux: TmuxSession | null = null;

  beforeAll(async () => {
    sshd = await startSshd(lab.dockerHost);
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  it('--once over ssh lists the nodes docker node ls lists', () => {
    const client = sshd.client();
    const result = runCli(['--once', '--json', '--host', sshd.url], client.env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { nodes } = JSON.parse(result.stdout) as { nodes: Array<{ hostname: string }> };
    const theirs = dockerJsonLines<{ Hostname: string }>(lab.dockerHost, 'node', 'ls');
    expect(nodes.map((n) => n.hostname).sort()).toEqual(theirs.map((n) => n.Hostname).sort());
    expect(nodes.map((n) => n.hostname).sort()).toEqual([...lab.nodes].sort());
    // The preflight and the lists, asked for together, share one ssh login (a second one only
    // when a request is slow: a connection busy for 250 ms is not waited for), not one each.
    expect(client.spawned()).toBeLessThanOrEqual(2);

    const text = runCli(['--once', '--host', sshd.url], client.env);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^NODES/m);
    for (const hostname of lab.nodes) expect(text.stdout).toContain(hostname);
  });

  it('refuses a host whose key is not in known_hosts: one sentence, exit 1', () => {
    const client = sshd.client({ knowsHostKey: false });
    const result = runCli(['--once', '--host', sshd.url], client.env);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expectOneSentence(result.stderr, sshd.url);
    expect(result.stderr).toContain('Host key verification failed');
    expect(result.stderr).toContain(`ssh -p ${sshd.port} root@127.0.0.1`);
  });

  it('says that the login was refused for a key the server does not know: one sentence, exit 1', () => {
    const client = sshd.client({ authorized: false });
    const result = runCli(['--once', '--host', sshd.url], client.env);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expectOneSentence(result.stderr, sshd.url);
    expect(result.stderr).toContain('could not log in as root');
    expect(result.stderr).toContain('Permission denied (publickey)');
    // One failed login, not one per request asked for at start.
    expect(client.spawned()).toBe(1);
  });

  it('says when nothing listens for ssh at the port', () => {
    const client = sshd.client();
    // Port 1 on the loopback: refused at once.
    const result = runCli(['--once', '--host', 'ssh://root@127.0.0.1:1'], client.env);
    expect(result.status).toBe(1);
    expectOneSentence(result.stderr, 'ssh://root@127.0.0.1:1');
    expect(result.stderr).toContain('nothing accepts ssh connections at 127.0.0.1 port 1');
  });

  it('runs the interactive app over a few kept ssh connections', async () => {
    const client = sshd.client();
    tmux = TmuxSession.start([process.execPath, CLI, '--host', sshd.url, '--refresh', '1'], {
      columns: 100,
      rows: 30,
      env: client.env,
    });
    const screen = await tmux.waitForText(/crashy/, 60_000);
    for (const name of ['web', 'agent', 'crashy']) expect(screen).toContain(name);
    tmux.send('2');
    const nodes = await tmux.waitForText('NODES');
    for (const hostname of lab.nodes) expect(nodes).toContain(hostname);
    tmux.send('1');

    // One for the polls, one held by the event stream, reused by the refreshes every second
    // (about 30 requests in 10 s); a slow moment may add one.
    const atStart = client.spawned();
    expect(atStart).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(client.spawned() - atStart).toBeLessThanOrEqual(1);
    expect(tmux.capture()).toMatch(/crashy/);

    tmux.send('q');
    await tmux.waitForText('[exited 0]');
    // Every ssh it started is gone with it.
    await waitFor('its ssh processes to end', () => !client.pids().some(isAlive), {
      timeoutMs: 10_000,
    });
  });
});
