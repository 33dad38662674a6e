// The flight recorder (docs/recording.md): the swarm feed's answers, folded by the app's own data
// reducer (so the services seen in trouble are followed exactly as the problems view follows
// them), written as changes to a ring of segments; the event stream and smarm-top's operations
// as they happen.
import os from 'node:os';
import type { SwarmReads } from '../docker/swarm-api.js';
import type { SwarmEvent, SwarmTask } from '../model.js';
import { isTaskFailed, isTaskTrouble, RECENT_FAILURE_MS, timeMs } from '../health.js';
import type { AuditRecord } from '../operations/audit-log.js';
import type { Action } from '../state/actions.js';
import { dataSlice, type DataAction } from '../state/data.js';
import { initialState, type State } from '../state/state.js';
import { errorText } from '../format/error-text.js';
import {
  ChangeTracker,
  FORMAT_VERSION,
  recordedEvent,
  type RecordedState,
  type RecordLine,
} from '../recording/format.js';
import {
  claimDirectory,
  readRecording,
  releaseDirectory,
  SegmentWriter,
} from '../recording/files.js';
import { createFreshnessStore } from './freshness.js';
import { startSwarmFeed, type SwarmFeed } from './swarm-feed.js';

const DATA_ACTIONS = new Set<Action['type']>([
  'nodes-loaded',
  'services-loaded',
  'services-patched',
  'troubled-tasks-loaded',
  'objects-loaded',
]);
/** A key frame (the whole swarm) this often, besides the one each segment starts with. */
export const KEY_FRAME_MS = 6 * 3_600_000;
/** How long the services that had tasks on a changed node are followed, and when asked again. */
const MOVING_FOLLOW_MS = 60_000;
const MOVING_ASK_MS = [1000, 2500, 5000, 10_000];
/** How far back events are asked for when a recording is resumed after a stop. */
const RESUME_HISTORY_MS = 10 * 60_000;

/**
 * The troubled services' tasks worth keeping: those in trouble now (failed within the problem
 * window, or waiting while meant to run) and those whose state or desired state changed within
 * that window (the replacements, the tasks moved off a node and the ones they replace). A task running steadily for longer is not kept: the
 * service's counts say it runs, and whole task lists would be most of a recording under churn.
 */
export function recordedTasks(tasks: readonly SwarmTask[], nowMs: number): SwarmTask[] {
  return tasks.filter((task) => {
    if (isTaskTrouble(task) && !isTaskFailed(task)) return true;
    // Its state, or what it is meant to do (a task told to stop on a drained node).
    const since = Math.max(timeMs(task.stateSince) ?? Infinity, timeMs(task.updatedAt) ?? 0);
    return nowMs - since <= RECENT_FAILURE_MS;
  });
}

/** The part of the app's store a recording is made from. */
export type RecordedSource = Pick<
  State,
  'nodes' | 'services' | 'troubledTasks' | 'troubled' | 'objects'
>;

/** What is recorded of the app's store. */
export function recordedStateOf(state: RecordedSource, nowMs: number = Date.now()): RecordedState {
  return {
    nodes: state.nodes,
    services: state.services,
    tasks: recordedTasks(state.troubledTasks, nowMs),
    troubled: state.troubled,
    swarm: state.objects.swarm,
  };
}

/** The time of the newest event already in the recording (ns), to resume without repeats. */
function lastRecordedEvent(dir: string): bigint | null {
  try {
    const { lines } = readRecording(dir);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!;
      if (line.k === 'ev') return BigInt(line.e.timeNano);
    }
  } catch {
    // No recording yet.
  }
  return null;
}

export interface SinkOptions {
  dir: string;
  maxBytes: number;
  /** "user@host": who recorded (in every segment's header). */
  recorder: string;
  endpoint: string;
  /** One line per start, stop and error. */
  log?: (line: string) => void;
  now?: () => number;
  /** A key frame (the whole swarm) at least this often (default six hours). */
  keyFrameMs?: number;
  /** Changes are written at most this often (default 500 ms). */
  flushMs?: number;
}

/** Where what is seen goes: the interactive app feeds it from its store, `record` from its own. */
export interface RecordingSink {
  /**
   * The swarm as now known (written as the changes since the last, at most every flushMs). What
   * is recorded of it is taken when it is written, not at each change: under churn the store
   * changes several times a refresh.
   */
  observe(source: RecordedSource): void;
  event(event: SwarmEvent): void;
  /** One of smarm-top's own operations (its attempt and its outcome). */
  op(record: AuditRecord): void;
  /** Bytes written so far. */
  written(): number;
  close(): void;
}

/** Opens a recording directory (claimed for this process) and writes what it is told. */
export function openRecording(options: SinkOptions): RecordingSink {
  const { dir } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const keyFrameMs = options.keyFrameMs ?? KEY_FRAME_MS;
  const flushMs = options.flushMs ?? 500;
  claimDirectory(dir, os.hostname());
  const resumeAfter = lastRecordedEvent(dir);
  const tracker = new ChangeTracker();
  let current: RecordedSource | null = null;
  let lastKeyFrame = 0;
  const writer = new SegmentWriter({
    dir,
    maxBytes: options.maxBytes,
    now,
    opening: () => {
      const header: RecordLine = {
        k: 'hdr',
        t: now(),
        v: FORMAT_VERSION,
        recorder: options.recorder,
        endpoint: options.endpoint,
        pid: process.pid,
      };
      // Before the swarm is known the first change line is the key frame.
      tracker.reset();
      if (current === null) return [header];
      lastKeyFrame = now();
      const frame = tracker.next(recordedStateOf(current, now()), now());
      return frame === null ? [header] : [header, frame];
    },
  });
  let failed = false;
  const write = (line: RecordLine): void => {
    if (failed) return;
    try {
      writer.write(line);
    } catch (error) {
      // A full disk stops the recording, not the app; said once.
      failed = true;
      log(`error: cannot write the recording in ${dir}: ${errorText(error)}`);
    }
  };
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    flushTimer = null;
    if (current === null) return;
    if (now() - lastKeyFrame >= keyFrameMs) {
      tracker.reset();
      lastKeyFrame = now();
    }
    const line = tracker.next(recordedStateOf(current, now()), now());
    if (line !== null) write(line);
  };
  return {
    observe(source) {
      // Nothing is written until nodes or services are known: a first frame with an empty swarm
      // would read as every service gone.
      if (current === null && source.nodes.length === 0 && source.services.length === 0) return;
      current = source;
      flushTimer ??= setTimeout(flush, flushMs);
    },
    event(event) {
      if (resumeAfter !== null && event.timeNano <= resumeAfter) return;
      write({ k: 'ev', t: now(), e: recordedEvent(event) });
    },
    op(record) {
      write({ k: 'op', t: now(), op: record });
    },
    written: () => writer.written,
    close() {
      if (flushTimer !== null) clearTimeout(flushTimer);
      flush();
      writer.close();
      releaseDirectory(dir);
    },
  };
}

/** How far back events are asked for when a recording is resumed (what happened while down). */
export function resumeHistoryMs(dir: string, nowMs: number): number {
  const last = lastRecordedEvent(dir);
  if (last === null) return 0;
  return Math.min(RESUME_HISTORY_MS, Math.max(0, nowMs - Number(last / 1_000_000n)));
}

export interface RecorderOptions extends Omit<SinkOptions, 'endpoint'> {
  api: SwarmReads;
  refreshMs: number;
}

export interface Recorder {
  sink: RecordingSink;
  stop(): void;
}

/** `smarm-top record`: the swarm feed on its own, folded by the app's data reducer, recorded. */
export function startRecorder(options: RecorderOptions): Recorder {
  const { api, dir } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const historyMs = resumeHistoryMs(dir, now());
  const sink = openRecording({ ...options, endpoint: api.endpoint });
  let state: State = { ...initialState, readOnly: true };
  let feed: SwarmFeed | null = null;
  let troubledKey = '';
  // Services followed for a while after a node changed (drained, paused, down): their tasks move
  // off it without their service ever being seen below its count between two polls.
  const moving = new Map<string, number>();
  const followed = (): string[] => {
    const at = now();
    // A node's task list also holds the tasks of services removed since (until the engine reaps
    // them): asking for the tasks of a service that is gone fails the whole request (404).
    if (moving.size > 0) {
      const exists = new Set(state.services.map((service) => service.id));
      for (const [id, until] of moving) if (until < at || !exists.has(id)) moving.delete(id);
    }
    return [...new Set([...state.troubled, ...moving.keys()])];
  };
  const follow = (): void => {
    const ids = followed();
    const key = ids.join(',');
    if (key === troubledKey) return;
    troubledKey = key;
    feed?.setTroubled(ids, true);
  };
  const dispatch = (action: Action): void => {
    if (!DATA_ACTIONS.has(action.type)) return;
    const before = state;
    state = dataSlice(state, action as DataAction);
    if (state === before) return;
    follow();
    sink.observe(state);
  };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };
  const nodeChanged = (event: SwarmEvent): void => {
    if (event.type !== 'node' || event.id === '') return;
    const changes = Object.keys(event.attributes);
    if (!changes.some((k) => k === 'availability.new' || k === 'state.new')) return;
    void api.listTasks({ nodeId: event.id }).then(
      (tasks) => {
        const until = now() + MOVING_FOLLOW_MS;
        for (const task of tasks) moving.set(task.serviceId, until);
        follow();
        // Asked again while the tasks move (the same set: a repeat is asked for as urgent).
        for (const ms of MOVING_ASK_MS) {
          later(ms, () => {
            const ids = followed();
            feed?.setTroubled(ids, false);
            feed?.setTroubled(ids, true);
          });
        }
      },
      () => undefined,
    );
  };

  const freshness = createFreshnessStore();
  let lastError: string | null = null;
  const unsubscribe = freshness.subscribe(() => {
    const { error } = freshness.get();
    if (error !== null && error !== lastError) log(`error: ${error}`);
    if (error === null && lastError !== null) log('the engine answers again');
    lastError = error;
  });
  feed = startSwarmFeed({
    api,
    dispatch,
    freshness,
    refreshMs: options.refreshMs,
    // No faster polling while the swarm converges (the app's, for the eye): the events and
    // their targeted refetches already time the changes; a whole list at 1,000 services costs.
    fastMs: options.refreshMs,
    eventHistoryMs: historyMs,
    onEvent: (event) => {
      sink.event(event);
      nodeChanged(event);
    },
  });
  log(`recording ${api.endpoint} into ${dir}`);
  return {
    sink,
    stop() {
      for (const timer of timers) clearTimeout(timer);
      feed?.stop();
      unsubscribe();
      sink.close();
      log(`stopped recording into ${dir}`);
    },
  };
}
