import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../source/app.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { service } from './helpers/factories.js';
import { renderFixed, type RenderFixedResult } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

describe('the ssh retry key (Ctrl-R)', () => {
  it('is in the help, and says what it did when pressed', async () => {
    const api = new FakeSwarm();
    api.services = [service({ id: 's1', name: 'web' })];
    const r = renderFixed(<App api={api} refreshMs={60_000} theme="mono" />, {
      columns: 120,
      rows: 60,
    });
    mounted.push(r);
    await waitFor('services on screen', () => r.lastFrame()?.includes('web'), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    // Ctrl-R as a terminal sends it.
    r.stdin.write('\u0012');
    await r.flush();
    await waitFor('the answer', () => r.lastFrame()?.includes('No ssh login is being held back.'), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    r.stdin.write('?');
    await r.flush();
    const help = await waitFor(
      'the help',
      () => {
        const frame = r.lastFrame() ?? '';
        return frame.includes('Ctrl-R') ? frame : undefined;
      },
      { timeoutMs: 5000, intervalMs: 10 },
    );
    expect(help).toMatch(/Ctrl-R\s+ssh: try the login again now/);
  });
});
