import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LogDecoder,
  MAX_LINE_BYTES,
  decodeLogs,
  describeLogStreamError,
  parseLogDetails,
  unreadableDriverMessage,
} from '../../source/docker/log-stream.js';
import type { LogLine } from '../../source/model.js';

// Fixtures: raw responses of the lab's GET /services/{name}/logs?timestamps=1&details=1, recorded
// by `npx tsx scripts/record-fixtures.ts --logs` (web, logger: multiplexed; ttylog: a TTY service,
// raw; hostile: escape sequences in the text).
const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/lab/logs-${name}.bin`, import.meta.url));

const NODE = 'o0iu6g961kq633pn3vo94hkdv';
const SERVICE = 'i2j1pnxq5w4xh7umha1q67940';
const TASK = 'okvwzwin9bqmf0tqe45lsaewy';
const TIME = '2026-11-25T02:02:21.114867497Z';
const DETAILS = `com.docker.swarm.node.id=${NODE},com.docker.swarm.service.id=${SERVICE},com.docker.swarm.task.id=${TASK}`;
const PREFIX = `${TIME} ${DETAILS} `;

function frame(type: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function decode(chunks: Buffer[], tty = false): LogLine[] {
  return decodeLogs(chunks, { tty }).lines;
}

/** The buffer cut into pieces of `size` bytes. */
function pieces(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

describe('LogDecoder on multiplexed streams', () => {
  it('reads the lab capture of web: time, task, node and service on every line', () => {
    const lines = decode([fixture('web')]);
    expect(lines).toHaveLength(12);
    for (const line of lines) {
      expect(line.stream).toBe('stdout');
      expect(line.time).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(line.text).toMatch(/^hello from [0-9a-f]{12}$/);
      expect(line.serviceId).toMatch(/^[a-z0-9]{25}$/);
      expect(line.taskId).toMatch(/^[a-z0-9]{25}$/);
      expect(line.nodeId).toMatch(/^[a-z0-9]{25}$/);
    }
    // One service, four tasks (one container each: the hostname in the text), three lines each.
    expect(new Set(lines.map((l) => l.serviceId)).size).toBe(1);
    const hostByTask = new Map<string | null, Set<string>>();
    for (const line of lines) {
      const hosts = hostByTask.get(line.taskId) ?? new Set();
      hosts.add(line.text);
      hostByTask.set(line.taskId, hosts);
    }
    expect(hostByTask.size).toBe(4);
    for (const hosts of hostByTask.values()) expect(hosts.size).toBe(1);
  });

  it('agrees with the raw details text of the capture', () => {
    const raw = fixture('web').toString('latin1');
    const tasks = [...raw.matchAll(/com\.docker\.swarm\.task\.id=([a-z0-9]+)/g)].map((m) => m[1]);
    const nodes = [...raw.matchAll(/com\.docker\.swarm\.node\.id=([a-z0-9]+)/g)].map((m) => m[1]);
    const lines = decode([fixture('web')]);
    expect(lines.map((l) => l.taskId)).toEqual(tasks);
    expect(lines.map((l) => l.nodeId)).toEqual(nodes);
  });

  it('gives the same lines whatever byte offset a chunk boundary falls on', () => {
    for (const name of ['web', 'logger', 'hostile']) {
      const buf = fixture(name);
      const whole = decode([buf]);
      for (let at = 0; at <= buf.length; at++) {
        expect(decode([buf.subarray(0, at), buf.subarray(at)])).toEqual(whole);
      }
      expect(decode(pieces(buf, 1))).toEqual(whole);
      expect(decode(pieces(buf, 7))).toEqual(whole);
    }
  });

  it('reads several frames in one chunk and across three chunks', () => {
    const stream = Buffer.concat([
      frame(1, `${PREFIX}one\n`),
      frame(2, `${PREFIX}two\n`),
      frame(1, `${PREFIX}three\n`),
    ]);
    const decoder = new LogDecoder({ tty: false });
    const first = decoder.push(stream.subarray(0, 20));
    const second = decoder.push(stream.subarray(20, stream.length - 3));
    const third = decoder.push(stream.subarray(stream.length - 3));
    expect(first).toEqual([]);
    expect(second.map((l) => l.text)).toEqual(['one', 'two']);
    expect(third.map((l) => [l.stream, l.text])).toEqual([['stdout', 'three']]);
    expect(decoder.end()).toEqual([]);
  });

  it('marks stderr lines as stderr (the logger capture has a warning every 10th line)', () => {
    const lines = decode([fixture('logger')]);
    const warnings = lines.filter((l) => l.stream === 'stderr');
    expect(warnings.length).toBeGreaterThan(0);
    for (const line of warnings) expect(line.text).toMatch(/^logger warn \d+$/);
    for (const line of lines.filter((l) => l.stream === 'stdout')) {
      expect(line.text).toMatch(/^logger line \d+ from [0-9a-f]{12}$/);
    }
  });

  it('keeps the raw text: sanitizing is the screen’s job', () => {
    const texts = decode([fixture('hostile')]).map((l) => l.text);
    expect(texts.some((t) => t.includes('\x1b]0;pwned\x07'))).toBe(true);
    expect(texts.some((t) => t.includes('\x1b[2J'))).toBe(true);
    expect(texts.some((t) => t.includes('safe\rEVIL'))).toBe(true);
    expect(texts.some((t) => t.includes('\u009b31m'))).toBe(true);
    expect(texts.some((t) => /^hostile-marker \d+$/.test(t))).toBe(true);
  });

  it('joins a line whose bytes span frames without a prefix of their own', () => {
    const lines = decode([frame(1, `${PREFIX}hello `), frame(1, 'wor'), frame(1, 'ld\n')]);
    expect(lines.map((l) => [l.taskId, l.text])).toEqual([[TASK, 'hello world']]);
  });

  it("joins Docker's 16 KiB partial messages, each sent with the same prefix", () => {
    const long = 'x'.repeat(16384) + 'y'.repeat(16384) + 'z'.repeat(100);
    const stream = Buffer.concat([
      frame(1, `${PREFIX}${long.slice(0, 16384)}`),
      frame(1, `${PREFIX}${long.slice(16384, 32768)}`),
      frame(1, `${PREFIX}${long.slice(32768)}\n`),
      frame(1, `${PREFIX}next\n`),
    ]);
    for (const size of [stream.length, 1000, 16 * 1024]) {
      const lines = decode(pieces(stream, size));
      expect(lines.map((l) => l.text)).toEqual([long, 'next']);
      expect(lines[0]?.time).toBe(TIME);
    }
  });

  it('ends a message without a newline when the next frame starts another message', () => {
    const other = PREFIX.replace(TASK, 'a'.repeat(25)).replace(TIME, '2026-11-25T02:02:22Z');
    const lines = decode([
      frame(1, `${PREFIX}last words`),
      frame(1, `${other}from another task\n`),
    ]);
    expect(lines.map((l) => [l.taskId, l.text])).toEqual([
      [TASK, 'last words'],
      ['a'.repeat(25), 'from another task'],
    ]);
  });

  it('keeps a partial line per stream: stdout and stderr interleave mid-line', () => {
    const lines = decode([
      frame(1, `${PREFIX}out `),
      frame(2, `${PREFIX}err `),
      frame(1, 'line\n'),
      frame(2, 'line\n'),
    ]);
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'out line'],
      ['stderr', 'err line'],
    ]);
  });

  it('returns the last line without a newline at end()', () => {
    const decoder = new LogDecoder({ tty: false });
    expect(decoder.push(frame(1, `${PREFIX}no newline`))).toEqual([]);
    expect(decoder.end().map((l) => l.text)).toEqual(['no newline']);
  });

  it('replaces invalid UTF-8 with U+FFFD and decodes characters cut by chunks or frames', () => {
    const bad = Buffer.concat([Buffer.from(PREFIX), Buffer.from([0x61, 0xff, 0xc3, 0x62, 0x0a])]);
    expect(decode([frame(1, bad)]).map((l) => l.text)).toEqual(['a\ufffd\ufffdb']);

    const euro = Buffer.from('€uro ✓\n'); // 3-byte characters
    const stream = Buffer.concat([
      frame(1, Buffer.concat([Buffer.from(PREFIX), euro.subarray(0, 1)])),
      frame(1, euro.subarray(1, 2)),
      frame(1, euro.subarray(2)),
    ]);
    for (let at = 0; at <= stream.length; at++) {
      const lines = decode([stream.subarray(0, at), stream.subarray(at)]);
      expect(lines.map((l) => l.text)).toEqual(['€uro ✓']);
    }
  });

  it('cuts a line over the cap with a marker saying how much was cut', () => {
    const text = 'a'.repeat(MAX_LINE_BYTES + 5000);
    const lines = decode([Buffer.from(`${PREFIX}${text}\n`)], true);
    expect(lines).toHaveLength(1);
    const cut = lines[0]!;
    expect(cut.taskId).toBe(TASK);
    const dropped = PREFIX.length + text.length - MAX_LINE_BYTES;
    expect(cut.text).toBe(
      `${'a'.repeat(MAX_LINE_BYTES - PREFIX.length)}… [line cut: ${dropped} bytes]`,
    );
  });

  it('never cuts inside a UTF-8 character', () => {
    const decoder = new LogDecoder({ tty: true, maxLineBytes: 1000 });
    const lines = decoder.push(Buffer.from(`${'é'.repeat(2000)}\n`));
    expect(lines[0]?.text).toMatch(/^é{500}… \[line cut: 3000 bytes\]$/);
  });

  it('flushes a never-ending line once at the cap and holds no more than the cap', () => {
    const decoder = new LogDecoder({ tty: false });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    decoder.push(frame(1, PREFIX));
    const out: LogLine[] = [];
    // 64 MiB in frames of 64 KiB without a single newline.
    for (let i = 0; i < 1024; i++) out.push(...decoder.push(frame(1, chunk)));
    expect(out).toHaveLength(1);
    expect(out[0]?.taskId).toBe(TASK);
    expect(out[0]?.text).toMatch(/^A+… \[line cut: no newline in 65536 bytes\]$/);
    expect(Buffer.byteLength(out[0]!.text)).toBeLessThan(MAX_LINE_BYTES + 100);
    const held = (decoder as unknown as { stdout: { size: number } }).stdout.size;
    expect(held).toBe(0);
    // The newline that finally comes ends the cut line; the next line is whole again.
    expect(decoder.push(frame(1, 'AAAA\n'))).toEqual([]);
    expect(decoder.push(frame(1, `${PREFIX}fine\n`)).map((l) => l.text)).toEqual(['fine']);
  });

  it('collects errors the engine writes into the stream (stream 3)', () => {
    const decoder = new LogDecoder({ tty: false });
    const lines = decoder.push(
      Buffer.concat([
        frame(1, `${PREFIX}before\n`),
        frame(
          3,
          `Error grabbing logs: rpc error: code = Unknown desc = warning: incomplete log stream. some logs could not be retrieved for the following reasons: node ${NODE} is not available\n`,
        ),
      ]),
    );
    expect(lines.map((l) => l.text)).toEqual(['before']);
    expect(decoder.errors).toEqual([
      `rpc error: code = Unknown desc = warning: incomplete log stream. some logs could not be retrieved for the following reasons: node ${NODE} is not available`,
    ]);
  });

  it('falls back to raw bytes when the stream turns out not to be multiplexed', () => {
    const lines = decode([Buffer.from(`${PREFIX}raw after all\r\n`)]);
    expect(lines.map((l) => [l.stream, l.taskId, l.text])).toEqual([
      ['tty', TASK, 'raw after all'],
    ]);
  });
});

describe('LogDecoder on TTY streams', () => {
  it('reads the lab capture of ttylog as raw lines marked tty, without the CR', () => {
    const buf = fixture('ttylog');
    const whole = decode([buf], true);
    expect(whole).toHaveLength(3);
    for (const line of whole) {
      expect(line.stream).toBe('tty');
      expect(line.text).toMatch(/^tty line \d+$/);
      expect(line.taskId).toMatch(/^[a-z0-9]{25}$/);
      expect(line.time).not.toBeNull();
    }
    for (let at = 0; at <= buf.length; at++) {
      expect(decode([buf.subarray(0, at), buf.subarray(at)], true)).toEqual(whole);
    }
  });

  it("joins Docker's partial messages inside one raw line", () => {
    const long = 'q'.repeat(16384) + 'r'.repeat(50);
    const raw = `${PREFIX}${long.slice(0, 16384)}${PREFIX}${long.slice(16384)}\r\n`;
    expect(decode([Buffer.from(raw)], true).map((l) => l.text)).toEqual([long]);
  });

  it('tells an engine error from program output by its missing timestamp', () => {
    const decoder = new LogDecoder({ tty: true });
    const lines = decoder.push(
      Buffer.from(
        `${PREFIX}Error grabbing logs: printed by the program\r\nError grabbing logs: task gone\n`,
      ),
    );
    expect(lines.map((l) => l.text)).toEqual(['Error grabbing logs: printed by the program']);
    expect(decoder.errors).toEqual(['task gone']);
  });
});

describe('parseLogDetails', () => {
  it('reads the swarm ids in any order and url-decodes', () => {
    expect(
      parseLogDetails(
        `com.docker.swarm.task.id=t1,extra=a%2Cb,com.docker.swarm.node.id=n%31,com.docker.swarm.service.id=s+1`,
      ),
    ).toEqual({ serviceId: 's 1', taskId: 't1', nodeId: 'n1' });
  });

  it('is defensive about empty, malformed and unknown details', () => {
    const none = { serviceId: null, taskId: null, nodeId: null };
    expect(parseLogDetails('')).toEqual(none);
    expect(parseLogDetails('=x,novalue,com.docker.swarm.task.id=')).toEqual(none);
    expect(parseLogDetails('com.docker.swarm.task.id=%zz')).toEqual({ ...none, taskId: '%zz' });
  });

  it('takes empty details (two spaces) and lines without details apart', () => {
    const lines = decode(
      [Buffer.from(`${TIME}  empty details\n${TIME} no-details here\nplain\n`)],
      true,
    );
    expect(lines.map((l) => [l.time, l.taskId, l.text])).toEqual([
      [TIME, null, 'empty details'],
      [TIME, null, 'no-details here'],
      [null, null, 'plain'],
    ]);
  });
});

describe('messages about log streams', () => {
  it('names the node of an incomplete stream when it is known', () => {
    const names = (id: string): string | null => (id === NODE ? 'worker-1' : null);
    expect(
      describeLogStreamError(
        `rpc error: code = Unknown desc = warning: incomplete log stream. some logs could not be retrieved for the following reasons: node ${NODE} is not available`,
        'web',
        names,
      ),
    ).toBe(
      `Some logs of web could not be read: node worker-1 (${NODE.slice(0, 12)}) is not available.`,
    );
  });

  it('passes other engine errors on in one sentence', () => {
    expect(describeLogStreamError('log message is too large.', 'web')).toBe(
      'The engine stopped the logs of web with an error: log message is too large.',
    );
    expect(
      describeLogStreamError(
        'failed getting container logs: configured logging driver does not support reading',
        'web',
      ),
    ).toBe(
      'The logging driver of web does not let the engine read logs back (failed getting container logs: configured logging driver does not support reading).',
    );
    expect(unreadableDriverMessage('web', 'log driver "none" keeps no logs')).toBe(
      'The logging driver of web does not let the engine read logs back (log driver "none" keeps no logs).',
    );
  });
});
