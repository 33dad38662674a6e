// The one path every mutation takes: read-only gate → fresh inspect → check that what the user
// confirmed still holds → `attempt` audit record (none written: nothing is sent) → update with
// that version (one retry on "update out of sequence") → outcome audit record → follow the swarm
// until the operation ends as succeeded, failed or paused. Quitting waits for what was sent.
import { randomUUID } from 'node:crypto';
import type { NodeDetail, ServiceDetail, StackDetail, SwarmNode, SwarmService } from '../model.js';

import type { SwarmReads, SwarmWrites } from '../docker/swarm-api.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../docker/dockerode-api.js';
import { ConnectionError, OutOfSequenceError } from '../docker/errors.js';
import type { AuditRecord } from '../operations/audit-log.js';
import type { Action } from '../state/actions.js';
import {
  targetOf,
  type OperationRecord,
  type OpIntent,
  type OpRequest,
  type OpStatus,
} from '../operations/records.js';
import {
  DEFAULT_FOLLOW_LIMITS_MS,
  type FollowLimit,
  type ProbeFresh,
  type Step,
} from '../operations/kind.js';
import { kindOf } from '../operations/kinds/registry.js';
import { errorText } from '../format/error-text.js';

export interface OperationsOptions {
  reads: SwarmReads;
  /** null in read-only mode: then no code path here can reach a write. */
  writes: SwarmWrites | null;
  dispatch: (action: Action) => void;
  audit: (record: AuditRecord) => Promise<void>;
  endpoint: string;
  user: string;
  /** --show-secrets: spec values whose names look secret are shown instead of masked. */
  revealSecrets?: boolean;
  /** Asks the feed to refresh what is on screen faster for a while. */
  hurry: () => void;
  followEveryMs?: number;
  /** How long convergence is followed before the operation is called failed, by kind's class. */
  followLimitMs?: Partial<Record<FollowLimit, number>>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Links an operation's attempt and outcome records; must not repeat across sessions. */
  newAuditId?: () => string;
}

export interface Operations {
  /** Loads what a confirm dialog shows (fresh inspect, diff or impact) into dialog `dialogId`. */
  prepare(
    dialogId: number,
    intent: OpIntent,
    context: { nodes: SwarmNode[]; services: SwarmService[] },
  ): Promise<void>;
  run(record: OperationRecord): Promise<void>;
  stop(): void;
  /** Operations whose engine answer is still awaited (being checked, or sent). */
  inFlight(): number;
  /**
   * For quitting: starts nothing new, waits up to `limitMs` for the answers still awaited and their
   * audit records, and records what was sent but not answered by then as `unknown`.
   */
  settle(limitMs: number): Promise<void>;
}

/** What a write is made from: a fresh inspect, or a probe kind's own fresh look. */
type Fresh = ServiceDetail | NodeDetail | StackDetail | ProbeFresh;

type OpPatch = Extract<Action, { type: 'op-update' }>['patch'];

class ChangedUnderneath extends Error {}
/** The attempt record could not be written: the request is not sent. */
class NotSent extends Error {}
/** The write itself failed: `cause` is the engine's or the connection's error. */
class WriteFailed extends Error {}

/** How long quitting waits for answers: as long as one request may take. */
export const EXIT_WAIT_MS = DEFAULT_REQUEST_TIMEOUT_MS;

/** What the screen says while quitting waits. */
export function waitingLine(count: number): string {
  return `waiting for ${count} operation${count === 1 ? '' : 's'} to be answered… (up to ${EXIT_WAIT_MS / 1000} s, then recorded as unknown)`;
}

export const MAY_BE_APPLIED = 'the change may have been applied — check before retrying';
const EXITED_UNANSWERED = `smarm-top exited before the engine answered; ${MAY_BE_APPLIED}`;

// Errors that come before the request leaves this machine: nothing can have been applied.
const NOT_CONNECTED = new Set([
  'ENOENT',
  'EACCES',
  'EPERM',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SSH_NOT_FOUND',
]);

/**
 * True when a failed write may still have reached the engine: any failure that is neither the
 * engine's answer (an HTTP status) nor a connection that never opened (ECONNRESET, EPIPE, a closed
 * socket, ssh gone, a timeout all leave the request possibly applied).
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && e !== undefined && depth < 5; depth++) {
    // the engine answered: an update out of sequence is a refusal, whatever carried it
    if (e instanceof OutOfSequenceError) return false;
    if (e instanceof ConnectionError && e.statusCode !== null) return false;
    const { statusCode, code } = e as { statusCode?: unknown; code?: unknown };
    if (typeof statusCode === 'number') return false;
    if (typeof code === 'string' && (NOT_CONNECTED.has(code) || /^(CERT_|ERR_TLS_)/.test(code)))
      return false;
    e = (e as { cause?: unknown }).cause;
  }
  return true;
}

interface Pending {
  record: OperationRecord;
  auditId: string;
  /** The attempt record is written: an outcome record must follow. */
  attempted: boolean;
  /** The outcome record is written (or being written). */
  settled: boolean;
  done: Promise<unknown>;
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

export function createOperations(options: OperationsOptions): Operations {
  const { reads, writes, dispatch, audit, hurry } = options;
  const now = options.now ?? Date.now;
  const followEveryMs = options.followEveryMs ?? 1000;
  const limits = { ...DEFAULT_FOLLOW_LIMITS_MS, ...options.followLimitMs };
  const newAuditId = options.newAuditId ?? randomUUID;
  let stopped = false;
  /** Quitting: no request is sent any more. */
  let leaving = false;
  const pending = new Set<Pending>();
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const update = (id: string, patch: OpPatch): void => {
    if (!stopped) dispatch({ type: 'op-update', id, patch });
  };
  const end = (id: string, status: OpStatus, message: string | null, progress?: string) =>
    update(id, {
      status,
      message,
      endedAt: now(),
      ...(progress !== undefined ? { progress } : {}),
    });

  const inspect = (request: OpRequest, w: SwarmWrites): Promise<Fresh> => {
    const own = kindOf(request.kind).inspect;
    if (own !== undefined) return own(w, reads, request);
    const target = targetOf(request);
    if (target.kind === 'stack') return w.inspectStack(target.id);
    return target.kind === 'service' ? w.inspectService(target.id) : w.inspectNode(target.id);
  };

  /**
   * Inspect, check, write; on "out of sequence" once more if the object still is as seen. The
   * fresh inspect the write was made from is returned: the follow loop compares against it.
   */
  async function send(p: Pending, w: SwarmWrites): Promise<Fresh> {
    const request = p.record.request;
    const kind = kindOf(request.kind);
    for (let attempt = 0; ; attempt++) {
      const fresh = await inspect(request, w);
      const changed = kind.changedFromSeen(request, fresh);
      if (changed !== null) throw new ChangedUnderneath(changed);
      if (!p.attempted) {
        // Write-ahead: a change the engine may apply is on record before it is asked for.
        try {
          await audit(auditRecord(p, 'attempt', null));
        } catch (error) {
          throw new NotSent(
            `${errorText(error).replace(/[.\s]+$/, '')}; nothing was sent, as every change is recorded first (--audit-log PATH writes elsewhere)`,
          );
        }
        p.attempted = true;
      }
      try {
        await kind.write(w, fresh, request);
        return fresh;
      } catch (error) {
        if (error instanceof OutOfSequenceError && attempt === 0) continue;
        throw new WriteFailed(errorText(error), { cause: error });
      }
    }
  }

  async function follow(record: OperationRecord, before: Fresh, sentAt: number): Promise<void> {
    const request = record.request;
    const kind = kindOf(request.kind);
    const limit = limits[kind.followLimit];
    const context = { reads, listServices, listNodes, before, sentAt };
    const deadline = sentAt + limit;
    let lastProgress = '';
    while (!stopped) {
      hurry();
      const outcome: Step = await kind.step(request, context).catch((error: unknown) => ({
        progress: `${lastProgress ? `${lastProgress} · ` : ''}refresh failed: ${errorText(error)}`,
      }));
      if ('status' in outcome) {
        end(record.id, outcome.status, outcome.message, outcome.progress);
        return;
      }
      if (outcome.progress !== lastProgress) update(record.id, { progress: outcome.progress });
      lastProgress = outcome.progress;
      if (now() > deadline) {
        end(record.id, 'failed', `not finished after ${minutes(limit)}: ${lastProgress}`);
        return;
      }
      await sleep(followEveryMs);
    }
  }

  // What the follow loop reads is fresher than the last poll: the screen gets it too.
  async function listServices(): Promise<SwarmService[]> {
    const services = await reads.listServices();
    if (!stopped) dispatch({ type: 'services-loaded', services });
    return services;
  }
  async function listNodes(): Promise<SwarmNode[]> {
    const nodes = await reads.listNodes();
    if (!stopped) dispatch({ type: 'nodes-loaded', nodes });
    return nodes;
  }

  function auditRecord(
    p: Pending,
    result: AuditRecord['result'],
    message: string | null,
  ): AuditRecord {
    return {
      id: p.auditId,
      time: new Date(now()).toISOString(),
      user: options.user,
      endpoint: options.endpoint,
      action: p.record.request.kind,
      target: targetOf(p.record.request),
      ...kindOf(p.record.request.kind).beforeAfter(p.record.request),
      result,
      message,
    };
  }

  /** The outcome record, once per operation; a failure to write it is shown on its line. */
  async function writeOutcome(
    p: Pending,
    result: AuditRecord['result'],
    message: string | null,
  ): Promise<void> {
    if (p.settled) return;
    p.settled = true;
    try {
      await audit(auditRecord(p, result, message));
    } catch (error) {
      update(p.record.id, { auditError: errorText(error) });
    }
  }

  /** Up to the engine's answer and its audit record; true when the engine accepted the change. */
  async function carry(p: Pending, w: SwarmWrites): Promise<Fresh | false> {
    const id = p.record.id;
    try {
      const before = await send(p, w);
      update(id, { status: 'converging' });
      await writeOutcome(p, 'accepted', null);
      return before;
    } catch (error) {
      const text = errorText(error);
      if (error instanceof NotSent) {
        end(id, 'failed', text);
        return false;
      }
      if (error instanceof ChangedUnderneath) {
        const message = `${text}; nothing was sent — look again and retry if still needed`;
        end(id, 'failed', message);
        await writeOutcome(p, 'changed-underneath', message);
        return false;
      }
      const unknown = error instanceof WriteFailed && mayHaveBeenApplied(error.cause);
      const message = unknown ? `${text.replace(/[.\s]+$/, '')}; ${MAY_BE_APPLIED}` : text;
      end(id, unknown ? 'unknown' : 'failed', message);
      // An inspect that failed sent nothing; its failure is recorded all the same.
      await writeOutcome(p, unknown ? 'unknown' : 'failed', message);
      return false;
    }
  }

  return {
    async prepare(dialogId, intent, context) {
      try {
        if (writes === null) throw new Error('read-only: nothing can be changed.');
        const confirm = kindOf(intent.kind).confirm;
        if (confirm === undefined) throw new Error(`${intent.kind} has no confirm dialog.`);
        const ready = await confirm.prepare(intent, {
          writes,
          reads,
          ...context,
          reveal: options.revealSecrets === true,
        });
        if (!stopped) dispatch({ type: 'dialog-ready', id: dialogId, ...ready });
      } catch (error) {
        if (!stopped) dispatch({ type: 'dialog-failed', id: dialogId, error: errorText(error) });
      }
    },

    async run(record) {
      // The gate: in read-only mode there is nothing to call, and nothing is recorded.
      if (writes === null) {
        end(record.id, 'failed', 'read-only: nothing was sent');
        return;
      }
      // Confirmed before the quit, an operation goes on (the quit waits for it); not after.
      if (leaving) {
        end(record.id, 'failed', 'smarm-top is quitting; nothing was sent');
        return;
      }
      const sentAt = now();
      const p: Pending = {
        record,
        auditId: newAuditId(),
        attempted: false,
        settled: false,
        done: Promise.resolve(),
      };
      const carried = carry(p, writes);
      p.done = carried;
      pending.add(p);
      let before: Fresh | false;
      try {
        before = await carried;
      } finally {
        pending.delete(p);
      }
      if (before !== false) await follow(record, before, sentAt);
    },

    inFlight() {
      return pending.size;
    },

    async settle(limitMs) {
      leaving = true;
      const waiting = [...pending];
      if (waiting.length === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, limitMs);
      });
      await Promise.race([Promise.allSettled(waiting.map((p) => p.done)), timedOut]);
      clearTimeout(timer);
      await Promise.all(
        waiting
          .filter((p) => p.attempted && !p.settled)
          .map((p) => writeOutcome(p, 'unknown', EXITED_UNANSWERED)),
      );
    },

    stop() {
      stopped = true;
    },
  };
}
