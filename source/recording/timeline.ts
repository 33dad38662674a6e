// A recording read back as a timeline: the swarm at any moment, the moments it changed, the
// events and operations up to a moment, and when each problem started and ended — judged by the
// problems view's own rules (views/problem-rows.ts) on the swarm as recorded at that moment.
import type { SwarmEvent } from '../model.js';
import type { AuditRecord } from '../operations/audit-log.js';
import { isServiceDegraded } from '../health.js';
import { problemRows, type ProblemRow } from '../views/problem-rows.js';
import {
  EMPTY_STATE,
  StateReader,
  swarmEvent,
  type RecordedState,
  type RecordLine,
} from './format.js';

export interface ProblemChange {
  t: number;
  started: ProblemRow[];
  ended: ProblemRow[];
}

export interface ProblemSpan {
  row: ProblemRow;
  start: number;
  /** null: still a problem when the recording ends. */
  end: number | null;
}

/** Problems are also judged once a minute between changes: a failure leaves the window in time. */
const TICK_MS = 60_000;

export function problemsOf(state: RecordedState, nowMs: number): ProblemRow[] {
  return problemRows({
    nodes: state.nodes,
    services: state.services,
    tasks: state.tasks,
    troubled: state.troubled,
    nowMs,
  });
}

export class Timeline {
  readonly lines: RecordLine[];
  /** The times of the key frames and changes, ascending, without repeats. */
  readonly changeTimes: number[];
  readonly start: number;
  readonly end: number;
  readonly events: { t: number; event: SwarmEvent }[];
  readonly ops: AuditRecord[];
  /** Every node's hostname and service's name ever recorded, by id (events may not say). */
  readonly names = new Map<string, string>();
  private transitionsCache: ProblemChange[] | null = null;

  constructor(lines: RecordLine[]) {
    // A clock stepped back within a recording: lines stay in the order written, times are
    // kept from going backwards so a moment is always findable.
    this.lines = lines;
    const times = new Set<number>();
    const events: { t: number; event: SwarmEvent }[] = [];
    const ops = new Map<string, AuditRecord>();
    let first = Infinity;
    let last = -Infinity;
    for (const line of lines) {
      first = Math.min(first, line.t);
      last = Math.max(last, line.t);
      if (line.k === 'snap' || line.k === 'chg') {
        times.add(line.t);
        this.learnNames(line);
      } else if (line.k === 'ev') events.push({ t: line.t, event: swarmEvent(line.e) });
      else if (line.k === 'op' && typeof line.op?.id === 'string') {
        // An operation's attempt and its outcome share an id: the outcome is what happened.
        const seen = ops.get(line.op.id);
        if (seen === undefined || line.op.result !== 'attempt') ops.set(line.op.id, line.op);
      }
    }
    this.changeTimes = [...times].sort((a, b) => a - b);
    this.start = Number.isFinite(first) ? first : 0;
    this.end = Number.isFinite(last) ? last : 0;
    this.events = events.sort((a, b) => eventMs(a.event) - eventMs(b.event));
    this.ops = [...ops.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  }

  private learnNames(line: RecordLine): void {
    const nodes =
      line.k === 'snap'
        ? line.nodes
        : line.k === 'chg'
          ? [...(line.set?.nodes ?? []), ...(line.upd?.nodes ?? [])]
          : undefined;
    const services =
      line.k === 'snap'
        ? line.services
        : line.k === 'chg'
          ? [...(line.set?.services ?? []), ...(line.upd?.services ?? [])]
          : undefined;
    for (const node of (nodes ?? []) as { id: string; hostname?: string }[]) {
      if (node.hostname) this.names.set(node.id, node.hostname);
    }
    for (const service of (services ?? []) as { id: string; name?: string }[]) {
      if (service.name) this.names.set(service.id, service.name);
    }
  }

  /** The swarm as last recorded at or before `t` (empty before the first key frame). */
  stateAt(t: number): RecordedState {
    // From the last key frame at or before t.
    let from = -1;
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      if (line.t > t) break;
      if (line.k === 'snap') from = i;
    }
    if (from === -1) return EMPTY_STATE;
    const reader = new StateReader();
    for (let i = from; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      if (line.t > t) break;
      reader.apply(line);
    }
    return reader.state;
  }

  eventsUntil(t: number): SwarmEvent[] {
    return this.events.filter((e) => eventMs(e.event) <= t).map((e) => e.event);
  }

  /** The recorded change just before / after `t` (null: none). */
  changeBefore(t: number): number | null {
    return [...this.changeTimes].reverse().find((c) => c < t) ?? null;
  }

  changeAfter(t: number): number | null {
    return this.changeTimes.find((c) => c > t) ?? null;
  }

  /** Each moment a problem started or ended, in time order. */
  transitions(): ProblemChange[] {
    if (this.transitionsCache !== null) return this.transitionsCache;
    const out: ProblemChange[] = [];
    const reader = new StateReader();
    let state = EMPTY_STATE;
    let open = new Map<string, ProblemRow>();
    let started = false;
    const judge = (t: number) => {
      const rows = problemsOf(state, t);
      const now = new Map(rows.map((r) => [r.id, r]));
      const began = rows.filter((r) => !open.has(r.id));
      const ended = [...open.values()].filter((r) => !now.has(r.id));
      if (began.length > 0 || ended.length > 0) out.push({ t, started: began, ended });
      open = now;
    };
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      if (line.k === 'hdr') reader.apply(line);
      if (line.k !== 'snap' && line.k !== 'chg') continue;
      // Between changes, once a minute: a failure older than the window is no longer a problem.
      if (started) {
        const next = line.t;
        const lastT = out.at(-1)?.t ?? this.start;
        for (let tick = Math.max(lastT, this.start) + TICK_MS; tick < next; tick += TICK_MS) {
          judge(tick);
        }
      }
      state = reader.apply(line);
      started = true;
      // Several lines at one moment: judged once, after the last.
      if (this.lines[i + 1]?.t === line.t && isStateLine(this.lines[i + 1]!)) continue;
      judge(line.t);
    }
    this.transitionsCache = out;
    return out;
  }

  /** Every problem with when it started and ended. */
  spans(): ProblemSpan[] {
    const spans: ProblemSpan[] = [];
    const open = new Map<string, ProblemSpan>();
    for (const change of this.transitions()) {
      for (const row of change.ended) {
        const span = open.get(row.id);
        if (span !== undefined) span.end = change.t;
        open.delete(row.id);
      }
      for (const row of change.started) {
        const span: ProblemSpan = { row, start: change.t, end: null };
        open.set(row.id, span);
        spans.push(span);
      }
    }
    return spans;
  }

  /** The moments a problem started or ended, ascending. */
  problemTimes(): number[] {
    return this.transitions().map((c) => c.t);
  }

  /** Services below their count at each minute from `from` to `to`. */
  degradedPerMinute(from: number, to: number): { t: number; count: number; names: string[] }[] {
    const out: { t: number; count: number; names: string[] }[] = [];
    const reader = new StateReader();
    let i = 0;
    const startMinute = Math.floor(from / TICK_MS) * TICK_MS;
    const below = () =>
      reader.state.services
        .filter((s) => isServiceDegraded(s) && s.running < s.desired)
        .map((s) => s.name);
    for (let t = startMinute; t <= to; t += TICK_MS) {
      // Every service below its count at some recorded moment of the minute, not only at its
      // end: a postmortem asks what was down, and a crash loop is at its count between crashes.
      const names = new Set(below());
      const until = t + TICK_MS - 1;
      while (i < this.lines.length && this.lines[i]!.t <= until) {
        const line = this.lines[i]!;
        reader.apply(line);
        if (isStateLine(line)) for (const name of below()) names.add(name);
        i++;
      }
      out.push({ t, count: names.size, names: [...names].sort() });
    }
    return out;
  }
}

function isStateLine(line: RecordLine): boolean {
  return line.k === 'snap' || line.k === 'chg';
}

export function eventMs(event: SwarmEvent): number {
  return Number(event.timeNano / 1_000_000n);
}
