// The networks view in tmux at 80×24 against the lab: `8` lists the swarm's networks (an overlay of
// our own, unused, marked so) and Enter on ingress shows the published ports. The docker CLI makes
// the network and is the witness that it exists.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI } from '../helpers/cli.js';
import { docker } from '../helpers/docker-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

describeWithLab('the networks view in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  const name = `nt-e2e-${Math.random().toString(36).slice(2, 7)}`;
  const configHome = mkdtempSync(path.join(tmpdir(), 'smarm-net-config-'));
  let tmux: TmuxSession | null = null;

  afterAll(() => {
    tmux?.kill();
    try {
      docker(host, 'network', 'rm', name);
    } catch {
      // already gone
    }
    rmSync(configHome, { recursive: true, force: true });
  });

  it('8 lists the networks at 80×24, an unused overlay marked; Enter on ingress: the ports', async () => {
    docker(host, 'network', 'create', '-d', 'overlay', '--attachable', name);
    expect(docker(host, 'network', 'inspect', name, '--format', '{{.Attachable}}')).toBe('true');
    tmux = TmuxSession.start([process.execPath, CLI, '--host', host], {
      columns: 80,
      rows: 24,
      env: { XDG_CONFIG_HOME: configHome },
    });
    await tmux.waitForText(/^▸ SERVICES \(/m);
    tmux.send('8');
    const screen = await tmux.waitForText(new RegExp(`^! ${name} +unused `, 'm'));
    expect(screen).toMatch(/^▸ NETWORKS \(\d+\)/m);
    expect(screen).toMatch(/^ {2}ingress +\S+ +\S+ +\d+\.\d+\.\d+\.\d+\/\d+ +ingress /m);
    expect(screen.split('\n').every((line) => line.length <= 80)).toBe(true);
    // The ingress network is listed first and selected.
    tmux.send('Enter');
    await tmux.waitForText(/^▸ PUBLISHED PORTS \(\d+\)/m);
  });
});
