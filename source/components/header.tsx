import { Box, Text } from 'ink';
import { useCallback, useSyncExternalStore } from 'react';
import { fit } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import { freshnessLabel } from '../format/time.js';
import { partialStaleness, type FreshnessStore } from '../live/freshness.js';
import { useTicking } from '../hooks/use-ticking.js';
import type { SwarmSummary } from '../state/selectors.js';
import { MARK_DEGRADED } from '../views/marks.js';
import { useTheme } from './theme.js';

export interface HeaderProps {
  endpoint: string;
  summary: SwarmSummary;
  freshness: FreshnessStore;
  refreshMs: number;
  width: number;
  readOnly?: boolean;
  /** --demo: a simulated swarm; said first on the line, stale or not, so no frame passes for real. */
  demo?: boolean;
  /** --replay: "REPLAY 03:12:05 · 2 h 13 min ago", said first on the line like DEMO. */
  replay?: string | null;
  /** Problems the nodes and services show (the problems view, key 5, lists them with their reasons). */
  problems: number;
  /** The key that opens the problems view, as the key table has it. */
  problemsKey: string;
}

/** What --demo puts before everything else on the first line. */
export const DEMO_BADGE = ' DEMO · simulated swarm ';

/** Two lines: where we are and how fresh the data is; then the swarm at a glance. */
export function Header({
  endpoint,
  summary,
  freshness,
  refreshMs,
  width,
  readOnly,
  demo = false,
  replay = null,
  problems,
  problemsKey,
}: HeaderProps) {
  const theme = useTheme();
  // The clock and freshness live here so that a tick re-renders the header only, and only when
  // the words change.
  const fresh = useSyncExternalStore(freshness.subscribe, freshness.get);
  const stale = fresh.error !== null;
  const staleKinds = fresh.stale;
  const readAge = useCallback(
    (now: number) => {
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
    },
    // staleKinds: which kinds are stale changes the words without changing `stale`.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
    [freshness, refreshMs, stale, staleKinds],
  );
  const age = useTicking({ read: readAge, everyMs: 1000 });
  const s = summary;
  // A replay is never "live": what it shows was recorded.
  const right =
    replay !== null && !stale
      ? 'recorded'
      : stale
        ? age
        : fresh.eventsLive
          ? age
          : `${age} · events reconnecting`;
  // When refreshes fail, the reason takes the endpoint's place: it names the endpoint anyway.
  const left = stale
    ? `refresh failed: ${sanitizeLine(fresh.error ?? '')}`
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
    color: p.ok === null ? undefined : p.ok ? theme.good : theme.bad,
  }));
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        {badge ? (
          <Text bold inverse color={theme.accent}>
            {badge}
          </Text>
        ) : null}
        {badge ? ' ' : null}
        <Text bold color={stale ? theme.bad : theme.accent}>
          {fit(left, leftWidth)}
        </Text>{' '}
        <Text bold={stale} inverse={stale} color={stale ? theme.bad : theme.dim}>
          {right}
        </Text>
      </Text>
      <Text wrap="truncate">
        {glance.map((part, i) => (
          <Text key={part.key} bold={part.key === 'problems' && problems > 0} color={part.color}>
            {i > 0 ? '  ' : ''}
            {part.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
