// P3: keypress → frame at full size. Keys sent one at a time through tmux, timed inside the app
// from its SMARM_TRACE lines (key received → the next frame built; Ink draws ≤ 30 fps).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { waitForTasksPane, withApp } from '../lib/app.js';
import type { Target } from '../lib/engines.js';
import { TMP } from '../lib/env.js';
import { log, ms, nowMs, sleep } from '../lib/harness.js';
import { median, percentile } from '../lib/stats.js';
import { yes, type Row } from '../lib/table.js';

type KeyKind = 'move' | 'open' | 'filter';

interface KeyStep {
  /** A tmux key name. */
  key: string;
  kind: KeyKind;
  /** The key starts a load (every task): wait for it, so that the next key is measured alone. */
  loads?: boolean;
}

/** Between two keys: each is measured alone, and a key's frame comes well before the next key. */
const KEY_PAUSE_MS = 300;
/** tmux key names as the app's trace names them. */
const TRACE_KEY_NAMES: Record<string, string> = { Enter: 'return', Escape: 'escape', Tab: 'tab' };

function p3Keys(): KeyStep[] {
  const as = (kind: KeyKind) => (key: string) => ({ key, kind });
  // `/`, the text one character at a time, Enter keeps the filter, Esc clears it.
  const filter = (text: string) => ['/', ...text, 'Enter', 'Escape'].map(as('filter'));
  // A service's tasks (Enter) and back (Esc); the tasks pane below it (Tab) and back.
  const open = ['Enter', 'Escape', 'Tab', 'Tab'].map(as('open'));
  return [
    ...Array<string>(20).fill('j').map(as('move')),
    ...open,
    ...open,
    ...open,
    // Every task of the swarm (10,000 running at full size, with history), then services again.
    { key: '3', kind: 'open', loads: true },
    { key: '1', kind: 'open' },
    ...filter('web'),
    ...filter('api'),
  ];
}

interface TraceEntry {
  t: number;
  event: string;
  name?: string;
  ms?: number;
  what?: string;
}

function readTrace(file: string): TraceEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as TraceEntry];
      } catch {
        return []; // the empty last line, or one being written
      }
    });
}

async function waitForTrace(
  file: string,
  done: (entries: TraceEntry[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const since = nowMs();
  while (!done(readTrace(file))) {
    if (nowMs() - since > timeoutMs) throw new Error(`${what} never showed in the trace`);
    await sleep(20);
  }
}

interface KeyTiming {
  key: string;
  kind: KeyKind;
  /** Key received → the next frame built, in the app; null when the key drew no frame. */
  latencyMs: number | null;
  /** Ink's own build time of that frame. */
  renderMs: number | null;
  /** How long the key waited before the app read it (beyond the fastest key's delivery). */
  queuedMs: number;
}

/**
 * Each key's frame is the first render after it. When a later key arrives first, and not in the
 * same read (a burst shares one frame), the key drew no frame of its own.
 */
function keyTimings(entries: TraceEntry[], steps: KeyStep[], sentAt: number[]): KeyTiming[] {
  const keys = entries.flatMap((entry, index) => (entry.event === 'key' ? [{ entry, index }] : []));
  const expected = steps.map((step) => TRACE_KEY_NAMES[step.key] ?? step.key);
  const seen = keys.map((k) => k.entry.name);
  if (seen.join(' ') !== expected.join(' ')) {
    throw new Error(`sent keys "${expected.join(' ')}", the app read "${seen.join(' ')}"`);
  }
  // The two clocks differ by a constant: the fastest delivery stands for it.
  const offset = Math.min(...keys.map((k, i) => k.entry.t - sentAt[i]!));
  return keys.map(({ entry, index }, i) => {
    let frame: TraceEntry | null = null;
    for (const next of entries.slice(index + 1)) {
      if (next.event === 'render') frame = next;
      if (
        next.event === 'render' ||
        (next.event === 'key' && next.t - entry.t > KEY_PAUSE_MS / 2)
      ) {
        break;
      }
    }
    return {
      key: steps[i]!.key,
      kind: steps[i]!.kind,
      latencyMs: frame === null ? null : frame.t - entry.t,
      renderMs: frame?.ms ?? null,
      queuedMs: entry.t - sentAt[i]! - offset,
    };
  });
}

interface KindStats {
  kind: KeyKind;
  keys: string;
  n: number;
  medianMs: number;
  p95Ms: number;
  noFrame: number;
  renderMedianMs: number;
  maxQueuedMs: number;
}

function kindStats(timings: KeyTiming[], kind: KeyKind): KindStats {
  const mine = timings.filter((t) => t.kind === kind);
  const latencies = mine.flatMap((t) => (t.latencyMs === null ? [] : [t.latencyMs]));
  return {
    kind,
    keys: [...new Set(mine.map((t) => t.key))].join(' '),
    n: latencies.length,
    medianMs: median(latencies),
    p95Ms: percentile(latencies, 0.95),
    noFrame: mine.length - latencies.length,
    renderMedianMs: median(mine.flatMap((t) => (t.renderMs === null ? [] : [t.renderMs]))),
    maxQueuedMs: Math.max(...mine.map((t) => t.queuedMs)),
  };
}

const keyCount = (entries: TraceEntry[]): number => entries.filter((e) => e.event === 'key').length;

/** A key that starts a load: the app read it, and the load is done (its frames come next). */
async function waitForLoad(traceFile: string, keysBefore: number, key: string): Promise<void> {
  await waitForTrace(
    traceFile,
    (entries) =>
      keyCount(entries) > keysBefore &&
      entries
        .slice(entries.findLastIndex((e) => e.event === 'key'))
        .some((e) => e.event === 'loaded' && e.what === 'tasks'),
    `the tasks load after "${key}"`,
  );
}

export async function measureP3(target: Target) {
  const traceFile = path.join(TMP, 'p3-trace.jsonl');
  const steps = p3Keys();
  return withApp(target, { SMARM_TRACE: traceFile }, async ({ tmux, watch }) => {
    await waitForTasksPane(watch);
    await sleep(1000);
    log(`P3: ${steps.length} keys, ${KEY_PAUSE_MS} ms apart, at full size`);
    const sentAt: number[] = [];
    for (const step of steps) {
      const keysBefore = step.loads ? keyCount(readTrace(traceFile)) : 0;
      sentAt.push(nowMs());
      await tmux.sendAsync(step.key);
      await sleep(KEY_PAUSE_MS);
      if (step.loads) {
        await waitForLoad(traceFile, keysBefore, step.key);
        await sleep(KEY_PAUSE_MS);
      }
    }
    const timings = keyTimings(readTrace(traceFile), steps, sentAt);
    const kinds = (['move', 'open', 'filter'] as const).map((kind) => kindStats(timings, kind));
    const renderMs = timings.flatMap((t) => (t.renderMs === null ? [] : [t.renderMs]));
    return { pauseMs: KEY_PAUSE_MS, kinds, renderMedianMs: median(renderMs), keys: timings };
  });
}

export type P3 = Awaited<ReturnType<typeof measureP3>>;

const P3_TARGET_MS = 16;

export function p3Rows(p3: P3): Row[] {
  return p3.kinds.map((k) => ({
    id: 'P3',
    what: `keypress → frame: ${k.kind} (${k.keys}), full size`,
    wall: `${ms(k.medianMs)} median, p95 ${ms(k.p95Ms)}`,
    cpu: '',
    detail:
      `n=${k.n}${k.noFrame > 0 ? `, ${k.noFrame} keys drew no frame` : ''}; ` +
      `in the app: key read → next frame handed to the terminal (Ink ≤ 30 fps); Ink render ${ms(k.renderMedianMs)} median; ` +
      `read ≤ ${ms(k.maxQueuedMs)} later than the quickest key (tmux jitter incl.)`,
    target: `≤ ${P3_TARGET_MS} ms median`,
    met: yes(k.n > 0 && k.medianMs <= P3_TARGET_MS),
  }));
}
