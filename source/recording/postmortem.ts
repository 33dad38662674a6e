// `smarm-top postmortem DIR`: a recording told as a markdown timeline, ready to paste into an
// incident document — a summary, then problems started and ended, the events in words and
// smarm-top's own operations merged by time, then the degraded services minute by minute.
import type { AuditRecord } from '../operations/audit-log.js';
import type { ProblemRow } from '../views/problem-rows.js';
import { describeEvent, isQuietNodeUpdate } from '../views/event-log.js';
import { sanitizeLine } from '../format/sanitize.js';
import { eventMs, type ProblemSpan, type Timeline } from './timeline.js';

export interface PostmortemOptions {
  since?: number;
  until?: number;
  /** Who recorded (the segments' headers), for the title. */
  endpoint?: string;
}

/** "2026-12-06 05:01:02.123Z": sortable, unambiguous, and what `docker events` can be held to. */
export function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ');
}

export function durationText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** What kind of problem a row is, in an incident document's words. */
export function problemCategory(row: ProblemRow): string {
  switch (row.kind) {
    case 'quorum':
      return row.what === 'quorum lost' ? 'quorum lost' : 'quorum at risk';
    case 'node':
      return row.severity === 'bad' ? 'node down' : 'node drained or paused';
    case 'service':
      return 'service below its count';
    case 'tasks':
      return row.id.startsWith('tasks:pending') ? 'tasks stuck pending' : 'crash loop';
    case 'network':
      return 'network join failure';
    case 'rollout':
      return row.what.includes('paused') ? 'rollout paused' : 'rollout rolled back';
    case 'trust':
      return 'swarm trust (CA, managers)';
    case 'ports':
      return 'published port conflict';
  }
}

function cell(text: string): string {
  return sanitizeLine(text).replace(/\|/g, '\\|');
}

function shortValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function operationWords(op: AuditRecord): string {
  const message = op.message ? `: ${op.message}` : '';
  return `${op.user} ${op.action} ${op.target.kind} ${op.target.name}: ${shortValue(op.before)} → ${shortValue(op.after)} — ${op.result}${message}`;
}

interface Row {
  t: number;
  order: number;
  what: string;
  text: string;
}

/** A problem back within this long of its end is the same one (a crash loop is 1/1 at times). */
const FLAP_MS = 5 * 60_000;

export interface MergedSpan extends ProblemSpan {
  /** How often it ended and came back within FLAP_MS, folded into this span. */
  returns: number;
}

/**
 * Spans of one problem (the same row id) that follow each other within FLAP_MS, as one: a crash
 * loop's service goes 0/1 and 1/1 with every restart, which would be a pair of rows each time.
 */
export function mergeFlapping(spans: readonly ProblemSpan[]): MergedSpan[] {
  const out: MergedSpan[] = [];
  const last = new Map<string, MergedSpan>();
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const before = last.get(span.row.id);
    if (before !== undefined && before.end !== null && span.start - before.end <= FLAP_MS) {
      before.end = span.end;
      before.returns += 1;
      continue;
    }
    const merged: MergedSpan = { ...span, returns: 0 };
    out.push(merged);
    last.set(span.row.id, merged);
  }
  return out;
}

export function postmortemMarkdown(timeline: Timeline, options: PostmortemOptions = {}): string {
  const from = options.since ?? timeline.start;
  const to = options.until ?? timeline.end;
  const within = (t: number) => t >= from && t <= to;
  const spans = mergeFlapping(timeline.spans()).filter(
    (s) => s.start <= to && (s.end ?? Infinity) >= from,
  );
  const rows: Row[] = [];
  for (const span of spans) {
    const category = problemCategory(span.row);
    if (within(span.start)) {
      rows.push({
        t: span.start,
        order: 0,
        what: `problem started: ${category}`,
        text: `${span.row.what} — ${span.row.detail}`,
      });
    }
    if (span.end !== null && within(span.end)) {
      rows.push({
        t: span.end,
        order: 1,
        what: `problem ended: ${category}`,
        text: `${span.row.what} (lasted ${durationText(span.end - span.start)}${
          span.returns > 0 ? `; it ended and came back ${span.returns} times in between` : ''
        })`,
      });
    }
  }
  let seq = 0;
  for (const { event } of timeline.events) {
    // A node's events often carry no name: the one recorded for its id.
    const named = event.name ? event : { ...event, name: timeline.names.get(event.id) ?? null };
    const row = describeEvent(named, seq++);
    if (isQuietNodeUpdate(row) || !within(eventMs(event))) continue;
    rows.push({
      t: eventMs(event),
      order: 2,
      what: `event: ${row.type} ${row.action}`,
      text: `${row.type} ${row.name} ${row.action}${row.change ? `: ${row.change}` : ''}`,
    });
  }
  const ops = timeline.ops.filter((op) => within(Date.parse(op.time)));
  for (const op of ops) {
    rows.push({
      t: Date.parse(op.time),
      order: 3,
      what: 'smarm-top operation',
      text: operationWords(op),
    });
  }
  rows.sort((a, b) => a.t - b.t || a.order - b.order);

  const out: string[] = [];
  out.push(
    `# Postmortem${options.endpoint ? ` of ${cell(options.endpoint)}` : ''}: ${stamp(from)} to ${stamp(to)}`,
    '',
    '## Summary',
    '',
    ...summary(spans, from, to, ops.length),
    '',
    '## Timeline',
    '',
    '| Time (UTC) | What | Detail |',
    '|---|---|---|',
    ...rows.map((r) => `| ${stamp(r.t)} | ${cell(r.what)} | ${cell(r.text)} |`),
  );
  if (rows.length === 0) out.push('| — | nothing recorded in this window | |');
  const minutes = timeline.degradedPerMinute(from, to);
  out.push(
    '',
    '## Degraded services per minute',
    '',
    '| Minute (UTC) | Below their count in it | Services |',
    '|---|---|---|',
    ...minutes.map(
      (m) =>
        `| ${stamp(m.t).slice(0, 16)} | ${m.count} | ${cell(m.names.slice(0, 5).join(', ') + (m.names.length > 5 ? ` and ${m.names.length - 5} more` : ''))} |`,
    ),
    '',
  );
  return out.join('\n');
}

function summary(spans: ProblemSpan[], from: number, to: number, ops: number): string[] {
  if (spans.length === 0) {
    return ['- No problem was recorded in this window.', `- Operations by smarm-top: ${ops}.`];
  }
  const first = spans.reduce((a, b) => (b.start < a.start ? b : a));
  const open = spans.filter((s) => s.end === null || s.end > to);
  const lastEnd = Math.max(...spans.map((s) => s.end ?? Infinity));
  const services = new Set(
    spans.flatMap((s) =>
      s.row.kind === 'service' || s.row.kind === 'rollout'
        ? [s.row.what.split(':')[0]!]
        : s.row.kind === 'tasks'
          ? s.row.detail.split(' · ')[0]!.split(', ')
          : [],
    ),
  );
  const firstStart = Math.max(first.start, from);
  return [
    `- First failure: ${stamp(firstStart)} — ${cell(problemCategory(first.row))}: ${cell(first.row.what)}.`,
    open.length === 0
      ? `- Time to recovery: ${durationText(lastEnd - firstStart)} (every problem had ended by ${stamp(lastEnd)}).`
      : `- Not recovered by ${stamp(to)}: ${open.length} problem${open.length === 1 ? '' : 's'} still open (${cell(
          open
            .slice(0, 3)
            .map((s) => s.row.what)
            .join('; '),
        )}).`,
    `- Services affected: ${services.size === 0 ? 'none' : cell([...services].sort().join(', '))}.`,
    `- Problems: ${spans.length}; operations by smarm-top: ${ops}.`,
  ];
}
