/* eslint-disable no-control-regex -- these tests look for escape sequences */
import chalk from 'chalk';
import { format } from 'date-fns';
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatLogPrefix,
  formatLogTime,
  LogView,
  prefixLabel,
  TASK_PALETTE,
  taskColour,
  visibleWindow,
  type LogViewProps,
} from '../../source/components/log-view.js';
import { makeTheme, ThemeContext } from '../../source/components/theme.js';
import type { LogLine } from '../../source/model.js';
import { LogBuffer } from '../../source/state/log-buffer.js';
import { flush, renderFixed, type RenderFixedResult } from '../helpers/render.js';

const TIME = '2024-05-01T12:34:56.789123456Z';

function logLine(i: number, overrides: Partial<LogLine> = {}): LogLine {
  return {
    serviceId: 'svc-web',
    taskId: `task-${i % 3}`,
    nodeId: `node-${i % 2}`,
    stream: i % 5 === 0 ? 'stderr' : 'stdout',
    time: TIME,
    text: `line ${i} ${'lorem ipsum dolor sit amet '.repeat(i % 6)}end`,
    ...overrides,
  };
}

function filled(count: number, capacity = 10_000): LogBuffer {
  const b = new LogBuffer(capacity);
  b.push(Array.from({ length: count }, (_, i) => logLine(i)));
  return b;
}

const names = (line: LogLine): { task: string; node: string } => ({
  task: `web.${(line.taskId ?? 'task-?').slice(5)}`,
  node: `worker-${(line.nodeId ?? 'node-?').slice(5)}`,
});

function props(overrides: Partial<LogViewProps> = {}): LogViewProps {
  const buffer = overrides.buffer ?? filled(50);
  return {
    buffer,
    version: buffer.version,
    width: 80,
    height: 24,
    names,
    follow: true,
    scrollOffset: 0,
    showTimestamps: false,
    wrap: false,
    filter: null,
    newWhilePaused: 0,
    title: 'web logs',
    range: 'tail 200',
    error: null,
    ...overrides,
  };
}

const mounted: RenderFixedResult[] = [];

async function show(
  p: LogViewProps,
  size = { columns: p.width, rows: p.height },
  color = true,
): Promise<RenderFixedResult> {
  const r = renderFixed(
    <ThemeContext.Provider value={makeTheme(color ? 'dark' : 'mono')}>
      <LogView {...p} />
    </ThemeContext.Provider>,
    size,
  );
  mounted.push(r);
  await flush();
  return r;
}

async function update(r: RenderFixedResult, p: LogViewProps, color = true): Promise<void> {
  r.rerender(
    <ThemeContext.Provider value={makeTheme(color ? 'dark' : 'mono')}>
      <LogView {...p} />
    </ThemeContext.Provider>,
  );
  await flush();
}

const SGR = /\x1b\[[0-9;]*m/g;
const plain = (s: string): string => s.replace(SGR, '');
const frameLines = (r: RenderFixedResult): string[] => (r.lastFrame() ?? '').split('\n');
const bar = (r: RenderFixedResult): string => plain(frameLines(r)[0] ?? '');
const body = (r: RenderFixedResult): string[] => frameLines(r).slice(1).map(plain);
/** The view keeps its height: below the last log line come empty rows. */
const shown = (r: RenderFixedResult): string[] => body(r).filter((l) => l !== '');
const lastRaw = (r: RenderFixedResult): string =>
  frameLines(r).findLast((l) => plain(l) !== '') ?? '';

afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
  chalk.level = 0;
});

describe('taskColour', () => {
  it('is stable per task and drawn from the palette', () => {
    expect(taskColour('abc123')).toBe(taskColour('abc123'));
    expect(TASK_PALETTE).toContain(taskColour('abc123'));
    expect(TASK_PALETTE).toContain(taskColour(''));
  });

  it('spreads tasks over the palette and avoids red and grey', () => {
    const used = new Set(Array.from({ length: 200 }, (_, i) => taskColour(`task-${i}`)));
    expect(used.size).toBe(TASK_PALETTE.length);
    for (const c of TASK_PALETTE) expect(c).not.toMatch(/red|gr[ae]y|black/i);
  });
});

describe('formatLogPrefix', () => {
  it('pads the label to a stable width and adds the separator', () => {
    expect(formatLogPrefix({ task: 'web.2', node: 'worker-1' }, 16)).toBe('web.2@worker-1   │ ');
    expect(formatLogPrefix({ task: 'web.2', node: '' }, 6)).toBe('web.2  │ ');
  });

  it('cuts a long label with an ellipsis and gives nothing for no room', () => {
    expect(formatLogPrefix({ task: 'web.12', node: 'worker-123' }, 10)).toBe('web.12@wo… │ ');
    expect(formatLogPrefix({ task: 'web.1', node: 'w' }, 0)).toBe('');
  });

  it('sanitizes names', () => {
    expect(prefixLabel({ task: 'web\x1b[2J.1', node: 'n\u202e1' })).toBe('web.1@n1');
  });
});

describe('formatLogTime', () => {
  it('is local HH:MM:SS.mmm from an RFC 3339 time with nanoseconds', () => {
    expect(formatLogTime(TIME)).toBe(format(new Date('2024-05-01T12:34:56.789Z'), 'HH:mm:ss.SSS'));
    expect(formatLogTime(TIME)).toMatch(/^\d\d:\d\d:\d\d\.789$/);
  });

  it('is 12 blank cells without a time and "?" for garbage', () => {
    expect(formatLogTime(null)).toBe(' '.repeat(12));
    expect(formatLogTime('yesterday')).toBe('?' + ' '.repeat(11));
  });
});

describe('visibleWindow', () => {
  it.each([
    // total, offset, rows → start, end, skipTop, offset
    [100, 0, 10, 90, 100, 0, 0],
    [100, 5, 10, 85, 95, 0, 5],
    [100, 95, 10, 0, 10, 0, 90], // past the top: pulled back
    [100, 500, 10, 0, 10, 0, 90],
    [5, 0, 10, 0, 5, 0, 0], // fewer lines than rows
    [5, 3, 10, 0, 5, 0, 0],
    [0, 0, 10, 0, 0, 0, 0],
    [100, 0, 0, 0, 0, 0, 0],
    [100, -3, 10, 90, 100, 0, 0],
  ])('%i lines, offset %i, %i rows', (total, offset, rows, start, end, skipTop, off) => {
    expect(visibleWindow(total, offset, rows)).toEqual({ start, end, skipTop, offset: off });
  });

  it('shows the tail of a tall top entry so the bottom stays anchored', () => {
    // Heights 3 each: 4 entries make 12 rows for 10: two rows of the first are hidden.
    expect(visibleWindow(20, 0, 10, () => 3)).toEqual({
      start: 16,
      end: 20,
      skipTop: 2,
      offset: 0,
    });
  });

  it('asks heights only for entries near the window', () => {
    const asked = new Set<number>();
    visibleWindow(10_000, 100, 20, (i) => {
      asked.add(i);
      return 2;
    });
    expect(asked.size).toBeLessThanOrEqual(20);
    for (const i of asked) expect(i).toBeGreaterThanOrEqual(9_880);
  });

  it('never fills more rows than asked', () => {
    for (let total = 0; total < 30; total++) {
      for (const offset of [0, 1, 7, 40]) {
        const heightOf = (i: number): number => (i % 4) + 1;
        const w = visibleWindow(total, offset, 8, heightOf);
        let used = 0;
        for (let i = w.start; i < w.end; i++) used += heightOf(i);
        expect(w.end).toBeLessThanOrEqual(total);
        if (total > 0) expect(used - w.skipTop).toBeGreaterThanOrEqual(Math.min(8, used));
        expect(w.skipTop).toBeLessThan(Math.max(1, heightOf(w.start)));
      }
    }
  });
});

describe('<LogView>', () => {
  describe.each([
    [80, 24],
    [120, 40],
  ])('at %i×%i', (width, height) => {
    const cases = [
      { wrap: false, showTimestamps: false },
      { wrap: false, showTimestamps: true },
      { wrap: true, showTimestamps: false },
      { wrap: true, showTimestamps: true },
    ];

    it.each(cases)('fits exactly: wrap $wrap, timestamps $showTimestamps', async (flags) => {
      const buffer = filled(500);
      buffer.push([
        logLine(999, { text: 'x'.repeat(50_000) }),
        logLine(1000, { text: '界'.repeat(300) }),
      ]);
      for (const follow of [true, false]) {
        const r = await show(props({ buffer, width, height, follow, scrollOffset: 1, ...flags }), {
          columns: width,
          rows: height,
        });
        const lines = frameLines(r);
        expect(lines.length).toBeLessThanOrEqual(height);
        expect(lines.length).toBe(height); // the buffer has more than enough lines
        for (const line of lines) expect(stringWidth(plain(line))).toBeLessThanOrEqual(width);
      }
    });

    it('prefixes every line with task@node and marks stderr', async () => {
      const r = await show(props({ width, height }), { columns: width, rows: height });
      const lines = body(r);
      expect(lines).toHaveLength(height - 1);
      for (const line of lines) expect(line).toMatch(/^[! ] web\.\d@worker-\d +│ line \d+ /);
      // Line 45 is stderr (i % 5 === 0), the rest are not.
      expect(lines.find((l) => l.includes('line 45 '))).toMatch(/^! /);
      expect(lines.find((l) => l.includes('line 46 '))).toMatch(/^ {2}/);
      // The newest line is at the bottom when following.
      expect(lines.at(-1)).toContain('line 49 ');
    });
  });

  it('states follow and pause in words, with the count of new lines', async () => {
    const r = await show(props());
    expect(bar(r)).toMatch(/^web logs · FOLLOW · /);
    await update(r, props({ follow: false, newWhilePaused: 1234 }));
    expect(bar(r)).toContain('PAUSED (+1,234 new)');
    await update(r, props({ follow: false, newWhilePaused: 0 }));
    expect(bar(r)).toMatch(/PAUSED · /);
  });

  it('shows timestamps, wrap and range in words when there is room', async () => {
    const r = await show(props({ width: 120, showTimestamps: true, wrap: true }), {
      columns: 120,
      rows: 24,
    });
    expect(bar(r)).toBe('web logs · FOLLOW · timestamps on · wrap on · tail 200');
    await update(r, props({ width: 120 }));
    expect(bar(r)).toBe('web logs · FOLLOW · timestamps off · wrap off · tail 200');
  });

  it('says how many earlier lines were dropped', async () => {
    const buffer = filled(130, 100);
    const r = await show(props({ buffer }));
    expect(bar(r)).toContain('30 earlier lines dropped');
    expect(body(r).at(-1)).toContain('line 129 ');
  });

  it('keeps the essentials when the bar is narrow', async () => {
    const buffer = filled(130, 100);
    const r = await show(props({ buffer, width: 60, follow: false, newWhilePaused: 5 }), {
      columns: 60,
      rows: 24,
    });
    expect(bar(r)).toBe('web logs · PAUSED (+5 new) · 30 earlier lines dropped');
  });

  it('scrolls by lines from the bottom when paused, and ignores the offset when following', async () => {
    const r = await show(props({ follow: false, scrollOffset: 10, height: 6 }), {
      columns: 80,
      rows: 6,
    });
    expect(body(r).map((l) => /line (\d+)/.exec(l)?.[1])).toEqual(['35', '36', '37', '38', '39']);
    await update(r, props({ follow: true, scrollOffset: 10, height: 6 }));
    expect(body(r).at(-1)).toContain('line 49 ');
    // Far past the top: the oldest lines fill the view.
    await update(r, props({ follow: false, scrollOffset: 10_000, height: 6 }));
    expect(body(r)[0]).toContain('line 0 ');
  });

  it('shows local times to the millisecond when timestamps are on', async () => {
    const r = await show(props({ showTimestamps: true }));
    const time = formatLogTime(TIME);
    for (const line of body(r)) expect(line).toMatch(new RegExp(`^[! ] ${time} web\\.`));
    await update(r, props({ showTimestamps: false }));
    expect(r.lastFrame()).not.toContain(time);
  });

  it('cuts long lines with … when wrap is off and wraps them when on', async () => {
    const buffer = filled(3);
    buffer.push([logLine(7, { text: `${'word '.repeat(60)}THE-END` })]);
    const off = await show(props({ buffer, height: 10 }), { columns: 80, rows: 10 });
    expect(shown(off).at(-1)).toMatch(/…$/);
    expect(off.lastFrame()).not.toContain('THE-END');

    const on = await show(props({ buffer, height: 10, wrap: true }), { columns: 80, rows: 10 });
    const rows = shown(on);
    expect(rows.at(-1)).toMatch(/THE-END$/);
    // Continuation rows keep the column but leave the gutter and label blank.
    expect(rows.at(-2)).toMatch(/^ {2} +│ word/);
    expect(rows.filter((l) => l.includes('word'))).toHaveLength(5);
    for (const line of frameLines(on)) expect(stringWidth(plain(line))).toBeLessThanOrEqual(80);
  });

  it('keeps the prefix width while scrolling past shorter names', async () => {
    const buffer = new LogBuffer(100);
    buffer.push(
      Array.from({ length: 40 }, (_, i) =>
        logLine(i, { taskId: i < 20 ? 'task-1' : 'task-22222222' }),
      ),
    );
    const r = await show(props({ buffer, height: 6 }), { columns: 80, rows: 6 });
    const column = (): number => body(r)[0]?.indexOf('│') ?? -1;
    const wide = column();
    await update(r, props({ buffer, height: 6, follow: false, scrollOffset: 30 }));
    expect(body(r)[0]).toContain('web.1@');
    expect(column()).toBe(wide);
    // A new target starts afresh.
    await update(r, props({ buffer, height: 6, follow: false, scrollOffset: 30, title: 'x' }));
    expect(column()).toBeLessThan(wide);
  });

  it('renders gap markers distinctly', async () => {
    const buffer = filled(3);
    buffer.markGap('— stream resumed; lines may be missing —');
    buffer.push([logLine(3)]);
    const r = await show(props({ buffer, height: 6 }), { columns: 80, rows: 6 });
    expect(body(r)[3]).toBe('┄┄ — stream resumed; lines may be missing — ┄┄');
  });

  it('says it is waiting, or why there are no logs', async () => {
    const empty = new LogBuffer(10);
    const r = await show(props({ buffer: empty }));
    expect(body(r)[0]).toBe('waiting for log lines…');
    await update(r, props({ buffer: empty, error: 'task has no container yet\x1b[2J' }));
    expect(body(r)[0]).toBe('No logs: task has no container yet');
    // With lines, the error goes to the bar.
    await update(r, props({ width: 140, error: 'stream closed' }));
    expect(bar(r)).toContain('error: stream closed');
  });

  describe('filter', () => {
    const buffer = (): LogBuffer => {
      const b = new LogBuffer(100);
      b.push([
        logLine(1, { text: 'GET /health 200' }),
        logLine(2, { text: 'Error: connection refused', stream: 'stderr' }),
        logLine(3, { text: 'retrying' }),
        logLine(4, { text: 'an error and another ERROR' }),
      ]);
      return b;
    };

    it('shows only matching lines and how many', async () => {
      const r = await show(props({ buffer: buffer(), filter: 'error', width: 120 }), {
        columns: 120,
        rows: 24,
      });
      expect(shown(r)).toHaveLength(2);
      expect(bar(r)).toContain('filter error (2 shown)');
    });

    it('highlights every match inverse', async () => {
      chalk.level = 1;
      const r = await show(props({ buffer: buffer(), filter: '/error/i' }));
      const last = lastRaw(r);
      const inverse = [...last.matchAll(/\x1b\[7m([^\x1b]*)\x1b\[27m/g)].map((m) => m[1]);
      expect(inverse).toEqual(['error', 'ERROR']);
      expect(plain(last)).toMatch(/│ an error and another ERROR$/);
    });

    it('highlights across wrapped rows', async () => {
      chalk.level = 1;
      const b = new LogBuffer(10);
      b.push([logLine(1, { text: `${'a '.repeat(30)}needle ${'b '.repeat(30)}needle` })]);
      const r = await show(props({ buffer: b, filter: 'needle', wrap: true, width: 40 }), {
        columns: 40,
        rows: 24,
      });
      const highlighted = frameLines(r).filter((l) => l.includes('\x1b[7mneedle\x1b[27m'));
      expect(highlighted).toHaveLength(2);
    });

    it('says when nothing matches', async () => {
      const r = await show(props({ buffer: buffer(), filter: 'nope' }));
      expect(body(r)[0]).toBe('no lines match the filter');
    });

    it('names an invalid expression and shows all lines meanwhile', async () => {
      const r = await show(props({ buffer: buffer(), filter: '/err(/', width: 140 }), {
        columns: 140,
        rows: 24,
      });
      expect(bar(r)).toContain(
        'filter ignored: /err(/ is not a valid regular expression: Unterminated group.',
      );
      expect(shown(r)).toHaveLength(4);
    });

    it('refuses a pattern that needs backtracking and shows all lines meanwhile', async () => {
      const r = await show(props({ buffer: buffer(), filter: '/(e)\\1/', width: 140 }), {
        columns: 140,
        rows: 24,
      });
      expect(bar(r)).toContain(
        'filter ignored: /(e)\\1/: this pattern needs backtracking; use a simpler one.',
      );
      expect(shown(r)).toHaveLength(4);
    });
  });

  describe('colour', () => {
    beforeEach(() => {
      chalk.level = 1;
    });

    it('colours prefixes per task and the stderr mark red', async () => {
      const r = await show(props({ height: 8 }), { columns: 80, rows: 8 });
      const stderr = frameLines(r).find((l) => plain(l).includes('line 45 ')) ?? '';
      expect(stderr).toContain('\x1b[31m!');
      // chalk level 1 codes of the palette.
      const codes: Record<string, number> = {
        ...{ cyan: 36, magenta: 35, yellow: 33, green: 32, blueBright: 94 },
        ...{ cyanBright: 96, magentaBright: 95, greenBright: 92, yellowBright: 93 },
      };
      for (const task of ['0', '1', '2']) {
        const code = codes[taskColour(`task-${task}`)];
        expect(r.lastFrame()).toContain(`\x1b[${code}mweb.${task}@worker-`);
      }
    });

    it('uses no colour in monochrome, only marks and words', async () => {
      const r = await show(
        props({ height: 8, follow: false, newWhilePaused: 2 }),
        undefined,
        false,
      );
      const frame = r.lastFrame() ?? '';
      expect(frame).not.toMatch(/\x1b\[(3|9)\dm/);
      expect(plain(frame)).toContain('PAUSED (+2 new)');
      expect(plain(frame)).toMatch(/^! web\.0@worker-1 +│ line 45 /m);
    });
  });

  it('touches only the lines near the window', async () => {
    const buffer = filled(10_000);
    let calls = 0;
    const counting = (line: LogLine): { task: string; node: string } => {
      calls++;
      return names(line);
    };
    await show(props({ buffer, names: counting, wrap: true, follow: false, scrollOffset: 500 }));
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(24 * 6);
  });

  it('never lets hostile text or names reach the terminal', async () => {
    const buffer = new LogBuffer(10);
    buffer.push([logLine(1, { text: 'a\x1b]52;c;aGk=\x07b\x1b[2Jc\u202ed', taskId: 'task-1' })]);
    const hostileNames = (): { task: string; node: string } => ({
      task: 'web\x1b[31m.1',
      node: 'n\x07',
    });
    const r = await show(props({ buffer, names: hostileNames, title: 'logs\x1b]0;x\x07' }));
    const frame = r.lastFrame() ?? '';
    expect(frame).not.toMatch(/[\x00-\x09\x0b-\x1a\x1c-\x1f\x7f-\x9f\u202e]|\x1b[^[]/);
    expect(plain(frame)).toContain('web.1@n │ abcd');
  });
});
