// Effects as values (dry's tea.Cmd, gemini's UIActions): the reducer appends what must happen
// outside it to the state's outbox, and one hook (hooks/use-effects.ts) takes and carries out
// each exactly once. No request counters, no "already started" sets.
import type { CopyWhat, ObjectRef } from './actions.js';
import type { LogTarget } from './log-view.js';
import type { OperationRecord, OpIntent } from '../operations/records.js';

export type Effect =
  /** Copy the object's ID, name or (read fresh) spec to the clipboard. */
  | { id: number; kind: 'copy'; what: CopyWhat; target: ObjectRef }
  /** Write the logs view's buffer to a file. */
  | { id: number; kind: 'save-logs'; target: LogTarget }
  /** Leave, once the changes in flight are answered (bounded). */
  | { id: number; kind: 'quit' }
  /** Inspect fresh and work out the impact for the confirm dialog just opened. */
  | { id: number; kind: 'prepare'; dialogId: number; intent: OpIntent }
  /** Send a confirmed operation and follow it. */
  | { id: number; kind: 'send'; op: OperationRecord };

/** Distributes over the union, so each kind keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** What holds an outbox (the state; generic so this module needs no State type). */
interface HasOutbox {
  outbox: Effect[];
  effectSeq: number;
}

export function emit<S extends HasOutbox>(state: S, effect: WithoutId<Effect>): S {
  const id = state.effectSeq + 1;
  return { ...state, effectSeq: id, outbox: [...state.outbox, { ...effect, id } as Effect] };
}

/** The effects up to `through` were taken: they leave the outbox. */
export function taken<S extends HasOutbox>(state: S, through: number): S {
  const outbox = state.outbox.filter((effect) => effect.id > through);
  return outbox.length === state.outbox.length ? state : { ...state, outbox };
}
