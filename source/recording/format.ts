// The flight recorder's records (docs/recording.md): one JSON object a line, each standing alone.
// Pure: what a record holds, how it is made safe to keep, how a line is read back (a torn or
// foreign line is skipped, never fatal) and how records replay into the swarm of a moment.
import type { SwarmCluster, SwarmEvent, SwarmNode, SwarmService, SwarmTask } from '../model.js';
import type { AuditRecord } from '../operations/audit-log.js';
import { isSecretName, maskEnvEntry, maskText, maskValue, MASK } from '../format/mask.js';
import { sanitize } from '../format/sanitize.js';

export const FORMAT_VERSION = 1;

/** The swarm as recorded: nodes, services with their status counts, the troubled tasks. */
export interface RecordedState {
  nodes: SwarmNode[];
  services: SwarmService[];
  /** Tasks of the services seen in trouble (what the problems are made of). */
  tasks: SwarmTask[];
  /** The services whose tasks are followed. */
  troubled: string[];
  swarm: SwarmCluster | null;
}

export const EMPTY_STATE: RecordedState = {
  nodes: [],
  services: [],
  tasks: [],
  troubled: [],
  swarm: null,
};

type ListName = 'nodes' | 'services' | 'tasks';
export const LISTS: readonly ListName[] = ['nodes', 'services', 'tasks'];

/** An event as kept: its time in nanoseconds as a decimal string (JSON has no bigint). */
export interface RecordedEvent extends Omit<SwarmEvent, 'timeNano'> {
  timeNano: string;
}

export type RecordLine =
  /** First line of every segment: who wrote it. */
  | { k: 'hdr'; t: number; v: number; recorder: string; endpoint: string; pid: number }
  /** The whole swarm (a key frame): every segment starts with one, then one now and then. */
  | ({ k: 'snap'; t: number } & RecordedState)
  /** What changed since the line before: objects set (whole) and ids gone, per list. */
  | {
      k: 'chg';
      t: number;
      set: Partial<Record<ListName, { id: string }[]>>;
      del: Partial<Record<ListName, string[]>>;
      troubled?: string[];
      swarm?: SwarmCluster | null;
    }
  | { k: 'ev'; t: number; e: RecordedEvent }
  /** One of smarm-top's own operations, as the audit path wrote it. */
  | { k: 'op'; t: number; op: AuditRecord }
  /** The recorder lost or regained the engine (a gap in what is known). */
  | { k: 'note'; t: number; text: string };

const JOIN_TOKEN = /SWMTKN-[\w-]+/g;
/** Maps whose values are masked by their keys' names, as every view shows them. */
const NAMED_VALUES = /^(labels|options|driverOpts|driverOptions|attributes)$/i;

function safeText(value: string): string {
  const clean = sanitize(value).replace(JOIN_TOKEN, `SWMTKN-${MASK}`);
  if (/^SWMKEY-/.test(clean)) return MASK;
  // What maskText looks for (name=value, user:password@, a spaced flag, a header) needs one of
  // these; most strings (names, images, states) have none and skip its costlier patterns.
  return /[=@]| -|authorization/i.test(clean) ? maskText(clean) : clean;
}

/**
 * Every string made safe to keep and to print later: control characters gone, join tokens and
 * unlock keys never kept, secret-looking values masked by their names (labels, env, options).
 */
export function scrub(value: unknown, container = ''): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) {
    const env = /^env$/i.test(container);
    return value.map((item) =>
      env && typeof item === 'string' ? maskEnvEntry(safeText(item)) : scrub(item),
    );
  }
  if (typeof value === 'object' && value !== null) {
    const named = NAMED_VALUES.test(container);
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (/^joinTokens?$|unlock.?key/i.test(key)) continue;
      out[sanitize(key)] =
        named && typeof inner === 'string'
          ? isSecretName(key)
            ? maskValue(key, inner)
            : safeText(inner)
          : scrub(inner, key);
    }
    return out;
  }
  return value;
}

/** The text of one line (with its newline); bigints (event times) as decimal strings. */
export function encodeLine(line: RecordLine): string {
  return `${JSON.stringify(scrub(line))}\n`;
}

export function recordedEvent(event: SwarmEvent): RecordedEvent {
  return { ...event, timeNano: event.timeNano.toString() };
}

export function swarmEvent(event: RecordedEvent): SwarmEvent {
  let timeNano: bigint;
  try {
    timeNano = BigInt(event.timeNano);
  } catch {
    timeNano = 0n;
  }
  return { ...event, timeNano };
}

const KINDS = new Set(['hdr', 'snap', 'chg', 'ev', 'op', 'note']);

/** One line read back, or null: torn (cut short by a crash), foreign or of an unknown kind. */
export function decodeLine(text: string): RecordLine | null {
  if (text.trim() === '') return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = data as { k?: unknown; t?: unknown };
  if (typeof record.k !== 'string' || !KINDS.has(record.k)) return null;
  if (typeof record.t !== 'number' || !Number.isFinite(record.t)) return null;
  return data as RecordLine;
}

/**
 * The lines of a segment's text. Only lines ended by a newline count: the last one a crash cut
 * short has none (and a torn line in the middle, which cannot happen when each run starts a new
 * segment, is skipped all the same).
 */
export function decodeText(text: string): { lines: RecordLine[]; skipped: number } {
  const parts = text.split('\n');
  // The part after the last newline was never finished.
  const torn = parts.pop() ?? '';
  let skipped = torn.trim() === '' ? 0 : 1;
  const lines: RecordLine[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const line = decodeLine(part);
    if (line === null) skipped += 1;
    else lines.push(line);
  }
  return { lines, skipped };
}

function byId<T extends { id: string }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map((item) => [item.id, item]));
}

/**
 * The same item, or one that says the same: the store's lists keep an unchanged item's object
 * (format/same.ts shareList), so only an item that is another object is written out to compare.
 */
function sameItem(before: unknown, after: unknown): boolean {
  return before === after || JSON.stringify(before) === JSON.stringify(after);
}

/** Remembers the last state written, to write only what changed. */
export class ChangeTracker {
  // The items themselves, not their JSON: the store never changes an item in place, and a copy
  // of the whole swarm as text would cost a megabyte at 1,000 services.
  private last: Record<ListName, Map<string, { id: string }>> | null = null;
  private lastTroubled = '';
  private lastSwarm = 'null';

  /** Forget: the next state is written whole (a new segment starts with a key frame). */
  reset(): void {
    this.last = null;
  }

  /** The line for `state` at `t`: a key frame after reset, else the changes (null: none). */
  next(state: RecordedState, t: number): RecordLine | null {
    const now = {
      nodes: byId<{ id: string }>(state.nodes),
      services: byId<{ id: string }>(state.services),
      tasks: byId<{ id: string }>(state.tasks),
    };
    const troubled = state.troubled.join(',');
    const swarm = JSON.stringify(state.swarm);
    const last = this.last;
    this.last = now;
    const troubledChanged = troubled !== this.lastTroubled;
    const swarmChanged = swarm !== this.lastSwarm;
    this.lastTroubled = troubled;
    this.lastSwarm = swarm;
    if (last === null) return { k: 'snap', t, ...state };
    const set: Partial<Record<ListName, { id: string }[]>> = {};
    const del: Partial<Record<ListName, string[]>> = {};
    let changed = troubledChanged || swarmChanged;
    for (const list of LISTS) {
      const items = state[list] as { id: string }[];
      const before = last[list];
      const changedItems = items.filter((item) => {
        const old = before.get(item.id);
        return old === undefined || !sameItem(old, item);
      });
      const gone = [...before.keys()].filter((id) => !now[list].has(id));
      if (changedItems.length > 0) set[list] = changedItems;
      if (gone.length > 0) del[list] = gone;
      changed ||= changedItems.length > 0 || gone.length > 0;
    }
    if (!changed) return null;
    return {
      k: 'chg',
      t,
      set,
      del,
      ...(troubledChanged ? { troubled: state.troubled } : {}),
      ...(swarmChanged ? { swarm: state.swarm } : {}),
    };
  }
}

/** The state after one snapshot or change line (other lines leave it as it is). */
export function applyLine(state: RecordedState, line: RecordLine): RecordedState {
  if (line.k === 'snap') {
    return {
      nodes: line.nodes ?? [],
      services: line.services ?? [],
      tasks: line.tasks ?? [],
      troubled: line.troubled ?? [],
      swarm: line.swarm ?? null,
    };
  }
  if (line.k !== 'chg') return state;
  const next: RecordedState = { ...state };
  for (const list of LISTS) {
    const set = line.set?.[list];
    const del = line.del?.[list];
    if (set === undefined && del === undefined) continue;
    const items = new Map((state[list] as { id: string }[]).map((item) => [item.id, item]));
    for (const id of del ?? []) items.delete(id);
    for (const item of set ?? []) items.set(item.id, item);
    (next as unknown as Record<ListName, unknown[]>)[list] = [...items.values()];
  }
  if (line.troubled !== undefined) next.troubled = line.troubled;
  if (line.swarm !== undefined) next.swarm = line.swarm;
  return next;
}
