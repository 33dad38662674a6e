// Screenshots for the README, made from a real run: starts COMMAND in a detached tmux session of
// the given size, optionally waits for some text, sends keys, captures the pane with its colours
// and writes OUT.svg, OUT.png (via rsvg-convert, from Debian's librsvg2-bin) and OUT.txt.
//
//   npx tsx scripts/screenshot.ts --out media/NAME --columns 100 --rows 30 \
//     [--wait-for TEXT] [--keys 2 --keys Enter ...] [--settle MS] [--delay MS] [--title T] \
//     [--zoom 2] -- COMMAND ARGS...
//
// Keys are tmux send-keys arguments: key names (Enter, Escape, Up, C-c, ...) or literal text.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { ansiToSvg } from './ansi-to-svg.js';

const USAGE =
  'usage: npx tsx scripts/screenshot.ts --out media/NAME --columns 100 --rows 30 ' +
  '[--wait-for TEXT] [--keys KEY ...] [--settle MS] [--delay MS] [--title TITLE] [--zoom N] ' +
  '-- COMMAND ARGS...';
const WAIT_TIMEOUT_MS = 30_000;
const POLL_MS = 200;

function fail(message: string): never {
  console.error(`screenshot: ${message}`);
  process.exit(2);
}

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got ${value}`);
  return n;
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        columns: { type: 'string' },
        rows: { type: 'string' },
        keys: { type: 'string', multiple: true, default: [] },
        'wait-for': { type: 'string' },
        settle: { type: 'string' },
        delay: { type: 'string' },
        title: { type: 'string' },
        zoom: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
})();

if (values.help === true) {
  console.log(USAGE);
  process.exit(0);
}
if (values.out === undefined || positionals.length === 0) fail(USAGE);
const out = values.out;
const columns = Math.floor(positiveNumber(values.columns, 'columns', 100));
const rows = Math.floor(positiveNumber(values.rows, 'rows', 30));
const settleMs = positiveNumber(values.settle, 'settle', 300);
const delayMs = positiveNumber(values.delay, 'delay', 1500);
const zoom = positiveNumber(values.zoom, 'zoom', 2);
const waitFor = values['wait-for'];

const target = 'shot';
const workDir = mkdtempSync(path.join(tmpdir(), 'smarm-shot-'));
// A private server (own socket, no user config): never touches the user's tmux sessions.
const socket = path.join(workDir, 'tmux.sock');

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
}

let cleanedUp = false;
function cleanup(): void {
  if (cleanedUp) return;
  cleanedUp = true;
  spawnSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' });
  rmSync(workDir, { recursive: true, force: true });
}
// process.exit skips finally blocks, so the tmux server is also killed on the way out.
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

/** The pane as text with SGR sequences; -N keeps trailing spaces, which may carry a background. */
function capture(withEscapes: boolean): string {
  return tmux('capture-pane', '-p', ...(withEscapes ? ['-e', '-N'] : []), '-t', target);
}

async function main(): Promise<void> {
  if (spawnSync('tmux', ['-V'], { stdio: 'ignore' }).error !== undefined) {
    fail('tmux not found (apt-get install -y tmux)');
  }

  // remain-on-exit: a command that exits early still leaves its last screen to capture.
  const config = path.join(workDir, 'tmux.conf');
  writeFileSync(config, 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 0\n');

  // Ink draws no frames when CI (or CONTINUOUS_INTEGRATION) is set.
  const ciVars = ['CI', 'CONTINUOUS_INTEGRATION'].filter((key) => key in process.env);
  const command = [
    'env',
    ...ciVars.flatMap((key) => ['-u', key]),
    'TERM=xterm-256color',
    ...positionals,
  ];
  tmux(
    '-f',
    config,
    'new-session',
    '-d',
    '-s',
    target,
    '-x',
    String(columns),
    '-y',
    String(rows),
    '-c',
    process.cwd(),
    '--',
    ...command,
  );
  const size = tmux('display-message', '-p', '-t', target, '#{pane_width}x#{pane_height}').trim();
  if (size !== `${columns}x${rows}`) console.error(`screenshot: warning: pane is ${size}`);

  if (waitFor !== undefined) {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    while (!capture(false).includes(waitFor)) {
      if (Date.now() > deadline) {
        fail(
          `"${waitFor}" did not appear within ${WAIT_TIMEOUT_MS / 1000} s; the pane shows:\n${capture(false)}`,
        );
      }
      await sleep(POLL_MS);
    }
  } else {
    await sleep(delayMs);
  }

  for (const key of values.keys) {
    tmux('send-keys', '-t', target, key);
    await sleep(settleMs);
  }
  await sleep(delayMs);

  const ansi = capture(true);
  const dead = tmux('display-message', '-p', '-t', target, '#{pane_dead}').trim() === '1';
  if (dead) console.error('screenshot: warning: the command had already exited');

  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const svgFile = `${out}.svg`;
  const pngFile = `${out}.png`;
  const txtFile = `${out}.txt`;
  const plain = stripVTControlCharacters(ansi).replace(/[ \t]+$/gm, '');
  writeFileSync(txtFile, plain);
  writeFileSync(svgFile, ansiToSvg(ansi, { columns, rows, title: values.title }));
  console.log(`wrote ${txtFile}\nwrote ${svgFile}`);

  const png = spawnSync('rsvg-convert', ['--zoom', String(zoom), '-o', pngFile, svgFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (png.error !== undefined) {
    console.error(
      'screenshot: rsvg-convert not found, so no PNG was written ' +
        '(apt-get install -y librsvg2-bin); the SVG is complete.',
    );
    process.exitCode = 1;
  } else if (png.status !== 0) {
    console.error(`screenshot: rsvg-convert failed (exit ${String(png.status)})`);
    process.exitCode = 1;
  } else {
    console.log(`wrote ${pngFile}`);
  }
}

await main();
