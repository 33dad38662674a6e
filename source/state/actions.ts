import type {
  LastWords,
  SwarmEvent,
  SwarmNode,
  SwarmObjects,
  SwarmService,
  SwarmTask,
} from '../model.js';
import type { OperationRecord, OpIntent, OpRequest } from '../operations/records.js';
import type { ViewId } from '../views/registry.js';
import type { ProbeLine } from '../probe/line.js';

export type { ViewId } from '../views/registry.js';
export type { ObjectRef, TaskScope } from '../model.js';
/** A pane is a list or text of one view (services shows its tasks below: two panes). */
export type PaneId = ViewId;

export type CopyWhat = 'id' | 'name' | 'spec';

export type Action =
  /** A key press, decided against the state it arrives in (see dispatch-key.ts). */
  | {
      type: 'key';
      name: string;
      pageSize: number;
      at: number;
      /** Entries the log buffer has received, when the logs view is open. */
      logTotal?: number;
      /** Lines the inspect view has, so scrolling stops at its end. */
      inspectLines?: number;
    }
  /** Swarm events from the engine's stream, oldest first, for the events timeline. */
  | { type: 'swarm-events'; events: SwarmEvent[] }
  | { type: 'objects-loaded'; objects: Partial<SwarmObjects> }
  | { type: 'sort-next' }
  | { type: 'sort-reverse' }
  | { type: 'toggle-problems-only' }
  | { type: 'open-inspect' }
  | { type: 'open-explain' }
  | { type: 'copy-start' }
  | { type: 'copy-choose'; what: CopyWhat }
  | { type: 'copy-cancel' }
  /** The app's clock, for what depends on time (recent failures in the problems view). */
  | { type: 'tick'; at: number }
  | { type: 'nodes-loaded'; nodes: SwarmNode[] }
  /**
   * The whole service list. `newer`: services asked for again (patched) while this list was on
   * its way: the store's versions of them are newer than the list's and are kept.
   */
  | { type: 'services-loaded'; services: SwarmService[]; newer?: readonly string[] }
  /** The services named in `ids` as they are now: those missing from `services` are gone. */
  | { type: 'services-patched'; ids: string[]; services: SwarmService[] }
  | { type: 'tasks-loaded'; scopeKey: string; tasks: SwarmTask[] }
  /** Tasks of the services seen in trouble (`key`: their ids, comma-joined). */
  | { type: 'troubled-tasks-loaded'; key: string; tasks: SwarmTask[] }
  /** The last lines of a failed task (live/last-words.ts), or why they cannot be read. */
  | { type: 'last-words-loaded'; taskId: string; words: LastWords }
  | { type: 'show-view'; view: ViewId }
  | { type: 'cycle-pane'; step: 1 | -1 }
  | { type: 'move'; delta: number }
  | { type: 'move-to'; edge: 'top' | 'bottom' }
  | { type: 'drill' }
  | { type: 'back' }
  | { type: 'toggle-history' }
  | { type: 'toggle-help' }
  | { type: 'help-scroll'; delta: number | 'top' }
  | { type: 'filter-start' }
  | { type: 'filter-input'; text: string }
  | { type: 'filter-accept' }
  | { type: 'filter-cancel' }
  | { type: 'command-start' }
  | { type: 'command-input'; text: string }
  | { type: 'command-run' }
  | { type: 'command-cancel' }
  /** A one-line answer in the status line (a refusal, a hint). */
  | { type: 'say'; message: string }
  /** The effects up to `through` were taken from the outbox (use-effects). */
  | { type: 'effects-taken'; through: number }
  | { type: 'open-logs' }
  | { type: 'logs-toggle'; what: 'follow' | 'timestamps' | 'wrap' }
  | { type: 'logs-range' }
  | { type: 'logs-save' }
  | { type: 'open-scale' }
  | { type: 'open-confirm'; kind: OpIntent['kind'] }
  /** X: remove the selected stack (stacks view) or service. */
  | { type: 'open-remove' }
  /** A key whose operation asks for a value first (U: the new image). */
  | { type: 'open-prompt'; kind: OpIntent['kind'] }
  | { type: 'dialog-input'; text: string }
  | { type: 'dialog-submit' }
  | { type: 'dialog-confirm' }
  | { type: 'dialog-cancel' }
  /** j/k, ↑/↓, PgUp/PgDn in a confirm dialog whose lines do not fit (by lines of the dialog). */
  | { type: 'dialog-scroll'; delta: number }
  /** The fresh inspect and impact for an open confirm dialog (ignored if that dialog is gone). */
  | { type: 'dialog-ready'; id: number; request: OpRequest; lines: string[]; warnings: string[] }
  | { type: 'dialog-failed'; id: number; error: string }
  /** The usage view (issue 15): the probe's lines, its nodes' errors, asking, and its operations. */
  | { type: 'usage-lines'; lines: ProbeLine[]; at: number }
  | { type: 'usage-node-errors'; errors: Record<string, string> }
  | { type: 'usage-ask' }
  | { type: 'usage-op'; request: OpRequest }
  | {
      type: 'op-update';
      id: string;
      patch: Partial<
        Pick<OperationRecord, 'status' | 'progress' | 'message' | 'auditError' | 'endedAt'>
      >;
    };

export type KeyOutcome = { kind: 'action'; action: Action } | { kind: 'quit' } | { kind: 'none' };
