import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';

export type ViewId = 'services' | 'nodes' | 'tasks';
export type PaneId = 'services' | 'nodes' | 'tasks';

/** Which tasks the tasks pane shows: one service's, one node's, or all. */
export type TaskScope =
  { kind: 'service'; id: string } | { kind: 'node'; id: string } | { kind: 'all' };

export type Action =
  /** A key press, decided against the state it arrives in (see dispatch-key.ts). */
  | { type: 'key'; name: string; pageSize: number }
  | { type: 'nodes-loaded'; nodes: SwarmNode[] }
  | { type: 'services-loaded'; services: SwarmService[] }
  | { type: 'tasks-loaded'; scopeKey: string; tasks: SwarmTask[] }
  | { type: 'show-view'; view: ViewId }
  | { type: 'cycle-pane'; step: 1 | -1 }
  | { type: 'move'; delta: number }
  | { type: 'move-to'; edge: 'top' | 'bottom' }
  | { type: 'drill' }
  | { type: 'back' }
  | { type: 'toggle-history' }
  | { type: 'toggle-help' }
  | { type: 'filter-start' }
  | { type: 'filter-input'; text: string }
  | { type: 'filter-accept' }
  | { type: 'filter-cancel' }
  | { type: 'command-start' }
  | { type: 'command-input'; text: string }
  | { type: 'command-run' }
  | { type: 'command-cancel' };
