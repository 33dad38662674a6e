import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../source/app.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { node, service } from './helpers/factories.js';
import { renderFixed, type RenderFixedResult } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
  vi.restoreAllMocks();
});

async function onNode(hostname: string) {
  const api = new FakeSwarm();
  api.nodes = [node({ id: 'n1', hostname })];
  api.services = [service({ id: 's1', name: 'web' })];
  const r = renderFixed(<App api={api} refreshMs={60_000} theme="mono" />, {
    columns: 100,
    rows: 24,
  });
  mounted.push(r);
  await waitFor('services on screen', () => r.lastFrame()?.includes('web'), {
    timeoutMs: 5000,
    intervalMs: 10,
  });
  for (const key of ['2']) {
    r.stdin.write(key);
    await r.flush();
  }
  await waitFor('nodes on screen', () => r.lastFrame()?.includes('NODES'), {
    timeoutMs: 5000,
    intervalMs: 10,
  });
  return r;
}

/** What the app writes to the real stdout (OSC 52) while `keys` are pressed. */
async function copied(r: RenderFixedResult, keys: string[]): Promise<string> {
  const writes: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    writes.push(String(chunk));
    return true;
  });
  for (const key of keys) {
    r.stdin.write(key);
    await r.flush();
  }
  return writes.join('');
}

describe('copy name (c n)', () => {
  it('refuses a name holding a newline or control characters, and writes nothing', async () => {
    const r = await onNode('evil\nrm -rf ~\n');
    const out = await copied(r, ['c', 'n']);
    expect(out).not.toContain('\u001b]52');
    const frame = await waitFor(
      'the refusal',
      () => {
        const f = r.lastFrame()!.replace(/\n/g, ' ');
        return f.includes('Not copied') ? f : undefined;
      },
      { timeoutMs: 5000, intervalMs: 10 },
    );
    expect(frame).toMatch(/control, bidi, invisible or line-break characters/);
  });

  it('refuses a bidi override', async () => {
    const r = await onNode('worker\u202e1');
    const out = await copied(r, ['c', 'n']);
    expect(out).not.toContain('\u001b]52');
    await waitFor('the refusal', () => r.lastFrame()?.includes('Not copied'), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
  });

  it('copies a plain name', async () => {
    const r = await onNode('worker-1');
    const out = await copied(r, ['c', 'n']);
    expect(out).toContain('\u001b]52;c;');
  });
});
