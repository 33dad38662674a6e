// The explain view (`e` on a pending task): one row per node with the first scheduler rule that
// turns the task away there and its numbers (then the rules after it that would too), the nodes
// that fit first. The engine only counts ("scheduling constraints not satisfied on 5 nodes");
// this names the nodes and the rules.
import { compareText } from '../format/compare.js';
import type { Theme } from '../format/palette.js';
import type { SwarmObjectKind } from '../model.js';
import {
  RULE_ORDER,
  verdictText,
  type NodeVerdict,
  type PlacementRule,
} from '../operations/placement.js';
import type { Column } from './column.js';
import { MARK_DEGRADED, markColumn } from './marks.js';
import { nodesView } from './nodes.js';
import { byText, type SortKey } from './sort-keys.js';
import type { ListView, ViewData } from './view.js';

export interface ExplainRow {
  /** The node's ID. */
  id: string;
  verdict: NodeVerdict;
}

const RULE_WORDS: Record<PlacementRule, string> = {
  ready: 'available',
  resources: 'resources',
  plugins: 'plugins',
  constraints: 'constraints',
  platform: 'platform',
  'host-port': 'host port',
  'max-replicas': 'max per node',
};

/** The rule's column word: what failed, or "fits". */
export function ruleWord(rule: PlacementRule | null): string {
  return rule === null ? 'fits' : RULE_WORDS[rule];
}

const PLACEMENTS: readonly SwarmObjectKind[] = ['placements'];

const rows = (data: ViewData): ExplainRow[] =>
  (data.explanation?.placement?.verdicts ?? []).map((verdict) => ({
    id: verdict.node.id,
    verdict,
  }));

const rank = (row: ExplainRow) =>
  row.verdict.rule === null ? -1 : RULE_ORDER.indexOf(row.verdict.rule);

const EXPLAIN_SORTS: readonly SortKey<ExplainRow>[] = [
  // The nodes that fit first, then in the scheduler's order of rules: as the engine tries them.
  {
    name: 'rule',
    compare: (a, b) =>
      rank(a) - rank(b) || compareText(a.verdict.node.hostname, b.verdict.node.hostname),
  },
  { name: 'hostname', compare: byText((r) => r.verdict.node.hostname) },
];

function explainColumns(theme: Theme): Column<ExplainRow>[] {
  const tone = (r: ExplainRow) => (r.verdict.rule === null ? theme.good : theme.bad);
  return [
    markColumn((r) => (r.verdict.rule === null ? ' ' : MARK_DEGRADED), tone),
    {
      key: 'node',
      header: 'NODE',
      minWidth: 10,
      flex: 1,
      cell: (r) => r.verdict.node.hostname,
    },
    { key: 'rule', header: 'RULE', width: 12, cell: (r) => ruleWord(r.verdict.rule), color: tone },
    { key: 'why', header: 'WHY', minWidth: 20, flex: 4, cell: (r) => verdictText(r.verdict) },
  ];
}

export const explainView: ListView<ExplainRow> = {
  kind: 'list',
  id: 'explain',
  words: ['explain', 'why'],
  panes: ['explain'],
  // Opened by `e` on a pending task; `:explain` alone has nothing to explain and says so.
  binding: { keys: [], help: 'why a pending task is not placed: each node and the rule' },
  needs: PLACEMENTS,
  rows,
  search: (r) => `${r.verdict.node.hostname} ${ruleWord(r.verdict.rule)} ${verdictText(r.verdict)}`,
  trouble: (r) => r.verdict.rule !== null,
  sorts: EXPLAIN_SORTS,
  columns: (theme) => explainColumns(theme),
  title: (_rows, data) => {
    const explanation = data.explanation;
    if (explanation === null) return 'WHY PENDING';
    const placement = explanation.placement;
    const summary = placement === null ? 'reading the nodes' : placement.summary;
    return `WHY ${explanation.taskName} IS PENDING · ${summary}`;
  },
  empty: (data) => {
    const explanation = data.explanation;
    if (explanation === null) {
      return `Nothing to explain: select a pending task (3, or a pending group in 5) and press ${data.keys('explain')}.`;
    }
    if (explanation.settled) return `${explanation.taskName} is no longer pending.`;
    return 'reading where the nodes stand…';
  },
  detail: (row, data) => {
    const explanation = data.explanation;
    if (explanation === null) return '';
    const engine = explanation.engineError ? `engine: ${explanation.engineError}` : '';
    if (row === undefined) return engine;
    return `${row.verdict.node.hostname}: ${verdictText(row.verdict)}${engine ? ` · ${engine}` : ''}`;
  },
  enterHint: nodesView.enterHint,
  enter: (row, data) => nodesView.enter?.(row.verdict.node, data) ?? null,
  target: (row) => nodesView.target?.(row.verdict.node) ?? null,
  subject: (row) => (row === undefined ? null : { kind: 'node', id: row.verdict.node.id }),
};
