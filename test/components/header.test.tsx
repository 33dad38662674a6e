import { afterEach, describe, expect, it } from 'vitest';
import { Header, type HeaderProps } from '../../source/components/header.js';
import { makeTheme, ThemeContext } from '../../source/components/theme.js';
import { createFreshnessStore } from '../../source/live/freshness.js';
import type { SwarmSummary } from '../../source/state/selectors.js';
import { renderFixed, type RenderFixedResult } from '../helpers/render.js';

const summary: SwarmSummary = {
  nodesReady: 5,
  nodesTotal: 5,
  managersReachable: 3,
  managersTotal: 3,
  leader: 'manager-1',
  servicesHealthy: 3,
  servicesTotal: 5,
  tasksRunning: 12,
};

const LONG = [
  'nodes 5/5 ready',
  'managers 3/3 reachable',
  'services 3/5 healthy',
  'tasks 12 running',
];
const SHORT = ['nodes 5/5', 'managers 3/3', 'services 3/5 ok', 'tasks 12'];

/** Columns the glance line needs with every part in its long words. */
const longWidth = (problemText: string) =>
  [problemText, ...LONG].reduce((sum, part) => sum + part.length + 2, -2);

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

async function glance(width: number, props: Partial<HeaderProps> = {}): Promise<string> {
  const freshness = createFreshnessStore();
  freshness.succeeded('services', Date.now());
  const r = renderFixed(
    <ThemeContext.Provider value={makeTheme('mono')}>
      <Header
        endpoint="unix:///var/run/docker.sock"
        summary={summary}
        freshness={freshness}
        refreshMs={2000}
        width={width}
        problems={2}
        problemsKey="5"
        {...props}
      />
    </ThemeContext.Provider>,
    { columns: Math.max(width, 60) + 10, rows: 10 },
  );
  mounted.push(r);
  await r.flush();
  const lines = (r.lastFrame() ?? '').split('\n');
  expect(lines[0]).toContain('leader manager-1');
  return lines[1]!.trimEnd();
}

describe('Header: the glance line', () => {
  it('counts problems first and names the key that lists them', async () => {
    expect(await glance(120)).toMatch(/^✗ 2 problems \(5\) {2}nodes/);
    expect(await glance(120, { problems: 1 })).toMatch(/^✗ 1 problem \(5\) {2}nodes/);
  });

  it('a remapped key is the one it names', async () => {
    expect(await glance(120, { problemsKey: 'p' })).toMatch(/^✗ 2 problems \(p\)/);
  });

  it('no problems: a tick and the words', async () => {
    expect(await glance(120, { problems: 0 })).toMatch(/^✓ no problems {2}nodes/);
  });

  it('uses the long words when they all fit, the short ones when not', async () => {
    const need = longWidth('✗ 2 problems (5)');
    expect(await glance(need)).toBe(['✗ 2 problems (5)', ...LONG].join('  '));
    expect(await glance(need - 1)).toBe(['✗ 2 problems (5)', ...SHORT].join('  '));
  });

  it('an 80-column terminal keeps every number', async () => {
    const line = await glance(80);
    expect(line).toBe(['✗ 2 problems (5)', ...SHORT].join('  '));
    expect(line.length).toBeLessThanOrEqual(80);
  });

  it('the problem count decides the width too: "no problems" is shorter', async () => {
    const need = longWidth('✓ no problems');
    expect(need).toBeLessThan(longWidth('✗ 2 problems (5)'));
    expect(await glance(need, { problems: 0 })).toBe(['✓ no problems', ...LONG].join('  '));
  });
});

describe('Header: stale data', () => {
  async function firstLine(setup: (f: ReturnType<typeof createFreshnessStore>) => void) {
    const freshness = createFreshnessStore();
    setup(freshness);
    const r = renderFixed(
      <ThemeContext.Provider value={makeTheme('mono')}>
        <Header
          endpoint="unix:///var/run/docker.sock"
          summary={summary}
          freshness={freshness}
          refreshMs={2000}
          width={140}
          problems={0}
          problemsKey="5"
        />
      </ThemeContext.Provider>,
      { columns: 150, rows: 10 },
    );
    mounted.push(r);
    await r.flush();
    return (r.lastFrame() ?? '').split('\n')[0]!.trimEnd();
  }

  it('says which data is stale and how old when other refreshes still succeed', async () => {
    const line = await firstLine((f) => {
      // Ten minutes: the words cannot change while the test runs.
      f.succeeded('nodes', Date.now() - 600_000);
      f.failed('nodes', 'The swarm does not have a leader');
      f.succeeded('services', Date.now());
      f.succeeded('tasks', Date.now());
    });
    expect(line).toMatch(/^refresh failed: The swarm does not have a leader/);
    expect(line).toMatch(/ nodes stale 10 min · services, tasks live$/);
    expect(line).not.toContain('STALE');
  });

  it('keeps one age when every refresh fails', async () => {
    const line = await firstLine((f) => {
      f.succeeded('nodes', Date.now() - 600_000);
      f.succeeded('services', Date.now() - 600_000);
      f.failed('nodes', 'no answer');
      f.failed('services', 'no answer');
    });
    expect(line).toMatch(/ STALE · updated 10 min ago$/);
  });
});
