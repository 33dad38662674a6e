// The swarm view in a real terminal at 80×24: `0` opens it on the lab's swarm, with the cluster ID
// and the managers the docker CLI reports, and Enter on the managers row opens the managers view.
// No join token is on any screen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

describeWithLab('the swarm view in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  // An empty config directory: an operator's own config file must not change what is drawn.
  const configHome = mkdtempSync(path.join(tmpdir(), 'smarm-swarm-view-config-'));
  let tmux: TmuxSession | null = null;
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });
  afterAll(() => rmSync(configHome, { recursive: true, force: true }));

  it('0 opens the swarm: its ID and quorum as the docker CLI says; Enter on managers', async () => {
    const id = docker(host, 'info', '--format', '{{.Swarm.Cluster.ID}}');
    const managers = docker(host, 'node', 'ls', '--filter', 'role=manager', '-q')
      .split('\n')
      .filter(Boolean).length;
    const t = (tmux = TmuxSession.start([process.execPath, CLI, '--host', host], {
      columns: 80,
      rows: 24,
      env: { XDG_CONFIG_HOME: configHome },
    }));
    await t.waitForText('SERVICES');
    t.send('0');
    const screen = await t.waitForText(new RegExp(`^▸ SWARM ${id.slice(0, 12)}`, 'm'));
    expect(screen).toMatch(new RegExp(`cluster\\s+cluster ID\\s+${id}`));
    expect(screen).toMatch(
      new RegExp(`managers\\s+managers\\s+${managers}: quorum ${Math.floor(managers / 2) + 1}`),
    );
    expect(screen).toMatch(/CA\s+root CA expires\s+\d{4}-\d{2}-\d{2} \(\d+ days left\)/);
    expect(screen).not.toMatch(/SWMTKN/);
    // The managers row is the fourth: Enter goes to the managers view, Esc comes back.
    t.send(['j', 'j', 'j', 'Enter']);
    await t.waitForText(/^▸ MANAGERS \(/m);
    t.send('Escape');
    const back = await t.waitForText(/^▸ SWARM /m);
    expect(back).not.toMatch(/SWMTKN/);
    // i: the swarm as GET /swarm has it, its join tokens never on screen (scrolled to the end)
    t.send('i');
    const inspected = await t.waitForText(new RegExp(`^ID: ${id}$`, 'm'));
    expect(inspected).toMatch(new RegExp(`^▸ inspect swarm ${id.slice(0, 12)}`, 'm'));
    t.send('G');
    const end = await t.waitForText(/^DataPathPort: \d+/m);
    for (const screen of [inspected, end]) expect(screen).not.toMatch(/SWMTKN|JoinTokens/);
  });
});
