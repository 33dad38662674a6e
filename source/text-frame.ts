import { cellWidth, fit, takeCells } from './format/cells.js';
import { headerWords } from './format/header-text.js';
import { fittingHints } from './format/hints.js';
import { makeTheme, type Theme, type ThemeName } from './format/palette.js';
import { sanitizeLine } from './format/sanitize.js';
import { rowRuns, tableText, windowStart } from './format/table-text.js';
import { computeLayout, MIN_COLUMNS, MIN_ROWS } from './layout.js';
import type { PaneId } from './state/actions.js';
import { targetNode, targetService } from './state/dialogs.js';
import { DRILL_HINTS } from './state/keymap.js';
import {
  currentProblems,
  paneRows,
  selectedRow,
  servicesWithProblems,
  summarize,
  VIEW_PANES,
  viewData,
} from './state/selectors.js';
import type { State } from './state/state.js';
import { sortLabel } from './views/sort-keys.js';
import { VIEWS } from './views/registry.js';
import type { AnyView } from './views/view.js';

// The first frame as text, before Ink and React have loaded (issue 17, P1): the same lines the
// App's first Ink frame has — header, the list panes, the status lines, the hint bar — from the
// same pure pieces the components use (format/header-text, format/table-text, format/hints,
// layout.ts), with the same styles. Ink then draws its first frame over it, character for
// character the same (test/text-frame.test.tsx compares them). Only what a first frame can show
// is drawn: list panes, no dialog, no help, no operation; anything else gives null, and the
// app's own first frame is the first one.

/** A run of text in one style, as a <Text> of the components would draw it. */
export interface Run {
  text: string;
  color?: string | undefined;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

export type Line = Run[];

export interface FrameInput {
  state: State;
  columns: number;
  rows: number;
  /** The endpoint as the header names it. */
  endpoint: string;
  /** The freshness words ("live" …) and whether the refreshes are failing. */
  age: string;
  error: string | null;
  eventsLive: boolean;
  refreshMs: number;
  demo?: boolean;
}

/** The frame as lines of runs, rows - 1 lines (Ink 6 keeps the frame below the terminal's height). */
export function textFrame(input: FrameInput): Line[] | null {
  const { state, columns, rows } = input;
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return null;
  if (state.help || state.dialog !== null || state.ops.length > 0) return null;
  const panes = VIEW_PANES[state.view];
  if (panes.some((id) => (VIEWS[id] as AnyView).kind !== 'list')) return null;
  const theme = makeTheme(state.theme);
  const layout = computeLayout(state, columns, rows);
  const problems = currentProblems(state);
  const words = headerWords({
    endpoint: input.endpoint,
    summary: summarize(state.nodes, state.services, servicesWithProblems(problems)),
    width: columns,
    readOnly: state.readOnly,
    demo: input.demo,
    replay: null,
    problems: problems.length,
    problemsKey: state.keys.bindingOf('view-problems')?.label ?? ':problems',
    error: input.error,
    eventsLive: input.eventsLive,
    age: input.age,
  });
  const lines: Line[] = [];
  const first: Line = [];
  if (words.badge)
    first.push({ text: words.badge, bold: true, inverse: true, color: theme.accent });
  if (words.badge) first.push({ text: ' ' });
  first.push({ text: words.left, bold: true, color: words.stale ? theme.bad : theme.accent });
  first.push({ text: ' ' });
  first.push({
    text: words.right,
    bold: words.stale,
    inverse: words.stale,
    color: words.stale ? theme.bad : theme.dim,
  });
  lines.push(truncated(first, columns));
  lines.push(
    truncated(
      words.glance.map((part, i) => ({
        text: `${i > 0 ? '  ' : ''}${part.text}`,
        bold: part.key === 'problems' && problems.length > 0,
        color: part.ok === null ? undefined : part.ok ? theme.good : theme.bad,
      })),
      columns,
    ),
  );

  const body: Line[] = [];
  for (const id of panes)
    body.push(...paneLines(state, id, layout.paneHeights[id] ?? 0, theme, columns));
  lines.push(...padded(body, layout.bodyHeight));
  for (const line of layout.detailLines)
    lines.push(truncated([{ text: line, color: theme.warn }], columns));

  const shown = VIEWS[state.view];
  const on =
    shown.kind === 'text' && shown.body === 'logs'
      ? 'logs'
      : targetService(state)
        ? 'service'
        : targetNode(state)
          ? 'node'
          : null;
  const hints: Line = [];
  for (const binding of fittingHints(
    state.keys,
    state.readOnly,
    columns,
    on,
    DRILL_HINTS[state.view] ?? null,
  )) {
    hints.push({ text: binding.label, bold: true, color: theme.accent });
    hints.push({ text: ` ${binding.hint ?? ''}  `, color: theme.dim });
  }
  lines.push(truncated(hints, columns));
  return lines.length === rows - 1 ? lines : null;
}

function paneLines(state: State, id: PaneId, height: number, theme: Theme, width: number): Line[] {
  if (height <= 0) return [];
  const view = VIEWS[id] as AnyView;
  if (view.kind !== 'list') return [];
  const list = state.lists[id];
  const rows = paneRows(state, id) as { id: string }[];
  const data = viewData(state);
  const focused = state.focus === id;
  const suffix = [
    list.filter ? `/${list.filter}` : '',
    list.problemsOnly ? 'problems only' : '',
    sortLabel(view.sorts, list.sort, list.reverse),
  ]
    .filter(Boolean)
    .map((part) => `  ${part}`)
    .join('');
  const title = `${view.title(rows, data)}${suffix}`;
  const lines: Line[] = [
    truncated(
      [
        {
          text: fit(`${focused ? '▸ ' : '  '}${sanitizeLine(title)}`, width),
          bold: true,
          inverse: focused,
          color: focused ? theme.accent : undefined,
        },
      ],
      width,
    ),
  ];
  const tableHeight = height - 1;
  if (tableHeight > 0) {
    const selectedId = selectedRow(rows, list.selectedId)?.id ?? null;
    const visibleCount = Math.max(0, tableHeight - 1);
    const selectedIndex = selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId);
    const start = windowStart(0, selectedIndex, visibleCount, rows.length);
    const columns = view.columns(theme, new Date(state.clock), data);
    const table = tableText(columns, rows, selectedIndex, start, visibleCount, width);
    const tableLines: Line[] = [truncated([{ text: table.header, bold: true }], width)];
    if (rows.length === 0 && visibleCount > 0) {
      const empty = view.empty(data, list.filter !== '');
      tableLines.push(truncated([{ text: fit(sanitizeLine(empty), width), dim: true }], width));
    } else {
      for (const row of table.window) {
        const selected = row.id === selectedId;
        const style = {
          inverse: selected && focused,
          bold: selected && !focused,
          underline: selected && !focused,
        };
        const runs = rowRuns(table.shown, table.widths, row, selected && focused).map((run) => ({
          ...style,
          text: run.text,
          color: run.color,
        }));
        tableLines.push(truncated([...runs, { ...style, text: table.filler }], width));
      }
    }
    lines.push(...padded(tableLines, tableHeight));
  }
  return padded(lines, height);
}

/** `lines` cut or filled with empty lines to exactly `height`. */
function padded(lines: Line[], height: number): Line[] {
  const out = lines.slice(0, Math.max(0, height));
  while (out.length < height) out.push([]);
  return out;
}

/** A line cut to `width` cells as Ink's wrap="truncate" cuts it: an ellipsis in the last cell. */
function truncated(line: Line, width: number): Line {
  const total = line.reduce((sum, run) => sum + cellWidth(run.text), 0);
  if (total <= width) return line;
  const out: Line = [];
  let room = width - 1;
  for (const run of line) {
    const w = cellWidth(run.text);
    if (w <= room) {
      out.push(run);
      room -= w;
      continue;
    }
    out.push({ ...run, text: `${takeCells(run.text, room).text}…` });
    return out;
  }
  const last = out.pop();
  if (last !== undefined) out.push({ ...last, text: `${last.text}…` });
  return out;
}

/** The frame as Ink's text would read without styles: each line without trailing spaces. */
export function plainFrame(lines: Line[]): string {
  return lines
    .map((line) =>
      line
        .map((run) => run.text)
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

const SGR_COLORS: Record<string, number> = {
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
  grey: 90,
  blackBright: 90,
  redBright: 91,
  greenBright: 92,
  yellowBright: 93,
  blueBright: 94,
  magentaBright: 95,
  cyanBright: 96,
  whiteBright: 97,
};

/**
 * The frame with its styles as SGR sequences, each line erased to its end, for a terminal at
 * `level` (chalk's: 0 no styles at all, as Ink draws then; otherwise the 16 named colours the
 * themes use).
 */
export function styledFrame(lines: Line[], level: number): string {
  return lines
    .map((line) => {
      let out = '';
      for (const run of line) {
        if (level === 0 || run.text === '') {
          out += run.text;
          continue;
        }
        const on: number[] = [];
        if (run.bold) on.push(1);
        if (run.dim) on.push(2);
        if (run.underline) on.push(4);
        if (run.inverse) on.push(7);
        const color = run.color === undefined ? undefined : SGR_COLORS[run.color];
        if (color !== undefined) on.push(color);
        out += on.length === 0 ? run.text : `\u001b[${on.join(';')}m${run.text}\u001b[0m`;
      }
      return `${out}\u001b[K`;
    })
    .join('\r\n');
}

/**
 * The colour level Ink draws with for `theme`, from chalk's `level` (interactive.tsx: monochrome
 * keeps bold and inverse).
 */
export function colourLevel(level: number, theme: ThemeName): number {
  return theme === 'mono' && process.env['TERM'] !== 'dumb' ? Math.max(level, 1) : level;
}
