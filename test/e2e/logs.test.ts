// The logs view in a real terminal against the lab's log-writing services.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

describeWithLab('logs in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  const state = mkdtempSync(path.join(tmpdir(), 'smarm-logs-'));
  let tmux: TmuxSession | null = null;
  const start = () => {
    tmux = TmuxSession.start([process.execPath, CLI, '--host', host], {
      columns: 140,
      rows: 40,
      env: { XDG_STATE_HOME: state },
    });
    return tmux;
  };
  const openLogs = async (t: TmuxSession, service: string) => {
    await t.waitForText('SERVICES');
    t.send('/');
    t.send(service, true);
    t.send('Enter');
    t.send('l');
    await t.waitForText(`logs of service ${service}`);
  };
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });
  afterAll(async () => {
    docker(host, 'service', 'scale', '-d', 'logger=3');
    // the next test files read logger's tasks: leave it settled
    await waitFor(
      'logger back at 3/3',
      () =>
        // "3/3 (max 1 per node)"
        docker(
          host,
          'service',
          'ls',
          '--filter',
          'name=logger',
          '--format',
          '{{.Replicas}}',
        ).startsWith('3/3'),
      { timeoutMs: 90_000 },
    );
  });

  it("merges the tasks' lines with task and node, live, and follows a scale-up", async () => {
    const t = start();
    await openLogs(t, 'logger');
    const screen = await t.waitForText(/logger\.\d@\S+ +│ logger line \d+/);
    // every task prefix names the node the docker CLI places that task on
    const placed = docker(
      host,
      'service',
      'ps',
      'logger',
      '--filter',
      'desired-state=running',
      '--format',
      '{{.Name}} {{.Node}}',
    )
      .split('\n')
      .map((line) => line.split(' '));
    for (const [name, node] of placed) {
      await t.waitForText(new RegExp(`${name!.replace('.', '\\.')}@${node} +│ logger line`));
    }
    expect(screen).toMatch(/! logger\.\d@\S+ +│ logger warn \d+/);
    // A new line without a key press. Each task counts its own lines, so a newer line is one
    // of the same task on the same node: an older task of the slot, or one that started
    // earlier, has higher numbers.
    const newest = (text: string, task: string) =>
      Math.max(
        0,
        ...[
          ...text.matchAll(new RegExp(`${task.replace('.', '\\.')} +│ logger line (\\d+)`, 'g')),
        ].map((m) => Number(m[1])),
      );
    const tasks = placed.map(([name, node]) => `${name!}@${node!}`);
    const first = t.capture();
    const before = new Map(tasks.map((task) => [task, newest(first, task)]));
    await waitFor(
      'a newer line of a task',
      () => {
        const screen = t.capture();
        if (tasks.some((task) => newest(screen, task) > before.get(task)!)) return true;
        // the reason the wait gives up with: the numbers and what the terminal shows
        throw new Error(`newest lines ${JSON.stringify([...before])} still; screen:\n${screen}`);
      },
      { timeoutMs: 30_000 },
    );

    docker(host, 'service', 'scale', '-d', 'logger=4');
    await t.waitForText(/logger\.4@\S+ +│ logger line/, 90_000);
  });

  it("shows a TTY service's output and one task's logs only", async () => {
    const t = start();
    await openLogs(t, 'ttylog');
    await t.waitForText(/ttylog\.1@\S+ +│ tty line \d+/);

    t.send('Escape');
    t.send('Escape');
    await t.waitForText('SERVICES');
    t.send('/');
    t.send('logger', true);
    t.send('Enter');
    await t.waitForText(/logger\.\d +\S+ +running/);
    t.send('Tab');
    t.send('l');
    const screen = await t.waitForText(/logs of task logger\.\d/);
    const task = /logs of task (logger\.\d)/.exec(screen)![1]!;
    await t.waitForText(new RegExp(`${task.replace('.', '\\.')}@\\S+ +│ logger line`));
    const names = new Set([...t.capture().matchAll(/(logger\.\d)@/g)].map((m) => m[1]));
    expect([...names]).toEqual([task]);
  });

  it('neutralizes escape sequences from a container and leaves the terminal alone', async () => {
    const t = start();
    await openLogs(t, 'hostile');
    const screen = await t.waitForText(/hostile-marker \d+/);
    // the header survived a "clear screen", the title was not changed, nothing was overwritten
    expect(screen.split('\n')[0]).toMatch(/^smarm-top/);
    expect(t.title()).not.toContain('pwned');
    expect(screen).toMatch(/safeEVIL/);
    expect(screen).not.toMatch(/\]52;|\[2J|\[10;10H/);
  });

  it('writes the buffer to a file only its owner can read, and says where', async () => {
    const t = start();
    await openLogs(t, 'logger');
    await t.waitForText(/logger line \d+/);
    t.send('o');
    const screen = await t.waitForText(/Saved the logs to \S+/);
    const file = /Saved the logs to (\S+)/.exec(screen)![1]!;
    expect(file.startsWith(path.join(state, 'smarm-top', 'logs'))).toBe(true);
    expect(readdirSync(path.dirname(file))).toContain(path.basename(file));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/logger\.\d@\S+ stdout logger line \d+/);
  });
});
