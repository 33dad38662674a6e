// X and U in the whole app: bad input is one sentence on screen, Esc closes, nothing is sent.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../source/app.js';
import { FakeSwarm } from '../helpers/fake-api.js';
import { FakeWrites } from '../helpers/fake-writes.js';
import { service, task } from '../helpers/factories.js';
import { renderFixed, type RenderFixedResult } from '../helpers/render.js';
import { waitFor } from '../helpers/wait-for.js';

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

async function start() {
  const api = new FakeSwarm();
  api.services = [
    service({ id: 's1', name: 'web', stack: 'shop', running: 3, desired: 3, specReplicas: 3 }),
  ];
  api.tasks = [1, 2, 3].map((slot) => task({ id: `t${slot}`, serviceId: 's1', slot }));
  const writes = new FakeWrites();
  writes.replicas = 3;
  const r = renderFixed(
    <App api={api} writes={writes} user="test" refreshMs={60_000} theme="mono" />,
    { columns: 80, rows: 24 },
  );
  mounted.push(r);
  const screen = (text: string) =>
    waitFor(JSON.stringify(text), () => r.lastFrame()?.includes(text), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
  await screen('web ');
  const keys = async (...names: string[]) => {
    for (const name of names) {
      r.stdin.write(name);
      await r.flush();
    }
  };
  return { r, writes, screen, keys };
}

const ESC = '\u001b';
const ENTER = '\r';
const BACKSPACE = '\u007f';
const CTRL_U = '\u0015';

describe('U: set an image', { timeout: 20_000 }, () => {
  it('says what is wrong with a bad image in one sentence and sends nothing; Esc closes', async () => {
    const t = await start();
    await t.keys('U');
    await t.screen('New image: lab/busybox:1');
    await t.keys(CTRL_U, 'lab/busy box', ENTER);
    await t.screen('"lab/busy box" has a space in it: an image reference has none.');
    await t.keys(CTRL_U, 'Lab/App:2', ENTER);
    await t.screen('is not an image reference: repository names are lower case.');
    await t.keys(CTRL_U, ENTER);
    await t.screen('Type the new image, or Esc to cancel.');
    await t.keys(ESC);
    await t.screen('Cancelled; nothing was sent.');
    expect(t.r.lastFrame()).not.toContain('New image');
    expect(t.writes.writes).toEqual([]);
  });

  it('shows the diff after Enter, and n or Esc there sends nothing', async () => {
    const t = await start();
    await t.keys('U', BACKSPACE, '3', ENTER);
    await t.screen('image: lab/busybox:2 → lab/busybox:3');
    await t.keys('x', ESC);
    await t.screen('Cancelled; nothing was sent.');
    expect(t.writes.writes).toEqual([]);
  });
});

describe('X: remove a service', { timeout: 20_000 }, () => {
  it('takes y and a wrong name as letters, says so on Enter, and Esc sends nothing', async () => {
    const t = await start();
    await t.keys('X');
    await t.screen('Type web to confirm:');
    await t.keys('y', ENTER);
    await t.screen('Type web exactly to confirm, or Esc to cancel.');
    await t.keys('n');
    await t.screen('Type web to confirm: yn');
    await t.keys(ESC);
    await t.screen('Cancelled; nothing was sent.');
    expect(t.writes.writes).toEqual([]);
  });

  it('removes it once the name is typed and Enter pressed', async () => {
    const t = await start();
    await t.keys('X');
    await t.screen('Type web to confirm:');
    await t.keys('web', ENTER);
    await waitFor('the removal', () => t.writes.writes.length > 0, { timeoutMs: 5000 }).catch(
      (e: unknown) => {
        throw new Error(`${String(e)}\n${t.r.lastFrame()}`);
      },
    );
    expect(t.writes.writes).toEqual(['remove service s1']);
  });
});
