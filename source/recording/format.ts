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
      /** Objects written before (since the key frame): their id and the fields that changed. */
      upd?: Partial<Record<ListName, { id: string }[]>>;
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

type Item = { id: string } & Record<string, unknown>;
type ById = Map<string, Item>;
type Lists = Record<ListName, ById>;

const emptyLists = (): Lists => ({ nodes: new Map(), services: new Map(), tasks: new Map() });

function listsOf(state: RecordedState): Lists {
  return {
    nodes: new Map(state.nodes.map((item) => [item.id, item as unknown as Item])),
    services: new Map(state.services.map((item) => [item.id, item as unknown as Item])),
    tasks: new Map(state.tasks.map((item) => [item.id, item as unknown as Item])),
  };
}

/** The fields of `next` that differ from `before` (a field gone is null): what `upd` writes. */
function fieldChanges(before: Item, next: Item): Item {
  const patch: Item = { id: next.id };
  for (const [key, value] of Object.entries(next)) {
    if (key === 'id') continue;
    const old = before[key];
    if (old === value) continue;
    if (
      typeof value === 'object' &&
      value !== null &&
      JSON.stringify(old) === JSON.stringify(value)
    ) {
      continue;
    }
    patch[key] = value;
  }
  for (const key of Object.keys(before)) if (!(key in next)) patch[key] = null;
  return patch;
}

/** An object of the last state, its JSON (null: not made yet) and the last `next` that saw it. */
interface Seen {
  item: Item;
  text: string | null;
  pass: number;
}

const seenOf = (items: readonly { id: string }[]): Map<string, Seen> =>
  new Map(items.map((item) => [item.id, { item: item as unknown as Item, text: null, pass: 0 }]));

/**
 * Remembers what was written since the last key frame, to write only what changed: an object
 * new since then whole (`set`), one written before as its changed fields (`upd`, also when it
 * comes back unchanged after it was gone: then only its id), an object gone as its id (`del`).
 * The state's lists share unchanged objects with the last state (the app's reducer keeps them),
 * so most are skipped by identity before any comparing, and a list that is the very same array
 * as last time is not looked at: under churn at 1,000 services the recorder looks at the state
 * twice a second, and maps of every object built each time were most of what it allocated.
 */
export class ChangeTracker {
  /** The last state's objects by id (null: the next state is a key frame). */
  private seen: Record<ListName, Map<string, Seen>> | null = null;
  private lastLists: Record<ListName, readonly unknown[]> | null = null;
  private pass = 0;
  /** Every object's last version written since the key frame (gone ones too). */
  private written: Lists = emptyLists();
  private lastTroubled = '';
  private lastSwarm = 'null';

  /** Forget: the next state is written whole (a new segment starts with a key frame). */
  reset(): void {
    this.seen = null;
  }

  /** The line for `state` at `t`: a key frame after reset, else the changes (null: none). */
  next(state: RecordedState, t: number): RecordLine | null {
    const troubled = state.troubled.join(',');
    const swarm = JSON.stringify(state.swarm);
    const troubledChanged = troubled !== this.lastTroubled;
    const swarmChanged = swarm !== this.lastSwarm;
    this.lastTroubled = troubled;
    this.lastSwarm = swarm;
    const lists = { nodes: state.nodes, services: state.services, tasks: state.tasks };
    const lastLists = this.lastLists;
    this.lastLists = lists;
    if (this.seen === null || lastLists === null) {
      this.seen = {
        nodes: seenOf(lists.nodes),
        services: seenOf(lists.services),
        tasks: seenOf(lists.tasks),
      };
      this.written = listsOf(state);
      return { k: 'snap', t, ...state };
    }
    const pass = (this.pass += 1);
    const set: Partial<Record<ListName, { id: string }[]>> = {};
    const upd: Partial<Record<ListName, { id: string }[]>> = {};
    const del: Partial<Record<ListName, string[]>> = {};
    let changed = troubledChanged || swarmChanged;
    for (const list of LISTS) {
      if (lists[list] === lastLists[list]) continue;
      const seen = this.seen[list];
      const sets: Item[] = [];
      const upds: Item[] = [];
      for (const object of lists[list]) {
        const item = object as unknown as Item;
        const before = seen.get(item.id);
        if (before?.item === item) {
          before.pass = pass;
          continue;
        }
        const text = JSON.stringify(item);
        if (before === undefined) seen.set(item.id, { item, text, pass });
        else {
          const same = (before.text ?? JSON.stringify(before.item)) === text;
          before.item = item;
          before.text = text;
          before.pass = pass;
          if (same) continue;
        }
        const written = this.written[list].get(item.id);
        if (written === undefined) sets.push(item);
        else upds.push(fieldChanges(written, item));
        this.written[list].set(item.id, item);
      }
      const gone: string[] = [];
      for (const [id, entry] of seen) {
        if (entry.pass === pass) continue;
        gone.push(id);
        seen.delete(id);
      }
      if (sets.length > 0) set[list] = sets;
      if (upds.length > 0) upd[list] = upds;
      if (gone.length > 0) del[list] = gone;
      changed ||= sets.length > 0 || upds.length > 0 || gone.length > 0;
    }
    if (!changed) return null;
    return {
      k: 'chg',
      t,
      set,
      ...(Object.keys(upd).length > 0 ? { upd } : {}),
      del,
      ...(troubledChanged ? { troubled: state.troubled } : {}),
      ...(swarmChanged ? { swarm: state.swarm } : {}),
    };
  }
}

/**
 * Reads state lines in order: the swarm after each key frame and change. It remembers every
 * object's last version since the key frame, which an `upd` line's fields apply to (an object
 * may come back after it was gone). A segment's header or a key frame starts afresh.
 */
export class StateReader {
  private known: Lists;

  /** From `state` (default: nothing known), whose objects `upd` lines may change. */
  constructor(public state: RecordedState = EMPTY_STATE) {
    this.known = listsOf(state);
  }

  apply(line: RecordLine): RecordedState {
    if (line.k === 'hdr') this.known = emptyLists();
    if (line.k === 'snap') {
      this.state = {
        nodes: line.nodes ?? [],
        services: line.services ?? [],
        tasks: line.tasks ?? [],
        troubled: line.troubled ?? [],
        swarm: line.swarm ?? null,
      };
      this.known = listsOf(this.state);
      return this.state;
    }
    if (line.k !== 'chg') return this.state;
    const state = this.state;
    const next: RecordedState = { ...state };
    for (const list of LISTS) {
      const set = line.set?.[list] as Item[] | undefined;
      const upd = line.upd?.[list] as Item[] | undefined;
      const del = line.del?.[list];
      if (set === undefined && del === undefined && upd === undefined) continue;
      const items = new Map((state[list] as unknown as Item[]).map((item) => [item.id, item]));
      const known = this.known[list];
      for (const id of del ?? []) items.delete(id);
      for (const item of set ?? []) {
        items.set(item.id, item);
        known.set(item.id, item);
      }
      for (const patch of upd ?? []) {
        const base = known.get(patch.id) ?? items.get(patch.id);
        // A change to an object never written whole: not ours to guess.
        if (base === undefined) continue;
        const item = { ...base, ...patch };
        items.set(item.id, item);
        known.set(item.id, item);
      }
      (next as unknown as Record<ListName, unknown[]>)[list] = [...items.values()];
    }
    if (line.troubled !== undefined) next.troubled = line.troubled;
    if (line.swarm !== undefined) next.swarm = line.swarm;
    this.state = next;
    return next;
  }
}

/** The state after one line, read alone (an `upd` applies to objects in `state` only). */
export function applyLine(state: RecordedState, line: RecordLine): RecordedState {
  return new StateReader(state).apply(line);
}
