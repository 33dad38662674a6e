// `L` in the whole app: the labels prompt on a node, bad input and Esc send nothing; Enter opens
// the dialog that names the pending task the change unblocks; `y` sends the new label set.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../source/app.js';
import { FakeSwarm } from './helpers/fake-api.js';
import { FakeWrites } from './helpers/fake-writes.js';
import { node, service, task } from './helpers/factories.js';
import { renderFixed, type RenderFixedResult } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

const WAIT = { timeoutMs: 10_000, intervalMs: 10 };

async function onWorker() {
  const api = new FakeSwarm();
  const worker = node({ id: 'n-w1', hostname: 'worker-1', labels: { zone: 'a' } });
  api.nodes = [worker];
  api.services = [
    service({ id: 's1', name: 'render', constraints: ['node.labels.gpu==true'], running: 0 }),
  ];
  api.tasks = [task({ id: 't1', serviceId: 's1', nodeId: null, state: 'pending' })];
  const writes = new FakeWrites();
  writes.nodeList = api.nodes;
  const r = renderFixed(
    <App api={api} writes={writes} user="test" refreshMs={60_000} theme="mono" />,
    { columns: 100, rows: 30 },
  );
  mounted.push(r);
  await waitFor('services on screen', () => r.lastFrame()?.includes('render'), WAIT);
  await press(r, '2');
  await waitFor('nodes on screen', () => r.lastFrame()?.includes('NODES'), WAIT);
  return { r, writes };
}

async function press(r: RenderFixedResult, ...keys: string[]) {
  for (const key of keys) {
    r.stdin.write(key);
    await r.flush();
  }
}

const screen = (r: RenderFixedResult) => r.lastFrame()!.replace(/\s+/g, ' ');

describe('L: node labels', () => {
  it(
    'bad input: one sentence in the prompt, nothing sent; Esc cancels',
    { timeout: 30_000 },
    async () => {
      const { r, writes } = await onWorker();
      await press(r, 'L');
      await waitFor('the prompt', () => screen(r).includes('Labels now: zone=a.'), WAIT);
      await press(r, 'gpu=true', '\r');
      await waitFor('the refusal', () => screen(r).includes('"gpu=true" needs + to add it'), WAIT);
      await press(r, '\u007f'.repeat(8), '-rack', '\r');
      await waitFor(
        'the refusal',
        () => screen(r).includes('worker-1 has no label rack to remove.'),
        WAIT,
      );
      await press(r, '\u001b');
      await waitFor('cancelled', () => screen(r).includes('Cancelled; nothing was sent.'), WAIT);
      expect(writes.writes).toEqual([]);
    },
  );

  it(
    'Enter shows what the change unblocks; n sends nothing, y sends the new labels',
    { timeout: 30_000 },
    async () => {
      const { r, writes } = await onWorker();
      await press(r, 'L', '+gpu=true', '\r');
      await waitFor(
        'the dialog',
        () =>
          screen(r).includes(
            'Starts matching worker-1: render (node.labels.gpu==true) — unblocks 1 pending task.',
          ),
        WAIT,
      );
      expect(screen(r)).toContain('gpu: (none) → true');
      await press(r, 'n');
      await waitFor('cancelled', () => screen(r).includes('Cancelled; nothing was sent.'), WAIT);
      expect(writes.writes).toEqual([]);
      await press(r, 'L', '+gpu=true', '\r');
      await waitFor('the dialog again', () => screen(r).includes('unblocks 1 pending task'), WAIT);
      await press(r, 'y');
      await waitFor('sent', () => writes.writes.length > 0, WAIT);
      expect(writes.writes).toEqual(['labels zone=a gpu=true']);
    },
  );
});
