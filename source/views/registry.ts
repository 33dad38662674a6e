// The only list of views (k9s registrar.go, dry view.go). Panes, `:` words, view keys, Enter hints
// and the lists' first state all derive from it: adding a view is one module and one line here.
import { eventsView } from './events.js';
import { explainView } from './explain.js';
import { inspectView } from './inspect.js';
import { logsView } from './logs.js';
import { managersView } from './managers.js';
import { networksView } from './networks.js';
import { attachmentsView } from './attachments.js';
import { portsView } from './ports.js';
import { nodesView } from './nodes.js';
import { opsView } from './ops.js';
import { problemsView } from './problems.js';
import { configsView, secretsView } from './secrets.js';
import { servicesView } from './services.js';
import { stacksView } from './stacks.js';
import { swarmView } from './swarm.js';
import { tasksView } from './tasks.js';
import { usageView } from './usage.js';
import type { AnyListView, AnyView, TextView } from './view.js';

export const VIEWS = {
  services: servicesView,
  nodes: nodesView,
  tasks: tasksView,
  ops: opsView,
  problems: problemsView,
  events: eventsView,
  stacks: stacksView,
  managers: managersView,
  networks: networksView,
  attachments: attachmentsView,
  ports: portsView,
  secrets: secretsView,
  configs: configsView,
  swarm: swarmView,
  explain: explainView,
  usage: usageView,
  logs: logsView,
  inspect: inspectView,
} satisfies Record<string, AnyView>;

export type ViewId = keyof typeof VIEWS;
export type ListViewId = {
  [K in ViewId]: (typeof VIEWS)[K] extends AnyListView ? K : never;
}[ViewId];

export const VIEW_IDS = Object.keys(VIEWS) as ViewId[];

/** The list view with this id, or undefined for a text view. */
export function listViewOf(id: ViewId): AnyListView | undefined {
  const view: AnyView = VIEWS[id];
  return view.kind === 'list' ? view : undefined;
}

/** The text view drawn by `body` (what `l` and `i` open). */
export function viewWithBody(body: TextView['body']): ViewId {
  const id = VIEW_IDS.find((candidate) => {
    const view: AnyView = VIEWS[candidate];
    return view.kind === 'text' && view.body === body;
  });
  if (id === undefined) throw new Error(`No view draws ${body}.`);
  return id;
}

/** Every list view, in the registry's order (the order of their keys in help). */
export const LIST_VIEWS: readonly AnyListView[] = Object.values(VIEWS).filter(
  (view): view is AnyListView => view.kind === 'list',
);

const BY_WORD = new Map<string, ViewId>(
  VIEW_IDS.flatMap((id) => VIEWS[id].words.map((word) => [word, id] as const)),
);

/** The view a `:` word opens. */
export function viewOfWord(word: string): ViewId | undefined {
  return BY_WORD.get(word);
}

/** The view lists the tasks of the place it was opened on (its key alone means every task). */
export function listsTasksOfPlace(id: ViewId): boolean {
  return listViewOf(id)?.tasksOfPlace === true;
}
