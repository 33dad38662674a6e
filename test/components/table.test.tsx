/* eslint-disable no-control-regex -- these tests are about control characters */
import chalk from 'chalk';
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  layoutColumns,
  sameRow,
  Table,
  windowStart,
  type Column,
  type TableProps,
} from '../../source/components/table.js';
import { flush, renderFixed, type RenderFixedResult } from '../helpers/render.js';

interface Row {
  id: string;
  name: string;
  n: number;
}

const makeRows = (count: number): Row[] =>
  Array.from({ length: count }, (_, i) => ({ id: `id-${i}`, name: `row-${i}`, n: i }));

const columns: Column<Row>[] = [
  { key: 'name', header: 'NAME', flex: 1, minWidth: 6, cell: (r) => r.name },
  { key: 'n', header: 'N', width: 5, align: 'right', cell: (r) => String(r.n) },
];

type Props = TableProps<Row>;

function props(overrides: Partial<Props> = {}): Props {
  return {
    columns,
    rows: makeRows(5),
    getId: (r) => r.id,
    selectedId: null,
    height: 10,
    width: 40,
    focused: true,
    ...overrides,
  };
}

const mounted: RenderFixedResult[] = [];

async function show(p: Props): Promise<RenderFixedResult> {
  const result = renderFixed(<Table {...p} />, { columns: 80, rows: 24 });
  mounted.push(result);
  await flush();
  return result;
}

async function update(r: RenderFixedResult, p: Props): Promise<void> {
  r.rerender(<Table {...p} />);
  await flush();
}

const lines = (r: RenderFixedResult): string[] => (r.lastFrame() ?? '').split('\n');
const body = (r: RenderFixedResult): string[] => lines(r).slice(1);
const names = (r: RenderFixedResult): string[] =>
  body(r).map((l) => l.trim().split(/\s+/)[0] ?? '');
const SGR = /\x1b\[[0-9;]*m/g;
const plain = (s: string): string => s.replace(SGR, '');

afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

describe('windowStart', () => {
  it.each([
    // prevStart, selected, visible, total, expected
    [0, 0, 9, 1000, 0],
    [0, 8, 9, 1000, 0], // last visible row: no scroll
    [0, 9, 9, 1000, 1], // one past: scroll by one
    [0, 995, 9, 1000, 987], // jump far: selection lands on the bottom line
    [987, 990, 9, 1000, 987], // still visible: keep the window
    [987, 980, 9, 1000, 980], // above the window: selection lands on the top line
    [4, 8, 9, 1000, 4],
    [4, 3, 9, 1000, 3],
    [50, -1, 9, 1000, 50], // no selection: keep
    [990, 2, 9, 5, 0], // list shrank: window pulled back
    [990, -1, 9, 20, 11], // no selection, list shrank: no empty space at the bottom
    [0, 50, 9, 20, 11], // selection index past the end is clamped
    [3, 3, 0, 100, 0], // nothing visible
    [3, 0, 9, 0, 0], // no rows
    [-5, -1, 9, 100, 0], // bad previous start
  ])('prev %i, selected %i, visible %i, total %i → %i', (prev, sel, vis, total, expected) => {
    expect(windowStart(prev, sel, vis, total)).toBe(expected);
  });

  it('always keeps a selected row inside the window', () => {
    let start = 0;
    const total = 300;
    const visible = 7;
    for (let step = 0; step < 2_000; step++) {
      const selected = (step * 7919) % total;
      start = windowStart(start, selected, visible, total);
      expect(selected).toBeGreaterThanOrEqual(start);
      expect(selected).toBeLessThan(start + visible);
      expect(start + visible).toBeLessThanOrEqual(total);
    }
  });
});

describe('layoutColumns', () => {
  it('gives fixed columns their width and flex the rest', () => {
    expect(layoutColumns([{ width: 10 }, { flex: 1 }, { width: 5 }], 40)).toEqual([10, 23, 5]);
  });

  it('shares the rest by flex weight, remainder to the left', () => {
    expect(layoutColumns([{ flex: 2 }, { flex: 1 }], 31)).toEqual([20, 10]);
    expect(layoutColumns([{ flex: 1 }, { flex: 1 }, { flex: 1 }], 12)).toEqual([4, 3, 3]);
  });

  it('treats a column without width or flex as flex 1', () => {
    expect(layoutColumns([{}, {}], 11)).toEqual([5, 5]);
  });

  it('honours minWidth even when the flex share would be smaller', () => {
    expect(layoutColumns([{ flex: 10 }, { flex: 1, minWidth: 8 }], 21)).toEqual([12, 8]);
  });

  it('drops columns from the right when the minimums do not fit', () => {
    const cols = [{ width: 10 }, { flex: 1, minWidth: 10 }, { width: 8 }];
    expect(layoutColumns(cols, 30)).toEqual([10, 10, 8]);
    expect(layoutColumns(cols, 29)).toEqual([10, 18]);
    expect(layoutColumns(cols, 21)).toEqual([10, 10]);
    expect(layoutColumns(cols, 20)).toEqual([10]);
    expect(layoutColumns(cols, 9)).toEqual([]);
  });

  it('never exceeds the total width', () => {
    const cols = [{ width: 12 }, { flex: 2, minWidth: 4 }, { flex: 1, minWidth: 3 }, { width: 7 }];
    for (let total = 0; total < 80; total++) {
      for (const gap of [0, 1, 2]) {
        const widths = layoutColumns(cols, total, gap);
        const used = widths.reduce((a, b) => a + b, 0) + gap * Math.max(0, widths.length - 1);
        expect(used).toBeLessThanOrEqual(total);
        // With a flexible column shown, all of the width is used.
        if (widths.length >= 2) expect(used).toBe(total);
      }
    }
  });

  it('leaves unused width when all columns are fixed', () => {
    expect(layoutColumns([{ width: 3 }, { width: 4 }], 20)).toEqual([3, 4]);
  });
});

describe('<Table>', () => {
  it('renders a header and one line per row, each exactly the table width', async () => {
    const r = await show(props({ width: 30, height: 6 }));
    expect(lines(r)).toEqual([
      `NAME${' '.repeat(25)}N`,
      ...makeRows(5).map((row) => `row-${row.n}${' '.repeat(24)}${row.n}`),
    ]);
    for (const line of lines(r)) expect(stringWidth(line)).toBe(30);
  });

  it('keeps its height when there are fewer rows than lines', async () => {
    const r = await show(props({ rows: makeRows(2), height: 6 }));
    expect(lines(r)).toHaveLength(6);
    expect(lines(r).slice(3)).toEqual(['', '', '']);
  });

  it('windows 1000 rows into height − 1 body lines', async () => {
    const r = await show(props({ rows: makeRows(1000), height: 10, selectedId: 'id-0' }));
    expect(lines(r)).toHaveLength(10);
    expect(body(r)).toHaveLength(9);
    expect(names(r)).toEqual(makeRows(9).map((row) => row.name));
  });

  it('scrolls to a selection near the end, then scrolls minimally', async () => {
    const rows = makeRows(1000);
    const p = props({ rows, height: 10, selectedId: 'id-0' });
    const r = await show(p);

    await update(r, { ...p, selectedId: 'id-995' });
    expect(names(r)).toEqual(rows.slice(987, 996).map((row) => row.name));

    // Moving inside the window keeps it still.
    await update(r, { ...p, selectedId: 'id-989' });
    expect(names(r)[0]).toBe('row-987');

    // Moving one past the bottom scrolls by one.
    await update(r, { ...p, selectedId: 'id-996' });
    expect(names(r)[0]).toBe('row-988');
    expect(names(r)[8]).toBe('row-996');

    // To the very end: the last row is on the last line.
    await update(r, { ...p, selectedId: 'id-999' });
    expect(names(r)).toEqual(rows.slice(991).map((row) => row.name));

    // Moving above the window puts the selection on the top line.
    await update(r, { ...p, selectedId: 'id-500' });
    expect(names(r)[0]).toBe('row-500');
  });

  it('shows the scroll position only when rows exceed the window', async () => {
    const rows = makeRows(340);
    const r = await show(props({ rows, selectedId: 'id-11', height: 10 }));
    expect(lines(r)[0]).toMatch(/^NAME +12\/340 +N$/);
    expect(stringWidth(lines(r)[0] ?? '')).toBe(40);

    const small = await show(props({ rows: makeRows(9), selectedId: 'id-3', height: 10 }));
    expect(lines(small)[0]).not.toMatch(/\d+\/\d+/);
  });

  it('puts the indicator at the right end when the last header leaves room', async () => {
    const cols: Column<Row>[] = [
      { key: 'n', header: 'N', width: 5, cell: (r) => String(r.n) },
      { key: 'name', header: 'NAME', flex: 1, cell: (r) => r.name },
    ];
    const r = await show(props({ columns: cols, rows: makeRows(50), selectedId: null }));
    expect(lines(r)[0]).toBe(`N     NAME${' '.repeat(26)}1/50`);
  });

  it('overlays the end of the header only when no header cell has room', async () => {
    const cols: Column<Row>[] = [
      { key: 'name', header: 'NAME', width: 5, cell: (r) => r.name },
      { key: 'n', header: 'N', flex: 1, align: 'right', cell: (r) => String(r.n) },
    ];
    const r = await show(props({ columns: cols, rows: makeRows(50), width: 12 }));
    expect(lines(r)[0]).toBe('NAME  … 1/50');
  });

  it('truncates wide characters without ever exceeding the width', async () => {
    const rows: Row[] = [
      { id: 'a', name: '服务名称非常非常长的名字', n: 1 },
      { id: 'b', name: '😀😀😀😀😀😀😀😀😀😀😀😀😀', n: 22 },
      { id: 'c', name: 'mixed-名前-👨‍👩‍👧-ascii-tail-long', n: 333 },
      { id: 'd', name: 'a'.repeat(100), n: 123456789 },
    ];
    for (const width of [12, 13, 17, 20, 25]) {
      const r = await show(props({ rows, width, height: rows.length + 1, selectedId: 'b' }));
      const out = lines(r);
      expect(out).toHaveLength(rows.length + 1);
      for (const line of out) expect(stringWidth(line)).toBeLessThanOrEqual(width);
      for (const line of out.slice(1)) expect(line).toContain('…');
    }
  });

  it('sanitizes hostile cell text and headers', async () => {
    const hostile: Row[] = [
      { id: 'x', name: 'evil\x1b]0;pwned\x07\x1b[2J\x1b[H\rname\x9b31m', n: 1 },
      { id: 'y', name: 'multi\nline\r\nerror\t!', n: 2 },
      { id: 'z', name: 'spoof\u202egnp.exe', n: 3 },
    ];
    const cols: Column<Row>[] = [
      { key: 'name', header: 'NA\x1b[5mME', flex: 1, cell: (r) => r.name },
      { key: 'n', header: 'N', width: 3, cell: (r) => String(r.n) },
    ];
    const r = await show(props({ columns: cols, rows: hostile, width: 40, height: 4 }));
    const frame = r.lastFrame() ?? '';
    expect(frame).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(lines(r)).toHaveLength(4);
    expect(lines(r)[0]).toMatch(/^NAME /);
    expect(body(r)[0]).toMatch(/^evilname /);
    expect(body(r)[1]).toMatch(/^multi line error {3}! /);
    expect(body(r)[2]).toMatch(/^spoofgnp\.exe /);
  });

  it('keeps the selection on the same row when the rows are re-sorted', async () => {
    chalk.level = 1;
    try {
      const rows = makeRows(30);
      const p = props({ rows, height: 6, selectedId: 'id-3' });
      const r = await show(p);
      const selectedLine = (): string | undefined => lines(r).find((l) => l.includes('\x1b[7m'));
      expect(plain(selectedLine() ?? '')).toMatch(/^row-3 /);

      await update(r, { ...p, rows: [...rows].reverse() });
      // id-3 is now at index 26: the window follows it and it stays highlighted.
      expect(plain(selectedLine() ?? '')).toMatch(/^row-3 /);
      expect(names(r).map(plain)).toContain('row-3');
      expect(lines(r).filter((l) => l.includes('\x1b[7m'))).toHaveLength(1);
    } finally {
      chalk.level = 0;
    }
  });

  it('renders nothing above the window that no longer contains the selection after removal', async () => {
    const rows = makeRows(100);
    const p = props({ rows, height: 10, selectedId: 'id-99' });
    const r = await show(p);
    expect(names(r)[8]).toBe('row-99');
    // The list shrinks and the selected row is gone: no empty lines below the last row.
    await update(r, { ...p, rows: rows.slice(0, 20) });
    expect(body(r)).toHaveLength(9);
    expect(names(r)).toEqual(rows.slice(11, 20).map((row) => row.name));
  });

  it('shows emptyText when there are no rows', async () => {
    const r = await show(props({ rows: [], emptyText: 'no services', height: 2 }));
    expect(lines(r)).toHaveLength(2);
    expect(lines(r)[1]?.trim()).toBe('no services');
  });

  it('drops columns that do not fit instead of wrapping', async () => {
    const cols: Column<Row>[] = [
      { key: 'name', header: 'NAME', flex: 1, minWidth: 10, cell: (r) => r.name },
      { key: 'n', header: 'NUMBER', width: 8, cell: (r) => String(r.n) },
    ];
    const r = await show(props({ columns: cols, width: 15, height: 6 }));
    expect(lines(r)[0]?.trim()).toBe('NAME');
    expect(lines(r)).toHaveLength(6);
  });

  describe('styles', () => {
    beforeEach(() => {
      chalk.level = 1;
    });
    afterEach(() => {
      chalk.level = 0;
    });

    it('shows the selected row inverse when focused', async () => {
      const r = await show(props({ selectedId: 'id-2' }));
      const styled = lines(r).filter((l) => l.includes('\x1b[7m'));
      expect(styled).toHaveLength(1);
      expect(plain(styled[0] ?? '')).toMatch(/^row-2 /);
      expect(r.lastFrame()).not.toContain('\x1b[4m');
    });

    it('shows the selected row bold and underlined when not focused', async () => {
      const r = await show(props({ selectedId: 'id-2', focused: false }));
      const frame = r.lastFrame() ?? '';
      expect(frame).not.toContain('\x1b[7m');
      const underlined = lines(r).filter((l) => l.includes('\x1b[4m'));
      expect(underlined).toHaveLength(1);
      expect(underlined[0]).toContain('\x1b[1m');
      expect(plain(underlined[0] ?? '')).toMatch(/^row-2 /);
    });

    it('colours only the cells that ask for it', async () => {
      const cols: Column<Row>[] = [
        { key: 'name', header: 'NAME', flex: 1, cell: (r) => r.name },
        {
          key: 'n',
          header: 'N',
          width: 5,
          cell: (r) => String(r.n),
          color: (r) => (r.n === 1 ? 'red' : undefined),
        },
      ];
      const r = await show(props({ columns: cols }));
      const red = lines(r).filter((l) => l.includes('\x1b[31m'));
      expect(red).toHaveLength(1);
      expect(plain(red[0] ?? '')).toMatch(/^row-1 +1 +$/);
      // Ink trims trailing blanks of plain lines; the coloured one keeps its padding.
      for (const line of lines(r)) expect(stringWidth(line)).toBeLessThanOrEqual(40);
      expect(plain(red[0] ?? '')).toHaveLength(40);
    });

    it('draws again a row whose text, colour or selection changed, and only that', async () => {
      const colour = { of: (r: Row): string | undefined => (r.n === 1 ? 'red' : undefined) };
      const cols: Column<Row>[] = [
        { key: 'name', header: 'NAME', flex: 1, cell: (r) => r.name },
        { key: 'n', header: 'N', width: 5, cell: (r) => String(r.n), color: (r) => colour.of(r) },
      ];
      const rows = makeRows(5);
      const p = props({ columns: cols, rows, selectedId: 'id-0' });
      const r = await show(p);
      const before = lines(r);

      // A new object for every row, one of them with new text: only that line changes.
      const renamed = rows.map((row) => ({ ...row, name: row.n === 3 ? 'renamed' : row.name }));
      await update(r, { ...p, rows: renamed });
      const after = lines(r);
      expect(plain(after[4] ?? '')).toMatch(/^renamed /);
      expect(after.filter((line, i) => line !== before[i])).toEqual([after[4]]);

      // Only a colour changes (the text stays): the row is drawn in the new colour.
      colour.of = (row) => (row.n === 1 ? 'green' : undefined);
      await update(r, { ...p, rows: renamed.map((row) => ({ ...row })) });
      expect(lines(r)[2]).toContain('\x1b[32m');
      expect(r.lastFrame()).not.toContain('\x1b[31m');

      // The selection moves, and the focus goes: both rows are drawn again.
      await update(r, { ...p, rows: renamed, selectedId: 'id-2', focused: false });
      expect(lines(r)[1]).not.toContain('\x1b[4m');
      expect(lines(r)[3]).toContain('\x1b[4m');
    });
  });
});

describe('sameRow', () => {
  const row = (text: string, color?: string) => ({
    runs: [
      { key: 'plain-0', text: `${text} ` },
      { key: 'n', text: '1', color },
    ],
    filler: '',
    selected: false,
    focused: true,
  });

  it('is the same row for the same text, colours and selection in new arrays', () => {
    expect(sameRow(row('web', 'red'), row('web', 'red'))).toBe(true);
  });

  it('differs for any change of text, colour, run, filler, selection or focus', () => {
    const base = row('web', 'red');
    expect(sameRow(base, row('api', 'red'))).toBe(false);
    expect(sameRow(base, row('web', 'green'))).toBe(false);
    expect(sameRow(base, row('web'))).toBe(false);
    expect(sameRow(base, { ...base, runs: base.runs.slice(0, 1) })).toBe(false);
    expect(sameRow(base, { ...base, runs: [base.runs[0]!, { ...base.runs[1]!, key: 'm' }] })).toBe(
      false,
    );
    expect(sameRow(base, { ...base, filler: ' ' })).toBe(false);
    expect(sameRow(base, { ...base, selected: true })).toBe(false);
    expect(sameRow(base, { ...base, focused: false })).toBe(false);
  });
});
