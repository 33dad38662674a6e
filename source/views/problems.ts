// The problems view: what is broken and why, most urgent first; Enter goes to the evidence.
import type { Theme } from '../format/palette.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, MARK_WARN, markColumn } from './marks.js';
import { healthyLine, type ProblemRow } from './problem-rows.js';
import type { SwarmObjectKind } from '../model.js';
import type { ListView, ViewData } from './view.js';
import { lastWordsLine, lastWordsText } from '../format/last-words.js';
import { memoLast } from '../format/memo.js';

/** The id suffix of the line under a problem that quotes its crashed task's last words. */
const WORDS = '#words';

function isWordsRow(p: ProblemRow): boolean {
  return p.id.endsWith(WORDS);
}

/**
 * Each problem, and under the first row that names a crashed task, that task's last line
 * ("└ crashy.1 said  stderr: failing"): the cause is on screen with the problem, not three keys
 * away. The line goes where its problem goes (Enter); it is not a problem of its own.
 */
export const withLastWords = memoLast((problems: ProblemRow[]): ProblemRow[] => {
  if (!problems.some((p) => p.lastWords !== undefined)) return problems;
  const said = new Set<string>();
  return problems.flatMap((p) => {
    const words = p.lastWords;
    if (words === undefined || said.has(words.taskId)) return [p];
    said.add(words.taskId);
    const line = words.words === null ? 'reading its logs…' : lastWordsLine(words.words);
    const follow: ProblemRow = {
      ...p,
      id: `${p.id}${WORDS}`,
      what: `  └ ${words.task} said`,
      detail: line,
      count: 0,
    };
    return [p, follow];
  });
});

/** The crashed task's end and last words, for the status line. */
function wordsDetail(p: ProblemRow): string {
  const words = p.lastWords;
  if (words === undefined) return '';
  const said = words.words === null ? 'its last lines are being read' : lastWordsText(words.words);
  return `${words.task}${words.meaning ? ` (${words.meaning})` : ''}: ${said}`;
}

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
    markColumn(
      (p) => (isWordsRow(p) ? ' ' : p.severity === 'bad' ? MARK_DEGRADED : MARK_WARN),
      tone,
    ),
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
  rows: (data) => withLastWords(data.problems),
  search: (p) => `${p.what} ${p.detail}`,
  sorts: [],
  columns: (theme, _now, data) => problemColumns(theme, data),
  title: (rows) => `PROBLEMS (${rows.filter((p) => !isWordsRow(p)).length})`,
  empty: (data, filtered) =>
    filtered ? 'no problem matches the filter' : healthyLine(data.nodes, data.services),
  detail: (p, data) => {
    if (!p) return '';
    const where = p.jump.view === 'tasks' ? 'its tasks' : `the ${p.jump.view} list`;
    const detail = detailOf(p, data);
    const explain = p.pendingTaskId === undefined ? '' : `, ${data.keys('explain')}: per node`;
    const go = `(${data.keys('drill')}: ${where}, filtered${explain})`;
    if (isWordsRow(p)) return `${wordsDetail(p)} ${go}`;
    const words = p.lastWords ? ` · ${wordsDetail(p)}` : '';
    return `${p.what} — ${detail}${words}${detail || words ? ' ' : ''}${go}`;
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
