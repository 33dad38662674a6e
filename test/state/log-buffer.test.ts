/* eslint-disable no-control-regex -- these tests are about control characters */
import { describe, expect, it } from 'vitest';
import { cellWidth } from '../../source/format/cells.js';
import type { LogLine } from '../../source/model.js';
import {
  compileFilter,
  cutForDisplay,
  entryBytes,
  flatten,
  filterLines,
  LogBuffer,
  MAX_LINE_CELLS,
  MAX_RAW_CHARS,
  type LogEntry,
} from '../../source/state/log-buffer.js';

function logLine(text: string, overrides: Partial<LogLine> = {}): LogLine {
  return {
    serviceId: 'svc',
    taskId: 'task-1',
    nodeId: 'node-1',
    stream: 'stdout',
    time: '2024-05-01T12:00:00.123456789Z',
    text,
    ...overrides,
  };
}

const lines = (from: number, to: number): LogLine[] =>
  Array.from({ length: to - from }, (_, i) => logLine(`line ${from + i}`));

const texts = (entries: (LogEntry | undefined)[]): string[] => entries.map((e) => e?.text ?? '∅');

const indicesOf = (buffer: LogBuffer, query: string): number[] => {
  const result = filterLines(buffer, query);
  if (!result.ok) throw new Error(result.error);
  return result.indices;
};

describe('LogBuffer', () => {
  it('keeps lines in arrival order, 0 being the oldest', () => {
    const b = new LogBuffer(5);
    b.push(lines(0, 3));
    expect(b.size).toBe(3);
    expect(texts([b.at(0), b.at(1), b.at(2)])).toEqual(['line 0', 'line 1', 'line 2']);
    expect(b.at(3)).toBeUndefined();
    expect(b.at(-1)).toBeUndefined();
    expect(b.at(0.5)).toBeUndefined();
  });

  it('evicts the oldest lines first once full and counts them as dropped', () => {
    const b = new LogBuffer(5);
    b.push(lines(0, 3));
    b.push(lines(3, 8));
    expect(b.size).toBe(5);
    expect(b.dropped).toBe(3);
    expect(texts(b.slice())).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    b.push(lines(8, 9));
    expect(b.dropped).toBe(4);
    expect(b.at(0)?.text).toBe('line 4');
    expect(b.at(4)?.text).toBe('line 8');
  });

  it('keeps the tail of a batch larger than the whole buffer', () => {
    const b = new LogBuffer(4);
    b.push(lines(0, 2));
    b.push(lines(2, 12));
    expect(texts(b.slice())).toEqual(['line 8', 'line 9', 'line 10', 'line 11']);
    expect(b.dropped).toBe(8);
  });

  it('slices across the wrap point like Array.prototype.slice', () => {
    const b = new LogBuffer(5);
    b.push(lines(0, 8)); // physical order now 5 6 7 3 4: the ring has wrapped
    expect(texts(b.slice(1, 4))).toEqual(['line 4', 'line 5', 'line 6']);
    expect(texts(b.slice(0, 5))).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    expect(texts(b.slice(-2))).toEqual(['line 6', 'line 7']);
    expect(texts(b.slice(3, 99))).toEqual(['line 6', 'line 7']);
    expect(b.slice(4, 2)).toEqual([]);
    expect(texts(b.slice(-99, 1))).toEqual(['line 3']);
  });

  it('changes its version on every mutation, and only then', () => {
    const b = new LogBuffer(3);
    const seen = [b.version];
    b.push(lines(0, 2));
    seen.push(b.version);
    b.push([]);
    expect(b.version).toBe(seen[1]);
    b.push(lines(2, 6)); // evicting is a change too
    seen.push(b.version);
    b.markGap('resumed');
    seen.push(b.version);
    b.clear();
    seen.push(b.version);
    b.at(0);
    b.slice();
    expect(b.version).toBe(seen[4]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] ?? 0);
  });

  it('clear empties the buffer and resets the dropped count', () => {
    const b = new LogBuffer(2);
    b.push(lines(0, 5));
    expect(b.dropped).toBe(3);
    b.clear();
    expect(b.size).toBe(0);
    expect(b.dropped).toBe(0);
    expect(b.slice()).toEqual([]);
    b.push(lines(5, 8));
    expect(texts(b.slice())).toEqual(['line 6', 'line 7']);
    expect(b.dropped).toBe(1);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new LogBuffer(0)).toThrow(RangeError);
    expect(() => new LogBuffer(2.5)).toThrow(RangeError);
    expect(new LogBuffer().capacity).toBe(10_000);
  });

  it('stays bounded through 1,000,000 pushes', () => {
    const b = new LogBuffer(1_000);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i += 100) {
      b.push(Array.from({ length: 100 }, (_, j) => logLine(`request ${i + j} served in 3 ms`)));
    }
    gc?.();
    const grown = process.memoryUsage().heapUsed - before;
    expect(b.size).toBe(1_000);
    expect(b.dropped).toBe(999_000);
    expect(b.at(0)?.text).toBe('request 999000 served in 3 ms');
    expect(b.at(999)?.text).toBe('request 999999 served in 3 ms');
    // 1,000,000 unbounded lines would be well over 100 MB; 1,000 kept lines are far below.
    expect(grown).toBeLessThan(gc ? 5_000_000 : 60_000_000);
  });

  describe('gap markers', () => {
    it('are their own kind of entry, sanitized, in order with the lines', () => {
      const b = new LogBuffer(10);
      b.push(lines(0, 2));
      b.markGap('— stream resumed;\x1b[2J lines may be missing —');
      b.push(lines(2, 3));
      const entries = b.slice();
      expect(entries.map((e) => e.kind)).toEqual(['line', 'line', 'gap', 'line']);
      expect(entries[2]).toEqual({ kind: 'gap', text: '— stream resumed; lines may be missing —' });
    });

    it('collapse when consecutive, the latest text winning', () => {
      const b = new LogBuffer(10);
      b.push(lines(0, 1));
      b.markGap('reconnecting');
      b.markGap('reconnecting again');
      expect(texts(b.slice())).toEqual(['line 0', 'reconnecting again']);
    });

    it('take a slot but are not counted as dropped lines when evicted', () => {
      const b = new LogBuffer(3);
      b.markGap('start');
      b.push(lines(0, 3));
      expect(b.size).toBe(3);
      expect(b.dropped).toBe(0);
      b.push(lines(3, 4));
      expect(b.dropped).toBe(1);
    });
  });

  describe('text', () => {
    it('is sanitized once, on push, and the raw line is kept', () => {
      const b = new LogBuffer(10);
      const hostile = 'ok\x1b]0;pwned\x07 \x1b[31mred\x1b[0m\r\nnext\tcol\u202eevil\x9b2J';
      b.push([logLine(hostile)]);
      const entry = b.at(0);
      expect(entry?.kind).toBe('line');
      if (entry?.kind !== 'line') return;
      expect(entry.line.text).toBe(hostile);
      expect(entry.text).toBe('ok red next    colevil');
      expect(entry.text).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e]/);
    });

    it('cuts very long lines for display with a note of what was cut', () => {
      const b = new LogBuffer(10);
      b.push([logLine('x'.repeat(1_000_000))]);
      const entry = b.at(0);
      if (entry?.kind !== 'line') throw new Error('expected a line');
      expect(entry.text).toBe(`${'x'.repeat(MAX_LINE_CELLS)} … [996,000 more chars]`);
      expect(entry.line.text).toHaveLength(MAX_RAW_CHARS);
    });

    it('cuts by cells, not characters, and never splits a wide character', () => {
      const wide = '界'.repeat(3_000); // 6,000 cells
      const cut = cutForDisplay(wide);
      expect(cut).toBe(`${'界'.repeat(2_000)} … [1,000 more chars]`);
      expect(cellWidth(cut.slice(0, cut.indexOf(' … ')))).toBeLessThanOrEqual(MAX_LINE_CELLS);
      expect(cutForDisplay('界'.repeat(2_000))).toBe('界'.repeat(2_000));
      expect(cutForDisplay('a'.repeat(MAX_LINE_CELLS))).toBe('a'.repeat(MAX_LINE_CELLS));
    });

    it('does not end a cut inside a surrogate pair', () => {
      const emoji = '😀'.repeat(9_000);
      const cut = cutForDisplay(emoji, 10);
      expect(cut).toMatch(/^(😀){5} … \[/);
      const odd = 'a' + '\u0301'.repeat(50_000); // combining marks: many units, one cell
      expect(cutForDisplay(odd, 10)).not.toMatch(/[\ud800-\udbff] …/);
    });
  });
});

describe('filterLines', () => {
  const buffer = (): LogBuffer => {
    const b = new LogBuffer(100);
    b.push([
      logLine('GET /health 200'),
      logLine('Error: connection refused', { stream: 'stderr' }),
      logLine('retrying in 5s'),
      logLine('an error occurred'),
      logLine('ERR_TIMEOUT'),
    ]);
    b.markGap('stream resumed');
    b.push([logLine('\x1b[31merror\x1b[0m in colour')]);
    return b;
  };

  it('matches plain text case-insensitively and keeps gap markers', () => {
    expect(indicesOf(buffer(), 'error')).toEqual([1, 3, 5, 6]);
    expect(indicesOf(buffer(), 'HEALTH')).toEqual([0, 5]);
  });

  it('treats regex characters in plain text literally', () => {
    const b = new LogBuffer(10);
    b.push([logLine('a.b'), logLine('axb'), logLine('(x)'), logLine('/api/v1/users')]);
    expect(indicesOf(b, 'a.b')).toEqual([0]);
    expect(indicesOf(b, '(x)')).toEqual([2]);
    // Not valid regex flags: a plain path search.
    expect(indicesOf(b, '/api/v1')).toEqual([3]);
  });

  it('matches /regex/flags with the flags as written', () => {
    expect(indicesOf(buffer(), '/err(or)?/')).toEqual([3, 5, 6]);
    expect(indicesOf(buffer(), '/err(or)?/i')).toEqual([1, 3, 4, 5, 6]);
    expect(indicesOf(buffer(), '/^ERR_/')).toEqual([4, 5]);
    // g would make test() stateful; it must not skip lines.
    expect(indicesOf(buffer(), '/r/g')).toEqual(indicesOf(buffer(), '/r/'));
  });

  it('matches the sanitized text, not escape sequences', () => {
    expect(indicesOf(buffer(), '31m')).toEqual([5]);
    expect(indicesOf(buffer(), '/^error in colour$/')).toEqual([5, 6]);
  });

  it('matches everything with the empty query', () => {
    expect(indicesOf(buffer(), '')).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('reports an invalid regular expression in one sentence instead of throwing', () => {
    const result = filterLines(buffer(), '/err(/');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe('/err(/ is not a valid regular expression: Unterminated group.');
    const flags = filterLines(buffer(), '/x/ii');
    expect(flags.ok).toBe(false);
    if (!flags.ok) expect(flags.error).toMatch(/^\/x\/ii is not a valid regular expression: .+\.$/);
  });

  // How fast is for `npm run bench:logs`: a test asserts no time (this one failed CI on a busy machine).
  it('filters a full buffer of 10,000 lines, by text and by regex', () => {
    const b = new LogBuffer(10_000);
    b.push(
      Array.from({ length: 10_000 }, (_, i) =>
        logLine(`2024-05-01 level=${i % 7 === 0 ? 'error' : 'info'} request id=${i} path=/x`),
      ),
    );
    for (const query of ['ERROR', '/level=err(or)?/i']) {
      const result = filterLines(b, query);
      expect(result.ok && result.indices.length).toBe(1_429);
    }
  });
});

describe('compileFilter ranges', () => {
  it('finds every match for highlighting, skipping empty matches', () => {
    const c = compileFilter('ab');
    if (!c.ok) throw new Error(c.error);
    expect(c.filter.kind).toBe('text');
    expect(c.filter.ranges('xAbyab')).toEqual([
      [1, 3],
      [4, 6],
    ]);
    const r = compileFilter('/b*/');
    if (!r.ok) throw new Error(r.error);
    expect(r.filter.kind).toBe('regex');
    expect(r.filter.ranges('abbcb')).toEqual([
      [1, 3],
      [4, 5],
    ]);
  });
});

describe('regex filters cannot block', () => {
  it('runs /(a+)+$/ over 10,000 hostile lines and finds the right ones', () => {
    const b = new LogBuffer(10_000);
    // With a backtracking engine each of these lines takes longer than the test's timeout.
    const hostile = 'a'.repeat(30) + '!';
    b.push(
      Array.from({ length: 10_000 }, (_, i) => logLine(i % 1_000 === 0 ? 'a'.repeat(30) : hostile)),
    );
    const result = filterLines(b, '/(a+)+$/');
    expect(result.ok && result.indices).toEqual(Array.from({ length: 10 }, (_, i) => i * 1_000));
    const folded = filterLines(b, '/(A+)+$/i');
    expect(folded.ok && folded.indices.length).toBe(10);
  });

  it('refuses backreferences and lookaround in one sentence, applying nothing', () => {
    for (const query of ['/(a)\\1/', '/(?=a)b/', '/(?!x)y/i']) {
      const result = filterLines(new LogBuffer(10), query);
      expect(result).toEqual({
        ok: false,
        error: `${query}: this pattern needs backtracking; use a simpler one.`,
      });
    }
  });

  it('keeps /…/i case-insensitive, with ranges in the original text', () => {
    const c = compileFilter('/e\\w+R/i');
    if (!c.ok) throw new Error(c.error);
    expect(c.filter.test('an ERROR here')).toBe(true);
    expect(c.filter.ranges('İ an Error')).toEqual([[5, 10]]);
    // \W keeps its meaning: it is not folded into \w.
    const w = compileFilter('/a\\Wb/i');
    expect(w.ok && w.filter.test('A-B')).toBe(true);
    expect(w.ok && w.filter.test('AxB')).toBe(false);
  });
});

describe('the byte bound', () => {
  it('drops the oldest lines once the bytes kept pass the bound', () => {
    const maxBytes = 1024 * 1024;
    const b = new LogBuffer(10_000, maxBytes);
    const line = (i: number): LogLine => logLine(`${i} `.padEnd(10_000, 'x'));
    for (let i = 0; i < 200; i++) b.push([line(i)]);
    // 200 lines of ~20 KB each are ~4 MB: far more than the bound, far fewer than the lines.
    expect(b.bytes).toBeLessThanOrEqual(maxBytes);
    expect(b.bytes).toBeGreaterThan(maxBytes - entryBytes(b.at(0)!));
    const kept = b.slice().map((e) => Number.parseInt(e.text, 10));
    expect(kept.at(-1)).toBe(199);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 200 - kept.length + i));
    expect(b.dropped).toBe(200 - kept.length);
    expect(kept.length).toBeLessThan(60);
  });

  it('counts megabyte lines by what is kept of them, and a gap marker too', () => {
    const b = new LogBuffer(100, 4 * 1024 * 1024);
    b.push([logLine('\x1b[1m' + 'y'.repeat(1_000_000))]);
    const entry = b.at(0)!;
    expect(entry.kind === 'line' && entry.line.text.length).toBe(MAX_RAW_CHARS);
    expect(b.bytes).toBe(entryBytes(entry));
    expect(b.bytes).toBeLessThan(2 * (MAX_RAW_CHARS + 5_000) + 1_000);
    b.markGap('stream resumed');
    b.markGap('stream resumed again');
    expect(b.bytes).toBe(entryBytes(entry) + entryBytes(b.at(1)!));
    b.clear();
    expect(b.bytes).toBe(0);
  });

  it('refuses a bound that is not a positive whole number', () => {
    expect(() => new LogBuffer(10, 0)).toThrow(RangeError);
  });
});

describe('flatten', () => {
  it('returns an equal string', () => {
    const long = 'z'.repeat(100_000);
    expect(flatten(long.slice(10, 5_000))).toBe('z'.repeat(4_990));
    expect(flatten('short')).toBe('short');
  });
});
