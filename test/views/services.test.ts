// Service marks and the header's healthy count: a service whose tasks keep failing is not called
// healthy, even at its full count (swarmcli's blind spot: errors behind healthy-looking counts).
import { describe, expect, it } from 'vitest';
import { MARK_DEGRADED, MARK_WARN } from '../../source/views/marks.js';
import { serviceColumns } from '../../source/views/services.js';
import { makeTheme } from '../../source/format/palette.js';
import { summarize } from '../../source/state/selectors.js';
import { service } from '../helpers/factories.js';

const theme = makeTheme('dark');
const now = new Date('2026-11-25T12:00:00Z');
const web = service({ id: 's-web', name: 'web', running: 2, desired: 2 });
const crashy = service({ id: 's-crashy', name: 'crashy', running: 1, desired: 1 });
const down = service({ id: 's-down', name: 'down', running: 0, desired: 1 });

function mark(flagged: ReadonlySet<string>, s = crashy): { text: string; color?: string } {
  const column = serviceColumns(theme, now, flagged).find((c) => c.key === 'mark')!;
  return { text: column.cell(s), color: column.color?.(s) };
}

describe('the service mark', () => {
  it('is ✗ below the count, ! at the count with failing tasks, blank otherwise', () => {
    expect(mark(new Set(), down)).toEqual({ text: MARK_DEGRADED, color: theme.bad });
    expect(mark(new Set(['s-crashy']))).toEqual({ text: MARK_WARN, color: theme.warn });
    expect(mark(new Set()).text).toBe(' ');
    expect(mark(new Set(['s-crashy']), web).text).toBe(' ');
  });
});

describe('summarize', () => {
  it('does not count a service with failing tasks as healthy', () => {
    const all = [web, crashy, down];
    expect(summarize([], all).servicesHealthy).toBe(2);
    expect(summarize([], all, new Set(['s-crashy'])).servicesHealthy).toBe(1);
  });
});
