// The events timeline: one row per swarm event, saying in an operator's words what changed.
// The engine tells changes as attribute pairs "<what>.old" / "<what>.new" on update events
// (moby daemon/cluster events: replicas, image, updatestate for services; availability, role,
// state, leader, reachability for nodes). Names and values stay raw strings here: the table
// sanitizes every cell it draws.
import type { SwarmEvent, SwarmEventType } from '../model.js';

/** How the timeline tells a row apart: a removal or a failure, a warning, or plain news. */
export type EventLevel = 'bad' | 'warn' | 'normal';

export interface EventRow {
  id: string;
  /** The engine's ID of the object the event is about (Enter jumps to it). */
  objectId: string;
  /** Milliseconds since the epoch, from the event's timeNano. */
  at: number;
  type: SwarmEventType;
  action: string;
  name: string;
  /** What changed, e.g. "replicas 2 → 5"; "" when the engine did not say. */
  change: string;
  level: EventLevel;
  /**
   * Node updates without a change folded into this row (their change says how many); absent on
   * other rows. A swarm sends one per node per heartbeat, which would bury every real change.
   */
  quiet?: { count: number; names: string[] };
}

/** Rows kept: a long incident's worth, with memory that does not grow with time. */
export const EVENT_LOG_LIMIT = 500;

const ARROW = '→';

/** Known pairs, in the order an operator reads them; others follow in the engine's order. */
const KNOWN_ORDER = [
  'replicas',
  'image',
  'updatestate',
  'state',
  'availability',
  'role',
  'leader',
  'reachability',
];

// A digest says nothing to a reader next to the tag, and would push the tag off screen.
function withoutDigest(image: string): string {
  return image.replace(/@sha256:[0-9a-f]+$/i, '');
}

/** Engine words for an update state, spaced as in prose: "rollback_started" → "rollback started". */
function updateWord(state: string): string {
  return state.replace(/_/g, ' ');
}

function leaderWord(value: string): string {
  return value === 'true' ? 'leader' : value === 'false' ? 'not leader' : value;
}

function describePair(what: string, from: string | undefined, to: string | undefined): string {
  const pair = (label: string, map: (v: string) => string = (v) => v): string =>
    from === undefined || from === ''
      ? `${label}${to === undefined ? '' : map(to)}`
      : `${label}${map(from)} ${ARROW} ${map(to ?? '')}`;
  switch (what) {
    case 'image':
      return pair('image ', withoutDigest);
    case 'updatestate':
      return pair('update: ', updateWord);
    case 'leader':
      return pair('', leaderWord);
    default:
      return pair(`${what} `);
  }
}

/** Every "<what>.old"/"<what>.new" pair, known ones first, as one line. */
function describeChange(attributes: Record<string, string>): string {
  const names = new Set<string>();
  for (const key of Object.keys(attributes)) {
    const match = /^(.+)\.(old|new)$/.exec(key);
    if (match !== null) names.add(match[1]!);
  }
  const ordered = [
    ...KNOWN_ORDER.filter((name) => names.has(name)),
    ...[...names].filter((name) => !KNOWN_ORDER.includes(name)).sort(),
  ];
  return ordered
    .map((name) => describePair(name, attributes[`${name}.old`], attributes[`${name}.new`]))
    .join(', ');
}

const BAD_NEW: Record<string, ReadonlySet<string>> = {
  state: new Set(['down', 'disconnected', 'unknown']),
  updatestate: new Set(['paused', 'rollback_started', 'rollback_paused']),
  reachability: new Set(['unreachable', 'unknown']),
};
const WARN_NEW: Record<string, ReadonlySet<string>> = {
  availability: new Set(['drain', 'pause']),
};

function levelOf(event: SwarmEvent): EventLevel {
  if (event.action === 'remove') return 'bad';
  const attributes = event.attributes;
  const isNew = (table: Record<string, ReadonlySet<string>>): boolean =>
    Object.entries(table).some(([what, words]) => words.has(attributes[`${what}.new`] ?? ''));
  if (isNew(BAD_NEW)) return 'bad';
  // A replica count going down is what an operator looks for after "who scaled us to 0?".
  const from = Number(attributes['replicas.old']);
  const to = Number(attributes['replicas.new']);
  if (isNew(WARN_NEW) || (Number.isFinite(from) && Number.isFinite(to) && to < from)) {
    return 'warn';
  }
  return 'normal';
}

/**
 * One timeline row. `seq` (a session-wide counter) makes the id unique even for two events
 * with the same timestamp, so the selection can follow a row.
 */
export function describeEvent(event: SwarmEvent, seq: number): EventRow {
  // A node's name can be empty (a node that has not reported its hostname yet): its ID then.
  const name = event.name !== null && event.name !== '' ? event.name : event.id.slice(0, 12);
  return {
    id: `${seq}`,
    objectId: event.id,
    at: Number(event.timeNano / 1_000_000n),
    type: event.type,
    action: event.action,
    name,
    change: describeChange(event.attributes),
    level: levelOf(event),
  };
}

/** A node `update` that says nothing changed: the heartbeat a swarm sends for every node. */
export function isQuietNodeUpdate(row: EventRow): boolean {
  return row.type === 'node' && row.action === 'update' && row.change === '' && !row.quiet;
}

function quietWords(count: number): string {
  return `${count} node update${count === 1 ? '' : 's'} without a change`;
}

function quietRow(row: EventRow, count: number, names: string[]): EventRow {
  return {
    ...row,
    name: names.length === 1 ? names[0]! : `${names.length} nodes`,
    change: quietWords(count),
    quiet: { count, names },
  };
}

/** `row` told as the first of a fold, or `fold` with `row` in it; the fold keeps its id. */
function foldInto(fold: EventRow | null, row: EventRow): EventRow {
  if (fold === null || !fold.quiet) return quietRow(row, 1, [row.name]);
  const names = fold.quiet.names.includes(row.name)
    ? fold.quiet.names
    : [...fold.quiet.names, row.name];
  const newest = row.at >= fold.at ? row : fold;
  return quietRow(
    { ...fold, at: newest.at, objectId: newest.objectId },
    fold.quiet.count + 1,
    names,
  );
}

/**
 * The timeline with `row` on top, newest first, at most EVENT_LOG_LIMIT rows. Node updates
 * without a change next to each other fold into one row "N node updates without a change", so
 * the timeline shows changes.
 */
export function appendEvent(rows: readonly EventRow[], row: EventRow): EventRow[] {
  // Events mostly come in time order; one that is older (a node event's time is the node's
  // own update time) goes where it belongs so the timeline reads in order.
  let index = 0;
  while (index < rows.length && rows[index]!.at > row.at) index += 1;
  if (isQuietNodeUpdate(row)) {
    // A fold just newer or just older than where the row belongs takes it in.
    for (const at of [index - 1, index]) {
      const near = rows[at];
      if (near?.quiet) {
        const next = [...rows];
        next[at] = foldInto(near, row);
        return next;
      }
    }
    row = foldInto(null, row);
  }
  const next = [...rows.slice(0, index), row, ...rows.slice(index)];
  if (next.length > EVENT_LOG_LIMIT) next.length = EVENT_LOG_LIMIT;
  return next;
}
