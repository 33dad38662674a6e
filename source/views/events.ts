// The events timeline: swarm changes as the engine reports them, newest first.
import type { Theme } from '../format/palette.js';
import { age, clock } from '../format/time.js';
import type { Column } from './column.js';
import type { EventRow } from './event-log.js';
import { MARK_DEGRADED, MARK_WARN, markColumn } from './marks.js';
import type { ListView } from './view.js';

function eventMark(row: EventRow): string {
  if (row.level === 'bad') return MARK_DEGRADED;
  if (row.level === 'warn') return MARK_WARN;
  return ' ';
}

export function eventColumns(theme: Theme, now: Date): Column<EventRow>[] {
  const tone = (r: EventRow) =>
    r.level === 'bad' ? theme.bad : r.level === 'warn' ? theme.warn : undefined;
  return [
    markColumn(eventMark, tone),
    { key: 'time', header: 'TIME', width: 8, cell: (r) => clock(r.at) },
    { key: 'type', header: 'TYPE', width: 7, cell: (r) => r.type },
    { key: 'action', header: 'ACTION', width: 6, cell: (r) => r.action, color: tone },
    { key: 'name', header: 'NAME', minWidth: 10, flex: 2, cell: (r) => r.name, color: tone },
    {
      key: 'change',
      header: 'CHANGE',
      minWidth: 12,
      flex: 4,
      cell: (r) => r.change,
      color: tone,
    },
    // The age tells yesterday's 14:03 from today's; dropped first on a narrow terminal.
    { key: 'age', header: 'AGE', width: 4, align: 'right', cell: (r) => age(new Date(r.at), now) },
  ];
}

export const eventsView: ListView<EventRow> = {
  kind: 'list',
  id: 'events',
  words: ['events', 'event', 'ev', 'e'],
  panes: ['events'],
  needsEvents: true,
  binding: { keys: ['6'], help: 'events: the live timeline of swarm changes (also :events)' },
  rows: (data) => data.events,
  search: (e) => `${e.type} ${e.action} ${e.name} ${e.change}`,
  sorts: [],
  columns: (theme, now) => eventColumns(theme, now),
  title: (rows) => `EVENTS (${rows.length}, newest first)`,
  empty: () => 'no swarm events since smarm-top started',
  detail: (e) => {
    if (!e) {
      return 'Swarm events appear here as they happen: service, node, secret, config and network changes.';
    }
    return `${new Date(e.at).toISOString()} ${e.type} ${e.action} ${e.name}${e.change ? `: ${e.change}` : ''}`;
  },
  enterHint: 'go to',
  // The service or node the event is about, selected in its list.
  enter: (e, data) => {
    const view = e.type === 'service' ? 'services' : e.type === 'node' ? 'nodes' : null;
    if (view === null) return `A ${e.type} has no list of its own here.`;
    const exists =
      view === 'services'
        ? data.services.some((s) => s.id === e.objectId)
        : data.nodes.some((n) => n.id === e.objectId);
    if (!exists) return `${e.name} no longer exists.`;
    return { view, stack: null, filter: '', problemsOnly: false, selectId: e.objectId };
  },
};
