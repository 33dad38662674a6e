// The bundle patches Ink's frame composition and what it is made of (scripts/build-patches.mjs):
// Ink's Output bundled with every patch must draw what Ink's own does, frame after frame (both
// are bundled here and given the same writes), and widest-line must measure as it did.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script without types
import { applyPatches } from '../scripts/build-patches.mjs';

interface Frame {
  write(x: number, y: number, text: string, options: { transformers: unknown[] }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type OutputClass = new (options: { width: number; height: number }) => Frame;
type WidestLine = (text: string) => number;

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-patches-'));

/** A dependency's module bundled as it is, or as the build bundles it (with every patch). */
async function bundled<T>(name: string, file: string, patched: boolean): Promise<T> {
  const outfile = path.join(dir, `${name}-${patched ? 'patched' : 'original'}.mjs`);
  await build({
    entryPoints: [path.join(root, file)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    plugins: patched ? [{ name: 'patches', setup: (b) => void applyPatches(b) }] : [],
  });
  return ((await import(pathToFileURL(outfile).href)) as { default: T }).default;
}

/** A dependency's module bundled as it is and as the build bundles it: [original, patched]. */
async function bundledBoth<T>(name: string, file: string): Promise<[T, T]> {
  return [await bundled<T>(name, file, false), await bundled<T>(name, file, true)];
}

let Original: OutputClass;
let Patched: OutputClass;
let originalWidest: WidestLine;
let patchedWidest: WidestLine;

beforeAll(async () => {
  [Original, Patched] = await bundledBoth<OutputClass>(
    'output',
    'node_modules/ink/build/output.js',
  );
  [originalWidest, patchedWidest] = await bundledBoth<WidestLine>(
    'widest',
    'node_modules/widest-line/index.js',
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small deterministic generator, so that a failure is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const WORDS = [
  'web',
  '\u001b[1mbold\u001b[22m',
  '\u001b[31m✗ red\u001b[39m',
  '日本',
  'é',
  '…',
  ' ',
];

/** The same writes, clips and transformers on both. */
function drawBoth(next: () => number, width: number, height: number): [string, string] {
  const frames = [new Original({ width, height }), new Patched({ width, height })];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const writes = 3 + Math.floor(next() * 12);
  const upper = (line: string): string => line.toUpperCase();
  for (let w = 0; w < writes; w++) {
    const lines = Array.from({ length: 1 + Math.floor(next() * 3) }, () =>
      Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(WORDS)).join(''),
    );
    const x = Math.floor(next() * width);
    const y = Math.floor(next() * (height + 1));
    const clipped = next() < 0.3;
    const clip = { x1: Math.floor(next() * width), x2: width - 2, y1: 1, y2: height - 1 };
    const transformers = next() < 0.2 ? [upper] : [];
    for (const frame of frames) {
      if (clipped) frame.clip(clip);
      frame.write(x, y, lines.join('\n'), { transformers });
      if (clipped) frame.unclip();
    }
  }
  return [frames[0]!.get().output, frames[1]!.get().output];
}

describe("Ink's Output as bundled: rows written as before are reused, the frame is the same", () => {
  it('draws what the original draws, frame after frame, as rows change, repeat and resize', () => {
    const next = random(17);
    let compared = 0;
    for (let frame = 0; frame < 300; frame++) {
      const width = frame % 50 < 25 ? 40 : 24;
      // Every third frame repeats the previous one's writes (the rows are then reused).
      const seed = frame - (frame % 3);
      const [original, patched] = drawBoth(random(seed * 7919 + 1), width, 8);
      expect(patched, `frame ${frame}`).toBe(original);
      compared += original === '' ? 0 : 1;
      next();
    }
    expect(compared).toBeGreaterThan(250);
  });

  it('composes a row again when only the width changed (cells past the width close up)', () => {
    for (const width of [40, 20, 40]) {
      const frames = [new Original({ width, height: 2 }), new Patched({ width, height: 2 })];
      for (const frame of frames) frame.write(30, 0, 'abc', { transformers: [] });
      expect(frames[1]!.get().output).toBe(frames[0]!.get().output);
    }
  });
});

describe('widestLine as bundled: remembered widths are the widths', () => {
  it('answers what the original answers, asked again and past the cap', () => {
    const next = random(5);
    const texts = Array.from({ length: 9_000 }, (_, i) =>
      Array.from({ length: 1 + (i % 4) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(
        i % 3 === 0 ? '\n' : '',
      ),
    );
    for (const text of [...texts, ...texts.slice(0, 500)]) {
      expect(patchedWidest(text), JSON.stringify(text)).toBe(originalWidest(text));
    }
  });
});

type LogUpdate = {
  create(
    stream: { write(text: string): boolean; isTTY: boolean },
    options: { incremental: boolean },
  ): (text: string) => boolean;
};

/**
 * The screen of a terminal given what Ink's log-update writes: text, newline (the tty adds the
 * carriage return), cursor up / next line / to column, erase line / to its end, the cursor
 * hidden or shown, colours (left out: the test compares text).
 */
class Screen {
  readonly cells: string[][];
  private row = 0;
  private column = 0;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.cells = Array.from({ length: rows }, () => Array<string>(columns).fill(' '));
  }

  write(text: string): boolean {
    // eslint-disable-next-line no-control-regex -- the escape sequences log-update writes
    const pattern = /\u001b\[(\??)(\d*)([A-Za-z])|\n|[^\u001b\n]/gu;
    for (const [token, private_, count, command] of text.matchAll(pattern)) {
      if (token === '\n') this.newline();
      else if (command === undefined) this.put(token);
      else if (private_ === '?' || command === 'm') continue;
      else this.control(command, count === '' ? undefined : Number(count));
    }
    return true;
  }

  text(): string[] {
    return this.cells.map((row) => row.join('').trimEnd());
  }

  private control(command: string, count: number | undefined): void {
    const line = this.cells[this.row]!;
    if (command === 'A') this.row = Math.max(0, this.row - Math.max(1, count ?? 1));
    else if (command === 'E') [this.row, this.column] = [Math.min(this.rows - 1, this.row + 1), 0];
    else if (command === 'G') this.column = Math.max(0, (count ?? 1) - 1);
    else if (command === 'K' && count === 2) line.fill(' ');
    else if (command === 'K') line.fill(' ', this.column);
    else throw new Error(`the screen does not know ESC[${count ?? ''}${command}`);
  }

  private put(char: string): void {
    if (this.column < this.columns) this.cells[this.row]![this.column] = char;
    this.column += 1;
  }

  private newline(): void {
    this.column = 0;
    if (this.row < this.rows - 1) this.row += 1;
    else this.cells.push(this.cells.shift()!.fill(' '));
  }
}

describe("Ink's incremental rendering as bundled: the screen shows each frame", () => {
  /** Frames one row shorter than the terminal, ending with a newline (as Ink hands them over). */
  function frames(seed: number, count: number, rows: number): string[][] {
    const next = random(seed);
    let lines = Array.from({ length: rows - 1 }, (_, i) => `line ${i}`);
    const all: string[][] = [];
    for (let i = 0; i < count; i++) {
      const roll = next();
      if (roll < 0.1) lines = ['terminal too small'];
      else if (roll < 0.2) lines = Array.from({ length: rows - 1 }, (_, k) => `back ${i} ${k}`);
      else if (roll < 0.3) lines = lines.slice(0, 1 + Math.floor(next() * lines.length));
      else {
        lines = lines.map((line, k) =>
          next() < 0.2
            ? `\u001b[1m${i}\u001b[22m changed ${k} ${'x'.repeat(Math.floor(next() * 30))}`
            : line,
        );
      }
      all.push(lines);
    }
    return all;
  }

  async function shows(patched: boolean): Promise<boolean> {
    const logUpdate = await bundled<LogUpdate>(
      'log-update',
      'node_modules/ink/build/log-update.js',
      patched,
    );
    const [columns, rows] = [60, 12];
    const screen = new Screen(columns, rows);
    const render = logUpdate.create(
      { write: (text) => screen.write(text), isTTY: true },
      { incremental: true },
    );
    for (const lines of frames(7, 300, rows)) {
      render(`${lines.join('\n')}\n`);
      // eslint-disable-next-line no-control-regex -- the frames' colours
      const plain = lines.map((line) => line.replace(/\u001b\[\d*m/g, '').trimEnd());
      const expected = [...plain, ...Array<string>(rows - plain.length).fill('')];
      if (JSON.stringify(screen.text()) !== JSON.stringify(expected)) return false;
    }
    return true;
  }

  it('draws every frame where it belongs, changed lines and unchanged ones', async () => {
    expect(await shows(true)).toBe(true);
  });

  it("is needed: Ink's own draws the unchanged lines a row too low", async () => {
    expect(await shows(false)).toBe(false);
  });
});

interface YogaNode {
  setWidth(width: number): void;
  calculateLayout(width: undefined, height: undefined): void;
  getComputedWidth(): number;
}

describe('yoga as bundled: its wasm is decoded without fetch', () => {
  /** yoga bundled as given, loaded while every fetch is counted: how many it made. */
  async function fetchesWhileLoading(patched: boolean): Promise<number> {
    const real = globalThis.fetch;
    let fetches = 0;
    globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
      fetches += 1;
      return real(...args);
    }) as typeof fetch;
    try {
      const yoga = await bundled<{ Node: { create(): YogaNode } }>(
        'yoga',
        'node_modules/yoga-layout/dist/src/index.js',
        patched,
      );
      const node = yoga.Node.create();
      node.setWidth(12);
      node.calculateLayout(undefined, undefined);
      expect(node.getComputedWidth()).toBe(12);
      return fetches;
    } finally {
      globalThis.fetch = real;
    }
  }

  it('lays out without fetching (node never loads its HTTP client for it)', async () => {
    expect(await fetchesWhileLoading(true)).toBe(0);
  });

  it("is needed: yoga's own loader fetches its data: URL", async () => {
    expect(await fetchesWhileLoading(false)).toBeGreaterThan(0);
  });
});

describe('string-width as bundled: the emoji check only skips what cannot be an emoji', () => {
  type StringWidth = (text: string) => number;
  let original: StringWidth;
  let patched: StringWidth;

  beforeAll(async () => {
    [original, patched] = await bundledBoth<StringWidth>(
      'string-width',
      'node_modules/string-width/index.js',
    );
  });

  /** The texts the two measure differently (at most a few, for the message). */
  function differences(texts: Iterable<string>): string[] {
    const found: string[] = [];
    for (const text of texts) {
      if (patched(text) !== original(text)) found.push(text);
      if (found.length >= 5) break;
    }
    return found;
  }

  it('measures every code point of the planes with characters and of the tags as the original does', () => {
    function* codePoints(): Generator<string> {
      for (let cp = 0; cp <= 0xe0fff; cp = cp === 0x3ffff ? 0xe0000 : cp + 1) {
        if (cp < 0xd800 || cp > 0xdfff) yield `a${String.fromCodePoint(cp)}`;
      }
    }
    expect(differences(codePoints())).toEqual([]);
  });

  it('measures emoji sequences as the original does: text-style pairs, joined, keycaps, flags, skin tones', () => {
    const textStyle = [...Array(0x20000).keys()]
      .map((cp) => (cp >= 0xd800 && cp <= 0xdfff ? '' : String.fromCodePoint(cp)))
      .filter((c) => /\p{Emoji}/u.test(c) && !/\p{Emoji_Presentation}/u.test(c));
    function* sequences(): Generator<string> {
      for (const a of textStyle) {
        yield `${a}\u{FE0F}`;
        yield `${a}\u{20E3}`;
        yield `${a}\u{FE0F}\u{20E3}`;
        yield `${a}\u{1F3FD}`;
        for (const b of textStyle) {
          yield `x${a}${b}`;
          yield `x${a}\u200D${b}`;
        }
      }
      yield '🇫🇷🇯🇵';
      yield '👩‍👩‍👧‍👦';
      yield '🏴󠁧󠁢󠁳󠁣󠁴󠁿';
      yield '👍🏽 ✔️ ❤️‍🔥 1️⃣ #⃣';
    }
    expect(textStyle.length).toBeGreaterThan(100);
    expect(differences(sequences())).toEqual([]);
  });
});
