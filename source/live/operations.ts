// The one path every mutation takes: read-only gate → fresh inspect → check that what the user
// confirmed still holds → `attempt` audit record (none written: nothing is sent) → update with
// that version (one retry on "update out of sequence") → outcome audit record → follow the swarm
// until the operation ends as succeeded, failed or paused. Quitting waits for what was sent.
import { randomUUID } from 'node:crypto';
import type {
  NodeAvailability,
  NodeDetail,
  ServiceDetail,
  SwarmNode,
  SwarmService,
  SwarmTask,
} from '../model.js';
import type { SwarmReads, SwarmWrites } from '../docker/swarm-api.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../docker/dockerode-api.js';
import { ConnectionError, OutOfSequenceError } from '../docker/errors.js';
import { compareText } from '../format/compare.js';
import type { AuditRecord } from '../operations/audit-log.js';
import { availabilityImpact } from '../operations/drain-impact.js';
import { describeDiff, diffSpecs } from '../operations/spec-diff.js';
import { deepEqual } from '../format/same.js';
import type { Action } from '../state/actions.js';
import {
  AVAILABILITY_OF,
  targetOf,
  type OperationRecord,
  type OpIntent,
  type OpRequest,
  type OpStatus,
} from '../operations/records.js';
import { errorText } from '../format/error-text.js';
import { isTaskLive } from '../health.js';

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
  /** How long convergence is followed before the operation is called failed. */
  followLimitMs?: { scale: number; update: number; drain: number };
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

/** Why the object no longer is what the dialog showed, or null if it still is. */
function changedFromSeen(request: OpRequest, detail: ServiceDetail | NodeDetail): string | null {
  switch (request.kind) {
    case 'scale': {
      const replicas = (detail as ServiceDetail).spec.replicas;
      return replicas === request.from
        ? null
        : `${request.name} now asks for ${replicas ?? 'no'} replicas, not the ${request.from} you saw`;
    }
    case 'rollback': {
      const d = detail as ServiceDetail;
      return deepEqual(d.specJson, request.seen.specJson) &&
        deepEqual(d.previousSpecJson, request.seen.previousSpecJson)
        ? null
        : `${request.name}'s spec changed since the diff was shown`;
    }
    case 'force-update': {
      const d = detail as ServiceDetail;
      // The dialog promised "the spec stays as it is: image X".
      if (d.spec.image !== request.seenImage) {
        return `${request.name} now runs ${d.spec.image}, not the ${request.seenImage} shown`;
      }
      return d.forceUpdate === request.seenForceUpdate
        ? null
        : `${request.name} was force-updated by someone else meanwhile`;
    }
    default: {
      const availability = (detail as NodeDetail).node.availability;
      return availability === request.seenAvailability
        ? null
        : `${request.name} is now ${availability}, not ${request.seenAvailability} as shown`;
    }
  }
}

function beforeAfter(request: OpRequest): { before: unknown; after: unknown } {
  switch (request.kind) {
    case 'scale':
      return { before: { replicas: request.from }, after: { replicas: request.to } };
    case 'rollback':
      return {
        before: { image: request.seen.spec.image },
        after: { image: request.seen.previousSpec.image },
      };
    case 'force-update':
      return {
        before: { forceUpdate: request.seenForceUpdate },
        after: { forceUpdate: request.seenForceUpdate + 1 },
      };
    default:
      return {
        before: { availability: request.seenAvailability },
        after: { availability: AVAILABILITY_OF[request.kind] },
      };
  }
}

function newestError(tasks: SwarmTask[]): string | null {
  const failed = tasks
    .filter((t) => t.error !== null)
    .sort((a, b) => compareText(b.stateSince ?? '', a.stateSince ?? ''));
  return failed[0]?.error ?? null;
}

export function createOperations(options: OperationsOptions): Operations {
  const { reads, writes, dispatch, audit, hurry } = options;
  const now = options.now ?? Date.now;
  const followEveryMs = options.followEveryMs ?? 1000;
  const limits = options.followLimitMs ?? { scale: 120_000, update: 600_000, drain: 180_000 };
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

  const inspect = (request: OpRequest, w: SwarmWrites): Promise<ServiceDetail | NodeDetail> =>
    'serviceId' in request ? w.inspectService(request.serviceId) : w.inspectNode(request.nodeId);

  /** Inspect, check, write; on "out of sequence" once more if the object still is as seen. */
  async function send(p: Pending, w: SwarmWrites): Promise<ServiceDetail | null> {
    const request = p.record.request;
    for (let attempt = 0; ; attempt++) {
      const fresh = await inspect(request, w);
      const changed = changedFromSeen(request, fresh);
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
        switch (request.kind) {
          case 'scale':
            await w.scaleService(fresh as ServiceDetail, request.to);
            return fresh as ServiceDetail;
          case 'rollback':
            await w.rollbackService(fresh as ServiceDetail);
            return fresh as ServiceDetail;
          case 'force-update':
            await w.forceUpdateService(fresh as ServiceDetail);
            return fresh as ServiceDetail;
          default: {
            await w.setNodeAvailability(fresh as NodeDetail, AVAILABILITY_OF[request.kind]);
            return null;
          }
        }
      } catch (error) {
        if (error instanceof OutOfSequenceError && attempt === 0) continue;
        throw new WriteFailed(errorText(error), { cause: error });
      }
    }
  }

  async function follow(
    record: OperationRecord,
    before: ServiceDetail | null,
    sentAt: number,
  ): Promise<void> {
    const request = record.request;
    const limit =
      request.kind === 'scale'
        ? limits.scale
        : request.kind === 'rollback' || request.kind === 'force-update'
          ? limits.update
          : limits.drain;
    const deadline = sentAt + limit;
    let lastProgress = '';
    while (!stopped) {
      hurry();
      const outcome = await step(request, before, sentAt).catch((error: unknown) => ({
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

  type Step = { progress: string } | { status: OpStatus; message: string | null; progress: string };

  async function step(
    request: OpRequest,
    before: ServiceDetail | null,
    sentAt: number,
  ): Promise<Step> {
    switch (request.kind) {
      case 'scale': {
        const service = (await listServices()).find((s) => s.id === request.serviceId);
        if (!service)
          return { status: 'failed', message: `${request.name} was removed`, progress: '' };
        const progress = `running ${service.running}/${service.desired}`;
        if (service.desired === request.to && service.running === request.to) {
          return { status: 'succeeded', message: null, progress };
        }
        const error = newestError(await reads.listTasks({ serviceId: request.serviceId }));
        return { progress: error ? `${progress} · last task error: ${error}` : progress };
      }
      case 'rollback':
      case 'force-update':
        return updateStep(request, before, sentAt);
      case 'drain': {
        const tasks = await reads.listTasks({ nodeId: request.nodeId });
        const left = tasks.filter(isTaskLive).length;
        const progress = `${left} task${left === 1 ? '' : 's'} still on ${request.name}`;
        return left === 0 ? { status: 'succeeded', message: null, progress } : { progress };
      }
      default: {
        const target: NodeAvailability = AVAILABILITY_OF[request.kind];
        const node = (await listNodes()).find((n) => n.id === request.nodeId);
        if (!node)
          return { status: 'failed', message: `${request.name} left the swarm`, progress: '' };
        const progress = `${request.name} is ${node.availability}`;
        return node.availability === target
          ? { status: 'succeeded', message: null, progress }
          : { progress };
      }
    }
  }

  async function updateStep(
    request: Extract<OpRequest, { kind: 'rollback' | 'force-update' }>,
    before: ServiceDetail | null,
    sentAt: number,
  ): Promise<Step> {
    const [services, tasks] = await Promise.all([
      listServices(),
      reads.listTasks({ serviceId: request.serviceId }),
    ]);
    const service = services.find((s) => s.id === request.serviceId);
    if (!service) return { status: 'failed', message: `${request.name} was removed`, progress: '' };
    const running = tasks.filter((t) => t.desiredState === 'running' && t.state === 'running');
    const isNew = (t: SwarmTask) =>
      t.createdAt !== null && Date.parse(t.createdAt) >= sentAt - 1000;
    const fresh = running.filter(isNew).length;
    const old = running.length - fresh;
    const state = service.updateState;
    // An update status from before ours does not count: ours has a new start time.
    const ours =
      state !== null && service.updateStartedAt !== (before?.service.updateStartedAt ?? null);
    const message = service.updateMessage;
    const progress = `${ours ? state : 'waiting for the update to start'} · tasks old → new: ${old} → ${fresh}${message ? ` · ${message}` : ''}`;
    if (!ours) {
      // Any other change to the service (a scale, say) clears UpdateStatus while the rollout
      // goes on, so a rollout is also done when every running task is a new one.
      const replaced =
        state === null && fresh > 0 && old === 0 && service.running === service.desired;
      return replaced
        ? {
            status: 'succeeded',
            message: 'all tasks replaced (the engine keeps no update status)',
            progress,
          }
        : { progress };
    }
    const rollback = request.kind === 'rollback';
    switch (state) {
      case 'completed':
        return rollback
          ? {
              status: 'failed',
              message: `another update replaced the rollback${message ? `: ${message}` : ''}`,
              progress,
            }
          : { status: 'succeeded', message, progress };
      case 'rollback_completed':
        return rollback
          ? { status: 'succeeded', message, progress }
          : {
              status: 'failed',
              message: `the update failed and was rolled back${message ? `: ${message}` : ''}`,
              progress,
            };
      case 'paused':
      case 'rollback_paused':
        return { status: 'paused', message: message ?? state, progress };
      default:
        return { progress };
    }
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
      ...beforeAfter(p.record.request),
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
  async function carry(p: Pending, w: SwarmWrites): Promise<ServiceDetail | null | false> {
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
        const ready = await prepareDialog(writes, reads, intent, context, {
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
      let before: ServiceDetail | null | false;
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

async function prepareDialog(
  writes: SwarmWrites,
  reads: SwarmReads,
  intent: OpIntent,
  context: { nodes: SwarmNode[]; services: SwarmService[] },
  show: { reveal: boolean },
): Promise<{ request: OpRequest; lines: string[]; warnings: string[] }> {
  if (intent.kind === 'rollback') {
    const detail = await writes.inspectService(intent.serviceId);
    const previousSpecJson = detail.previousSpecJson;
    if (detail.previousSpec === null || previousSpecJson === null) {
      throw new Error(`${intent.name} has no previous spec, so there is nothing to roll back to.`);
    }
    const warnings =
      detail.service.updateState === 'updating'
        ? [`${intent.name} is in the middle of an update.`]
        : [];
    return {
      request: {
        kind: 'rollback',
        serviceId: intent.serviceId,
        name: intent.name,
        seen: {
          spec: detail.spec,
          previousSpec: detail.previousSpec,
          specJson: detail.specJson,
          previousSpecJson,
        },
      },
      lines: [
        'What changes (now → after the rollback):',
        ...describeDiff(diffSpecs(detail.specJson, previousSpecJson, show)),
      ],
      warnings,
    };
  }
  if ('serviceId' in intent) {
    // An inspect has no ServiceStatus (its counts read 0): the counts come from the list, asked
    // fresh for this one service, else from what is on screen.
    const [detail, listed] = await Promise.all([
      writes.inspectService(intent.serviceId),
      reads.listServices([intent.serviceId]).catch(() => [] as SwarmService[]),
    ]);
    const find = (list: SwarmService[]) => list.find((x) => x.id === intent.serviceId);
    const s = find(listed) ?? find(context.services) ?? detail.service;
    const parallelism = detail.spec.updateConfig['Parallelism'] ?? '1';
    const order = detail.spec.updateConfig['Order'] ?? 'stop-first';
    return {
      request: {
        kind: 'force-update',
        serviceId: intent.serviceId,
        name: intent.name,
        seenForceUpdate: detail.forceUpdate,
        seenImage: detail.spec.image,
      },
      lines: [
        `Every task of ${intent.name} (${s.running} running) is replaced by a new one, ${parallelism} at a time (${order}).`,
        `The spec stays as it is: image ${detail.spec.image}.`,
      ],
      warnings:
        s.running < s.desired
          ? [`${intent.name} is already degraded (${s.running}/${s.desired} running).`]
          : [],
    };
  }
  const detail = await writes.inspectNode(intent.nodeId);
  const tasksOnNode = await reads.listTasks({ nodeId: intent.nodeId });
  const target = AVAILABILITY_OF[intent.kind];
  const impact = availabilityImpact({
    node: detail.node,
    target,
    nodes: context.nodes,
    services: context.services,
    tasksOnNode,
  });
  return {
    request: {
      kind: intent.kind,
      nodeId: intent.nodeId,
      name: intent.name,
      seenAvailability: detail.node.availability,
    },
    lines: [`${intent.name}: ${detail.node.availability} → ${target}.`, ...impact.summary],
    warnings: impact.warnings,
  };
}
