// The first frame written as text before Ink has loaded (source/text-frame.ts) must be the App's
// own first frame, character for character: Ink then draws over it and nothing moves.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { App } from '../source/app.js';
import { askFirstLists, firstScreen } from '../source/first-screen.js';
import { headerAge } from '../source/format/header-text.js';
import type { ThemeName } from '../source/format/palette.js';
import { createFreshnessStore } from '../source/live/freshness.js';
import { startState } from '../source/state/reducer.js';
import { plainFrame, styledFrame, textFrame } from '../source/text-frame.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { node, service, task } from './helpers/factories.js';
import { flush, renderFixed, type RenderFixedResult } from './helpers/render.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const REFRESH_MS = 2000;

function swarm(services = 5): FakeSwarm {
  const fake = new FakeSwarm();
  fake.nodes = [
    node({
      id: 'n1',
      hostname: 'manager-1',
      role: 'manager',
      manager: { reachability: 'leader', address: '127.0.0.1:2377' },
    }),
    node({ id: 'n2', hostname: 'worker-1' }),
    node({ id: 'n3', hostname: 'worker-2', availability: 'drain', state: 'down' }),
  ];
  fake.services = Array.from({ length: services }, (_, i) =>
    service({
      id: `s${i}`,
      name: `svc-${String(i).padStart(3, '0')}${i === 2 ? '-with-a-long-name-that-is-cut' : ''}`,
      stack: i % 2 === 0 ? 'shop' : null,
      specReplicas: 2,
      running: i === 1 ? 1 : 2,
      desired: 2,
      ports: i === 0 ? [{ published: 8080, target: 80, protocol: 'tcp', mode: 'ingress' }] : [],
    }),
  );
  fake.tasks = fake.services.flatMap((s) =>
    [1, 2].map((slot) =>
      task({
        id: `${s.id}-t${slot}`,
        serviceId: s.id,
        nodeId: slot === 1 ? 'n1' : 'n2',
        slot,
        stateSince: ago(3_600_000 * slot),
      }),
    ),
  );
  return fake;
}

interface Case {
  name: string;
  columns: number;
  rows: number;
  services?: number;
  theme?: ThemeName;
  readOnly?: boolean;
  demo?: boolean;
  message?: string;
}

const CASES: Case[] = [
  { name: 'a small swarm', columns: 80, rows: 24 },
  { name: 'a small swarm', columns: 120, rows: 40 },
  { name: 'more services than fit (scroll indicator)', columns: 80, rows: 24, services: 40 },
  { name: 'more services than fit', columns: 120, rows: 40, services: 1000, theme: 'light' },
  { name: 'the smallest terminal', columns: 60, rows: 12, services: 8 },
  { name: 'read-only, demo', columns: 100, rows: 30, readOnly: true, demo: true },
  {
    name: 'a start note in the status line',
    columns: 80,
    rows: 24,
    theme: 'mono',
    message:
      'Note: the config file\'s "endpoints" entry "tcp://old:2376" names no endpoint in use. Warning: DOCKER_CERT_PATH is set but the endpoint is plain.',
  },
  { name: 'no services', columns: 80, rows: 24, services: 0 },
];

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterAll(() => {
  vi.useRealTimers();
});
const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

describe('the first frame as text', () => {
  for (const c of CASES) {
    it(`is the App's first frame: ${c.name} at ${c.columns}×${c.rows}`, async () => {
      const fake = swarm(c.services);
      const freshness = createFreshnessStore();
      const theme = c.theme ?? 'dark';
      const base = startState({ readOnly: c.readOnly === true, scaleCeiling: 1000 });
      const first = await firstScreen(fake, base, askFirstLists(fake), freshness);
      const state = {
        ...first.state,
        theme,
        clock: NOW,
        ...(c.message ? { message: c.message } : {}),
      };
      const lines = textFrame({
        state,
        columns: c.columns,
        rows: c.rows,
        endpoint: fake.endpoint,
        age: headerAge(freshness, NOW, REFRESH_MS, false),
        error: null,
        eventsLive: true,
        refreshMs: REFRESH_MS,
        demo: c.demo === true,
      });
      expect(lines).not.toBeNull();
      const r = renderFixed(
        <App
          api={fake}
          initial={state}
          seen={first.seen}
          freshness={freshness}
          refreshMs={REFRESH_MS}
          theme={theme}
          readOnly={c.readOnly === true}
          demo={c.demo === true}
        />,
        { columns: c.columns, rows: c.rows },
      );
      mounted.push(r);
      await flush();
      expect(plainFrame(lines!)).toBe(r.lastFrame());
      // Styled, it has the same characters, a line per terminal row, each erased to its end.
      const styled = styledFrame(lines!, 1);
      expect(styled.split('\r\n')).toHaveLength(c.rows - 1);
      // eslint-disable-next-line no-control-regex -- the SGR and erase sequences written
      const unstyled = styled.replace(/\u001b\[[0-9;]*[mK]/g, '');
      expect(unstyled.split('\r\n').map((line) => line.trimEnd())).toEqual(
        plainFrame(lines!).split('\n'),
      );
    });
  }

  it('draws nothing it cannot draw as Ink would: too small a terminal, help, a dialog', async () => {
    const fake = swarm();
    const first = await firstScreen(
      fake,
      startState({ readOnly: false, scaleCeiling: 1000 }),
      askFirstLists(fake),
      createFreshnessStore(),
    );
    const input = {
      state: first.state,
      columns: 80,
      rows: 24,
      endpoint: fake.endpoint,
      age: 'live',
      error: null,
      eventsLive: true,
      refreshMs: REFRESH_MS,
    };
    expect(textFrame(input)).not.toBeNull();
    expect(textFrame({ ...input, columns: 59 })).toBeNull();
    expect(textFrame({ ...input, rows: 11 })).toBeNull();
    expect(textFrame({ ...input, state: { ...first.state, help: true } })).toBeNull();
  });
});
