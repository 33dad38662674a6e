// The sort keys of each list (`>` steps through them, `<` reverses). The first key of each list is
// its natural order, the one the list opens with.
import type { SwarmNode, SwarmService } from '../model.js';
import { compareText } from '../format/compare.js';
import type { TaskRow } from './selectors.js';

export interface SortKey<Row> {
  name: string;
  compare: (a: Row, b: Row) => number;
}

const ROLE_ORDER: Record<string, number> = { manager: 0, worker: 1 };

const byText =
  <Row>(text: (row: Row) => string) =>
  (a: Row, b: Row) =>
    compareText(text(a), text(b));

// Newest first: ISO timestamps compare as text.
const byNewest =
  <Row>(time: (row: Row) => string | null) =>
  (a: Row, b: Row) =>
    compareText(time(b) ?? '', time(a) ?? '');

export const SERVICE_SORTS: readonly SortKey<SwarmService>[] = [
  { name: 'name', compare: byText((s) => s.name) },
  {
    // The most tasks missing first: where the outage is biggest.
    name: 'missing',
    compare: (a, b) =>
      b.desired - b.running - (a.desired - a.running) || compareText(a.name, b.name),
  },
  { name: 'updated', compare: byNewest((s) => s.updatedAt) },
  { name: 'image', compare: byText((s) => s.image) },
  { name: 'stack', compare: byText((s) => s.stack ?? '') },
];

export const NODE_SORTS: readonly SortKey<SwarmNode>[] = [
  {
    name: 'role',
    compare: (a, b) =>
      (ROLE_ORDER[a.role] ?? 2) - (ROLE_ORDER[b.role] ?? 2) || compareText(a.hostname, b.hostname),
  },
  { name: 'hostname', compare: byText((n) => n.hostname) },
  { name: 'availability', compare: byText((n) => n.availability) },
  { name: 'status', compare: byText((n) => n.state) },
];

export const TASK_SORTS: readonly SortKey<TaskRow>[] = [
  {
    name: 'service',
    compare: (a, b) =>
      compareText(a.serviceName, b.serviceName) ||
      // replicated tasks by slot, global ones by node
      (a.task.slot ?? 0) - (b.task.slot ?? 0) ||
      (a.task.slot === null ? compareText(a.nodeName, b.nodeName) : 0) ||
      // newest first within a slot: the current task above its history
      compareText(b.task.createdAt ?? '', a.task.createdAt ?? ''),
  },
  { name: 'state', compare: byText((t) => t.task.state) },
  { name: 'node', compare: byText((t) => t.nodeName) },
  { name: 'age', compare: byNewest((t) => t.task.stateSince) },
];

/** A sorted copy; `key` wraps around, so any counter works. */
export function sortWith<Row>(
  rows: readonly Row[],
  keys: readonly SortKey<Row>[],
  key: number,
  reverse: boolean,
): Row[] {
  const sort = keys[key % keys.length]!;
  const natural = keys[0]!.compare;
  // Ties fall back to the natural order, not to the order the engine listed the rows in, so
  // equal rows do not swap places between refreshes.
  const sorted = [...rows].sort((a, b) => sort.compare(a, b) || natural(a, b));
  return reverse ? sorted.reverse() : sorted;
}

/** "sorted by missing", "reversed", or '' in a list's natural order. */
export function sortLabel(pane: string, key: number, reverse: boolean): string {
  const keys: readonly { name: string }[] | undefined =
    pane === 'services'
      ? SERVICE_SORTS
      : pane === 'nodes'
        ? NODE_SORTS
        : pane === 'tasks'
          ? TASK_SORTS
          : undefined;
  const index = keys === undefined ? 0 : key % keys.length;
  const name = index === 0 ? '' : `sorted by ${keys![index]!.name}`;
  return [name, reverse ? 'reversed' : ''].filter(Boolean).join(', ');
}
