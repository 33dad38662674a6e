// A recording on disk (docs/recording.md): one directory per recorder, a ring of segment files.
// Each run starts a new segment (never appends to a file a crash may have cut short); a segment
// starts with a header and a key frame, so it can be read without the ones before it; when the
// directory passes its size bound, the oldest segments are deleted.
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { decodeText, encodeLine, type RecordLine } from './format.js';

export const SEGMENT_PATTERN = /^seg-(\d{13})-(\d{6})\.jsonl$/;
/** How many segments a recording's size bound is cut into (the ring drops one at a time). */
const SEGMENTS_PER_RING = 10;
const MIN_SEGMENT_BYTES = 64 * 1024;
export const LOCK_FILE = 'recorder.lock';

export function segmentFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => SEGMENT_PATTERN.test(n)).sort();
}

function segmentName(startMs: number, seq: number): string {
  return `seg-${String(Math.trunc(startMs)).padStart(13, '0')}-${String(seq % 1_000_000).padStart(6, '0')}.jsonl`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Claims the directory for this process: one recorder per directory (two writing one ring would
 * delete each other's segments). A lock left by a recorder that died is taken over.
 */
export function claimDirectory(dir: string, host: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LOCK_FILE);
  try {
    const held = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown };
    if (
      typeof held.pid === 'number' &&
      held.host === host &&
      held.pid !== process.pid &&
      alive(held.pid)
    ) {
      throw new Error(
        `${dir} is being recorded into by process ${held.pid}; give each recorder its own directory`,
      );
    }
  } catch (error) {
    if (error instanceof Error && error.message.includes('being recorded into')) throw error;
  }
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, host })}\n`, { mode: 0o600 });
}

export function releaseDirectory(dir: string): void {
  rmSync(path.join(dir, LOCK_FILE), { force: true });
}

export interface SegmentWriterOptions {
  dir: string;
  maxBytes: number;
  /** The lines every segment starts with (its header and a key frame), asked for at each start. */
  opening: () => RecordLine[];
  now?: () => number;
}

/** Appends lines; one write per line, so a crash tears at most the last. */
export class SegmentWriter {
  private fd: number | null = null;
  private size = 0;
  private seq = 0;
  private readonly segmentBytes: number;
  private readonly now: () => number;
  /** Bytes written since the start (for the bench). */
  written = 0;

  constructor(private readonly options: SegmentWriterOptions) {
    this.segmentBytes = Math.max(
      MIN_SEGMENT_BYTES,
      Math.floor(options.maxBytes / SEGMENTS_PER_RING),
    );
    this.now = options.now ?? Date.now;
  }

  private open(): void {
    const { dir } = this.options;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let name = segmentName(this.now(), this.seq++);
    // Never reuse a file: a name taken (the same millisecond) gets the next number.
    while (segmentFiles(dir).includes(name)) name = segmentName(this.now(), this.seq++);
    this.fd = openSync(
      path.join(dir, name),
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_APPEND,
      0o600,
    );
    this.size = 0;
    this.prune(name);
    for (const line of this.options.opening()) this.writeRaw(encodeLine(line));
  }

  /** Deletes the oldest segments while the directory is over its bound (never `current`). */
  private prune(current: string): void {
    const { dir, maxBytes } = this.options;
    const files = segmentFiles(dir);
    const sizes = files.map((name) => {
      try {
        return statSync(path.join(dir, name)).size;
      } catch {
        return 0;
      }
    });
    // The new segment will grow to a segment's size: room is made for it now.
    let total = sizes.reduce((a, b) => a + b, 0) + this.segmentBytes;
    for (let i = 0; i < files.length && total > maxBytes; i++) {
      if (files[i] === current) continue;
      rmSync(path.join(dir, files[i]!), { force: true });
      total -= sizes[i]!;
    }
  }

  private writeRaw(text: string): void {
    const buffer = Buffer.from(text, 'utf8');
    writeSync(this.fd!, buffer);
    this.size += buffer.length;
    this.written += buffer.length;
  }

  write(line: RecordLine): void {
    if (this.fd === null || this.size >= this.segmentBytes) {
      this.closeSegment();
      this.open();
      // The opening lines hold the state already: a change line would repeat it.
      if (line.k === 'snap' || line.k === 'chg') return;
    }
    this.writeRaw(encodeLine(line));
  }

  private closeSegment(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  close(): void {
    this.closeSegment();
  }

  /** Bytes in the segment being written. */
  segmentSize(): number {
    return this.fd === null ? 0 : fstatSync(this.fd).size;
  }
}

export interface ReadRecording {
  lines: RecordLine[];
  /** Lines that could not be read (torn by a crash, or not ours). */
  skipped: number;
  segments: number;
  bytes: number;
}

/** Every readable line of a recording, oldest first (a directory of segments, or one segment). */
export function readRecording(target: string): ReadRecording {
  let files: string[];
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new Error(`there is no recording at ${target}`);
  }
  if (stat.isDirectory()) files = segmentFiles(target).map((n) => path.join(target, n));
  else files = [target];
  if (files.length === 0) throw new Error(`${target} holds no recording (no seg-*.jsonl files)`);
  const lines: RecordLine[] = [];
  let skipped = 0;
  let bytes = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // Deleted by the ring between the listing and the read.
      continue;
    }
    bytes += Buffer.byteLength(text);
    const read = decodeText(text);
    lines.push(...read.lines);
    skipped += read.skipped;
  }
  // Segments are in time order; within one, lines are written in order. A clock step back is kept
  // as written (a stable sort by time would tear changes from their key frames).
  return { lines, skipped, segments: files.length, bytes };
}

/** Total bytes of a recording's segments. */
export function recordingBytes(dir: string): number {
  return segmentFiles(dir).reduce((sum, name) => {
    try {
      return sum + statSync(path.join(dir, name)).size;
    } catch {
      return sum;
    }
  }, 0);
}
