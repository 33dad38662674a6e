// --demo: the header's first words are DEMO on every frame, fresh or stale, narrow or wide, so a
// screenshot of the simulation never passes for a real swarm.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BADGE, Header } from '../../source/components/header.js';
import { makeTheme, ThemeContext } from '../../source/components/theme.js';
import { createFreshnessStore, type FreshnessStore } from '../../source/live/freshness.js';
import { renderFixed, type RenderFixedResult } from '../helpers/render.js';

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

async function firstLine(
  width: number,
  demo: boolean,
  freshness: FreshnessStore = createFreshnessStore(),
): Promise<string> {
  const r = renderFixed(
    <ThemeContext.Provider value={makeTheme('mono')}>
      <Header
        endpoint="demo (in-process)"
        summary={{
          nodesReady: 5,
          nodesTotal: 5,
          managersReachable: 3,
          managersTotal: 3,
          leader: 'manager-1',
          servicesHealthy: 4,
          servicesTotal: 6,
          tasksRunning: 13,
        }}
        freshness={freshness}
        refreshMs={2000}
        width={width}
        demo={demo}
        problems={2}
        problemsKey="5"
      />
    </ThemeContext.Provider>,
    { columns: width + 10, rows: 10 },
  );
  mounted.push(r);
  await r.flush();
  return (r.lastFrame() ?? '').split('\n')[0]!;
}

describe('Header with --demo', () => {
  it('starts with DEMO, before the leader and the endpoint', async () => {
    const line = await firstLine(120, true);
    expect(line.startsWith(DEMO_BADGE)).toBe(true);
    expect(line).toContain('leader manager-1 · demo (in-process)');
  });

  it('keeps DEMO when refreshes fail and the reason takes the line', async () => {
    const freshness = createFreshnessStore();
    freshness.failed('services', 'The Docker engine at demo (in-process) did not answer in time.');
    const line = await firstLine(120, true, freshness);
    expect(line.startsWith(DEMO_BADGE)).toBe(true);
    expect(line).toContain('refresh failed');
  });

  it('keeps DEMO on an 80-column terminal', async () => {
    expect((await firstLine(80, true)).startsWith(DEMO_BADGE)).toBe(true);
  });

  it('says nothing of a demo without --demo', async () => {
    expect(await firstLine(120, false)).not.toContain('DEMO');
  });
});
