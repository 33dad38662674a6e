// The crash's cause one key from launch: `5`, and the crashed task's last line is on screen.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../source/app.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { node, service, task } from './helpers/factories.js';
import { renderFixed, type RenderFixedResult } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

function swarm(): FakeSwarm {
  const api = new FakeSwarm();
  api.nodes = [
    node({
      id: 'n1',
      hostname: 'manager-1',
      role: 'manager',
      manager: { reachability: 'leader', address: '127.0.0.1:2377' },
    }),
  ];
  api.services = [
    service({ id: 's1', name: 'alpha', running: 1, desired: 1 }),
    service({ id: 's2', name: 'crashy', running: 0, desired: 1 }),
  ];
  api.tasks = [
    task({ id: 't1', serviceId: 's1', nodeId: 'n1', slot: 1 }),
    task({
      id: 't2',
      serviceId: 's2',
      nodeId: 'n1',
      slot: 1,
      desiredState: 'shutdown',
      state: 'failed',
      exitCode: 3,
      containerId: 'c2',
      error: 'task: non-zero exit (3)',
      stateSince: new Date(Date.now() - 5_000).toISOString(),
    }),
  ];
  // The fake engine answers every log request with these lines.
  api.logLines = [
    { serviceId: 's2', taskId: 't2', nodeId: 'n1', stream: 'stdout', time: null, text: 'starting' },
    { serviceId: 's2', taskId: 't2', nodeId: 'n1', stream: 'stderr', time: null, text: 'failing' },
  ];
  return api;
}

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

describe('last words', () => {
  /** The app on `api`, the problems view (5) open, its frame once the last words are in. */
  async function problemsWithWords(api: FakeSwarm): Promise<string> {
    const r = renderFixed(<App api={api} refreshMs={60_000} theme="mono" />, {
      columns: 80,
      rows: 24,
    });
    mounted.push(r);
    await waitFor('services', () => r.lastFrame()?.includes('crashy'), { timeoutMs: 5000 });
    r.stdin.write('5');
    return waitFor(
      'the last words',
      () => (r.lastFrame()?.includes('stderr: failing') ? r.lastFrame() : undefined),
      { timeoutMs: 5000, intervalMs: 10 },
    );
  }

  it('`5` from launch shows the crashed task’s last line, asked for once', async () => {
    const api = swarm();
    const frame = await problemsWithWords(api);
    expect(frame).toMatch(/└ crashy\.1 said\s+stderr: failing/);
    expect(api.logQueries.filter((q) => q.target.id === 't2')).toEqual([
      { target: { kind: 'task', id: 't2' }, tty: false, tail: 5, follow: false },
    ]);
  });

  it('asks for a listed task’s lines with its own TTY, without asking for the task first', async () => {
    const api = swarm();
    api.tasks = api.tasks.map((t) => (t.id === 't2' ? { ...t, readableLogs: { tty: true } } : t));
    await problemsWithWords(api);
    expect(api.logQueries.filter((q) => q.target.id === 't2')).toEqual([
      { target: { kind: 'task', id: 't2' }, tty: true, known: true, tail: 5, follow: false },
    ]);
  });

  it('the services status line quotes them when the crashing service is selected', async () => {
    const api = swarm();
    const r = renderFixed(<App api={api} refreshMs={60_000} theme="mono" />, {
      columns: 80,
      rows: 24,
    });
    mounted.push(r);
    await waitFor('services', () => r.lastFrame()?.includes('crashy'), { timeoutMs: 5000 });
    r.stdin.write('j');
    const frame = await waitFor(
      'the status line',
      () => (r.lastFrame()?.includes('stdout: starting') ? r.lastFrame() : undefined),
      { timeoutMs: 5000, intervalMs: 10 },
    );
    expect(frame).toContain("the program's own error — stderr: failing");
  });
});
