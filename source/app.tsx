import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { InspectView, inspectMaxScroll } from './components/inspect-view.js';
import { useInspect } from './hooks/use-inspect.js';
import { DialogBox } from './components/dialog-box.js';
import { Header } from './components/header.js';
import { HelpScreen } from './components/help-screen.js';
import { HintBar } from './components/hint-bar.js';
import { OperationsPanel } from './components/operations-panel.js';
import { ListPane } from './components/list-pane.js';
import { StatusLine } from './components/status-line.js';
import { makeTheme, ThemeContext, type ThemeName } from './components/theme.js';
import { retrySshNow } from './docker/ssh-transport.js';
import type { SwarmReads, SwarmWrites } from './docker/swarm-api.js';
import { createFreshnessStore, type FreshnessStore } from './live/freshness.js';
import { createOperations, EXIT_WAIT_MS, waitingLine } from './live/operations.js';
import { useEffects } from './hooks/use-effects.js';
import { runEffect } from './live/effects.js';
import { holdActions } from './live/held-actions.js';
import { useSwarmFeed } from './hooks/use-swarm-feed.js';
import { useLastWords } from './hooks/use-last-words.js';
import { lastWordsWanted } from './state/last-words.js';
import { useRecording } from './hooks/use-recording.js';
import type { RecordingSink } from './live/recorder.js';
import type { ReplayApi } from './recording/replay-api.js';
import { useReplay } from './hooks/use-replay.js';
import { useEndpoint } from './hooks/use-endpoint.js';
import { useUsageProbe } from './hooks/use-usage-probe.js';
import { quitProbeRecord } from './state/usage.js';
import type { SeenLists } from './live/swarm-feed.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useLogStream } from './hooks/use-log-stream.js';
import { LogView } from './components/log-view.js';
import { LOG_RANGES, logOffset } from './state/log-view.js';
import type { LogLine } from './model.js';
import type { AuditRecord } from './operations/audit-log.js';
import type { Action, PaneId } from './state/actions.js';
import { targetNode, targetService } from './state/dialogs.js';
import { DRILL_HINTS, keyNames, type KeyPress } from './state/keymap.js';
import { trace } from './trace.js';
import { reducer, startState, type State } from './state/reducer.js';
import { listViewOf, VIEWS } from './views/registry.js';
import { namedTasks } from './views/task-rows.js';
import type { AnyView } from './views/view.js';
import {
  currentProblems,
  paneRows,
  servicesWithProblems,
  summarize,
  taskScope,
  knownTask,
  VIEW_PANES,
  viewData,
  viewNeeds,
} from './state/selectors.js';
import { scaleWhatIf } from './state/what-if.js';
import { computeLayout, MIN_COLUMNS, MIN_ROWS } from './layout.js';
import { createClockGate, holdingTicks } from './clock-shown.js';

const CLOCK_TICK_MS = 5000;
/** How much longer than a refresh a tick waits for the answer it can go with. */
const TICK_SLACK_MS = 500;

export interface AppProps {
  api: SwarmReads;
  /** null (or absent) in read-only mode: no write is reachable from the app. */
  writes?: SwarmWrites | null;
  audit?: (record: AuditRecord) => Promise<void>;
  user?: string;
  refreshMs: number;
  /** The colour theme at start ('mono': no colours). */
  theme?: ThemeName;
  readOnly?: boolean;
  /** --demo: the swarm is simulated, and the header says so on every frame. */
  demo?: boolean;
  scaleCeiling?: number;
  /** Where `o` in the logs view writes files. */
  logDir?: string;
  /** Log lines kept per logs view (a ring buffer). */
  logCapacity?: number;
  /** Bytes kept per logs view at most (config logBufferBytes); the oldest lines go first. */
  logBytes?: number;
  /** --show-secrets: spec values with secret-looking names are shown unmasked. */
  revealSecrets?: boolean;
  /** A prepared state: the first screen's data, or a test's. */
  initial?: State;
  /** The API's answers already in `initial`, which the feed need not dispatch again. */
  seen?: SeenLists;
  freshness?: FreshnessStore;
  /** A quit asked for from outside the keys (a signal, the terminal gone): leaves as `q` does. */
  quitSignal?: QuitSignal;
  /** The flight recorder this session writes to (docs/recording.md); null: none. */
  recording?: RecordingSink | null;
  /** --replay: the recording shown, and its moment (the header says REPLAY). */
  replay?: ReplayApi | null;
}

export interface QuitSignal {
  subscribe(listener: () => void): () => void;
}

const noAudit = async (): Promise<void> => undefined;

export function App({
  api,
  writes = null,
  audit = noAudit,
  user = 'unknown',
  refreshMs,
  theme: themeName = 'dark',
  readOnly = false,
  demo = false,
  scaleCeiling = 1000,
  logDir = '.',
  logCapacity = 10_000,
  logBytes,
  initial,
  seen,
  revealSecrets = false,
  freshness: given,
  quitSignal,
  recording = null,
  replay = null,
}: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [state, dispatchNow] = useReducer(reducer, null, () => ({
    ...(initial ?? startState({ readOnly, scaleCeiling })),
    theme: themeName,
    revealSecrets,
    // Ages and what counts as a recent failure are measured from here until the first tick.
    clock: replay?.moment() ?? Date.now(),
  }));
  const [freshness] = useState(() => given ?? createFreshnessStore());
  const { columns, rows } = useTerminalSize();
  // `:theme` switches it at run time.
  const theme = useMemo(() => makeTheme(state.theme), [state.theme]);
  // A tick that changes nothing on screen is held back (see clock-shown.ts); the clock it
  // carried reaches the store before the next action does, so that every action meets the
  // clock it would have met.
  const [ticks] = useState(() => holdingTicks<Action>(dispatchNow));
  // The crashed tasks' last words wait for the next render (the next poll's, 2 s at most) unless
  // the problems view, which lists them, is open.
  const [later] = useState(() => holdActions<Action>(ticks.dispatch, Math.min(refreshMs, 2000)));
  const dispatch = later.dispatch;
  useEffect(() => () => later.stop(), [later]);
  const [clockGate] = useState(createClockGate);
  const screen = useRef({ state, columns, rows, theme });
  useEffect(() => {
    screen.current = { state, columns, rows, theme };
  });
  // A new terminal size shows other rows: their ages at the clock held back.
  useEffect(() => ticks.release(), [columns, rows, ticks]);
  // Table ages and the problems' recent window move with the clock; 5 s is fine-grained enough
  // for "running 3m". A tick waits up to a refresh for the next answer and goes with it, in its
  // render: under change that is every tick (issue 17). Without one it renders alone, and only
  // when it changes what is shown.
  useEffect(() => {
    const waitMs = Math.min(refreshMs + TICK_SLACK_MS, CLOCK_TICK_MS - TICK_SLACK_MS);
    const due = (): void => {
      const at = Date.now();
      const shown = screen.current;
      if (clockGate.matters(shown.state, at, shown.columns, shown.rows, shown.theme)) {
        dispatch({ type: 'tick', at });
      } else ticks.hold(at);
    };
    const timer = setInterval(() => {
      // A replay's clock is its own: each tick shows the next moment.
      if (replay !== null) dispatch({ type: 'tick', at: replay.moment() });
      else ticks.wait(Date.now(), waitMs, due);
    }, CLOCK_TICK_MS);
    return () => {
      clearInterval(timer);
      ticks.stop();
    };
  }, [replay, ticks, clockGate, dispatch, refreshMs]);
  const now = useMemo(() => new Date(state.clock), [state.clock]);

  const scope = taskScope(state);
  const problemsOpen = listViewOf(state.view)?.needsTroubledTasks === true;
  const hurry = useSwarmFeed({
    api,
    dispatch,
    freshness,
    refreshMs,
    scope,
    troubled: state.troubled,
    urgent: problemsOpen,
    eventsOpen: listViewOf(state.view)?.needsEvents === true,
    needs: viewNeeds(state),
    seen,
    onEvent: recording?.event,
  });
  useRecording(recording, state);
  const replayUi = useReplay(replay, dispatch);
  const [operations] = useState(() =>
    createOperations({
      reads: api,
      // The read-only gate: without writes, no mutation can be reached from here.
      writes: readOnly ? null : writes,
      dispatch,
      audit,
      // Read when a record is written: after a failover the manager in use is another one.
      get endpoint() {
        return api.endpoint;
      },
      user,
      hurry,
      revealSecrets,
    }),
  );
  // The last lines of the crashed tasks the problems (and the status line) name.
  // A replay polls nothing that would carry them: they go at once there too.
  useEffect(
    () => later.setHolding(!problemsOpen && replay === null),
    [later, problemsOpen, replay],
  );
  useLastWords({
    api,
    dispatch: later.hold,
    wanted: lastWordsWanted(state),
    logsOf: (id) => knownTask(state, id)?.readableLogs,
  });
  const endpoint = useEndpoint({ api, dispatch });
  useUsageProbe({ api, state, dispatch });
  const current = useRef(state);
  useEffect(() => {
    current.current = state;
  });

  // Logs: the lines live in a buffer outside the reducer; the view re-renders when it changed.
  const logTarget = state.logView?.target ?? null;
  const named = namedTasks(state.tasks.items, state.services, state.nodes);
  const taskSet =
    logTarget?.kind === 'service' && state.tasks.scopeKey === `service:${logTarget.serviceId}`
      ? named
          .filter((row) => row.task.desiredState === 'running')
          .map((row) => row.id)
          .sort()
          .join(',')
      : '';
  const logs = useLogStream({
    api,
    view: state.logView,
    taskSet,
    capacity: logCapacity,
    maxBytes: logBytes,
  });
  const logNames = useMemo(() => {
    const tasks = new Map(named.map((row) => [row.id, row.name]));
    const nodes = new Map(state.nodes.map((n) => [n.id, n.hostname]));
    return (line: LogLine) => ({
      task: (line.taskId && tasks.get(line.taskId)) || (line.taskId ?? '').slice(0, 12) || '?',
      node: (line.nodeId && nodes.get(line.nodeId)) || (line.nodeId ?? '').slice(0, 12) || '?',
    });
  }, [named, state.nodes]);

  const inspectTarget = state.inspect?.target ?? null;
  // Keyed on the names, so that a network list answered again does not redraw the inspect view.
  const networkNamesKey = (state.objects.networks ?? [])
    .map((n) => `${n.id}\t${n.name}`)
    .join('\n');
  const networkName = useMemo(() => {
    const names = new Map(
      networkNamesKey.split('\n').map((line) => line.split('\t') as [string, string]),
    );
    return (id: string) => names.get(id);
  }, [networkNamesKey]);
  const inspected = useInspect({
    api,
    target: inspectTarget,
    refreshMs,
    revealSecrets,
    networkName,
  });

  // The header and the services list say what the problems view lists.
  const problems = currentProblems(state);
  const flagged = servicesWithProblems(problems);

  const layout = computeLayout(state, columns, rows);
  const pageSize = Math.max(1, (layout.paneHeights[state.focus] ?? 3) - 3);
  const inspectHeight = layout.paneHeights.inspect ?? 0;
  const inspectLines = inspectMaxScroll(inspected.lines.length, inspectHeight) + 1;

  // Each key is decided in the reducer against the state it arrives in, so keys that come in
  // one burst ("/crashy\r") are read as a person typing them one by one.
  const onKey = useCallback(
    (input: string, key: KeyPress) => {
      // The time keys of a replay, unless a filter or a command is being typed.
      if (state.input === null && replayUi.onKey(input, key)) return;
      const at = Date.now();
      const logTotal = logs.buffer.size + logs.buffer.dropped;
      for (const name of keyNames(input, key)) {
        trace({ event: 'key', name });
        if (state.keys.bindingFor(name)?.command === 'retry-ssh') {
          dispatch({
            type: 'say',
            message: retrySshNow()
              ? 'Trying the ssh login again now.'
              : 'No ssh login is being held back.',
          });
        }
        dispatch({ type: 'key', name, pageSize, at, logTotal, inspectLines });
      }
    },
    [pageSize, logs.buffer, inspectLines, state.keys, state.input, replayUi, dispatch],
  );
  useInput(onKey, { isActive: isRawModeSupported === true });
  // Leaving waits for the answer to a change already sent (bounded), so that its outcome is
  // recorded; what is still unanswered then is recorded as unknown.
  const [quitAsked, setQuitAsked] = useState(false);
  const [waitingFor, setWaitingFor] = useState(0);
  const leaving = useRef(false);
  useEffect(() => quitSignal?.subscribe(() => setQuitAsked(true)), [quitSignal]);
  useEffect(() => {
    if (!quitAsked || leaving.current) return;
    leaving.current = true;
    // The stats probe goes with smarm-top: its removal is waited for like any change in flight.
    const probe = quitProbeRecord(current.current.usage, current.current.ops, Date.now());
    if (probe !== null) void operations.run(probe);
    const count = operations.inFlight();
    if (count === 0) {
      exit();
      return;
    }
    const settled = operations.settle(EXIT_WAIT_MS);
    // The next frame says what the quit waits for (the operations started this render are in
    // flight only once their effect ran, so the count is read here, not while rendering).
    queueMicrotask(() => setWaitingFor(count));
    void settled.then(() => exit());
  }, [quitAsked, exit, operations]);
  useEffect(() => () => operations.stop(), [operations]);
  useEffects({
    outbox: state.outbox,
    dispatch,
    run: (effect) =>
      runEffect(effect, {
        api,
        operations,
        dispatch,
        revealSecrets,
        write: (sequence) => void process.stdout.write(sequence),
        env: process.env,
        logDir,
        logs: { buffer: logs.buffer, names: logNames },
        swarm: { nodes: state.nodes, services: state.services },
        quit: () => setQuitAsked(true),
      }),
  });

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <Text>
        terminal too small: {columns}×{rows}, smarm-top needs at least {MIN_COLUMNS}×{MIN_ROWS}
      </Text>
    );
  }

  const data = viewData(state);
  const shown: AnyView = VIEWS[state.view];
  const pane = (id: PaneId) => {
    const height = layout.paneHeights[id] ?? 0;
    if (height <= 0) return null;
    const view: AnyView = VIEWS[id];
    if (view.kind === 'text' && view.body === 'inspect') {
      const target = state.inspect?.target;
      return (
        <InspectView
          key={id}
          title={target ? `inspect ${target.kind} ${target.name}` : 'inspect'}
          lines={inspected.lines}
          scroll={state.inspect?.scroll ?? 0}
          width={columns}
          height={height}
          error={inspected.error}
          loading={inspected.loading}
        />
      );
    }
    if (view.kind === 'text') {
      const logView = state.logView;
      if (logView === null) return null;
      const total = logs.buffer.size + logs.buffer.dropped;
      return (
        <LogView
          key={id}
          buffer={logs.buffer}
          version={logs.version}
          width={columns}
          height={height}
          names={logNames}
          follow={logView.follow}
          scrollOffset={logOffset(logView, total)}
          showTimestamps={logView.timestamps}
          wrap={logView.wrap}
          filter={state.lists[id].filter || null}
          newWhilePaused={logView.pausedAt === null ? 0 : Math.max(0, total - logView.pausedAt)}
          title={`logs of ${logView.target.kind} ${logView.target.name}`}
          range={LOG_RANGES[logView.range]?.label ?? ''}
          error={logs.error}
        />
      );
    }
    return (
      <ListPane
        key={id}
        view={view}
        rows={paneRows(state, id)}
        list={state.lists[id]}
        data={data}
        now={now}
        focused={state.focus === id}
        width={columns}
        height={height}
      />
    );
  };

  return (
    <ThemeContext.Provider value={theme}>
      <Box flexDirection="column" width={columns} height={rows - 1}>
        <Header
          endpoint={endpoint}
          summary={summarize(state.nodes, state.services, flagged)}
          freshness={freshness}
          refreshMs={refreshMs}
          width={columns}
          readOnly={readOnly}
          demo={demo}
          replay={replayUi.badge}
          problems={problems.length}
          problemsKey={state.keys.bindingOf('view-problems')?.label ?? ':problems'}
        />
        {state.help ? (
          <HelpScreen
            keys={state.keys}
            height={layout.bodyHeight}
            width={columns}
            readOnly={readOnly}
            scroll={state.helpScroll}
          />
        ) : (
          <Box flexDirection="column" height={layout.bodyHeight}>
            {VIEW_PANES[state.view].map(pane)}
            {state.dialog ? (
              <DialogBox
                keys={state.keys}
                dialog={state.dialog}
                width={columns}
                height={layout.dialogHeight}
                services={state.services}
                whatIf={scaleWhatIf(state)}
              />
            ) : null}
          </Box>
        )}
        <OperationsPanel ops={state.ops} width={columns} lines={layout.opsLines} />
        <StatusLine
          lines={
            waitingFor > 0
              ? [waitingLine(waitingFor), ...layout.detailLines.slice(1)]
              : layout.detailLines
          }
          width={columns}
        />
        <HintBar
          keys={state.keys}
          width={columns}
          readOnly={readOnly}
          drillHint={DRILL_HINTS[state.view] ?? null}
          on={
            shown.kind === 'text' && shown.body === 'logs'
              ? 'logs'
              : targetService(state)
                ? 'service'
                : targetNode(state)
                  ? 'node'
                  : null
          }
        />
      </Box>
    </ThemeContext.Provider>
  );
}
