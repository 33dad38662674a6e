// The problems view: what is broken and why, most urgent first; Enter goes to the evidence.
import type { Theme } from '../format/palette.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, MARK_WARN, markColumn } from './marks.js';
import { healthyLine, type ProblemRow } from './problem-rows.js';
import type { SwarmObjectKind } from '../model.js';
import type { ListView, ViewData } from './view.js';

const PLACEMENTS: readonly SwarmObjectKind[] = ['placements'];
const NOTHING: readonly SwarmObjectKind[] = [];

/** A pending group's words, led by why no node takes it once the nodes' tasks are in. */
function detailOf(p: ProblemRow, data: Pick<ViewData, 'whyPending'>): string {
  const why = p.pendingTaskId === undefined ? null : data.whyPending(p.pendingTaskId);
  return why === null ? p.detail : `${why.summary} · ${p.detail}`;
}

export function problemColumns(
  theme: Theme,
  data: Pick<ViewData, 'whyPending'> = { whyPending: () => null },
): Column<ProblemRow>[] {
  const tone = (p: ProblemRow) => (p.severity === 'bad' ? theme.bad : theme.warn);
  return [
    markColumn((p) => (p.severity === 'bad' ? MARK_DEGRADED : MARK_WARN), tone),
    { key: 'what', header: 'PROBLEM', minWidth: 20, flex: 2, cell: (p) => p.what, color: tone },
    {
      key: 'detail',
      header: 'WHY / WHERE',
      minWidth: 20,
      flex: 3,
      cell: (p) => detailOf(p, data),
    },
  ];
}

export const problemsView: ListView<ProblemRow> = {
  kind: 'list',
  id: 'problems',
  words: ['problems', 'problem', 'pr', 'p'],
  panes: ['problems'],
  needsTroubledTasks: true,
  // Where each node stands is read only while a pending group is listed.
  needs: (data) =>
    data.problems.some((p) => p.pendingTaskId !== undefined) ? PLACEMENTS : NOTHING,
  binding: {
    keys: ['5'],
    help: 'problems: what is broken and why (also :problems)',
    hint: 'problems',
  },
  rows: (data) => data.problems,
  search: (p) => `${p.what} ${p.detail}`,
  sorts: [],
  columns: (theme, _now, data) => problemColumns(theme, data),
  title: (rows) => `PROBLEMS (${rows.length})`,
  empty: (data, filtered) =>
    filtered ? 'no problem matches the filter' : healthyLine(data.nodes, data.services),
  detail: (p, data) => {
    if (!p) return '';
    const where = p.jump.view === 'tasks' ? 'its tasks' : `the ${p.jump.view} list`;
    const detail = detailOf(p, data);
    const explain = p.pendingTaskId === undefined ? '' : `, ${data.keys('explain')}: per node`;
    return `${p.what} — ${detail}${detail ? ' ' : ''}(${data.keys('drill')}: ${where}, filtered${explain})`;
  },
  enterHint: 'go to',
  enter: (p) => {
    const jump = p.jump;
    if (jump.view === 'tasks') {
      return { view: 'tasks', scope: jump.scope, filter: jump.filter, selectId: null, jump: true };
    }
    return { view: jump.view, stack: null, filter: jump.filter, selectId: jump.selectId };
  },
};
