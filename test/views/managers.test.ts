// The managers view: its rows, their order, the quorum line in its title, `!`, and where Enter,
// `i`/`c` and the node actions go from it.
import { describe, expect, it } from 'vitest';
import { makeTheme } from '../../source/format/palette.js';
import type { ManagerReachability, SwarmNode } from '../../source/model.js';
import type { Action } from '../../source/state/actions.js';
import { reducer, selectedObject, startState, type State } from '../../source/state/reducer.js';
import { paneRows, taskScope } from '../../source/state/selectors.js';
import { managerColumns, managersView, quorumLine } from '../../source/views/managers.js';
import { problemRows } from '../../source/views/problem-rows.js';
import { viewOfWord } from '../../source/views/registry.js';
import { sortWith } from '../../source/views/sort-keys.js';
import type { ViewData } from '../../source/views/view.js';
import { node } from '../helpers/factories.js';

const manager = (id: string, reachability: ManagerReachability, extra: Partial<SwarmNode> = {}) =>
  node({
    id,
    hostname: id,
    role: 'manager',
    manager: { reachability, address: `10.0.0.${id.slice(-1)}:2377` },
    ...extra,
  });

// The engine's order is not ours: the leader comes last here and the names are out of order.
const swarm = [
  node({ id: 'w1', hostname: 'worker-1' }),
  manager('mgr-c', 'reachable'),
  manager('mgr-a', 'unreachable', { state: 'down' }),
  manager('mgr-b', 'leader', { engineVersion: '26.1.5' }),
];

const data = (nodes: SwarmNode[]) => ({ nodes }) as ViewData;
const shown = (nodes: SwarmNode[]) =>
  sortWith(managersView.rows(data(nodes)), managersView.sorts, 0, false).map((n) => n.hostname);
const title = (nodes: SwarmNode[]) =>
  managersView.title(managersView.rows(data(nodes)), data(nodes));

describe('managers view rows', () => {
  it('lists the managers only, the leader first, then by hostname', () => {
    expect(shown(swarm)).toEqual(['mgr-b', 'mgr-a', 'mgr-c']);
  });

  it('shows reachability (the leader says so), the Raft address and the engine version', () => {
    const cells = (n: SwarmNode) =>
      Object.fromEntries(managerColumns(makeTheme('mono')).map((c) => [c.key, c.cell(n)]));
    expect(cells(swarm[3]!)).toMatchObject({
      mark: ' ',
      hostname: 'mgr-b',
      manager: 'leader',
      raft: '10.0.0.b:2377',
      engine: '26.1.5',
    });
    expect(cells(swarm[2]!)).toMatchObject({ mark: '✗', manager: 'unreachable', status: 'down' });
  });

  it('`!` keeps the unreachable managers', () => {
    const rows = managersView.rows(data(swarm));
    const kept = rows.filter((n) => managersView.trouble!(n, { flagged: new Set() }));
    expect(kept.map((n) => n.hostname)).toEqual(['mgr-a']);
  });
});

describe('the quorum line', () => {
  it('says the quorum and how many can be lost when every manager is reachable', () => {
    const three = [manager('m1', 'leader'), manager('m2', 'reachable'), manager('m3', 'reachable')];
    expect(title(three)).toBe('MANAGERS (3) · quorum 2 of 3, can lose 1');
    const five = [...three, manager('m4', 'reachable'), manager('m5', 'reachable')];
    expect(quorumLine(five)).toBe('quorum 3 of 5, can lose 2');
  });

  it('counts the reachable ones when some are not, floored at none to lose', () => {
    expect(title(swarm)).toBe('MANAGERS (3) · quorum 2 of 3, 2 reachable, can lose 0');
  });

  it('says plainly when quorum is lost', () => {
    const lost = [
      manager('m1', 'reachable'),
      manager('m2', 'unreachable'),
      manager('m3', 'unknown'),
    ];
    expect(title(lost)).toBe('MANAGERS (3) · quorum LOST: 1 of 3 reachable, needs 2');
  });

  it('a single manager is its own quorum and can lose none', () => {
    expect(title([manager('m1', 'leader'), node({ id: 'w1' })])).toBe(
      'MANAGERS (1) · quorum 1 of 1, can lose 0',
    );
  });

  it('has no quorum to speak of without managers', () => {
    expect(title([node({ id: 'w1' })])).toBe('MANAGERS (0)');
    expect(managersView.empty(data([]), false)).toBe('no managers');
  });

  it('is counted over every manager, not the rows a filter leaves', () => {
    expect(managersView.title([], data(swarm))).toBe(
      'MANAGERS (0) · quorum 2 of 3, 2 reachable, can lose 0',
    );
  });

  it('agrees with the problems view, which reads the same verdict', () => {
    const lost = [manager('m1', 'reachable'), manager('m2', 'unreachable')];
    const [row] = problemRows({ nodes: lost, services: [], tasks: [], troubled: [], nowMs: 0 });
    expect(row?.what).toBe('quorum lost');
    expect(quorumLine(lost)).toBe('quorum LOST: 1 of 2 reachable, needs 2');
  });
});

describe('the managers view in the app state', () => {
  const run = (state: State, ...actions: Action[]): State => actions.reduce(reducer, state);
  const key = (name: string): Action => ({ type: 'key', name, pageSize: 10, at: 0 });
  const opened = run(
    startState({ readOnly: false, scaleCeiling: 1000 }),
    { type: 'nodes-loaded', nodes: swarm },
    { type: 'command-start' },
    { type: 'command-input', text: 'managers' },
    { type: 'command-run' },
  );

  it('opens on its words, and has no digit of its own (8, 9, 0 are for networks, secrets, the swarm)', () => {
    expect(run(opened, { type: 'show-view', view: 'services' }, key('8')).view).not.toBe(
      'managers',
    );
    expect(opened.view).toBe('managers');
    expect(['managers', 'manager', 'mgr'].map(viewOfWord)).toEqual([
      'managers',
      'managers',
      'managers',
    ]);
    expect(paneRows(opened, 'managers').map((n) => n.hostname)).toEqual([
      'mgr-b',
      'mgr-a',
      'mgr-c',
    ]);
  });

  it('`!` narrows the list to the unreachable managers', () => {
    expect(paneRows(run(opened, key('!')), 'managers').map((n) => n.hostname)).toEqual(['mgr-a']);
  });

  it('`i`/`c` and the node actions act on the selected manager; Enter lists its tasks', () => {
    expect(selectedObject(opened)).toEqual({ kind: 'node', id: 'mgr-b', name: 'mgr-b' });
    expect(managersView.subject!(swarm[3], data(swarm))).toEqual({ kind: 'node', id: 'mgr-b' });
    const entered = run(opened, key('return'));
    expect(entered.view).toBe('tasks');
    expect(taskScope(entered)).toEqual({ kind: 'node', id: 'mgr-b' });
  });
});
