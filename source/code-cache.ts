// V8's code cache for the program (launcher.ts): the compiled code of dist/main.js, kept between
// starts so that a start reads it instead of compiling ~1 MB of JavaScript (issue 17). Node 20
// keeps no such cache itself. A cache is code the process will run, so it lives only in a folder
// of the user's own that nobody else can write, and anything odd about it (another owner, a
// folder others may write, a file that is not a plain file) means no cache: the program is then
// compiled as without one. Nothing here may stop the program: every failure is a start without it.
import {
  closeSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  constants,
} from 'node:fs';
import path from 'node:path';
import { smarmTopFolder } from './xdg.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** SMARM_CODE_CACHE=off (or 0, no, false) starts without one, and writes none. */
const OFF = new Set(['off', '0', 'no', 'false']);

/** $XDG_CACHE_HOME/smarm-top, else ~/.cache/smarm-top; null when turned off or homeless. */
export function codeCacheDir(env: NodeJS.ProcessEnv, homeDir: string): string | null {
  if (OFF.has((env['SMARM_CODE_CACHE'] ?? '').toLowerCase())) return null;
  const dir = smarmTopFolder(env, 'XDG_CACHE_HOME', homeDir, '.cache');
  // Without a home of its own, the fallback would be relative to wherever smarm-top is started.
  return path.isAbsolute(dir) ? dir : null;
}

/**
 * Which start a cache is for. A cache holds what the run that wrote it had compiled: the one a
 * `--once` writes lacks the interactive start's code and the other way round, and a start reading
 * the other's compiles its own path again (`--once` against the lab: 200 → 212 ms of CPU with an
 * interactive session's cache, issue 17). Each keeps its own.
 */
export type StartKind = 'once' | 'screen';

/** `--once` anywhere among the arguments (as a flag's value it only picks the other cache). */
export function startKind(args: readonly string[]): StartKind {
  return args.includes('--once') ? 'once' : 'screen';
}

/**
 * The cache's file name: the program's content hash (V8 itself checks only the source's length),
 * node's version and the machine's architecture, node's own flags (V8 rejects a cache made
 * under other flags, and `node cli.js` runs without those `./cli.js` passes: each keeps its own),
 * and the kind of start.
 */
export function codeCacheName(
  programHash: string,
  nodeVersion: string,
  arch: string,
  nodeFlags: readonly string[],
  kind: StartKind,
): string {
  return `main-${programHash}-${nodeVersion}-${arch}-${fnv1a(nodeFlags.join(' '))}-${kind}.v8cache`;
}

/** FNV-1a, 32 bits, in hex: a name for a set of flags (node's crypto costs a start 10 ms). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The program hash in a cache's file name, or null for a file that is not a cache. */
function programOf(file: string): string | null {
  return /^main-([0-9a-f]+)-.*\.v8cache$/.exec(file)?.[1] ?? null;
}

interface Owner {
  uid: number;
  mode: number;
}

/** Owned by this user and writable by nobody else. */
function ownOnly(stat: Owner, uid: number | undefined): boolean {
  return (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
}

export interface CodeCache {
  /** The cached code, or undefined when there is none fit to use. */
  read(): Buffer | undefined;
  /** Keeps it for the next start (atomically), and drops other builds' caches a day old. */
  write(data: Buffer): void;
}

/** The cache at `dir`/`name`, or null when that folder cannot be made or is not the user's own. */
export function openCodeCache(
  dir: string,
  name: string,
  uid: number | undefined = process.getuid?.(),
  now: () => number = Date.now,
): CodeCache | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const folder = lstatSync(dir);
    if (!folder.isDirectory() || !ownOnly(folder, uid)) return null;
  } catch {
    return null;
  }
  const file = path.join(dir, name);
  return {
    read() {
      let fd: number | undefined;
      try {
        // O_NOFOLLOW: a link planted in its place is not followed. The owner and mode are checked
        // on the opened file itself, so a folder swapped after its own check (root with HOME in
        // a user's home) cannot hand over a file someone else made.
        fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
        const stat = fstatSync(fd);
        return stat.isFile() && ownOnly(stat, uid) ? readFileSync(fd) : undefined;
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
    write(data) {
      const partial = `${file}.${process.pid}.partial`;
      try {
        writeFileSync(partial, data, { mode: 0o600, flag: 'wx' });
        renameSync(partial, file);
        // Another build's cache is dropped once it is a day old: after an upgrade it is never
        // read again, while two builds in use side by side (a clone and an install) keep theirs.
        const program = programOf(name);
        for (const other of readdirSync(dir)) {
          const of = programOf(other);
          const otherFile = path.join(dir, other);
          if (of !== null && of !== program && now() - lstatSync(otherFile).mtimeMs > DAY_MS) {
            unlinkSync(otherFile);
          }
        }
      } catch {
        try {
          unlinkSync(partial);
        } catch {
          // Never written.
        }
      }
    },
  };
}
