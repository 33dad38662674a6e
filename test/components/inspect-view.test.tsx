import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import {
  InspectView,
  inspectMaxScroll,
  type InspectViewProps,
} from '../../source/components/inspect-view.js';
import { renderFixed } from '../helpers/render.js';

const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);

function props(overrides: Partial<InspectViewProps> = {}): InspectViewProps {
  return {
    title: 'inspect service web',
    lines,
    scroll: 0,
    width: 40,
    height: 12,
    error: null,
    loading: false,
    ...overrides,
  };
}

function frame(overrides: Partial<InspectViewProps> = {}): string[] {
  const p = props(overrides);
  const view = renderFixed(<InspectView {...p} />, { columns: p.width, rows: p.height + 1 });
  const out = (view.lastFrame() ?? '').split('\n');
  view.unmount();
  return out;
}

describe('InspectView', () => {
  it('shows a title, a page of lines from the scroll position and where it is', () => {
    const out = frame({ scroll: 5 });
    expect(out).toHaveLength(12);
    expect(out[0]).toContain('inspect service web');
    expect(out[1]?.trim()).toBe('line 6');
    expect(out[10]?.trim()).toBe('line 15');
    expect(out[11]?.trim()).toBe('lines 6–15 of 50');
  });

  it('keeps the last page full when scrolled too far, and never scrolls above the top', () => {
    expect(inspectMaxScroll(50, 12)).toBe(40);
    const bottom = frame({ scroll: 999 });
    expect(bottom[1]?.trim()).toBe('line 41');
    expect(bottom[10]?.trim()).toBe('line 50');
    expect(bottom[11]?.trim()).toBe('lines 41–50 of 50');
    expect(frame({ scroll: -3 })[1]?.trim()).toBe('line 1');
  });

  it('cuts long lines to the width instead of wrapping them', () => {
    const long = `key: ${'x'.repeat(100)}`;
    const out = frame({ lines: [long, 'next', '', '日本語'.repeat(30)] });
    expect(out[1]).toMatch(/^key: x+…$/);
    expect(stringWidth(out[1] ?? '')).toBe(40);
    expect(out[2]?.trim()).toBe('next');
    expect(out[3]?.trim()).toBe('');
    expect(stringWidth(out[4] ?? '')).toBeLessThanOrEqual(40);
    expect(out[out.length - 1]?.trim()).toBe('lines 1–4 of 4');
  });

  it('says it is loading before the first answer', () => {
    const out = frame({ lines: [], loading: true });
    expect(out.join('\n')).toContain('loading…');
  });

  it('shows an error in one sentence above the lines it still has', () => {
    const out = frame({
      error: 'The service web no longer exists.',
      scroll: 0,
    });
    expect(out[1]?.trim()).toBe('The service web no longer exists.');
    expect(out[2]?.trim()).toBe('line 1');
    expect(out[11]?.trim()).toBe('lines 1–9 of 50');
  });

  it('never puts control bytes from its props on screen', () => {
    const out = frame({
      title: 'inspect \x1b]0;pwned\x07web',
      lines: ['a\x1b[2Jb', 'c\x9b31md'],
      error: 'bad \x1b[31mred',
    }).join('\n');
    expect(out).not.toContain('pwned');
    expect(out).toContain('ab');
    expect(out).toContain('cd');
    expect(out).toContain('bad red');
  });
});
