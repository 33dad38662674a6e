// Every mutation smarm-top sends is recorded locally as one JSON line: who, against which engine,
// what it was before and after, and how it ended. Operators grep it after an incident, so each
// line must stand alone and lines from several smarm-tops must never interleave.
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorText } from '../format/error-text.js';
import { smarmTopFolder } from '../xdg.js';
import type { OpKind } from './kinds/registry.js';

/** The operation kind's name (operations/kinds/registry.ts). */
export type AuditAction = OpKind;
/**
 * `attempt` is written before the request is sent, the others after it; `unknown`: the request was
 * written but no answer came (connection dropped, timeout, smarm-top exited first), so the change
 * may have been applied.
 */
export type AuditResult =
  'attempt' | 'accepted' | 'failed' | 'changed-underneath' | 'refused' | 'unknown';

export interface AuditRecord {
  /** The same in an operation's `attempt` record and in its outcome record. */
  id: string;
  /** ISO 8601. */
  time: string;
  /** "user@host". */
  user: string;
  endpoint: string;
  action: AuditAction;
  target: { kind: 'service' | 'node' | 'stack'; id: string; name: string };
  before: unknown;
  after: unknown;
  result: AuditResult;
  message: string | null;
}

/** $XDG_STATE_HOME/smarm-top, else ~/.local/state/smarm-top: the audit log and saved logs. */
export function stateDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  return smarmTopFolder(env, 'XDG_STATE_HOME', homeDir, path.join('.local', 'state'));
}

/** $XDG_STATE_HOME/smarm-top/audit.log, else ~/.local/state/smarm-top/audit.log. */
export function defaultAuditPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  return path.join(stateDir(env, homeDir), 'audit.log');
}

export interface AuditUserDeps {
  userInfo: () => { username: string };
  hostname: () => string;
  env: NodeJS.ProcessEnv;
}

/** "alice@laptop". userInfo() throws when the uid has no passwd entry (some containers). */
export function auditUser(
  deps: AuditUserDeps = { userInfo: os.userInfo, hostname: os.hostname, env: process.env },
): string {
  let user: string;
  try {
    user = deps.userInfo().username;
  } catch {
    user = deps.env.USER ?? deps.env.USERNAME ?? 'unknown';
  }
  return `${user}@${deps.hostname()}`;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  // mkdir -p over an existing file.
  EEXIST: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  // O_NOFOLLOW on a symbolic link.
  ELOOP: 'it is a symbolic link, which is not followed',
  // O_NONBLOCK on a FIFO nobody reads: refused at once instead of hanging.
  ENXIO: 'it is not a regular file',
};

// A planted symlink would send the records (and the 0600 chmod) to another file; a FIFO would
// hang open(); O_APPEND keeps concurrent lines whole.
const OPEN_FLAGS =
  constants.O_APPEND |
  constants.O_CREAT |
  constants.O_WRONLY |
  constants.O_NOFOLLOW |
  constants.O_NONBLOCK;

/** Why a file in this folder could be swapped by another user, or null. */
async function looseFolder(folder: string): Promise<string | null> {
  const { stat } = await import('node:fs/promises');
  const { mode } = await stat(folder);
  return (mode & 0o002) !== 0 && (mode & 0o1000) === 0
    ? `its folder ${folder} is writable by every user and has no sticky bit, so anyone could replace the file`
    : null;
}

function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REASONS[code] !== undefined) return REASONS[code];
  const message = errorText(err);
  return message.replace(/[.\s]+$/, '');
}

/**
 * Appends one JSON line to the audit log, creating its folder (0700) and the file (0600). Rejects
 * with one sentence naming the path; never throws synchronously.
 */
export async function appendAudit(file: string, record: AuditRecord): Promise<void> {
  let line: string;
  try {
    // undefined would drop the key; an auditor should see "before": null rather than nothing.
    line = `${JSON.stringify({ ...record, before: record.before ?? null, after: record.after ?? null })}\n`;
  } catch (err) {
    throw new Error(
      `Could not write the audit log ${file}: the record cannot be stored as JSON (${reason(err)}).`,
      { cause: err },
    );
  }
  try {
    // Loaded on the first change, not at every start: node compiles this module when first asked.
    const { mkdir, open } = await import('node:fs/promises');
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const loose = await looseFolder(path.dirname(file));
    if (loose !== null) throw new Error(loose);
    const handle = await open(file, OPEN_FLAGS, 0o600);
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Error('it is not a regular file');
      const uid = process.getuid?.();
      if (uid !== undefined && info.uid !== uid) {
        throw new Error(`it belongs to another user (uid ${info.uid}), so it is not written`);
      }
      // Records say who did what; a file created before this version, or by hand under a loose
      // umask, must not stay readable by other users.
      if ((info.mode & 0o077) !== 0) await handle.chmod(0o600);
      // One write per record: with O_APPEND the kernel places it at the end, whole.
      await handle.appendFile(line);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new Error(`Could not write the audit log ${file}: ${reason(err)}.`, { cause: err });
  }
}
