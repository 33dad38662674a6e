// The problems, stacks and inspect views and :theme, driven by keys through the whole App
// against a FakeSwarm, in a fixed 100×30 terminal.
import { readFileSync } from 'node:fs';
import chalk from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../source/app.js';
import { problemColumns } from '../source/views/problems.js';
import { makeTheme } from '../source/components/theme.js';
import type { ProblemRow } from '../source/views/problem-rows.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { network, node, service, task } from './helpers/factories.js';
import { renderFixed, type RenderFixedResult } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

const CRASH = 'task: non-zero exit (3)';

/** Two services failing with the same error, a paused rollout, and two stacks. */
function lab(): FakeSwarm {
  // The problems view judges "recent" by the real clock: these failures are seconds old.
  const recent = (ms: number) => new Date(Date.now() - ms).toISOString();
  const api = new FakeSwarm();
  api.nodes = [
    node({
      id: 'n1',
      hostname: 'manager-1',
      role: 'manager',
      manager: { reachability: 'leader', address: '127.0.0.1:2377' },
    }),
    node({ id: 'n2', hostname: 'worker-1' }),
  ];
  api.services = [
    service({ id: 's1', name: 'web', running: 2, desired: 2, stack: 'shop' }),
    service({ id: 's2', name: 'crashy', running: 0, desired: 1, stack: 'lab' }),
    service({ id: 's3', name: 'crashy2', running: 0, desired: 1, stack: 'lab' }),
    service({
      id: 's4',
      name: 'api',
      stack: 'shop',
      updateState: 'paused',
      updateMessage: 'update paused due to failure',
    }),
  ];
  const failed = (id: string, serviceId: string, ms: number) =>
    task({
      id,
      serviceId,
      nodeId: 'n2',
      state: 'failed',
      desiredState: 'shutdown',
      error: CRASH,
      exitCode: 3,
      stateSince: recent(ms),
      createdAt: recent(ms + 1000),
    });
  api.tasks = [
    task({ id: 't1', serviceId: 's1', nodeId: 'n2' }),
    failed('t2', 's2', 5_000),
    failed('t3', 's3', 8_000),
    failed('t4', 's2', 20_000),
    task({ id: 't5', serviceId: 's4', nodeId: 'n2' }),
  ];
  api.raw.set('service:s1', {
    ID: 's1',
    Spec: {
      Name: 'web',
      Labels: { team: 'payments-team-42', 'db.password': 'hunter2' },
      TaskTemplate: { ContainerSpec: { Image: 'lab/busybox:1' } },
    },
  });
  return api;
}

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

async function start(api: FakeSwarm, theme: 'dark' | 'mono' = 'mono') {
  const r = renderFixed(<App api={api} refreshMs={60_000} theme={theme} />, {
    columns: 100,
    rows: 30,
  });
  mounted.push(r);
  await until(r, 'services on screen', (f) => f.includes('crashy2'));
  return r;
}

const press = async (r: RenderFixedResult, ...keys: string[]) => {
  for (const key of keys) {
    r.stdin.write(key);
    await r.flush();
  }
};

/** Waits (bounded) for a frame that passes `check`, and returns it. */
function until(r: RenderFixedResult, what: string, check: (frame: string) => boolean) {
  return waitFor(
    what,
    () => {
      const frame = r.lastFrame() ?? '';
      return check(frame) ? frame : undefined;
    },
    { timeoutMs: 5000, intervalMs: 10 },
  );
}

describe('App: the problems view', () => {
  it('5 shows the one error of two services as one row, with both names', async () => {
    const api = lab();
    const r = await start(api);
    await press(r, '5');
    const frame = await until(r, 'the grouped error', (f) => f.includes(`3 tasks: ${CRASH}`));
    // The header counts exactly what the view lists.
    expect(frame).toContain('PROBLEMS (4)');
    expect(frame).toContain('✗ 4 problems (5)');
    expect(frame).toContain('crashy, crashy2 · on worker-1');
    expect(frame).toContain('crashy: 0/1 running');
    expect(frame).toContain('api: update paused');
    // One request for the tasks of all troubled services, not one per service.
    expect(api.calls).toContain('tasks:s2,s3,s4');
    expect(frame.match(new RegExp(`tasks: ${CRASH.replace(/[()]/g, '\\$&')}`, 'g'))).toHaveLength(
      1,
    );
  });

  it('Enter on the grouped error: the failing tasks of the troubled services; Esc, Esc: back', async () => {
    const r = await start(lab());
    await press(r, '5');
    await until(r, 'the grouped error', (f) => f.includes(`3 tasks: ${CRASH}`));
    // Rows: crashy, crashy2 (services below their count), a crashed task's last words, then the
    // task group.
    for (let i = 0; i < 4 && !r.lastFrame()!.includes(`3 tasks: ${CRASH} — `); i++) {
      await press(r, 'j');
    }
    // The status line may wrap inside its words.
    await until(r, 'the group selected', (f) => f.includes('its tasks, filtered)'));
    await press(r, '\r');
    const tasks = await until(r, 'the tasks of troubled services', (f) =>
      f.includes('TASKS OF TROUBLED SERVICES (3) · with history'),
    );
    expect(tasks).toContain(`/${CRASH}`);
    expect(tasks).toContain('crashy.1');
    expect(tasks).toContain('crashy2.1');
    expect(tasks).not.toContain('api.1');
    await press(r, '\u001b');
    await until(r, 'the filter cleared', (f) => f.includes('TASKS OF TROUBLED SERVICES (4)'));
    await press(r, '\u001b');
    await until(r, 'back on the problems', (f) => f.includes('PROBLEMS ('));
  });

  it('Enter on a service problem: the services list filtered to it', async () => {
    const r = await start(lab());
    await press(r, '5');
    await until(r, 'problems', (f) => f.includes('crashy: 0/1 running'));
    await press(r, '\r');
    // The filter is the name, so a service whose name contains it (crashy2) shows too; the
    // selection is on the one the problem is about.
    const frame = await until(r, 'crashy filtered', (f) => f.includes('SERVICES (2)'));
    expect(frame).toContain('/crashy');
    expect(frame).toContain('crashy: 0/1 running');
  });

  it('the hint bar says what Enter does here', async () => {
    const r = await start(lab());
    await press(r, '5');
    await until(r, 'Enter: go to', (f) => f.includes('Enter go to'));
  });
});

describe('App: the stacks view', () => {
  it("7 lists the stacks, Enter opens a stack's services, Esc goes back", async () => {
    const r = await start(lab());
    await press(r, '7');
    const stacks = await until(r, 'stacks', (f) => f.includes('STACKS (2)'));
    // Stacks with a degraded service first: both are; then by name.
    expect(stacks.indexOf(' lab ')).toBeLessThan(stacks.indexOf(' shop '));
    await press(r, 'j', '\r');
    const shop = await until(r, 'the shop stack', (f) => f.includes('SERVICES OF STACK shop (2)'));
    expect(shop).toContain('web');
    expect(shop).toContain('api');
    expect(shop).not.toContain('crashy');
    await press(r, '\u001b');
    await until(r, 'back on the stacks', (f) => f.includes('STACKS (2)'));
    await press(r, '1');
    await until(r, 'every service', (f) => f.includes('SERVICES (4)'));
  });
});

describe('App: inspect', () => {
  it("i shows the service's inspect lines from the engine, secrets masked; Esc goes back", async () => {
    const api = lab();
    const r = await start(api);
    // Services by name: api, crashy, crashy2, web.
    await press(r, 'G', 'i');
    const frame = await until(r, 'inspect lines', (f) => f.includes('payments-team-42'));
    expect(frame).toContain('inspect service web');
    expect(frame).toContain('Name: web');
    expect(frame).toContain('db.password: ••••');
    expect(frame).not.toContain('hunter2');
    expect(api.calls).toContain('inspect:service:s1');
    await press(r, '\u001b');
    await until(r, 'services again', (f) => f.includes('SERVICES (4)'));
  });

  it('i on a service: its header above the JSON, networks named from the list, secrets masked', async () => {
    const api = lab();
    // Recorded from the lab (test/docker/parse-service-detail.test.ts); its healthcheck changed
    // here by hand to carry a password.
    const recorded = JSON.parse(
      readFileSync(new URL('fixtures/lab/service-detail.json', import.meta.url), 'utf8'),
    ) as { Spec: { TaskTemplate: { ContainerSpec: Record<string, unknown> } } };
    recorded.Spec.TaskTemplate.ContainerSpec['Healthcheck'] = {
      Test: ['CMD', 'pg_isready', '--password', 'hunter3'],
      Interval: 10e9,
    };
    api.raw.set('service:s1', { ...recorded, ID: 's1' });
    api.networks = [network({ id: 'qw5i3psu2uvpuuszcohdd56uq', name: 'xnet' })];
    const r = await start(api);
    await press(r, 'G', 'i');
    const frame = await until(r, 'the header, its network named', (f) => f.includes('xnet'));
    const lines = frame.split('\n').map((line) => line.trim());
    expect(lines).toContain('xdetail · replicated · lab/busybox:1');
    expect(lines).toContain('bind    /tmp → /host-tmp  read-only');
    expect(lines).toContain('xnet  VIP 10.0.1.47/24');
    expect(lines).toContain('xsecret → /run/secrets/app_pw  uid:gid 1000:1000 · mode 0400');
    expect(lines).toContain('healthcheck: CMD pg_isready --password ••••');
    expect(lines).toContain('restart policy: on-failure · delay 7s · max attempts 4 · window 1m0s');
    expect(frame).not.toContain('hunter3');
    // The networks list is asked for while a service is inspected.
    expect(api.calls).toContain('networks');
  });

  it('an object that is gone says so in one sentence', async () => {
    const r = await start(lab());
    await press(r, 'g', 'i');
    await until(r, 'the error', (f) => f.includes('The service s4 no longer exists.'));
  });
});

describe('App: :theme', () => {
  it(':theme mono switches the colours off at once and says so', async () => {
    // The fake terminal has no colour unless chalk is told it has.
    chalk.level = 1;
    try {
      const r = await start(lab(), 'dark');
      // eslint-disable-next-line no-control-regex
      const colour = /\u001b\[(3|9)\dm/;
      expect(r.lastFrame()).toMatch(colour);
      await press(r, ...':theme mono\r'.split(''));
      const frame = await until(r, 'the answer', (f) => f.includes('Theme: mono.'));
      expect(frame).not.toMatch(colour);
      await press(r, ...':theme dark\r'.split(''));
      await until(r, 'colours again', (f) => f.includes('Theme: dark.') && colour.test(f));
    } finally {
      chalk.level = 0;
    }
  });

  it(':theme with a wrong name lists the themes', async () => {
    const r = await start(lab());
    await press(r, ...':theme neon\r'.split(''));
    await until(r, 'the list', (f) =>
      f.includes('Unknown theme "neon": the themes are dark, light, mono.'),
    );
  });
});

describe('problemColumns', () => {
  const theme = makeTheme('dark');
  const row = (severity: 'bad' | 'warn'): ProblemRow => ({
    id: 'x',
    kind: 'service',
    severity,
    what: 'crashy: 0/1 running',
    detail: 'newest task error: boom',
    count: 1,
    serviceIds: ['s2'],
    jump: { view: 'services', filter: 'crashy', selectId: 's2' },
  });

  it('a mark, the problem and why, coloured by severity', () => {
    const columns = problemColumns(theme);
    expect(columns.map((c) => c.header)).toEqual([' ', 'PROBLEM', 'WHY / WHERE']);
    expect(columns[0]!.cell(row('bad'))).toBe('✗');
    expect(columns[0]!.cell(row('warn'))).toBe('!');
    expect(columns[1]!.cell(row('bad'))).toBe('crashy: 0/1 running');
    expect(columns[2]!.cell(row('bad'))).toBe('newest task error: boom');
    const color = columns[1]!.color;
    expect(typeof color === 'function' ? color(row('bad')) : color).toBe(theme.bad);
    expect(typeof color === 'function' ? color(row('warn')) : color).toBe(theme.warn);
  });
});
