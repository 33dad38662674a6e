import { fit } from './cells.js';
import { sanitizeLine } from './sanitize.js';
import { freshnessLabel } from './time.js';
import { partialStaleness, type FreshnessStore } from '../live/freshness.js';
import type { SwarmSummary } from '../state/selectors.js';
import { MARK_DEGRADED } from '../views/marks.js';

// The header's words, apart from the component that draws them (components/header.tsx), so that
// the first frame can be written before Ink has loaded (source/text-frame.ts) with the same words.

/** What --demo puts before everything else on the first line. */
export const DEMO_BADGE = ' DEMO · simulated swarm ';

export interface HeaderInput {
  endpoint: string;
  summary: SwarmSummary;
  width: number;
  readOnly?: boolean | undefined;
  demo?: boolean | undefined;
  replay?: string | null | undefined;
  problems: number;
  problemsKey: string;
  /** The refresh failure shown (the header is stale), or null. */
  error: string | null;
  eventsLive: boolean;
  /** The freshness words ("live", "STALE · 14 s ago" …). */
  age: string;
}

export interface HeaderWords {
  /** DEMO or REPLAY, drawn inverse before the rest; null for neither. */
  badge: string | null;
  /** Where we are, cut to the room it has. */
  left: string;
  /** How fresh the data is. */
  right: string;
  stale: boolean;
  /** The second line's parts; `ok` null: no verdict (no colour). */
  glance: { key: string; text: string; ok: boolean | null }[];
}

/** Two lines: where we are and how fresh the data is; then the swarm at a glance. */
export function headerWords({
  endpoint,
  summary: s,
  width,
  readOnly,
  demo = false,
  replay = null,
  problems,
  problemsKey,
  error,
  eventsLive,
  age,
}: HeaderInput): HeaderWords {
  const stale = error !== null;
  // A replay is never "live": what it shows was recorded.
  const right =
    replay !== null && !stale
      ? 'recorded'
      : stale
        ? age
        : eventsLive
          ? age
          : `${age} · events reconnecting`;
  // When refreshes fail, the reason takes the endpoint's place: it names the endpoint anyway.
  const left = stale
    ? `refresh failed: ${sanitizeLine(error ?? '')}`
    : `smarm-top${readOnly ? ' · READ-ONLY' : ''} · ${
        s.leader ? `leader ${sanitizeLine(s.leader)}` : 'NO LEADER'
      } · ${sanitizeLine(endpoint)}`;
  const badge = replay !== null ? ` ${replay} ` : demo ? DEMO_BADGE : null;
  const leftWidth = Math.max(0, width - right.length - 1 - (badge ? badge.length + 1 : 0));
  const nodesOk = s.nodesReady === s.nodesTotal;
  const managersOk = s.managersReachable === s.managersTotal;
  const servicesOk = s.servicesHealthy === s.servicesTotal;
  const problemText =
    problems > 0
      ? `${MARK_DEGRADED} ${problems} problem${problems === 1 ? '' : 's'} (${problemsKey})`
      : '✓ no problems';
  // The words go before the numbers do: an 80-column terminal gets "nodes 3/3".
  const parts = [
    { key: 'problems', long: problemText, short: problemText, ok: problems === 0 },
    {
      key: 'nodes',
      long: `nodes ${s.nodesReady}/${s.nodesTotal} ready`,
      short: `nodes ${s.nodesReady}/${s.nodesTotal}`,
      ok: nodesOk,
    },
    {
      key: 'managers',
      long: `managers ${s.managersReachable}/${s.managersTotal} reachable`,
      short: `managers ${s.managersReachable}/${s.managersTotal}`,
      ok: managersOk,
    },
    {
      key: 'services',
      long: `services ${s.servicesHealthy}/${s.servicesTotal} healthy`,
      short: `services ${s.servicesHealthy}/${s.servicesTotal} ok`,
      ok: servicesOk,
    },
    {
      key: 'tasks',
      long: `tasks ${s.tasksRunning} running`,
      short: `tasks ${s.tasksRunning}`,
      ok: null,
    },
  ];
  const longWidth = parts.reduce((sum, p) => sum + p.long.length + 2, -2);
  const glance = parts.map((p) => ({
    key: p.key,
    text: longWidth <= width ? p.long : p.short,
    ok: p.ok,
  }));
  return { badge, left: fit(left, leftWidth), right, stale, glance };
}

/** The freshness words at `now`: "live", an age, or which kinds are stale and since when. */
export function headerAge(
  freshness: FreshnessStore,
  now: number,
  refreshMs: number,
  stale: boolean,
): string {
  const age = freshnessLabel(
    freshness.lastSuccess(),
    now,
    refreshMs,
    stale,
    freshness.waitingSince(),
  );
  if (!stale) return age;
  // Some refreshes failing while others succeed: one age would say the failing data is
  // fresh, since the others keep it moving. Each stale kind gets its own age instead.
  return partialStaleness(freshness, now, 2 * refreshMs) ?? `STALE · ${age}`;
}
