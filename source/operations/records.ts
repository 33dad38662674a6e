// Operations as data: what the user asked for (a request), what a dialog shows before they
// confirm, and the record of each action from start to end state. Pure types and helpers.
import type { OpStatus, OpTarget, TargetRef } from './kind.js';
import { kindOf, type OpIntent, type OpRequest } from './kinds/registry.js';

export type { OpStatus } from './kind.js';
export type { OpIntent, OpKind, OpRequest } from './kinds/registry.js';

export type Dialog =
  | {
      kind: 'scale';
      id: number;
      serviceId: string;
      name: string;
      running: number;
      desired: number;
      text: string;
      /** Scaling to 0 asks for the service name to be typed; null until then. */
      confirmName: string | null;
      error: string | null;
    }
  | {
      kind: 'confirm';
      id: number;
      intent: OpIntent;
      title: string;
      /** null while the fresh inspect and the impact are being loaded. */
      request: OpRequest | null;
      lines: string[];
      warnings: string[];
      error: string | null;
      /** Lines of `lines` scrolled past (a whole rollback diff may not fit). */
      scroll: number;
      /**
       * A removal is confirmed by typing this (the object's name) and Enter, not by `y`; absent
       * for the dialogs `y` confirms.
       */
      typeToConfirm?: string;
      /** What has been typed so far (when typeToConfirm is set). */
      typed?: string;
      /** Enter with something else typed: the one sentence saying so. */
      typedError?: string | null;
    }
  | {
      /** A typed value before a confirm dialog (the new image): Enter reads it into an intent. */
      kind: 'prompt';
      id: number;
      opKind: OpIntent['kind'];
      /** The object the prompt was opened on. */
      ref: TargetRef<OpTarget>;
      title: string;
      lines: string[];
      label: string;
      /** The prefilled text (the value now). */
      initial: string;
      text: string;
      error: string | null;
    };

export interface OperationRecord {
  /** "op-1", "op-2", … in the order of this session. */
  id: string;
  request: OpRequest;
  /** "scale web 4 → 6" */
  title: string;
  status: OpStatus;
  /** The latest convergence reading: "running 5/6", "3 tasks left on worker-1". */
  progress: string;
  /** The engine's message or why it ended as it did. */
  message: string | null;
  /** Set when the audit record could not be written. */
  auditError: string | null;
  startedAt: number;
  endedAt: number | null;
}

/** The object's kind as the audit log names it: a probe's service is a service. */
export function targetOf(request: OpRequest | OpIntent | TargetRef<OpTarget>): {
  kind: 'service' | 'node' | 'stack';
  id: string;
  name: string;
} {
  if ('serviceId' in request) return { kind: 'service', id: request.serviceId, name: request.name };
  if ('nodeId' in request) return { kind: 'node', id: request.nodeId, name: request.name };
  return { kind: 'stack', id: request.stack, name: request.name };
}

export function titleOf(request: OpRequest): string {
  return kindOf(request.kind).title(request);
}

export function isFinished(status: OpStatus): boolean {
  return (
    status === 'succeeded' || status === 'failed' || status === 'unknown' || status === 'paused'
  );
}
