/* eslint-disable no-control-regex -- these tests read the SGR escape sequences on screen */
// Themes and the config file, through the built CLI: in tmux against the lab for what is drawn,
// and with plain pipes for the config file's errors (which stop the program before it connects).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { CLI, runCli } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { colourCodes } from '../helpers/sgr.js';

const dirs: string[] = [];

/** A fresh XDG_CONFIG_HOME holding `config` as smarm-top/config.json (none when undefined). */
function configHome(config?: unknown): string {
  const home = mkdtempSync(path.join(tmpdir(), 'smarm-settings-'));
  dirs.push(home);
  if (config !== undefined) {
    mkdirSync(path.join(home, 'smarm-top'));
    const text = typeof config === 'string' ? config : JSON.stringify(config);
    writeFileSync(path.join(home, 'smarm-top', 'config.json'), text);
  }
  return home;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('config file errors stop the CLI before it connects', () => {
  // A socket that does not exist: a config error must come first, as exit 2, not a
  // connection error (exit 1) — nothing is asked of any engine.
  const nowhere = path.join(tmpdir(), `smarm-settings-no-engine-${process.pid}.sock`);

  it.each([
    ['{"theme": "solarized"}', '"theme" must be "dark", "light" or "mono".'],
    ['{"refreshSeconds": 0}', '"refreshSeconds" must be a number of seconds from 0.5 to 3600.'],
    ['{"keys": {"logs": "j"}}', '"keys": "j" is already the key of "move-down"'],
    ['{"keys": {"lgos": "v"}}', '"keys": "lgos" is not a command; did you mean "logs"?'],
    [
      '{"endpoints": {"prod": {"readonly": true}}}',
      '"endpoints" › "prod": "readonly" is not an endpoint setting',
    ],
    ['{"theme": "light",}', 'is not valid JSON ('],
  ])('%s', (config, words) => {
    const home = configHome(config);
    const file = path.join(home, 'smarm-top', 'config.json');
    const result = runCli(['--host', `unix://${nowhere}`, '--once'], { XDG_CONFIG_HOME: home });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`smarm-top: ${file}`);
    expect(lines[0]).toContain(words);
  });

  it('says which theme names there are for a bad --theme', () => {
    const result = runCli(['--theme', 'blue', '--once'], { XDG_CONFIG_HOME: configHome() });
    expect(result).toMatchObject({
      status: 2,
      stdout: '',
      stderr: 'smarm-top: --theme must be dark, light or mono, not "blue".\n',
    });
  });
});

describeWithLab('themes and settings in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  let tmux: TmuxSession | null = null;
  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  const start = (args: string[], config?: unknown, env: Record<string, string> = {}) => {
    tmux = TmuxSession.start([process.execPath, CLI, '--host', host, ...args], {
      columns: 120,
      rows: 30,
      env: { XDG_CONFIG_HOME: configHome(config), ...env },
    });
    return tmux;
  };

  /** The colours on screen once the lab's services (crashy, degraded, among them) are drawn. */
  const coloursOnScreen = async (t: TmuxSession): Promise<Set<string>> => {
    await t.waitForText(/crashy/);
    return colourCodes(t.captureWithEscapes());
  };

  it('draws the dark theme by default and the light one with --theme light or the config file', async () => {
    const dark = await coloursOnScreen(start([]));
    // The cyan accent (focused pane, hint keys) is on every screen; which state colours show
    // depends on the lab's state at the moment (crashy is not always down).
    expect(dark).toContain('36');
    expect(dark).not.toContain('34');
    tmux?.kill();

    for (const t of [() => start(['--theme', 'light']), () => start([], { theme: 'light' })]) {
      const light = await coloursOnScreen(t());
      // blue accent instead of cyan, and nothing yellow (unreadable on white)
      expect(light).toContain('34');
      expect(light).not.toContain('36');
      expect(light).not.toContain('33');
      tmux?.kill();
    }

    // The flag wins over the file.
    const flagged = await coloursOnScreen(start(['--theme', 'dark'], { theme: 'light' }));
    expect(flagged).toContain('36');
    expect(flagged).not.toContain('34');
  });

  it.each([
    ['--no-color', ['--no-color'], {}],
    ['NO_COLOR=1', [], { NO_COLOR: '1' }],
    ['--theme mono', ['--theme', 'mono'], {}],
    ['NO_COLOR=1 over --theme light', ['--theme', 'light'], { NO_COLOR: '1' }],
  ])('%s: no colour codes at all, the selection still inverse', async (_, args, env) => {
    const t = start(args, { theme: 'dark' }, env);
    await t.waitForText(/crashy/);
    const raw = t.captureWithEscapes();
    expect([...colourCodes(raw)]).toEqual([]);
    // Inverse (7) still marks the focused pane and the selection.
    expect(raw).toMatch(/\u001b\[[0-9;]*\b7[;m]/);
  });

  it('a remapped key works everywhere: dispatch, hint bar and help', async () => {
    const t = start(['--theme', 'mono'], { keys: { 'view-nodes': 'n', 'view-tasks': '2' } });
    const first = await t.waitForText(/crashy/);
    // The hint bar shows the keys in force.
    expect(first).toMatch(/\bn nodes\b/);
    t.send('n');
    const nodes = await t.waitForText('NODES');
    for (const hostname of lab.nodes) expect(nodes).toContain(hostname);
    t.send('2');
    await t.waitForText('ALL TASKS');
    t.send('?');
    const help = await t.waitForText('nodes view');
    expect(help).toMatch(/\bn\s+nodes view/);
    expect(help).toMatch(/\b2\s+tasks view/);
  });

  it('an endpoint named read-only in the config file is read-only', async () => {
    const socket = host.replace(/^unix:\/\//, '');
    for (const name of [host, socket]) {
      const t = start(['--theme', 'mono'], {
        endpoints: { [name]: { readOnly: true }, 'unix:///elsewhere.sock': { readOnly: false } },
      });
      await t.waitForText('READ-ONLY');
      await t.waitForText(/web .*\d\/\d/);
      t.send('/');
      t.send('web', true);
      t.send('Enter');
      t.send('s');
      await t.waitForText('read-only:');
      expect(t.capture()).not.toContain('New number of replicas');
      tmux?.kill();
    }
  });

  it('another endpoint named read-only leaves this one writable', async () => {
    const t = start(['--theme', 'mono'], { endpoints: { 'some-context': { readOnly: true } } });
    // The whole frame: the hint bar is its last line (a capture can fall inside a frame's write).
    const screen = await t.waitForText(/web .*\d\/\d[\s\S]*\? help/);
    expect(screen).not.toContain('READ-ONLY');
    expect(screen).toMatch(/s scale/);
  });
});
