import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../source/app.js';
import type { LogLine } from '../source/model.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { node, service, task } from './helpers/factories.js';
import { renderFixed, type RenderFixedResult } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

function lab(): FakeSwarm {
  const api = new FakeSwarm();
  api.nodes = [
    node({
      id: 'n1',
      hostname: 'manager-1',
      role: 'manager',
      manager: { reachability: 'leader', address: '127.0.0.1:2377' },
    }),
    node({ id: 'n2', hostname: 'worker-1' }),
    node({ id: 'n3', hostname: 'worker-2', availability: 'drain' }),
  ];
  api.services = [
    service({ id: 's1', name: 'web', running: 4, desired: 4, specReplicas: 4 }),
    service({ id: 's2', name: 'crashy', running: 0, desired: 1 }),
    service({
      id: 's3',
      name: 'agent',
      mode: 'global',
      running: 3,
      desired: 3,
      specReplicas: null,
    }),
  ];
  api.tasks = [
    task({ id: 't1', serviceId: 's1', nodeId: 'n2', slot: 1 }),
    task({
      id: 't2',
      serviceId: 's2',
      nodeId: 'n2',
      slot: 1,
      desiredState: 'shutdown',
      state: 'failed',
      exitCode: 3,
      error:
        'task: non-zero exit (3) and a very long explanation that goes on well past the width of any table column so that only the status line can show it whole — END',
    }),
  ];
  return api;
}

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

async function start(api: FakeSwarm, columns = 80, rows = 24) {
  const r = renderFixed(<App api={api} refreshMs={60_000} theme="mono" />, { columns, rows });
  mounted.push(r);
  await waitFor('services on screen', () => r.lastFrame()?.includes('crashy'), {
    timeoutMs: 5000,
    intervalMs: 10,
  });
  return r;
}

const press = async (r: RenderFixedResult, ...keys: string[]) => {
  for (const key of keys) {
    r.stdin.write(key);
    await r.flush();
  }
};

describe('App', () => {
  it('shows the swarm at a glance, marks degraded services with a symbol, fits 80×24', async () => {
    const r = await start(lab());
    const frame = r.lastFrame()!;
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    // At 80 columns the glance line keeps the numbers and drops the words.
    expect(frame).toMatch(/✗ \d problems? \(5\)/);
    expect(frame).toContain('nodes 3/3 ');
    expect(frame).toContain('managers 1/1 ');
    expect(frame).toContain('leader manager-1');
    expect(frame).toContain('services 2/3 ok');
    expect(frame).toContain('tasks 7');
    expect(frame).toMatch(/✗ crashy/);
    expect(frame).not.toMatch(/✗ web/);
  });

  it('drills into a service with Enter and shows its failing task with the whole error', async () => {
    const api = lab();
    const r = await start(api);
    // rows sort by name: agent, crashy, web
    await press(r, 'j', '\r');
    const frame = await waitFor(
      'crashy tasks',
      () => {
        const f = r.lastFrame()!;
        return f.includes('TASKS OF SERVICE CRASHY') && f.includes('crashy.1') ? f : undefined;
      },
      { timeoutMs: 5000, intervalMs: 10 },
    );
    expect(frame.replace(/\n/g, '')).toContain('— END');
    expect(api.calls).toContain('tasks:s2');
    await press(r, '\u001b');
    await waitFor('back to services', () => r.lastFrame()?.includes('SERVICES (3)'), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
  });

  it('filters the focused list live, Esc clears', async () => {
    const r = await start(lab());
    await press(r, '/', 'w', 'e');
    expect(r.lastFrame()).toContain('SERVICES (1)');
    expect(r.lastFrame()).toContain('/we');
    await press(r, '\r');
    expect(r.lastFrame()).toContain('SERVICES (1)');
    await press(r, '\u001b');
    await waitFor('filter cleared', () => r.lastFrame()?.includes('SERVICES (3)'), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
  });

  it('reads a burst of keys (as tmux or a fast typist sends them) one key at a time', async () => {
    const r = await start(lab());
    await press(r, '/crashy\r\r');
    await waitFor('crashy tasks', () => r.lastFrame()?.includes('TASKS OF SERVICE CRASHY'), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
  });

  it('quits with q', async () => {
    const r = await start(lab());
    await press(r, 'q');
    await waitFor('unmounted', () => r.stdout.listenerCount('resize') === 0 || undefined, {
      timeoutMs: 5000,
      intervalMs: 10,
    });
  });

  it('switches to the nodes view with 2 and shows availability in words', async () => {
    const r = await start(lab());
    await press(r, '2');
    const frame = r.lastFrame()!;
    expect(frame).toContain('NODES (3)');
    expect(frame).toMatch(/worker-2 .*drain/);
    expect(frame).toMatch(/manager-1 .*leader/);
  });

  it('opens help generated from the key table', async () => {
    const r = await start(lab());
    await press(r, '?');
    expect(r.lastFrame()).toContain('Keys');
    expect(r.lastFrame()).toContain('show this help');
    expect(r.lastFrame()).toMatch(/j\/k scroll/);
    // 80×24 cannot hold the whole table: j scrolls to the rest
    await press(r, ...Array(40).fill('j'));
    expect(r.lastFrame()).toContain('activate the selected node');
  });

  it('says the terminal is too small instead of drawing garbage', async () => {
    const r = await start(lab());
    r.resize(40, 10);
    await r.flush();
    expect(r.lastFrame()).toContain('terminal too small');
  });

  it('does not re-render when a refresh brings nothing new', async () => {
    const api = lab();
    const r = renderFixed(<App api={api} refreshMs={50} theme="mono" />, {
      columns: 80,
      rows: 24,
    });
    mounted.push(r);
    await waitFor('services on screen', () => r.lastFrame()?.includes('crashy'), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    const before = api.calls.length;
    // let several polls come back unchanged
    await waitFor('three more polls', () => api.calls.length >= before + 6, {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    const frames = r.frames.length;
    const polls = api.calls.length;
    await waitFor('three more polls', () => api.calls.length >= polls + 6, {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    // The header's clock may tick once a second; data polls every 50 ms must add no frames.
    expect(r.frames.length - frames).toBeLessThanOrEqual(1);
  });

  it('shows STALE with the reason when refreshes fail, keeping the last data', async () => {
    const api = lab();
    const r = renderFixed(<App api={api} refreshMs={50} theme="mono" />, {
      columns: 100,
      rows: 24,
    });
    mounted.push(r);
    await waitFor('services on screen', () => r.lastFrame()?.includes('crashy'), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    api.failWith =
      'Cannot connect to the Docker engine at unix:///fake/docker.sock: no such socket.';
    const frame = await waitFor(
      'stale header',
      () => (r.lastFrame()?.includes('STALE') ? r.lastFrame() : undefined),
      { timeoutMs: 5000, intervalMs: 10 },
    );
    expect(frame).toContain('refresh failed: Cannot connect');
    expect(frame).toContain('crashy');
  });
});

describe('App: logs view', () => {
  const line = (text: string, overrides: Partial<LogLine> = {}): LogLine => ({
    serviceId: 's1',
    taskId: 't1',
    nodeId: 'n2',
    stream: 'stdout',
    time: '2026-11-25T00:00:01.5Z',
    text,
    ...overrides,
  });

  it('shows a service’s lines with task and node, live, sanitized, and counts lines while paused', async () => {
    const api = lab();
    api.logLines = [
      line('hello from web'),
      line('boom', { stream: 'stderr' }),
      line('\u001b]0;pwned\u0007\u001b[2Jhostile-marker'),
    ];
    const r = await start(api, 100, 30);
    // rows sort by name: agent, crashy, web
    await press(r, 'G', 'l');
    const frame = await waitFor(
      'log lines',
      () => (r.lastFrame()?.includes('hostile-marker') ? r.lastFrame() : undefined),
      { timeoutMs: 5000, intervalMs: 20 },
    );
    // (crashy's last words may have been read first: the stream is the one that follows)
    expect(api.logQueries.find((q) => q.follow)).toMatchObject({
      target: { kind: 'service', id: 's1' },
      tail: 200,
      follow: true,
    });
    expect(frame).toMatch(/web\.1@worker-1.*hello from web/);
    expect(frame).toContain('FOLLOW');
    expect(frame).not.toContain('\u001b]0;');
    expect(frame).not.toContain('pwned\u0007');
    api.pushLogs([line('a later line')]);
    await waitFor('the later line', () => r.lastFrame()?.includes('a later line'), {
      timeoutMs: 5000,
      intervalMs: 20,
    });
    await press(r, 'f');
    api.pushLogs([line('while paused 1'), line('while paused 2')]);
    const paused = await waitFor(
      'the paused counter',
      () => (r.lastFrame()?.includes('+2') ? r.lastFrame() : undefined),
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(paused).toContain('PAUSED');
    expect(paused).not.toContain('while paused 1');
    await press(r, 'f');
    await waitFor('resumed', () => r.lastFrame()?.includes('while paused 2'), {
      timeoutMs: 5000,
      intervalMs: 20,
    });
    await press(r, '\u001b');
    await waitFor('back to services', () => r.lastFrame()?.includes('SERVICES (3)'), {
      timeoutMs: 5000,
      intervalMs: 20,
    });
  }, 30_000);
});
