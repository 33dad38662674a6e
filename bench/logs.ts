// Log ingest benchmark: what the log view does with every byte of a followed log. LogDecoder
// (demultiplex, split into lines, parse the timestamp and details prefix) and then `sanitize` of
// each line's text, over 1,000,000 lines fed in 16-64 KiB chunks as a socket would deliver them.
//
//   npm run bench:logs            (writes bench/results/logs.json)
//   BENCH_LOG_LINES=200000 npm run bench:logs
//
// The input is recorded-like: the engine's framing (one frame per message, Docker's 16 KiB
// partial messages for long lines), its timestamps and swarm details, several tasks, mixed
// stdout/stderr, some long lines, escape sequences and non-ASCII text. One segment is generated
// and replayed, so the input itself stays small; lines are dropped after sanitizing (a bounded
// ring keeps the last few), so memory must stay flat over the run.

import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LogDecoder } from '../source/docker/log-stream.js';
import { sanitize } from '../source/format/sanitize.js';
import { LogBuffer } from '../source/state/log-buffer.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const TOTAL_LINES = Number(process.env['BENCH_LOG_LINES'] ?? 1_000_000);
const SEGMENT_LINES = 100_000;
const SAMPLE_EVERY = 100_000;
const RING_SIZE = 1_000;
const TARGET_LINES_PER_SECOND = 100_000;
const RESULTS = fileURLToPath(new URL('./results/logs.json', import.meta.url));

/** Small deterministic PRNG (mulberry32): the same input on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function id(rand: () => number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 25; i++) out += chars[Math.floor(rand() * chars.length)];
  return out;
}

function frame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const MESSAGES = [
  'GET /api/v1/orders/%n 200 %ms ms user=%u',
  'POST /api/v1/payments 201 %ms ms idempotency-key=%h',
  'level=info msg="request served" path=/healthz status=200 duration=%msms',
  'level=warn msg="slow query" table=orders rows=%n duration=%msms',
  '{"level":"info","ts":%n,"caller":"server/handler.go:142","msg":"cache miss","key":"order:%n"}',
  'connected to db-primary:5432 (pool %n/64)',
  'worker %n picked job %h from queue default',
  'Überweisung %n verbucht — Betrag 12,50 € ✓',
];
const ESCAPED = [
  '\x1b[32mINFO\x1b[0m server listening on :8080',
  '\x1b[1;31mERROR\x1b[0m upstream timed out after %ms ms',
  'progress 42%\r\x1b[Kprogress 43%',
  'title \x1b]0;pwned\x07 and clipboard \x1b]52;c;aGk=\x07',
];

/** One replayable segment of the engine's response: frames for SEGMENT_LINES lines. */
function generateSegment(): { bytes: Buffer; lines: number } {
  const rand = random(42);
  const service = id(rand);
  const tasks = Array.from({ length: 6 }, () => ({ task: id(rand), node: id(rand) }));
  const frames: Buffer[] = [];
  let time = Date.UTC(2026, 10, 25, 1, 0, 0) * 1e6;
  const fill = (template: string): string =>
    template
      .replace(/%n/g, () => String(Math.floor(rand() * 100000)))
      .replace(/%ms/g, () => (rand() * 900).toFixed(1))
      .replace(/%u/g, () => `user${Math.floor(rand() * 500)}`)
      .replace(/%h/g, () => Math.floor(rand() * 2 ** 32).toString(16));
  for (let i = 0; i < SEGMENT_LINES; i++) {
    const { task, node } = tasks[Math.floor(rand() * tasks.length)]!;
    time += Math.floor(rand() * 3_000_000);
    const stamp = `${new Date(Math.floor(time / 1e6)).toISOString().slice(0, 19)}.${String(time % 1e9).padStart(9, '0')}Z`;
    const prefix = `${stamp} com.docker.swarm.node.id=${node},com.docker.swarm.service.id=${service},com.docker.swarm.task.id=${task} `;
    const r = rand();
    let text: string;
    if (r < 0.001)
      text = 'x'.repeat(16_384 + Math.floor(rand() * 30_000)); // split by Docker
    else if (r < 0.01) text = fill(MESSAGES[0]!).repeat(20 + Math.floor(rand() * 40));
    else if (r < 0.06) text = fill(ESCAPED[Math.floor(rand() * ESCAPED.length)]!);
    else text = fill(MESSAGES[Math.floor(rand() * MESSAGES.length)]!);
    const stream = rand() < 0.1 ? 2 : 1;
    const body = Buffer.from(`${text}\n`);
    // Docker's copier cuts messages at 16 KiB; each part carries the prefix again.
    for (let at = 0; at < body.length; at += 16_384) {
      const part = body.subarray(at, Math.min(body.length, at + 16_384));
      frames.push(frame(stream, Buffer.concat([Buffer.from(prefix), part])));
    }
  }
  return { bytes: Buffer.concat(frames), lines: SEGMENT_LINES };
}

interface Sample {
  lines: number;
  seconds: number;
  heapUsedMiB: number;
  rssMiB: number;
}

const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

function run(segment: Buffer, totalLines: number, withSanitize: boolean) {
  const rand = random(7);
  const decoder = new LogDecoder({ tty: false });
  const ring: string[] = new Array<string>(RING_SIZE).fill('');
  let lines = 0;
  let chars = 0;
  let bytes = 0;
  let nextSample = SAMPLE_EVERY;
  const samples: Sample[] = [];
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  outer: for (;;) {
    let pos = 0;
    while (pos < segment.length) {
      const size = 16_384 + Math.floor(rand() * 49_152);
      const chunk = segment.subarray(pos, Math.min(segment.length, pos + size));
      pos += chunk.length;
      bytes += chunk.length;
      for (const line of decoder.push(chunk)) {
        const text = withSanitize ? sanitize(line.text) : line.text;
        ring[lines % RING_SIZE] = text;
        chars += text.length;
        lines += 1;
      }
      if (lines >= nextSample) {
        const memory = process.memoryUsage();
        samples.push({
          lines,
          seconds: elapsed(),
          heapUsedMiB: mib(memory.heapUsed),
          rssMiB: mib(memory.rss),
        });
        nextSample += SAMPLE_EVERY;
      }
      if (lines >= totalLines) break outer;
    }
  }
  decoder.end();
  const seconds = elapsed();
  return {
    lines,
    bytes,
    seconds,
    linesPerSecond: Math.round(lines / seconds),
    mibPerSecond: Math.round((bytes / 2 ** 20 / seconds) * 10) / 10,
    chars,
    samples,
    ringKept: ring.filter((t) => t !== '').length,
  };
}

// A full GC before each heap reading, so what is read is what is kept alive.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

interface Retained {
  case: string;
  lines: number;
  /** Heap kept alive by the buffer, per line, after a full GC. */
  bytesPerLine: number;
  /** What the buffer counts against its byte bound, per line. */
  countedPerLine: number;
  /** Lines kept by a buffer with the default 64 MiB bound, from the same input. */
  keptWithDefaultBound: number;
}

/** Heap a LogBuffer keeps per line when fed through LogDecoder, as the log view feeds it. */
function retained(name: string, input: Buffer, lines: number): Retained {
  const feed = (buffer: LogBuffer): void => {
    const decoder = new LogDecoder({ tty: false });
    for (let pos = 0; pos < input.length && buffer.size < lines; pos += 65_536) {
      buffer.push(decoder.push(input.subarray(pos, pos + 65_536)).slice(0, lines - buffer.size));
    }
  };
  const before = heapAfterGc();
  const unbounded = new LogBuffer(lines, 2 ** 40);
  feed(unbounded);
  const after = heapAfterGc();
  const bounded = new LogBuffer(lines);
  feed(bounded);
  return {
    case: name,
    lines: unbounded.size,
    bytesPerLine: Math.round((after - before) / unbounded.size),
    countedPerLine: Math.round(unbounded.bytes / unbounded.size),
    keptWithDefaultBound: bounded.size,
  };
}

/** The review's case: lines of 100 KB, each cut to 64 KiB raw and 4,000 cells of display. */
function longLines(count: number): Buffer {
  const prefix = '2026-11-25T01:00:00.000000000Z com.docker.swarm.task.id=t ';
  const body = Buffer.from(`${prefix}${'x'.repeat(100_000)}\n`);
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    for (let at = 0; at < body.length; at += 16_384) {
      parts.push(frame(1, body.subarray(at, Math.min(body.length, at + 16_384))));
    }
  }
  return Buffer.concat(parts);
}

function main(): void {
  const t0 = Date.now();
  const { bytes: segment } = generateSegment();
  console.log(
    `input: ${SEGMENT_LINES.toLocaleString('en')} lines, ${mib(segment.length)} MiB per segment (generated in ${Date.now() - t0} ms), replayed to ${TOTAL_LINES.toLocaleString('en')} lines`,
  );

  run(segment, 200_000, true); // warm-up: let the JIT settle
  const decodeOnly = run(segment, TOTAL_LINES, false);
  const ingest = run(segment, TOTAL_LINES, true);

  console.log('');
  console.log('lines      seconds  heap MiB  RSS MiB   (decode + sanitize)');
  for (const s of ingest.samples) {
    console.log(
      `${String(s.lines).padStart(9)}  ${s.seconds.toFixed(2).padStart(7)}  ${s.heapUsedMiB.toFixed(1).padStart(8)}  ${s.rssMiB.toFixed(1).padStart(7)}`,
    );
  }
  const heap = ingest.samples.map((s) => s.heapUsedMiB);
  const rss = ingest.samples.map((s) => s.rssMiB);
  console.log('');
  console.log(`                      lines/s     MiB/s   seconds`);
  for (const [name, r] of [
    ['decode only', decodeOnly],
    ['decode + sanitize', ingest],
  ] as const) {
    console.log(
      `${name.padEnd(18)} ${r.linesPerSecond.toLocaleString('en').padStart(12)} ${r.mibPerSecond.toFixed(1).padStart(9)} ${r.seconds.toFixed(2).padStart(9)}`,
    );
  }
  console.log(
    `memory over the run: heap ${Math.min(...heap)}-${Math.max(...heap)} MiB, RSS ${Math.min(...rss)}-${Math.max(...rss)} MiB`,
  );
  const kept = [
    retained('mixed lines', segment, 10_000),
    retained('100 KB lines', longLines(2_000), 2_000),
  ];
  console.log('');
  console.log('kept in a LogBuffer      lines  heap B/line  counted B/line  kept at 64 MiB');
  for (const k of kept) {
    console.log(
      `${k.case.padEnd(20)} ${String(k.lines).padStart(9)} ${String(k.bytesPerLine).padStart(12)} ${String(k.countedPerLine).padStart(15)} ${String(k.keptWithDefaultBound).padStart(15)}`,
    );
  }
  const pass = ingest.linesPerSecond >= TARGET_LINES_PER_SECOND;
  console.log(
    `target ${TARGET_LINES_PER_SECOND.toLocaleString('en')} lines/s: ${pass ? 'met' : 'NOT met'}`,
  );

  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  const strip = ({ samples: _s, chars: _c, ringKept: _r, ...rest }: typeof ingest) => rest;
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        target: TARGET_LINES_PER_SECOND,
        pass,
        segmentBytes: segment.length,
        decodeOnly: strip(decodeOnly),
        ingest: { ...strip(ingest), samples: ingest.samples },
        retained: kept,
        memory: {
          heapMiB: [Math.min(...heap), Math.max(...heap)],
          rssMiB: [Math.min(...rss), Math.max(...rss)],
        },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${RESULTS}`);
  if (!pass) process.exitCode = 1;
}

main();
