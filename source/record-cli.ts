// The flight recorder's commands (docs/recording.md): `smarm-top record --dir DIR` (headless,
// until SIGTERM/SIGINT), `smarm-top postmortem DIR`, and what `--replay DIR [--at TIME]` opens.
import path from 'node:path';
import { readdirSync, rmSync, statSync } from 'node:fs';
import type { SwarmReads } from './docker/swarm-api.js';
import { SmarmError, UsageError } from './docker/errors.js';
import { sanitizeLine } from './format/sanitize.js';
import { errorText } from './format/error-text.js';
import { auditUser, stateDir } from './operations/audit-log.js';
import { readRecording, recordingBytes } from './recording/files.js';
import { Timeline } from './recording/timeline.js';
import { MOMENT_FORMS, parseMoment } from './recording/time.js';
import { postmortemMarkdown } from './recording/postmortem.js';
import { ReplayApi } from './recording/replay-api.js';
import os from 'node:os';
import { openRecording, startRecorder, type RecordingSink } from './live/recorder.js';

/** A moment typed for `flag`, or a usage error in one sentence. */
export function momentFlag(
  flag: string,
  value: string | undefined,
  nowMs: number,
): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseMoment(value, nowMs);
  if (ms === null) {
    throw new UsageError(`${flag} must be ${MOMENT_FORMS}, not "${sanitizeLine(value)}".`);
  }
  return ms;
}

function timelineOf(dir: string): Timeline {
  try {
    return new Timeline(readRecording(dir).lines);
  } catch (error) {
    throw new SmarmError(`${errorText(error)}.`, 1, { cause: error });
  }
}

export function runPostmortem(
  input: readonly string[],
  flags: { since?: string; until?: string },
): string {
  if (input.length !== 2) {
    throw new UsageError('postmortem takes one recording folder: smarm-top postmortem DIR.');
  }
  const now = Date.now();
  const since = momentFlag('--since', flags.since, now);
  const until = momentFlag('--until', flags.until, now);
  if (since !== undefined && until !== undefined && since > until) {
    throw new UsageError('--since must come before --until.');
  }
  const timeline = timelineOf(input[1]!);
  const header = timeline.lines.find((l) => l.k === 'hdr');
  return postmortemMarkdown(timeline, {
    since,
    until,
    endpoint: header?.k === 'hdr' ? header.endpoint : undefined,
  });
}

/** The replay API of `--replay DIR` at `--at` (default: the end of the recording). */
export function openReplay(dir: string, at: string | undefined): ReplayApi {
  const timeline = timelineOf(dir);
  if (timeline.changeTimes.length === 0) {
    throw new SmarmError(`${dir} holds no recorded state of a swarm yet.`, 1);
  }
  const moment = momentFlag('--at', at, Date.now()) ?? timeline.end;
  return new ReplayApi(timeline, moment, path.basename(path.resolve(dir)));
}

/** Where the interactive app records: a new folder per session under the state folder. */
export function sessionRecordingDir(
  env: NodeJS.ProcessEnv,
  homeDir: string,
  nowMs: number,
): string {
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, '-');
  return path.join(stateDir(env, homeDir), 'recordings', `${stamp}-${process.pid}`);
}

/**
 * Session folders kept at most. Pruning measures every kept folder at each start (about 45 µs a
 * folder here): without a count, short sessions on a small swarm could pile up by the thousand
 * under the byte bound and make every start slower.
 */
export const SESSIONS_KEPT = 200;

/**
 * The sessions' recordings together stay within `maxBytes` too, and there are at most
 * SESSIONS_KEPT of them with the one being started: the oldest sessions' folders go first
 * (never the one being started).
 */
export function pruneSessions(
  parent: string,
  keep: string,
  maxBytes: number,
  maxSessions: number = SESSIONS_KEPT,
): void {
  let names: string[];
  try {
    names = readdirSync(parent)
      .sort()
      .filter((name) => path.join(parent, name) !== keep);
  } catch {
    return;
  }
  // By count first: the folders that go for it are not measured.
  const over = Math.max(0, names.length - (maxSessions - 1));
  for (const name of names.slice(0, over)) {
    rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  const kept = names.slice(over);
  const sizes = kept.map((name) => {
    const dir = path.join(parent, name);
    try {
      return statSync(dir).isDirectory() ? recordingBytes(dir) : 0;
    } catch {
      return 0;
    }
  });
  let total = sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; i < kept.length && total > maxBytes; i++) {
    rmSync(path.join(parent, kept[i]!), { recursive: true, force: true });
    total -= sizes[i]!;
  }
}

/** `smarm-top record --dir DIR`: records until SIGTERM or SIGINT. */
export async function runRecord(options: {
  api: SwarmReads;
  dir: string | undefined;
  maxBytes: number;
  refreshMs: number;
  preflight: Promise<unknown>;
}): Promise<void> {
  if (options.dir === undefined || options.dir.trim() === '') {
    throw new UsageError('record needs a folder to record into: smarm-top record --dir DIR.');
  }
  const dir = path.resolve(options.dir);
  const log = (line: string) => process.stderr.write(`smarm-top record: ${sanitizeLine(line)}\n`);
  await options.preflight;
  let recorder;
  try {
    recorder = startRecorder({
      api: options.api,
      dir,
      maxBytes: options.maxBytes,
      refreshMs: options.refreshMs,
      recorder: auditUser(),
      log,
    });
  } catch (error) {
    throw new SmarmError(`cannot record into ${dir}: ${errorText(error)}.`, 1, { cause: error });
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  recorder.stop();
}

/** `--replay DIR --once [--json]`: the snapshot of the moment, as --once prints a live one. */
export async function replaySnapshot(
  replay: ReplayApi,
  options: { json: boolean; revealSecrets: boolean },
): Promise<string> {
  const once = await import('./once.js');
  const at = replay.moment();
  const snapshot = await once.collectSnapshot(replay, at);
  if (options.json) {
    return once.formatSnapshotJson(snapshot, new Date(at), {
      revealSecrets: options.revealSecrets,
    });
  }
  return `REPLAY ${new Date(at).toISOString()}: the swarm as recorded then, not now.\n\n${once.formatSnapshotText(snapshot, new Date(at))}`;
}

/** The interactive session's recording, or null (said as a warning) when it cannot be opened. */
export function openSessionRecording(
  endpoint: string,
  maxBytes: number,
  warn: (sentence: string) => void,
): RecordingSink | null {
  const now = Date.now();
  const dir = sessionRecordingDir(process.env, os.homedir(), now);
  try {
    pruneSessions(path.dirname(dir), dir, maxBytes);
    return openRecording({
      dir,
      maxBytes,
      recorder: auditUser(),
      endpoint,
      log: (line) => warn(`recording: ${line}.`),
    });
  } catch (error) {
    warn(`this session is not recorded: ${sanitizeLine(errorText(error))}.`);
    return null;
  }
}
