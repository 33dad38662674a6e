// What an operation kind is. Every change smarm-top can make to the swarm (scale, roll back,
// drain …) is one module in operations/kinds/ exporting one OperationKind, and one line in
// operations/kinds/registry.ts. The one path in live/operations.ts (read-only gate → fresh inspect
// → still as seen → audit attempt → write with version → audit outcome → follow) is generic: it
// asks the kind for each part and never names a kind itself.
//
// A kind does no IO of its own: the engine is reached only through the ports it is handed (the
// write half of the seam, the reads, the lists the follow loop refreshes), so everything that is
// pure (titles, refusals, what the user saw, before/after) stays testable without an engine.
import type { SwarmReads, SwarmWrites } from '../docker/swarm-api.js';
import type { NodeDetail, ServiceDetail, StackDetail, SwarmNode, SwarmService } from '../model.js';

/** unknown: the request may have reached the engine, but no answer came (never a plain failed). */
export type OpStatus = 'sending' | 'converging' | 'succeeded' | 'failed' | 'unknown' | 'paused';

/**
 * What a kind acts on: a service, a node, a stack (its objects, by label), or the stats probe's
 * service, made and removed by us.
 */
export type OpTarget = 'service' | 'node' | 'stack' | 'probe';

/** The probe kinds' fresh look: the services labelled as smarm-top's probe, as listed now. */
export interface ProbeFresh {
  probes: SwarmService[];
}

/** The object a request or an intent names, by target. */
export type TargetRef<T extends OpTarget> = T extends 'node'
  ? { nodeId: string; name: string }
  : T extends 'stack'
    ? { stack: string; name: string }
    : { serviceId: string; name: string };

/** The fresh inspect a write is made from (its version goes with the write). */
export type DetailOf<T extends OpTarget> = T extends 'service'
  ? ServiceDetail
  : T extends 'node'
    ? NodeDetail
    : T extends 'stack'
      ? StackDetail
      : ProbeFresh;

/** A stack row of the stacks view: its name ('' for the services of no stack) and services. */
export interface StackSubject {
  name: string;
  services: SwarmService[];
}

/** The selected row's object a mutation key acts on. */
export type SubjectOf<T extends OpTarget> = T extends 'node'
  ? SwarmNode
  : T extends 'stack'
    ? StackSubject
    : SwarmService;

/** The swarm as the screen shows it now. */
export interface Shown {
  nodes: SwarmNode[];
  services: SwarmService[];
}

/** One reading of the follow loop: still converging, or ended. */
export type Step =
  { progress: string } | { status: OpStatus; message: string | null; progress: string };

/** How long convergence is followed before the operation is called failed, by class. */
export type FollowLimit = 'scale' | 'update' | 'drain' | 'node';

export const DEFAULT_FOLLOW_LIMITS_MS: Readonly<Record<FollowLimit, number>> = {
  scale: 120_000,
  update: 600_000,
  drain: 180_000,
  node: 120_000,
};

/** What a confirm dialog's preparation may use: a fresh inspect, fresh lists, what is shown. */
export interface PrepareContext extends Shown {
  writes: SwarmWrites;
  reads: SwarmReads;
  /** --show-secrets: values whose names look secret are shown instead of masked. */
  reveal: boolean;
}

/** A confirm dialog's content, ready to be confirmed: `request` is what `y` sends. */
export interface Prepared<R> {
  request: R;
  lines: string[];
  warnings: string[];
}

/** What the follow loop may use: lists that also refresh the screen, and the write's context. */
export interface FollowContext<D> {
  reads: SwarmReads;
  listServices(): Promise<SwarmService[]>;
  listNodes(): Promise<SwarmNode[]>;
  /** The fresh inspect the write was sent with. */
  before: D;
  /** When the write was sent (ms since the epoch). */
  sentAt: number;
}

/**
 * One operation kind. `T` is what it acts on, `R` the request `y` sends (its `kind` is the kind's
 * name; it holds what the user saw, so a change underneath can be told), `I` the intent a confirm
 * dialog opens with before the engine is asked (never for kinds without a confirm dialog, such as
 * scale, whose prompt builds the request itself).
 */
export interface OperationKind<
  T extends OpTarget,
  R extends { kind: string } & TargetRef<T>,
  I extends { kind: string } & TargetRef<T> = never,
> {
  readonly kind: R['kind'];
  readonly target: T;
  /** The operations panel's title and the audit record's words: "scale web 4 → 6". */
  title(request: R): string;
  /** The confirm dialog: how it opens (pure, from the screen) and how it is filled (fresh). */
  readonly confirm?: {
    /** "Drain worker-1?" */
    title(intent: I): string;
    /**
     * The intent for the key pressed on `subject`, or the one sentence saying why not (nothing is
     * sent). Absent for kinds whose intent comes from a prompt (node labels).
     */
    intend?(subject: SubjectOf<T>, shown: Shown): I | string;
    /** Fresh inspect and whatever the dialog states; throws the sentence that refuses. */
    prepare(intent: I, context: PrepareContext): Promise<Prepared<R>>;
    /**
     * For the changes that cannot be undone (a removal): the text to type before Enter sends it
     * (`y` would only be a letter of it).
     */
    typeToConfirm?(intent: I): string;
  };
  /**
   * A typed prompt that comes before the confirm dialog (a new image): it opens on the selected
   * object with a prefilled text, and Enter turns the text into the intent or one sentence.
   */
  readonly prompt?: {
    title(subject: SubjectOf<T>): string;
    /** Why the key does nothing on this object, or null. */
    refuse?(subject: SubjectOf<T>): string | null;
    /** "New image: " */
    label: string;
    initial(subject: SubjectOf<T>): string;
    /** Lines shown above the input (secret-looking values masked unless `reveal`). */
    lines(subject: SubjectOf<T>, reveal: boolean): string[];
    /** The intent, or why not; `shown` is the swarm as last polled (the dialog checks it fresh). */
    read(text: string, ref: TargetRef<T>, initial: string, shown: Shown): I | string;
  };
  /** The fresh look, for kinds whose object is not one inspect away (the probe's, not made yet). */
  inspect?(writes: SwarmWrites, reads: SwarmReads, request: R): Promise<DetailOf<T>>;
  /** Why the freshly inspected object no longer is what the dialog showed, or null if it still is. */
  changedFromSeen(request: R, fresh: DetailOf<T>): string | null;
  /** The audit record's before and after. */
  beforeAfter(request: R): { before: unknown; after: unknown };
  /** The write, made from the fresh inspect (its version is sent with it). */
  write(writes: SwarmWrites, fresh: DetailOf<T>, request: R): Promise<void>;
  /** Which time limit the follow loop keeps to. */
  readonly followLimit: FollowLimit;
  /** One reading of convergence; called until it ends or the limit passes. */
  step(request: R, context: FollowContext<DetailOf<T>>): Promise<Step>;
}
