import { describe, expect, it } from 'vitest';
import {
  ANSI_COLOURS,
  CELL_WIDTH,
  DEFAULT_BG,
  DEFAULT_FG,
  ansiToSvg,
  colour256,
} from '../../scripts/ansi-to-svg.js';

const ESC = '\x1b';
const size = { columns: 20, rows: 3 };

interface Text {
  attrs: string;
  xs: number[];
  fill: string | undefined;
  content: string;
}

/** The <text> elements of the terminal area (the frame title is only drawn with a title). */
function texts(svg: string): Text[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(
    ([, attrs = '', content = '']) => ({
      attrs,
      xs: (/ x="([^"]*)"/.exec(` ${attrs}`)?.[1] ?? '').split(' ').map(Number),
      fill: /fill="([^"]*)"/.exec(attrs)?.[1],
      content,
    }),
  );
}

function rects(svg: string): { x: number; width: number; fill: string }[] {
  return [
    ...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" [^>]*fill="([^"]*)"/g),
  ].map(([, x = '', width = '', fill = '']) => ({ x: Number(x), width: Number(width), fill }));
}

/** The column of an x position (the picture has a left padding). */
const column = (x: number, origin: number) => Math.round((x - origin) / CELL_WIDTH);

function only(svg: string): Text {
  const all = texts(svg);
  expect(all).toHaveLength(1);
  return all[0] as Text;
}

describe('ansiToSvg', () => {
  it('draws a picture of the requested size with plain text in the default colour', () => {
    const svg = ansiToSvg('hello\n', size);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('xml:space="preserve"');
    expect(svg).toContain(`fill="${DEFAULT_BG}"`);
    const text = only(svg);
    expect(text.content).toBe('hello');
    expect(text.fill).toBe(DEFAULT_FG);
    // Fixed x per cell.
    expect(text.xs).toHaveLength(5);
    const [x0 = 0, x1 = 0] = text.xs;
    expect(x1 - x0).toBeCloseTo(CELL_WIDTH, 1);
  });

  it.each([
    ['31', ANSI_COLOURS[1]],
    ['34', ANSI_COLOURS[4]],
    ['91', ANSI_COLOURS[9]],
    ['38;5;1', ANSI_COLOURS[1]],
    ['38;5;196', '#ff0000'],
    ['38;5;21', '#0000ff'],
    ['38;5;232', '#080808'],
    ['38;5;255', '#eeeeee'],
    ['38;2;10;20;30', '#0a141e'],
    ['38:2:10:20:30', '#0a141e'],
    ['38:2::10:20:30', '#0a141e'],
    ['38:5:196', '#ff0000'],
  ])('maps foreground SGR %s to %s', (sgr, colour) => {
    expect(only(ansiToSvg(`${ESC}[${sgr}mX`, size)).fill).toBe(colour);
  });

  it.each([
    ['41', ANSI_COLOURS[1]],
    ['102', ANSI_COLOURS[10]],
    ['48;5;236', '#303030'],
    ['48;2;255;128;0', '#ff8000'],
  ])('maps background SGR %s to a rect of %s', (sgr, colour) => {
    const svg = ansiToSvg(`${ESC}[${sgr}mab${ESC}[49mc`, size);
    const backgrounds = rects(svg).filter((r) => r.fill === colour);
    expect(backgrounds).toHaveLength(1);
    expect(backgrounds[0]?.width).toBeCloseTo(2 * CELL_WIDTH, 1);
  });

  it('computes the 256-colour palette', () => {
    expect(colour256(16)).toBe('#000000');
    expect(colour256(231)).toBe('#ffffff');
    expect(colour256(67)).toBe('#5f87af');
    expect(colour256(256)).toBeUndefined();
  });

  it('resets colours and attributes', () => {
    const svg = ansiToSvg(
      `${ESC}[1;3;4;31mA${ESC}[0mB${ESC}[32mC${ESC}[39mD${ESC}[1mE${ESC}[22mF${ESC}[3mG${ESC}[23mH${ESC}[4mI${ESC}[24mJ`,
      size,
    );
    const [a, b, c, d, e, f, g, h, i, j] = texts(svg);
    expect(a?.attrs).toContain('font-weight="bold"');
    expect(a?.attrs).toContain('font-style="italic"');
    expect(a?.attrs).toContain('text-decoration="underline"');
    expect(a?.fill).toBe(ANSI_COLOURS[1]);
    expect(b?.content).toBe('B');
    expect(b?.attrs).not.toMatch(/font-weight|font-style|text-decoration/);
    expect(b?.fill).toBe(DEFAULT_FG);
    expect(c?.fill).toBe(ANSI_COLOURS[2]);
    expect(d?.fill).toBe(DEFAULT_FG);
    expect(e?.attrs).toContain('bold');
    expect(f?.attrs).not.toContain('bold');
    expect(g?.attrs).toContain('italic');
    expect(h?.attrs).not.toContain('italic');
    expect(i?.attrs).toContain('underline');
    expect(j?.attrs).not.toContain('underline');
  });

  it('groups a run of same-styled cells into one <text>', () => {
    const all = texts(ansiToSvg(`${ESC}[31mred text${ESC}[0m plain`, size));
    expect(all.map((t) => t.content)).toEqual(['red text', 'plain']);
  });

  it('dims by blending the foreground towards the background', () => {
    const dim = only(ansiToSvg(`${ESC}[2mX`, size)).fill;
    expect(dim).not.toBe(DEFAULT_FG);
    expect(dim).not.toBe(DEFAULT_BG);
  });

  it('swaps foreground and background for inverse, defaults included', () => {
    const svg = ansiToSvg(`${ESC}[7mAB${ESC}[27mC`, size);
    const [inverse, normal] = texts(svg);
    expect(inverse?.content).toBe('AB');
    expect(inverse?.fill).toBe(DEFAULT_BG);
    expect(rects(svg).filter((r) => r.fill === DEFAULT_FG)).toHaveLength(1);
    expect(normal?.fill).toBe(DEFAULT_FG);

    const coloured = ansiToSvg(`${ESC}[31;44;7mX`, size);
    expect(only(coloured).fill).toBe(ANSI_COLOURS[4]);
    expect(rects(coloured).some((r) => r.fill === ANSI_COLOURS[1])).toBe(true);
  });

  it('escapes <, & and > in text and in the title', () => {
    const svg = ansiToSvg('a<b>&c "q"\n', { ...size, title: '<T&T>' });
    expect(svg).toContain('a&lt;b&gt;&amp;c &quot;q&quot;');
    expect(svg).toContain('&lt;T&amp;T&gt;');
    expect(svg).not.toMatch(/<b>|&c/);
  });

  it('advances two cells for wide characters', () => {
    const svg = ansiToSvg('日本|😀|x', size);
    const all = texts(svg);
    expect(all.map((t) => t.content)).toEqual(['日', '本', '|', '😀', '|x']);
    const origin = all[0]?.xs[0] ?? 0;
    expect(all.map((t) => column(t.xs[0] ?? 0, origin))).toEqual([0, 2, 4, 5, 7]);
    expect(all[3]?.attrs).toContain('Color Emoji');
  });

  it('keeps combining marks with their base character', () => {
    const all = texts(ansiToSvg('e\u0301x', size));
    expect(all.map((t) => t.content)).toEqual(['e\u0301', 'x']);
    const origin = all[0]?.xs[0] ?? 0;
    expect(column(all[1]?.xs[0] ?? 0, origin)).toBe(1);
  });

  it('puts each line on its own row and carries the style across lines', () => {
    const all = texts(ansiToSvg(`${ESC}[31mone\ntwo${ESC}[0m\n`, size));
    expect(all.map((t) => t.content)).toEqual(['one', 'two']);
    expect(all[1]?.fill).toBe(ANSI_COLOURS[1]);
    const y = (t: Text | undefined) => Number(/ y="([\d.]+)"/.exec(` ${t?.attrs ?? ''}`)?.[1]);
    expect(y(all[1])).toBeGreaterThan(y(all[0]));
  });

  it('drops escape sequences that are not SGR instead of printing them', () => {
    const svg = ansiToSvg(
      `${ESC}[2J${ESC}[?25l${ESC}[1;1Ha${ESC}]8;;https://example.com${ESC}\\b${ESC}]0;title\x07c${ESC}(Bd${ESC}=e${ESC}[>4;1mf\x07\x08g`,
      size,
    );
    const all = texts(svg);
    expect(all.map((t) => t.content).join('')).toBe('abcdefg');
    expect(svg).not.toContain('\x1b');
    expect(svg).not.toMatch(/example|title|\[/);
  });

  it('clips to the given columns and rows', () => {
    const svg = ansiToSvg('x'.repeat(30) + '\n1\n2\n3\n4\n', size);
    const all = texts(svg);
    expect(all.map((t) => t.content)).toEqual(['x'.repeat(20), '1', '2']);
  });

  it('draws a window frame only when given a title', () => {
    expect(ansiToSvg('x', size)).not.toContain('<circle');
    expect(ansiToSvg('x', { ...size, title: 'smarm-top' })).toContain('>smarm-top</text>');
  });
});
