// Operations as data: what the user asked for (a request), what a dialog shows before they
// confirm, and the record of each action from start to end state. Pure types and helpers.
import type { NodeAvailability, ServiceSpecView } from '../model.js';

export type OpKind = 'scale' | 'rollback' | 'force-update' | 'drain' | 'pause' | 'activate';

export type OpRequest =
  | { kind: 'scale'; serviceId: string; name: string; from: number; to: number }
  | {
      kind: 'rollback';
      serviceId: string;
      name: string;
      /**
       * What the dialog's diff was computed from: a change to either stops the rollback. The raw
       * specs are compared, since the diff shows every field of them, not only the views'.
       */
      seen: {
        spec: ServiceSpecView;
        previousSpec: ServiceSpecView;
        specJson: Readonly<Record<string, unknown>>;
        previousSpecJson: Readonly<Record<string, unknown>>;
      };
    }
  | {
      kind: 'force-update';
      serviceId: string;
      name: string;
      seenForceUpdate: number;
      /** The image the dialog said stays: a change to it stops the redeploy. */
      seenImage: string;
    }
  | {
      kind: 'drain' | 'pause' | 'activate';
      nodeId: string;
      name: string;
      seenAvailability: NodeAvailability;
    };

/** What a confirm dialog is about before its details are loaded. */
export type OpIntent =
  | { kind: 'rollback' | 'force-update'; serviceId: string; name: string }
  | { kind: 'drain' | 'pause' | 'activate'; nodeId: string; name: string };

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
    };

/** unknown: the request may have reached the engine, but no answer came (never a plain failed). */
export type OpStatus = 'sending' | 'converging' | 'succeeded' | 'failed' | 'unknown' | 'paused';

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

export const AVAILABILITY_OF: Record<'drain' | 'pause' | 'activate', NodeAvailability> = {
  drain: 'drain',
  pause: 'pause',
  activate: 'active',
};

export function targetOf(request: OpRequest | OpIntent): {
  kind: 'service' | 'node';
  id: string;
  name: string;
} {
  return 'serviceId' in request
    ? { kind: 'service', id: request.serviceId, name: request.name }
    : { kind: 'node', id: request.nodeId, name: request.name };
}

export function titleOf(request: OpRequest): string {
  switch (request.kind) {
    case 'scale':
      return `scale ${request.name} ${request.from} → ${request.to}`;
    case 'rollback':
      return `roll back ${request.name}`;
    case 'force-update':
      return `force redeploy ${request.name}`;
    case 'drain':
    case 'pause':
    case 'activate':
      return `${request.kind} ${request.name}`;
  }
}

export function isFinished(status: OpStatus): boolean {
  return (
    status === 'succeeded' || status === 'failed' || status === 'unknown' || status === 'paused'
  );
}
