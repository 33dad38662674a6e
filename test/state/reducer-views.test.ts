// The problems, events, stacks and inspect views in the reducer and the selectors: what each
// action does to the state, and what the lists then show.
import { describe, expect, it } from 'vitest';
import type { SwarmEvent } from '../../source/model.js';
import type { Action, PaneId } from '../../source/state/actions.js';
import { detailText } from '../../source/state/detail.js';
import {
  reducer,
  selectedObject,
  startState,
  TROUBLED_LIMIT,
  type State,
} from '../../source/state/reducer.js';
import { paneRows, selectedRow, taskScope } from '../../source/state/selectors.js';
import { node, service, task } from '../helpers/factories.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

const run = (state: State, ...actions: Action[]): State => actions.reduce(reducer, state);
const key = (name: string, at = NOW): Action => ({ type: 'key', name, pageSize: 10, at });
const keys = (state: State, ...names: string[]): State => run(state, ...names.map((n) => key(n)));

/** The id of the task group whose words include `words` (ids are the module's business). */
function groupId(state: State, words: string): string {
  const row = paneRows(state, 'problems').find((p) => p.kind === 'tasks' && p.what.includes(words));
  if (row === undefined) throw new Error(`no task group with ${words}`);
  return row.id;
}

function select(state: State, pane: PaneId, id: string): State {
  return { ...state, lists: { ...state.lists, [pane]: { ...state.lists[pane], selectedId: id } } };
}

const nodes = [
  node({
    id: 'm1',
    hostname: 'manager-1',
    role: 'manager',
    manager: { reachability: 'leader', address: '127.0.0.1:2377' },
  }),
  node({
    id: 'm2',
    hostname: 'manager-2',
    role: 'manager',
    manager: { reachability: 'reachable', address: '127.0.0.1:2378' },
  }),
  node({
    id: 'm3',
    hostname: 'manager-3',
    role: 'manager',
    manager: { reachability: 'reachable', address: '127.0.0.1:2379' },
  }),
  node({ id: 'w1', hostname: 'worker-1' }),
  node({ id: 'w2', hostname: 'worker-2', availability: 'drain' }),
];

const services = [
  service({ id: 's-web', name: 'web', running: 2, desired: 2, stack: 'shop' }),
  service({ id: 's-crashy', name: 'crashy', running: 0, desired: 1, stack: 'lab' }),
  service({
    id: 's-api',
    name: 'api',
    stack: 'shop',
    updateState: 'paused',
    updateMessage: 'update paused due to failure or early termination of task x',
  }),
  service({ id: 's-logger', name: 'logger' }),
  service({ id: 's-hung', name: 'hung', running: 0, desired: 1 }),
];

const CRASH = 'task: non-zero exit (3)';
const troubledTasks = [
  task({
    id: 'tc1',
    serviceId: 's-crashy',
    nodeId: 'w1',
    state: 'failed',
    desiredState: 'shutdown',
    error: CRASH,
    exitCode: 3,
    stateSince: ago(10_000),
    createdAt: ago(20_000),
  }),
  task({
    id: 'tc2',
    serviceId: 's-crashy',
    nodeId: 'w1',
    state: 'failed',
    desiredState: 'shutdown',
    error: CRASH,
    exitCode: 3,
    stateSince: ago(60_000),
    createdAt: ago(70_000),
  }),
  task({
    id: 'th1',
    serviceId: 's-hung',
    state: 'pending',
    message: 'pending task scheduling',
    stateSince: ago(120_000),
  }),
  task({ id: 'ta1', serviceId: 's-api', nodeId: 'w1', stateSince: ago(600_000) }),
];

const loaded = run(
  startState({ readOnly: false, scaleCeiling: 1000 }),
  { type: 'nodes-loaded', nodes },
  { type: 'services-loaded', services },
  { type: 'tick', at: NOW },
);
const problems = run(
  loaded,
  { type: 'show-view', view: 'problems' },
  { type: 'troubled-tasks-loaded', key: 's-api,s-crashy,s-hung', tasks: troubledTasks },
);

const event = (over: Partial<SwarmEvent> & { id: string }): SwarmEvent => ({
  type: 'service',
  action: 'update',
  name: null,
  attributes: {},
  timeNano: BigInt(NOW) * 1_000_000n,
  ...over,
});

/** The copy effects the state asks for. */
const copies = (state: State) =>
  state.outbox.flatMap((effect) => (effect.kind === 'copy' ? [effect] : []));

describe('show-view: the new views', () => {
  it('5, 6, 7 open problems, events and stacks, each focused on its one pane', () => {
    for (const view of ['problems', 'events', 'stacks'] as const) {
      const shown = reducer(loaded, { type: 'show-view', view });
      expect(shown.view).toBe(view);
      expect(shown.focus).toBe(view);
      expect(shown.places).toEqual([]);
    }
    expect(keys(loaded, '5').view).toBe('problems');
    expect(keys(loaded, '6').view).toBe('events');
    expect(keys(loaded, '7').view).toBe('stacks');
  });

  it('showing the view already shown returns the same state', () => {
    expect(reducer(problems, { type: 'show-view', view: 'problems' })).toBe(problems);
  });

  it('none of them has a tasks pane to poll (the troubled tasks are polled in any view)', () => {
    expect(taskScope(problems)).toBeNull();
    expect(taskScope(reducer(loaded, { type: 'show-view', view: 'events' }))).toBeNull();
    expect(taskScope(reducer(loaded, { type: 'show-view', view: 'stacks' }))).toBeNull();
  });

  it('an unchanged answer for the troubled tasks returns the same state', () => {
    expect(
      reducer(problems, {
        type: 'troubled-tasks-loaded',
        key: 's-api,s-crashy,s-hung',
        tasks: structuredClone(troubledTasks),
      }),
    ).toBe(problems);
  });
});

describe('the problems pane', () => {
  it('lists services, task groups, rollouts and parked nodes, in that order', () => {
    expect(paneRows(problems, 'problems').map((p) => p.what)).toEqual([
      'crashy: 0/1 running',
      'hung: 0/1 running',
      `2 tasks: ${CRASH}`,
      '1 task pending: pending task scheduling',
      'api: update paused',
      'node worker-2 drained',
    ]);
  });

  it('is made of the troubled tasks, not of what the tasks pane happens to show', () => {
    const paneOnly = run(
      loaded,
      { type: 'show-view', view: 'problems' },
      {
        type: 'tasks-loaded',
        scopeKey: 'troubled:s-api,s-crashy,s-hung',
        tasks: troubledTasks,
      },
    );
    expect(paneRows(paneOnly, 'problems').filter((p) => p.kind === 'tasks')).toEqual([]);
    const tasksLeft = reducer(problems, {
      type: 'tasks-loaded',
      scopeKey: 'service:s-web',
      tasks: [],
    });
    expect(paneRows(tasksLeft, 'problems').filter((p) => p.kind === 'tasks')).toHaveLength(2);
  });

  it('a tick moves the recent window: a failure older than 15 minutes drops out', () => {
    const later = reducer(problems, { type: 'tick', at: NOW + 15 * 60_000 + 30_000 });
    const groups = paneRows(later, 'problems').filter((p) => p.kind === 'tasks');
    expect(groups.map((p) => p.what)).toEqual(['1 task pending: pending task scheduling']);
    expect(reducer(later, { type: 'tick', at: later.clock })).toBe(later);
  });

  it("the status line gives the selected problem's words and where Enter goes", () => {
    const crash = select(problems, 'problems', groupId(problems, CRASH));
    expect(detailText(crash)).toBe(
      // What exit 3 means, and two failures in ten minutes: a restart rate.
      `2 tasks: ${CRASH} — crashy · on worker-1 · the program's own error · 2 restarts in 10 min (Enter: its tasks, filtered)`,
    );
    const drained = select(problems, 'problems', 'node-availability:w2');
    expect(detailText(drained)).toBe(
      'node worker-2 drained — no tasks run here; A activates it (Enter: the nodes list, filtered)',
    );
  });

  it('filters by what and why', () => {
    const filtered = run(problems, { type: 'filter-input', text: 'WORKER-2' });
    expect(paneRows(filtered, 'problems').map((p) => p.id)).toEqual(['node-availability:w2']);
  });
});

describe('Enter on a problem', () => {
  it('a task group: the tasks of its scope, filtered to its words, with history shown', () => {
    const start = {
      ...select(problems, 'problems', groupId(problems, CRASH)),
      lists: {
        ...problems.lists,
        problems: { ...problems.lists.problems, selectedId: groupId(problems, CRASH) },
        tasks: { ...problems.lists.tasks, sort: 2, reverse: true, selectedId: 'old' },
      },
    };
    const jumped = reducer(start, { type: 'drill' });
    expect(jumped).toMatchObject({
      view: 'tasks',
      focus: 'tasks',
      drill: { kind: 'service', id: 's-crashy' },
      places: [{ view: 'problems' }],
      showHistory: true,
    });
    expect(jumped.lists.tasks).toEqual({
      selectedId: null,
      filter: CRASH,
      sort: 0,
      reverse: false,
      problemsOnly: false,
    });
    // Once that service's tasks arrive, the filter keeps exactly the failures.
    const answered = reducer(jumped, {
      type: 'tasks-loaded',
      scopeKey: 'service:s-crashy',
      tasks: troubledTasks.filter((t) => t.serviceId === 's-crashy'),
    });
    expect(paneRows(answered, 'tasks').map((r) => r.id)).toEqual(['tc1', 'tc2']);
  });

  it('leaving the jump (Esc, or another view) puts the tasks filter and history back', () => {
    const jumped = reducer(select(problems, 'problems', groupId(problems, CRASH)), {
      type: 'drill',
    });
    expect(jumped.showHistory).toBe(true);
    const back = run(jumped, { type: 'back' }, { type: 'back' });
    expect(back.view).toBe('problems');
    expect(back.showHistory).toBe(false);
    expect(back.lists.tasks.filter).toBe('');
    const elsewhere = keys(jumped, '2');
    expect(elsewhere).toMatchObject({ view: 'nodes', places: [], showHistory: false });
    expect(elsewhere.lists.tasks.filter).toBe('');
    // `3` there means every task, as :tasks does, not "stay in this drill-down".
    const all = keys(jumped, '3');
    expect(all).toMatchObject({
      view: 'tasks',
      drill: { kind: 'all' },
      places: [],
      showHistory: false,
    });
    expect(all.lists.tasks.filter).toBe('');
    expect(keys(all, '3')).toBe(all);
  });

  it('a group of stuck pending tasks finds its tasks after the jump', () => {
    const start = select(problems, 'problems', groupId(problems, 'pending task scheduling'));
    const jumped = reducer(start, { type: 'drill' });
    expect(jumped.drill).toEqual({ kind: 'service', id: 's-hung' });
    const answered = reducer(jumped, {
      type: 'tasks-loaded',
      scopeKey: 'service:s-hung',
      tasks: troubledTasks.filter((t) => t.serviceId === 's-hung'),
    });
    // The filter must match the task it was made from, or Enter leads to an empty list.
    expect(paneRows(answered, 'tasks').map((r) => r.id)).toEqual(['th1']);
  });

  it('a service: the services list filtered to it, with it selected; Esc clears, Esc returns', () => {
    const start = select(problems, 'problems', 'service:s-crashy');
    const jumped = reducer(start, { type: 'drill' });
    expect(jumped).toMatchObject({
      view: 'services',
      focus: 'services',
      places: [{ view: 'problems' }],
    });
    expect(jumped.lists.services).toMatchObject({ filter: 'crashy', selectedId: 's-crashy' });
    expect(paneRows(jumped, 'services').map((s) => s.id)).toEqual(['s-crashy']);
    const cleared = reducer(jumped, { type: 'back' });
    expect(cleared.view).toBe('services');
    expect(cleared.lists.services.filter).toBe('');
    const back = reducer(cleared, { type: 'back' });
    expect(back).toMatchObject({ view: 'problems', focus: 'problems', places: [] });
    // The problem the operator left from is still selected.
    expect(back.lists.problems.selectedId).toBe('service:s-crashy');
  });

  it('a node: the nodes list filtered to it', () => {
    const jumped = reducer(select(problems, 'problems', 'node-availability:w2'), { type: 'drill' });
    expect(jumped.view).toBe('nodes');
    expect(jumped.lists.nodes).toMatchObject({ filter: 'worker-2', selectedId: 'w2' });
    expect(paneRows(jumped, 'nodes').map((n) => n.id)).toEqual(['w2']);
  });

  it('a jump to the services list leaves any stack narrowing behind', () => {
    const narrowed = { ...select(problems, 'problems', 'service:s-crashy'), stack: 'shop' };
    const jumped = reducer(narrowed, { type: 'drill' });
    expect(jumped.stack).toBeNull();
    expect(paneRows(jumped, 'services').map((s) => s.id)).toEqual(['s-crashy']);
  });

  it('with no problems, Enter does nothing', () => {
    const healthy = run(
      startState({ readOnly: false, scaleCeiling: 1000 }),
      { type: 'services-loaded', services: [service({ id: 's-web' })] },
      { type: 'show-view', view: 'problems' },
    );
    expect(reducer(healthy, { type: 'drill' })).toBe(healthy);
  });
});

describe('the stacks view', () => {
  const stacks = reducer(loaded, { type: 'show-view', view: 'stacks' });

  it('lists stacks with degraded ones first, no stack last', () => {
    expect(paneRows(stacks, 'stacks').map((s) => [s.name, s.services, s.degraded])).toEqual([
      ['lab', 1, 1],
      ['shop', 2, 1],
      ['(no stack)', 2, 1],
    ]);
  });

  it("Enter: the stack's services; Esc: back to the stacks, the narrowing gone", () => {
    const opened = reducer(select(stacks, 'stacks', 'shop'), { type: 'drill' });
    expect(opened).toMatchObject({
      view: 'services',
      focus: 'services',
      stack: 'shop',
      places: [{ view: 'stacks' }],
    });
    expect(paneRows(opened, 'services').map((s) => s.name)).toEqual(['api', 'web']);
    const back = reducer(opened, { type: 'back' });
    expect(back).toMatchObject({ view: 'stacks', stack: null, places: [] });
    expect(paneRows(back, 'services')).toHaveLength(services.length);
  });

  it('the services of no stack are a stack of their own', () => {
    const opened = reducer(select(stacks, 'stacks', ''), { type: 'drill' });
    expect(opened.stack).toBe('');
    expect(paneRows(opened, 'services').map((s) => s.name)).toEqual(['hung', 'logger']);
  });

  it('opening a stack drops an old services filter; 1 shows every service again', () => {
    const filtered = {
      ...select(stacks, 'stacks', 'shop'),
      lists: {
        ...stacks.lists,
        stacks: { ...stacks.lists.stacks, selectedId: 'shop' },
        services: { ...stacks.lists.services, filter: 'crashy' },
      },
    };
    const opened = reducer(filtered, { type: 'drill' });
    expect(opened.lists.services.filter).toBe('');
    const all = keys(opened, '1');
    expect(all.stack).toBeNull();
    expect(paneRows(all, 'services')).toHaveLength(services.length);
  });

  it('the status line sums up the selected stack', () => {
    expect(detailText(select(stacks, 'stacks', 'shop'))).toBe(
      'shop: 2 services, 1 degraded, 3/3 tasks running (Enter: its services)',
    );
    const none = reducer(startState({ readOnly: false, scaleCeiling: 1000 }), {
      type: 'show-view',
      view: 'stacks',
    });
    expect(detailText(none)).toBe('');
  });

  it('! keeps the stacks with a degraded service', () => {
    const healthyStack = reducer(stacks, {
      type: 'services-loaded',
      services: [...services, service({ id: 's-x', name: 'x', stack: 'calm' })],
    });
    const only = reducer(healthyStack, { type: 'toggle-problems-only' });
    expect(paneRows(only, 'stacks').map((s) => s.id)).toEqual(['lab', 'shop', '']);
    expect(paneRows(healthyStack, 'stacks').map((s) => s.id)).toContain('calm');
  });
});

describe('the events view', () => {
  const withEvents = run(
    reducer(loaded, { type: 'show-view', view: 'events' }),
    {
      type: 'swarm-events',
      events: [
        event({
          id: 's-web',
          name: 'web',
          attributes: { 'replicas.old': '1', 'replicas.new': '2' },
        }),
      ],
    },
    {
      type: 'swarm-events',
      events: [
        event({
          id: 'w2',
          type: 'node',
          name: 'worker-2',
          attributes: { 'availability.old': 'active', 'availability.new': 'drain' },
          timeNano: BigInt(NOW + 1000) * 1_000_000n,
        }),
      ],
    },
    {
      type: 'swarm-events',
      events: [
        event({
          id: 'sec1',
          type: 'secret',
          action: 'create',
          name: 'db-pass',
          timeNano: BigInt(NOW + 2000) * 1_000_000n,
        }),
      ],
    },
    {
      type: 'swarm-events',
      events: [
        event({
          id: 's-gone',
          action: 'remove',
          name: 'gone',
          timeNano: BigInt(NOW + 3000) * 1_000_000n,
        }),
      ],
    },
  );

  it('swarm-events numbers each event and keeps the newest first', () => {
    expect(withEvents.eventSeq).toBe(4);
    expect(paneRows(withEvents, 'events').map((e) => [e.id, e.name, e.change])).toEqual([
      ['4', 'gone', ''],
      ['3', 'db-pass', ''],
      ['2', 'worker-2', 'availability active → drain'],
      ['1', 'web', 'replicas 1 → 2'],
    ]);
  });

  it('Enter on a service event: the services list with that service selected', () => {
    const opened = reducer(select(withEvents, 'events', '1'), { type: 'drill' });
    expect(opened).toMatchObject({
      view: 'services',
      focus: 'services',
      places: [{ view: 'events' }],
    });
    expect(opened.lists.services.selectedId).toBe('s-web');
    expect(reducer(opened, { type: 'back' }).view).toBe('events');
  });

  it('Enter on a node event: the nodes list with that node selected, even if ! was on', () => {
    const hidden = {
      ...select(withEvents, 'events', '2'),
      lists: {
        ...withEvents.lists,
        events: { ...withEvents.lists.events, selectedId: '2' },
        nodes: { ...withEvents.lists.nodes, problemsOnly: true, filter: 'zzz' },
      },
    };
    const opened = reducer(hidden, { type: 'drill' });
    expect(opened.view).toBe('nodes');
    expect(opened.lists.nodes).toMatchObject({ selectedId: 'w2', filter: '', problemsOnly: false });
    expect(selectedRow(paneRows(opened, 'nodes'), opened.lists.nodes.selectedId)?.id).toBe('w2');
  });

  it('Enter on a removed service or a secret says why it stays', () => {
    const gone = reducer(select(withEvents, 'events', '4'), { type: 'drill' });
    expect(gone.view).toBe('events');
    expect(gone.message).toBe('gone no longer exists.');
    const secret = reducer(select(withEvents, 'events', '3'), { type: 'drill' });
    expect(secret.view).toBe('events');
    expect(secret.message).toBe('A secret has no list of its own here.');
  });

  it('the status line tells an empty timeline what will appear', () => {
    const empty = reducer(loaded, { type: 'show-view', view: 'events' });
    expect(detailText(empty)).toMatch(/^Swarm events appear here as they happen/);
    expect(detailText(select(withEvents, 'events', '1'))).toContain(
      'service update web: replicas 1 → 2',
    );
  });
});

describe('inspect', () => {
  it('i on a service, a node or a task opens the inspect view; Esc goes back where it was', () => {
    const onService = select(loaded, 'services', 's-crashy');
    expect(selectedObject(onService)).toEqual({ kind: 'service', id: 's-crashy', name: 'crashy' });
    const opened = reducer(onService, { type: 'open-inspect' });
    expect(opened).toMatchObject({
      view: 'inspect',
      focus: 'inspect',
      inspect: {
        target: { kind: 'service', id: 's-crashy', name: 'crashy' },
        scroll: 0,
      },
      places: [{ view: 'services' }],
    });
    // In the inspect view, the object is the one inspected.
    expect(selectedObject(opened)).toEqual({ kind: 'service', id: 's-crashy', name: 'crashy' });
    expect(reducer(opened, { type: 'open-inspect' })).toBe(opened);
    const back = reducer(opened, { type: 'back' });
    expect(back).toMatchObject({ view: 'services', focus: 'services', inspect: null });
    expect(back.lists.services.selectedId).toBe('s-crashy');

    const onNode = select(reducer(loaded, { type: 'show-view', view: 'nodes' }), 'nodes', 'w1');
    expect(selectedObject(onNode)).toEqual({ kind: 'node', id: 'w1', name: 'worker-1' });
    const nodeBack = run(onNode, { type: 'open-inspect' }, { type: 'back' });
    expect(nodeBack.view).toBe('nodes');
  });

  it('a task is named service.slot', () => {
    const tasksView = run(
      problems,
      { type: 'show-view', view: 'tasks' },
      { type: 'tasks-loaded', scopeKey: 'all', tasks: troubledTasks },
      { type: 'toggle-history' },
    );
    const onTask = select(tasksView, 'tasks', 'tc2');
    expect(selectedObject(onTask)).toEqual({ kind: 'task', id: 'tc2', name: 'crashy.1' });
    expect(reducer(onTask, { type: 'open-inspect' }).places.at(-1)?.view).toBe('tasks');
  });

  it('where nothing can be inspected it says so', () => {
    expect(selectedObject(problems)).toBeNull();
    const refused = reducer(problems, { type: 'open-inspect' });
    expect(refused.view).toBe('problems');
    expect(refused.message).toBe('Select a service, node or task to inspect.');
    const empty = startState({ readOnly: false, scaleCeiling: 1000 });
    expect(reducer(empty, { type: 'open-inspect' }).message).toBe(
      'Select a service, node or task to inspect.',
    );
  });

  it('the status line says how to scroll, copy and leave', () => {
    const opened = reducer(select(loaded, 'services', 's-web'), { type: 'open-inspect' });
    expect(detailText(opened)).toBe(
      'j/k PgUp/PgDn g/G scroll · c copy the ID, name or spec · Esc back',
    );
  });

  it('scrolls within its lines and stops at the end', () => {
    const opened = reducer(select(loaded, 'services', 's-web'), { type: 'open-inspect' });
    const moved = run(
      opened,
      { ...key('j'), inspectLines: 3 } as Action,
      { ...key('j'), inspectLines: 3 } as Action,
    );
    expect(moved.inspect?.scroll).toBe(2);
    expect(run(moved, { ...key('j'), inspectLines: 3 } as Action)).toBe(moved);
    expect(run(moved, key('g')).inspect?.scroll).toBe(0);
  });
});

describe('copy', () => {
  const onService = select(loaded, 'services', 's-web');

  it('c waits for what; i, n, s make numbered requests for the selected object', () => {
    const started = reducer(onService, { type: 'copy-start' });
    expect(started.copying).toBe(true);
    expect(detailText(started)).toMatch(
      /^copy to the clipboard: i the ID · n the name · s the spec/,
    );
    const first = reducer(started, { type: 'copy-choose', what: 'id' });
    expect(first.copying).toBe(false);
    expect(copies(first)).toEqual([
      { id: 1, kind: 'copy', what: 'id', target: { kind: 'service', id: 's-web', name: 'web' } },
    ]);
    const second = run(first, { type: 'copy-start' }, { type: 'copy-choose', what: 'spec' });
    expect(copies(second).at(-1)).toMatchObject({ id: 2, what: 'spec' });
    // Taken by the effects hook, they leave the outbox.
    expect(reducer(second, { type: 'effects-taken', through: 2 }).outbox).toEqual([]);
  });

  it('the keys: c then n copies the name; c then anything else cancels', () => {
    const named = keys(onService, 'c', 'n');
    expect(copies(named).at(-1)).toMatchObject({ what: 'name', target: { id: 's-web' } });
    const cancelled = keys(onService, 'c', 'j');
    expect(cancelled.copying).toBe(false);
    expect(copies(cancelled)).toEqual([]);
    expect(cancelled.message).toBe('Nothing copied.');
    // The cancelling key does not also move the selection.
    expect(cancelled.lists.services.selectedId).toBe('s-web');
  });

  it('a task has no spec of its own: says so and copies nothing', () => {
    const tasksView = run(
      loaded,
      { type: 'show-view', view: 'tasks' },
      { type: 'tasks-loaded', scopeKey: 'all', tasks: troubledTasks },
    );
    const onTask = select(tasksView, 'tasks', 'ta1');
    const refused = run(onTask, { type: 'copy-start' }, { type: 'copy-choose', what: 'spec' });
    expect(refused.copying).toBe(false);
    expect(copies(refused)).toEqual([]);
    expect(refused.message).toMatch(/^A task has no spec of its own/);
    expect(
      copies(run(onTask, { type: 'copy-start' }, { type: 'copy-choose', what: 'id' })).at(-1),
    ).toMatchObject({ target: { kind: 'task', id: 'ta1', name: 'api.1' } });
  });

  it('from the inspect view it copies the inspected object', () => {
    const opened = reducer(onService, { type: 'open-inspect' });
    expect(copies(keys(opened, 'c', 'i')).at(-1)?.target).toEqual({
      kind: 'service',
      id: 's-web',
      name: 'web',
    });
  });

  it('with nothing selected it says what to select and does not wait', () => {
    const refused = reducer(problems, { type: 'copy-start' });
    expect(refused.copying).toBe(false);
    expect(refused.message).toBe('Select a service, node or task to copy its ID, name or spec.');
  });
});

describe(':commands', () => {
  const command = (state: State, text: string) =>
    run(state, { type: 'command-start' }, { type: 'command-input', text }, { type: 'command-run' });

  it(':view word… opens the view filtered, the first match selected', () => {
    const shown = command(loaded, 'services cra');
    expect(shown).toMatchObject({ view: 'services', input: null });
    expect(shown.lists.services).toMatchObject({ filter: 'cra', selectedId: 's-crashy' });
    const several = command(loaded, 'nodes manager');
    expect(several.view).toBe('nodes');
    expect(several.lists.nodes).toMatchObject({ filter: 'manager', selectedId: 'm1' });
    const words = command(loaded, ':p update paused');
    expect(words.view).toBe('problems');
    expect(words.lists.problems.filter).toBe('update paused');
  });

  it('a filter that matches nothing is kept, with nothing selected', () => {
    const none = command(loaded, 'services nothing-like-this');
    expect(none.lists.services.filter).toBe('nothing-like-this');
    expect(paneRows(none, 'services')).toEqual([]);
  });

  it(':view alone keeps the list as it was; :tasks alone shows every task, unfiltered', () => {
    const kept = {
      ...loaded,
      lists: { ...loaded.lists, nodes: { ...loaded.lists.nodes, filter: 'w' } },
    };
    expect(command(kept, 'nodes').lists.nodes.filter).toBe('w');
    const drilled = {
      ...loaded,
      view: 'tasks' as const,
      focus: 'tasks' as const,
      drill: { kind: 'service' as const, id: 's-web' },
      places: [
        {
          view: 'services' as const,
          focus: 'services' as const,
          drill: { kind: 'all' as const },
          stack: null,
          jumpedTo: null,
        },
      ],
      lists: { ...loaded.lists, tasks: { ...loaded.lists.tasks, filter: 'old' } },
    };
    const all = command(drilled, 'tasks');
    expect(all).toMatchObject({ view: 'tasks', drill: { kind: 'all' }, places: [] });
    expect(all.lists.tasks.filter).toBe('');
    expect(command(loaded, 'ps crashy').lists.tasks.filter).toBe('crashy');
  });

  it('aliases: :ev, :st, :pr', () => {
    expect(command(loaded, 'ev').view).toBe('events');
    expect(command(loaded, 'st').view).toBe('stacks');
    expect(command(loaded, 'PR').view).toBe('problems');
  });

  it(':theme NAME switches the theme; without a name or with a wrong one it lists them', () => {
    const mono = command(loaded, 'theme mono');
    expect(mono).toMatchObject({ theme: 'mono', message: 'Theme: mono.', input: null });
    expect(command(mono, 'th LIGHT').theme).toBe('light');
    const listed = command(mono, 'theme');
    expect(listed.theme).toBe('mono');
    expect(listed.message).toBe('The themes are dark, light, mono.');
    expect(command(mono, 'theme neon').message).toBe(
      'Unknown theme "neon": the themes are dark, light, mono.',
    );
  });

  it(':inspect inspects the selection; an unknown command names the known ones', () => {
    expect(command(select(loaded, 'services', 's-api'), 'inspect').inspect?.target.id).toBe(
      's-api',
    );
    const unknown = command(loaded, 'frobnicate now');
    expect(unknown.view).toBe('services');
    expect(unknown.message).toMatch(
      /^Unknown command ":frobnicate"\. Try :services, :nodes, :tasks, :ops, :problems, :events, :stacks, :managers, .*:networks, .*:ports, .*:secrets, :configs, :swarm, :explain, :stats, :logs, :inspect or :theme\./,
    );
    expect(command(loaded, '   ')).toMatchObject({ input: null, view: 'services', message: null });
  });
});

describe('sort and problems-only', () => {
  it('> steps the focused list through its keys (starting forward), < reverses it', () => {
    const sorted = reducer(loaded, { type: 'sort-next' });
    expect(sorted.lists.services).toMatchObject({ sort: 1, reverse: false });
    expect(sorted.lists.nodes.sort).toBe(0);
    expect(
      paneRows(sorted, 'services')
        .map((s) => s.name)
        .slice(0, 2),
    ).toEqual(['crashy', 'hung']);
    const reversed = reducer(sorted, { type: 'sort-reverse' });
    expect(reversed.lists.services.reverse).toBe(true);
    expect(paneRows(reversed, 'services').map((s) => s.name)).toEqual(
      [...paneRows(sorted, 'services').map((s) => s.name)].reverse(),
    );
    expect(reducer(reversed, { type: 'sort-next' }).lists.services).toMatchObject({
      sort: 2,
      reverse: false,
    });
    expect(keys(loaded, '>', '>', '<').lists.services).toMatchObject({ sort: 2, reverse: true });
  });

  it('the selection stays on its object when the order changes', () => {
    const onWeb = select(loaded, 'services', 's-web');
    const sorted = reducer(onWeb, { type: 'sort-next' });
    expect(selectedRow(paneRows(sorted, 'services'), sorted.lists.services.selectedId)?.id).toBe(
      's-web',
    );
  });

  it('! keeps a crash loop caught at 1/1: its failing tasks are a problem', () => {
    // crashy is running again for a moment; its failures of the last minutes are still listed.
    const upAgain = run(
      problems,
      {
        type: 'services-loaded',
        services: services.map((s) => (s.id === 's-crashy' ? { ...s, running: 1 } : s)),
      },
      { type: 'show-view', view: 'services' },
      { type: 'toggle-problems-only' },
    );
    expect(paneRows(upAgain, 'services').map((s) => s.name)).toContain('crashy');
    expect(paneRows(upAgain, 'services').map((s) => s.name)).not.toContain('web');
  });

  it('tasks of a service no longer troubled (removed) are not counted', () => {
    const gone = reducer(problems, {
      type: 'services-loaded',
      services: services.filter((s) => s.id !== 's-crashy'),
    });
    expect(paneRows(gone, 'problems').some((p) => p.what.includes(CRASH))).toBe(false);
  });

  it('! keeps degraded services, troubled nodes and trouble tasks', () => {
    const services_ = reducer(loaded, { type: 'toggle-problems-only' });
    expect(paneRows(services_, 'services').map((s) => s.name)).toEqual(['api', 'crashy', 'hung']);
    expect(reducer(services_, { type: 'toggle-problems-only' }).lists.services.problemsOnly).toBe(
      false,
    );

    const unreachable = reducer(loaded, {
      type: 'nodes-loaded',
      nodes: nodes.map((n) =>
        n.id === 'm3' ? { ...n, manager: { reachability: 'unreachable', address: 'x' } } : n,
      ),
    });
    const nodes_ = run(
      unreachable,
      { type: 'show-view', view: 'nodes' },
      { type: 'toggle-problems-only' },
    );
    expect(paneRows(nodes_, 'nodes').map((n) => n.hostname)).toEqual(['manager-3', 'worker-2']);

    const tasks_ = run(
      loaded,
      { type: 'show-view', view: 'tasks' },
      { type: 'tasks-loaded', scopeKey: 'all', tasks: troubledTasks },
      { type: 'toggle-history' },
      { type: 'toggle-problems-only' },
    );
    expect(
      paneRows(tasks_, 'tasks')
        .map((r) => r.id)
        .sort(),
    ).toEqual(['tc1', 'tc2', 'th1']);
  });

  it('sorting a list without sort keys only reverses it', () => {
    const reversed = reducer(problems, { type: 'sort-reverse' });
    expect(paneRows(reversed, 'problems').map((p) => p.id)).toEqual(
      [...paneRows(problems, 'problems').map((p) => p.id)].reverse(),
    );
  });
});

describe('memoised lists', () => {
  it('moving the selection keeps the very same rows (nothing is filtered or sorted again)', () => {
    const cases: [State, PaneId][] = [
      [reducer(loaded, { type: 'sort-next' }), 'services'],
      [run(loaded, { type: 'show-view', view: 'nodes' }, { type: 'sort-next' }), 'nodes'],
      [problems, 'problems'],
      [reducer(loaded, { type: 'show-view', view: 'stacks' }), 'stacks'],
      [
        run(
          loaded,
          { type: 'show-view', view: 'tasks' },
          { type: 'tasks-loaded', scopeKey: 'all', tasks: troubledTasks },
          { type: 'toggle-history' },
          { type: 'sort-next' },
        ),
        'tasks',
      ],
    ];
    for (const [state, pane] of cases) {
      const before = paneRows(state, pane);
      expect(before.length).toBeGreaterThan(1);
      const moved = reducer(state, { type: 'move', delta: 1 });
      expect(moved.lists[pane].selectedId).not.toBe(state.lists[pane].selectedId);
      expect(paneRows(moved, pane)).toBe(before);
    }
  });

  it('a key press that moves keeps the same rows too, in every list view', () => {
    for (const view of ['services', 'nodes', 'problems', 'stacks'] as const) {
      const shown = reducer(problems, { type: 'show-view', view });
      const before = paneRows(shown, view);
      const moved = run(shown, key('j', NOW + 1234));
      expect(moved.lists[view].selectedId).not.toBeNull();
      expect(paneRows(moved, view), view).toBe(before);
    }
  });

  it('a changed filter gives new rows', () => {
    const before = paneRows(loaded, 'services');
    expect(paneRows(reducer(loaded, { type: 'filter-input', text: 'w' }), 'services')).not.toBe(
      before,
    );
  });
});

describe('trackTroubled', () => {
  it('records the degraded services', () => {
    expect([...loaded.troubled].sort()).toEqual(['s-api', 's-crashy', 's-hung']);
  });

  it('keeps a recovered service: a crash loop is 1/1 half the time', () => {
    const recovered = reducer(loaded, {
      type: 'services-loaded',
      services: services.map((s) => (s.id === 's-crashy' ? { ...s, running: 1 } : s)),
    });
    expect([...recovered.troubled].sort()).toEqual(['s-api', 's-crashy', 's-hung']);
    expect(recovered.troubled).toBe(loaded.troubled);
  });

  it('drops a removed service and adds a newly degraded one', () => {
    const next = reducer(loaded, {
      type: 'services-loaded',
      services: services
        .filter((s) => s.id !== 's-hung')
        .map((s) => (s.id === 's-web' ? { ...s, running: 1 } : s)),
    });
    expect([...next.troubled].sort()).toEqual(['s-api', 's-crashy', 's-web']);
  });

  it('an unchanged poll returns the same state, troubled services and all', () => {
    expect(reducer(loaded, { type: 'services-loaded', services: structuredClone(services) })).toBe(
      loaded,
    );
    expect(
      reducer(loaded, {
        type: 'services-patched',
        ids: ['s-crashy', 's-web'],
        services: structuredClone(services.filter((s) => s.id === 's-crashy' || s.id === 's-web')),
      }),
    ).toBe(loaded);
  });

  it('services-patched: a patch that degrades adds, a removal drops, a new service is seen', () => {
    const degraded = reducer(loaded, {
      type: 'services-patched',
      ids: ['s-logger'],
      services: [{ ...services[3]!, running: 0 }],
    });
    expect([...degraded.troubled].sort()).toEqual(['s-api', 's-crashy', 's-hung', 's-logger']);
    const removed = reducer(degraded, {
      type: 'services-patched',
      ids: ['s-crashy'],
      services: [],
    });
    expect([...removed.troubled].sort()).toEqual(['s-api', 's-hung', 's-logger']);
    expect(removed.services.map((s) => s.id)).not.toContain('s-crashy');
    const created = reducer(removed, {
      type: 'services-patched',
      ids: ['s-new'],
      services: [service({ id: 's-new', name: 'new', running: 0, desired: 3 })],
    });
    expect([...created.troubled].sort()).toEqual(['s-api', 's-hung', 's-logger', 's-new']);
  });

  it('keeps at most TROUBLED_LIMIT, dropping the oldest that are healthy again', () => {
    const many = Array.from({ length: TROUBLED_LIMIT + 5 }, (_, i) =>
      service({ id: `s-${String(i).padStart(3, '0')}`, name: `svc${i}`, running: 0, desired: 1 }),
    );
    const all = reducer(loaded, { type: 'services-loaded', services: [...services, ...many] });
    expect(all.troubled).toHaveLength(TROUBLED_LIMIT);
    expect(all.troubled).toContain(`s-${String(TROUBLED_LIMIT + 4).padStart(3, '0')}`);
  });

  it('lets a service go once it is at its count and its fetched tasks show no recent failure', () => {
    const upAgain = reducer(problems, {
      type: 'services-loaded',
      services: services.map((s) =>
        s.id === 's-crashy' || s.id === 's-hung' ? { ...s, running: 1 } : s,
      ),
    });
    expect(upAgain.troubled).toContain('s-crashy');
    // crashy's failures are seconds old: it stays; hung's task is no longer there: it goes
    const fresh = reducer(upAgain, {
      type: 'troubled-tasks-loaded',
      key: 's-api,s-crashy,s-hung',
      tasks: troubledTasks.filter((t) => t.id !== 'th1'),
    });
    expect([...fresh.troubled].sort()).toEqual(['s-api', 's-crashy']);
    // 20 minutes on, crashy's failures are history
    const later = reducer(fresh, { type: 'tick', at: NOW + 20 * 60_000 });
    const quiet = reducer(later, {
      type: 'troubled-tasks-loaded',
      key: 's-api,s-crashy',
      tasks: troubledTasks.filter((t) => t.serviceId === 's-crashy'),
    });
    expect(quiet.troubled).toEqual(['s-api']);
  });
});
