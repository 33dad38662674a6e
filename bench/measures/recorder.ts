// The flight recorder (issue 16): `smarm-top record --dir` headless against the fake engine at
// full size while it churns (tasks failing and replaced, rolling updates one after the other).
// Its CPU is read from /proc/<pid>/stat over the measured window (after its first key frame is
// written: the start is not the steady cost); its bytes are the recording's growth over the same
// window. A day's bytes: the window's rate × 86,400 s, plus the day's key frames (every six hours
// and at each new segment; each as big as the first one written).

import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Target } from '../lib/engines.js';
import { CLI, TMP } from '../lib/env.js';
import { log, mb, nowMs, sleep } from '../lib/harness.js';
import { processCpuMs, processRssMiB } from '../lib/proc.js';
import { children } from '../lib/processes.js';
import { yes, type Row } from '../lib/table.js';

import { KEY_FRAME_MS } from '../../source/live/recorder.js';

const DAY_SECONDS = 86_400;
/** The default recordMaxBytes (200 MB) is cut into ten segments, each opening with a key frame. */
const SEGMENT_BYTES = 20_000_000;
export const RECORDER_CPU_TARGET = 0.5;
export const RECORDER_DAY_TARGET_MB = 50;

export interface RecorderResult {
  services: number;
  seconds: number;
  failuresPerSecond: number;
  rollingUpdates: number;
  cpuMs: number;
  cpuPercent: number;
  rssMiB: number;
  /** The recording's growth over the window. */
  bytes: number;
  /** Bytes of the first key frame (the whole swarm), as each hourly one costs. */
  keyFrameBytes: number;
  /** Lines written in the window, by kind. */
  lines: Record<string, number>;
  bytesPerDay: number;
  keyFramesPerDay: number;
  startMs: number;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('seg-')) continue;
    try {
      total += statSync(path.join(dir, name)).size;
    } catch {
      // gone between the listing and the stat
    }
  }
  return total;
}

/** Every line of the recording, by kind, with the size of the first key frame. */
function readLines(dir: string): { kinds: string[]; keyFrameBytes: number } {
  const kinds: string[] = [];
  let keyFrameBytes = 0;
  for (const name of readdirSync(dir)
    .filter((n) => n.startsWith('seg-'))
    .sort()) {
    for (const line of readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      const kind = /^\{"k":"(\w+)"/.exec(line)?.[1];
      if (kind === undefined) continue;
      kinds.push(kind);
      if (keyFrameBytes === 0 && (kind === 'snap' || kind === 'chg')) {
        keyFrameBytes = Buffer.byteLength(line) + 1;
      }
    }
  }
  return { kinds, keyFrameBytes };
}

const count = (kinds: string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
};

export async function measureRecorder(
  target: Target,
  { seconds, failuresPerSecond }: { seconds: number; failuresPerSecond: number },
): Promise<RecorderResult> {
  const fake = target.fake!;
  const dir = path.join(TMP, 'recording');
  mkdirSync(dir, { recursive: true });
  const started = nowMs();
  const child = spawn(
    process.execPath,
    // Its own default refresh (30 s), as a recorder is run.
    [CLI, 'record', '--dir', dir, '--host', target.host],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: TMP } },
  );
  children.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const pid = child.pid!;
  try {
    // Its first key frame on disk, then a while for the start to settle.
    while (readLines(dir).keyFrameBytes === 0) {
      if (child.exitCode !== null) throw new Error(`smarm-top record exited: ${stderr.trim()}`);
      if (nowMs() - started > 120_000) throw new Error('no key frame after 120 s');
      await sleep(250);
    }
    const startMs = nowMs() - started;
    await sleep(5000);
    const linesBefore = readLines(dir).kinds.length;
    // Churn: tasks fail and are replaced; one rolling update after another, service by service.
    const services = [...fake.cluster.services].map((s) => s.Spec.Name).sort();
    let rollingUpdates = 0;
    const nextUpdate = (): void => {
      fake.mutate.startRollingUpdate(services[rollingUpdates % services.length]!, {
        stepMs: 2000,
      });
      rollingUpdates++;
    };
    const stopFailures = fake.startChurn({ taskFailuresPerSecond: failuresPerSecond });
    log(
      `recorder: smarm-top record (pid ${pid}) for ${seconds} s at ${services.length} services, ${failuresPerSecond} task failures/s and a rolling update a minute`,
    );
    nextUpdate();
    const updates = setInterval(nextUpdate, 60_000);
    const bytes0 = dirBytes(dir);
    const cpu0 = processCpuMs(pid);
    const t0 = nowMs();
    await sleep(seconds * 1000);
    const cpuMs = processCpuMs(pid) - cpu0;
    const elapsed = (nowMs() - t0) / 1000;
    const bytes = dirBytes(dir) - bytes0;
    const rssMiB = processRssMiB(pid);
    clearInterval(updates);
    stopFailures();
    const read = readLines(dir);
    // The key frames a day holds that the window did not: one every KEY_FRAME_MS, and one for
    // each segment the day fills.
    const changeBytes = (bytes / elapsed) * DAY_SECONDS;
    const keyFrames = DAY_SECONDS / (KEY_FRAME_MS / 1000) + Math.ceil(changeBytes / SEGMENT_BYTES);
    const dayBytes = changeBytes + keyFrames * read.keyFrameBytes;
    return {
      services: services.length,
      seconds: elapsed,
      failuresPerSecond,
      rollingUpdates,
      cpuMs,
      cpuPercent: (cpuMs / (elapsed * 1000)) * 100,
      rssMiB,
      bytes,
      keyFrameBytes: read.keyFrameBytes,
      lines: count(read.kinds.slice(linesBefore)),
      bytesPerDay: dayBytes,
      keyFramesPerDay: keyFrames,
      startMs,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      if (child.exitCode !== null) resolve(null);
      else child.once('exit', resolve);
    });
    children.delete(child);
  }
}

export function recorderRows(r: RecorderResult): Row[] {
  const lines = Object.entries(r.lines)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return [
    {
      id: 'REC',
      what: `record --dir, ${r.services} services, ${r.failuresPerSecond} failures/s + rolling updates, ${Math.round(r.seconds)} s`,
      wall: '',
      cpu: `${r.cpuPercent.toFixed(2)} % of a core`,
      detail: `${Math.round(r.cpuMs)} ms CPU; RSS ${Math.round(r.rssMiB)} MiB; first key frame after ${Math.round(r.startMs)} ms`,
      target: `≤ ${RECORDER_CPU_TARGET} % of a core`,
      met: yes(r.cpuPercent <= RECORDER_CPU_TARGET),
    },
    {
      id: 'REC',
      what: `recording bytes a day, from ${Math.round(r.seconds)} s`,
      wall: '',
      cpu: '',
      detail: `${mb(r.bytesPerDay)}/day: ${mb(r.bytes)} in the window (${lines}) + ${r.keyFramesPerDay} key frames of ${mb(r.keyFrameBytes)}`,
      target: `≤ ${RECORDER_DAY_TARGET_MB} MB/day`,
      met: yes(r.bytesPerDay <= RECORDER_DAY_TARGET_MB * 1e6),
    },
  ];
}
