// `smarm-top --demo` in a real terminal (tmux), as a newcomer tries it: the header says DEMO,
// a scale and a drain go through the dialogs and converge on the simulated swarm. No lab is
// needed (the demo engine runs inside smarm-top), so this is not a lab block.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';

const BADGE = 'DEMO · simulated swarm';

describe('smarm-top --demo in a terminal', () => {
  let tmux: TmuxSession | null = null;
  const tmp = mkdtempSync(path.join(tmpdir(), 'smarm-demo-e2e-'));
  const demoFolders = () => readdirSync(tmp).filter((name) => name.startsWith('smarm-demo-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  it('says DEMO, scales a service and drains a node, both converging', async () => {
    // Nothing real may be reached: DOCKER_HOST is unusable, and --demo must not read it.
    const t = TmuxSession.start([process.execPath, CLI, '--demo'], {
      columns: 120,
      rows: 36,
      env: { DOCKER_HOST: 'bogus://not-a-scheme', TMPDIR: tmp },
    });
    tmux = t;
    const first = await t.waitForText(/shop_web .*3\/3/);
    expect(first.split('\n')[0]).toContain(BADGE);
    expect(demoFolders()).toHaveLength(1);
    t.filterTo('shop_web');
    t.send('s');
    await t.waitForText('New number of replicas');
    t.send('5', true);
    t.send('Enter');
    const scaled = await t.waitForText('✓ scale shop_web 3 → 5 · succeeded · running 5/5');
    expect(scaled.split('\n')[0]).toContain(BADGE);

    t.send('Escape');
    t.send('2');
    await t.waitForText('NODES');
    t.filterTo('worker-001');
    t.send('D');
    await t.waitForText('worker-001: active → drain.');
    await t.waitForText('[y] Confirm');
    t.send('y');
    const drained = await t.waitForText(
      '✓ drain worker-001 · succeeded · 0 tasks still on worker-001',
    );
    expect(drained.split('\n')[0]).toContain(BADGE);
    expect(drained).toMatch(/worker-001 +worker +drain/);
    // activate, pause, activate: the node's row follows each confirmed change
    for (const [key, availability] of [
      ['A', 'active'],
      ['P', 'pause'],
      ['A', 'active'],
    ] as const) {
      t.send(key);
      await t.waitForText('[y] Confirm');
      t.send('y');
      await t.waitForText(new RegExp(`worker-001 +worker +${availability}`));
    }
    t.send('q');
    await t.waitForText('[exited 0]');
    // The private folder (socket, the demo's own audit log) is gone with the process.
    expect(demoFolders()).toEqual([]);
  });

  it('without an engine, says how to try smarm-top anyway (exit 1)', async () => {
    const t = TmuxSession.start([process.execPath, CLI, '--host', 'unix:///nonexistent.sock'], {
      columns: 240,
      rows: 10,
    });
    tmux = t;
    const screen = await t.waitForText('[exited 1]');
    expect(screen.replace(/\n/g, '')).toContain(
      'no such socket. Is dockerd running? To try smarm-top anyway: `sudo npm run lab -- up` (a real local swarm) or `npm start -- --demo` (a simulated one).',
    );
  });
});
