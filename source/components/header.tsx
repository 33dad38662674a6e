import { Box, Text } from 'ink';
import { useCallback, useSyncExternalStore } from 'react';
import { fit } from '../format/cells.js';
import { sanitizeLine } from '../format/sanitize.js';
import { freshnessLabel } from '../format/time.js';
import type { FreshnessStore } from '../hooks/freshness.js';
import { useTicking } from '../hooks/use-now.js';
import type { SwarmSummary } from '../state/selectors.js';
import { useTheme } from './theme.js';

export interface HeaderProps {
  endpoint: string;
  summary: SwarmSummary;
  freshness: FreshnessStore;
  refreshMs: number;
  width: number;
  readOnly?: boolean;
}

export const HEADER_HEIGHT = 2;

/** Two lines: where we are and how fresh the data is; then the swarm at a glance. */
export function Header({ endpoint, summary, freshness, refreshMs, width, readOnly }: HeaderProps) {
  const theme = useTheme();
  // The clock and freshness live here so that a tick re-renders the header only, and only when
  // the words change.
  const fresh = useSyncExternalStore(freshness.subscribe, freshness.get);
  const stale = fresh.error !== null;
  const readAge = useCallback(
    (now: number) =>
      freshnessLabel(freshness.lastSuccess(), now, refreshMs, stale, freshness.waitingSince()),
    [freshness, refreshMs, stale],
  );
  const age = useTicking(readAge, 1000);
  const s = summary;
  const right = stale ? `STALE · ${age}` : fresh.eventsLive ? age : `${age} · events reconnecting`;
  // When refreshes fail, the reason takes the endpoint's place: it names the endpoint anyway.
  const left = stale
    ? `refresh failed: ${sanitizeLine(fresh.error ?? '')}`
    : `smarm-top${readOnly ? ' · READ-ONLY' : ''} · ${
        s.leader ? `leader ${sanitizeLine(s.leader)}` : 'NO LEADER'
      } · ${sanitizeLine(endpoint)}`;
  const leftWidth = Math.max(0, width - right.length - 1);
  const nodesOk = s.nodesReady === s.nodesTotal;
  const managersOk = s.managersReachable === s.managersTotal;
  const servicesOk = s.servicesHealthy === s.servicesTotal;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold color={stale ? theme.bad : theme.accent}>
          {fit(left, leftWidth)}
        </Text>{' '}
        <Text bold={stale} inverse={stale} color={stale ? theme.bad : theme.dim}>
          {right}
        </Text>
      </Text>
      <Text wrap="truncate">
        <Text color={nodesOk ? theme.good : theme.bad}>
          nodes {s.nodesReady}/{s.nodesTotal} ready
        </Text>
        {'  '}
        <Text color={managersOk ? theme.good : theme.bad}>
          managers {s.managersReachable}/{s.managersTotal} reachable
        </Text>
        {'  '}
        <Text color={servicesOk ? theme.good : theme.bad}>
          services {s.servicesHealthy}/{s.servicesTotal} healthy
        </Text>
        {'  '}tasks {s.tasksRunning} running
      </Text>
    </Box>
  );
}
