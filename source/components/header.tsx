import { Box, Text } from 'ink';
import { useCallback, useSyncExternalStore } from 'react';
import { headerAge, headerWords } from '../format/header-text.js';
import type { FreshnessStore } from '../live/freshness.js';
import { useTicking } from '../hooks/use-ticking.js';
import type { SwarmSummary } from '../state/selectors.js';
import { useTheme } from './theme.js';

export { DEMO_BADGE } from '../format/header-text.js';

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
    (now: number) => headerAge(freshness, now, refreshMs, stale),
    // staleKinds: which kinds are stale changes the words without changing `stale`.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
    [freshness, refreshMs, stale, staleKinds],
  );
  const age = useTicking({ read: readAge, everyMs: 1000 });
  const { badge, left, right, glance } = headerWords({
    endpoint,
    summary,
    width,
    readOnly,
    demo,
    replay,
    problems,
    problemsKey,
    error: fresh.error,
    eventsLive: fresh.eventsLive,
    age,
  });
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
          {left}
        </Text>{' '}
        <Text bold={stale} inverse={stale} color={stale ? theme.bad : theme.dim}>
          {right}
        </Text>
      </Text>
      <Text wrap="truncate">
        {glance.map((part, i) => (
          <Text
            key={part.key}
            bold={part.key === 'problems' && problems > 0}
            color={part.ok === null ? undefined : part.ok ? theme.good : theme.bad}
          >
            {i > 0 ? '  ' : ''}
            {part.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
