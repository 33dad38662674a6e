// The usage view's part of the store (issue 15): the probe's settings for this session, the
// figures its lines brought (by task), and what each node's probe task said went wrong. Whether
// the probe runs is read from this session's operations: the last probe operation decides.
import { titleOf, type OperationRecord, type OpRequest } from '../operations/records.js';
import { probeName } from '../operations/kinds/probe.js';
import type { ProbeLine, ProbePhase, UsageFigure } from '../probe/line.js';

export type { ProbePhase, UsageFigure } from '../probe/line.js';

export interface UsageState {
  sessionId: string;
  image: string;
  /** Each node's engine socket (--probe-socket); a service template may name the node. */
  socket: string;
  lifetimeS: number;
  /** The dialog was shown this session (it is asked once). */
  asked: boolean;
  figures: ReadonlyMap<string, UsageFigure>;
  /** Node ID → why its probe task is not reporting ("image … not found"). */
  nodeErrors: Readonly<Record<string, string>>;
}

export const initialUsage: UsageState = {
  sessionId: 'session',
  image: 'smarm-top',
  socket: '/var/run/docker.sock',
  lifetimeS: 600,
  asked: false,
  figures: new Map(),
  nodeErrors: {},
};

/** A figure older than this is STALE (the probe prints every 2 s). */
export const USAGE_STALE_MS = 10_000;

/** The last operation on this session's probe, if any. */
function lastProbeOp(ops: readonly OperationRecord[], name: string): OperationRecord | undefined {
  // ops are newest first
  return ops.find(
    (op) =>
      (op.request.kind === 'probe-start' || op.request.kind === 'probe-stop') &&
      op.request.name === name,
  );
}

/** Where this session's probe is, from the operations and the dialog's answer. */
export function probePhase(usage: UsageState, ops: readonly OperationRecord[]): ProbePhase {
  const last = lastProbeOp(ops, probeName(usage.sessionId));
  if (last === undefined) return usage.asked ? 'declined' : 'off';
  if (last.request.kind === 'probe-stop') return 'off';
  if (last.status === 'sending') return 'starting';
  if (last.status === 'failed' || last.status === 'unknown') return 'failed';
  return 'running';
}

/** The operator said `y` once this session: the probe is started again without asking. */
export function probeConsented(usage: UsageState, ops: readonly OperationRecord[]): boolean {
  const name = probeName(usage.sessionId);
  return ops.some((op) => op.request.kind === 'probe-start' && op.request.name === name);
}

export function probeStartRequest(usage: UsageState): Extract<OpRequest, { kind: 'probe-start' }> {
  const name = probeName(usage.sessionId);
  return {
    kind: 'probe-start',
    serviceId: name,
    name,
    sessionId: usage.sessionId,
    image: usage.image,
    socket: usage.socket,
    lifetimeS: usage.lifetimeS,
  };
}

export function probeStopRequest(
  usage: UsageState,
  why: string,
): Extract<OpRequest, { kind: 'probe-stop' }> {
  const name = probeName(usage.sessionId);
  return { kind: 'probe-stop', serviceId: name, name, why };
}

/** New lines in: each task's newest figure is kept; tasks not heard of for long are dropped. */
export function withLines(usage: UsageState, lines: readonly ProbeLine[], at: number): UsageState {
  if (lines.length === 0) return usage;
  const figures = new Map(usage.figures);
  for (const line of lines) figures.set(line.task, { ...line, receivedAt: at });
  for (const [task, figure] of figures) {
    if (at - figure.receivedAt > 6 * USAGE_STALE_MS) figures.delete(task);
  }
  return { ...usage, figures };
}

/**
 * On quit (q, SIGHUP, SIGTERM): the record of the probe's removal, sent straight to the runner so
 * that the quit waits for it like any operation in flight; null when no probe runs.
 */
export function quitProbeRecord(
  usage: UsageState,
  ops: readonly OperationRecord[],
  now: number,
): OperationRecord | null {
  if (probePhase(usage, ops) !== 'running') return null;
  const request = probeStopRequest(usage, 'quit');
  return {
    id: 'op-quit-probe',
    request,
    title: titleOf(request),
    status: 'sending',
    progress: '',
    message: null,
    auditError: null,
    startedAt: now,
    endedAt: null,
  };
}
