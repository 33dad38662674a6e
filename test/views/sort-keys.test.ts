import { describe, expect, it } from 'vitest';
import type { SwarmNode, SwarmService } from '../../source/model.js';
import type { TaskRow } from '../../source/views/task-rows.js';
import { NODE_SORTS } from '../../source/views/nodes.js';
import { SERVICE_SORTS } from '../../source/views/services.js';
import { sortLabel as sortLabelOf, sortWith, type SortKey } from '../../source/views/sort-keys.js';
import { TASK_SORTS } from '../../source/views/tasks.js';
import { listViewOf, type ViewId } from '../../source/views/registry.js';

/** The label of a pane's sort, as its list pane titles it. */
const sortLabel = (pane: string, key: number, reverse: boolean) =>
  sortLabelOf(listViewOf(pane as ViewId)?.sorts ?? [], key, reverse);
import { node, service, task } from '../helpers/factories.js';

const keyIndex = <Row>(keys: readonly SortKey<Row>[], name: string): number => {
  const index = keys.findIndex((k) => k.name === name);
  if (index < 0) throw new Error(`no sort key ${name}`);
  return index;
};

const names = (rows: SwarmService[]) => rows.map((s) => s.name);
const hosts = (rows: SwarmNode[]) => rows.map((n) => n.hostname);

const services = [
  service({
    id: 's1',
    name: 'web',
    image: 'nginx:1',
    running: 2,
    desired: 4,
    stack: 'shop',
    updatedAt: '2026-11-25T10:00:00Z',
  }),
  service({
    id: 's2',
    name: 'API',
    image: 'lab/busybox:1',
    running: 0,
    desired: 2,
    stack: 'shop',
    updatedAt: '2026-11-25T12:00:00Z',
  }),
  service({
    id: 's3',
    name: 'agent',
    image: 'lab/busybox:1',
    running: 3,
    desired: 3,
    stack: null,
    updatedAt: '2026-11-25T11:00:00Z',
  }),
  service({
    id: 's4',
    name: 'crashy',
    image: 'lab/busybox:2',
    running: 0,
    desired: 2,
    stack: 'lab',
    updatedAt: '2026-11-25T09:00:00Z',
  }),
];

describe('the sort keys', () => {
  it('each list opens in its natural order: services by name, nodes by role, tasks by service', () => {
    expect(SERVICE_SORTS.map((k) => k.name)).toEqual([
      'name',
      'missing',
      'updated',
      'image',
      'stack',
    ]);
    expect(NODE_SORTS.map((k) => k.name)).toEqual(['role', 'hostname', 'availability', 'status']);
    expect(TASK_SORTS.map((k) => k.name)).toEqual(['service', 'state', 'node', 'age']);
  });
});

describe('SERVICE_SORTS', () => {
  it('name: case-insensitive', () => {
    expect(names(sortWith(services, SERVICE_SORTS, 0, false))).toEqual([
      'agent',
      'API',
      'crashy',
      'web',
    ]);
  });

  it('missing: the most tasks missing first, ties by name', () => {
    expect(
      names(sortWith(services, SERVICE_SORTS, keyIndex(SERVICE_SORTS, 'missing'), false)),
    ).toEqual(['API', 'crashy', 'web', 'agent']);
  });

  it('updated: newest first', () => {
    expect(
      names(sortWith(services, SERVICE_SORTS, keyIndex(SERVICE_SORTS, 'updated'), false)),
    ).toEqual(['API', 'agent', 'web', 'crashy']);
  });

  it('image and stack: alphabetical, no stack first', () => {
    const image = keyIndex(SERVICE_SORTS, 'image');
    expect(sortWith(services, SERVICE_SORTS, image, false).map((s) => s.image)).toEqual([
      'lab/busybox:1',
      'lab/busybox:1',
      'lab/busybox:2',
      'nginx:1',
    ]);
    const stack = keyIndex(SERVICE_SORTS, 'stack');
    expect(sortWith(services, SERVICE_SORTS, stack, false).map((s) => s.stack)).toEqual([
      null,
      'lab',
      'shop',
      'shop',
    ]);
  });
});

describe('NODE_SORTS', () => {
  const nodes = [
    node({ id: 'n1', hostname: 'worker-2', availability: 'drain' }),
    node({ id: 'n2', hostname: 'manager-2', role: 'manager', state: 'down' }),
    node({ id: 'n3', hostname: 'worker-1', availability: 'pause' }),
    node({ id: 'n4', hostname: 'manager-1', role: 'manager' }),
  ];

  it('role: managers first, then by hostname', () => {
    expect(hosts(sortWith(nodes, NODE_SORTS, 0, false))).toEqual([
      'manager-1',
      'manager-2',
      'worker-1',
      'worker-2',
    ]);
  });

  it('hostname, availability and status', () => {
    expect(hosts(sortWith(nodes, NODE_SORTS, keyIndex(NODE_SORTS, 'hostname'), false))).toEqual([
      'manager-1',
      'manager-2',
      'worker-1',
      'worker-2',
    ]);
    const byAvailability = sortWith(nodes, NODE_SORTS, keyIndex(NODE_SORTS, 'availability'), false);
    expect(byAvailability.map((n) => n.availability)).toEqual([
      'active',
      'active',
      'drain',
      'pause',
    ]);
    const byStatus = sortWith(nodes, NODE_SORTS, keyIndex(NODE_SORTS, 'status'), false);
    expect(byStatus[0]!.hostname).toBe('manager-2');
  });
});

describe('TASK_SORTS', () => {
  const row = (
    id: string,
    serviceName: string,
    nodeName: string,
    over: Parameters<typeof task>[0],
  ) => ({
    id,
    name: `${serviceName}.${over.slot ?? nodeName}`,
    serviceName,
    nodeName,
    task: task(over),
  });
  const rows: TaskRow[] = [
    row('a', 'web', 'worker-1', {
      id: 'a',
      serviceId: 's',
      slot: 2,
      state: 'running',
      createdAt: '2026-11-25T10:00:00Z',
      stateSince: '2026-11-25T10:00:00Z',
    }),
    row('b', 'web', 'worker-2', {
      id: 'b',
      serviceId: 's',
      slot: 1,
      state: 'failed',
      createdAt: '2026-11-25T09:00:00Z',
      stateSince: '2026-11-25T09:30:00Z',
    }),
    row('c', 'web', 'worker-1', {
      id: 'c',
      serviceId: 's',
      slot: 1,
      state: 'running',
      createdAt: '2026-11-25T11:00:00Z',
      stateSince: '2026-11-25T11:00:00Z',
    }),
    row('d', 'agent', 'worker-2', {
      id: 'd',
      serviceId: 'g',
      slot: null,
      state: 'running',
      createdAt: '2026-11-25T08:00:00Z',
      stateSince: '2026-11-25T08:00:00Z',
    }),
    row('e', 'agent', 'worker-1', {
      id: 'e',
      serviceId: 'g',
      slot: null,
      state: 'running',
      createdAt: '2026-11-25T08:00:00Z',
      stateSince: '2026-11-25T08:00:00Z',
    }),
  ];
  const ids = (out: TaskRow[]) => out.map((r) => r.id);

  it('service: by service, then slot (global tasks by node), the newest task of a slot first', () => {
    expect(ids(sortWith(rows, TASK_SORTS, 0, false))).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('state, node and age', () => {
    expect(ids(sortWith(rows, TASK_SORTS, keyIndex(TASK_SORTS, 'state'), false))[0]).toBe('b');
    const byNode = sortWith(rows, TASK_SORTS, keyIndex(TASK_SORTS, 'node'), false);
    expect(byNode.map((r) => r.nodeName)).toEqual([
      'worker-1',
      'worker-1',
      'worker-1',
      'worker-2',
      'worker-2',
    ]);
    expect(ids(sortWith(rows, TASK_SORTS, keyIndex(TASK_SORTS, 'age'), false)).slice(0, 3)).toEqual(
      ['c', 'a', 'b'],
    );
  });
});

describe('sortWith', () => {
  it('returns a sorted copy and leaves its input alone', () => {
    const input = [...services];
    const out = sortWith(input, SERVICE_SORTS, 0, false);
    expect(out).not.toBe(input);
    expect(input).toEqual(services);
  });

  it('wraps the key around, so any counter works', () => {
    const n = SERVICE_SORTS.length;
    expect(sortWith(services, SERVICE_SORTS, n, false)).toEqual(
      sortWith(services, SERVICE_SORTS, 0, false),
    );
    expect(sortWith(services, SERVICE_SORTS, n + 1, false)).toEqual(
      sortWith(services, SERVICE_SORTS, 1, false),
    );
  });

  it('reverse is the exact reverse of the order', () => {
    for (let key = 0; key < SERVICE_SORTS.length; key++) {
      expect(names(sortWith(services, SERVICE_SORTS, key, true))).toEqual(
        names(sortWith(services, SERVICE_SORTS, key, false)).reverse(),
      );
    }
  });

  // Ties must not depend on the order the engine (or a services-patched merge) happened to list
  // the rows in, or equal rows swap places between two refreshes.
  it('breaks ties in the natural order, whatever order the rows came in', () => {
    const same = [
      service({ id: 'x1', name: 'charlie', image: 'same:1' }),
      service({ id: 'x2', name: 'alpha', image: 'same:1' }),
      service({ id: 'x3', name: 'bravo', image: 'same:1' }),
    ];
    const image = keyIndex(SERVICE_SORTS, 'image');
    const once = names(sortWith(same, SERVICE_SORTS, image, false));
    expect(once).toEqual(['alpha', 'bravo', 'charlie']);
    expect(names(sortWith([...same].reverse(), SERVICE_SORTS, image, false))).toEqual(once);
    const nodes = [
      node({ id: 'a', hostname: 'worker-2' }),
      node({ id: 'b', hostname: 'worker-1' }),
      node({ id: 'c', hostname: 'manager-1', role: 'manager' }),
    ];
    const availability = keyIndex(NODE_SORTS, 'availability');
    expect(hosts(sortWith(nodes, NODE_SORTS, availability, false))).toEqual([
      'manager-1',
      'worker-1',
      'worker-2',
    ]);
  });
});

describe('sortLabel', () => {
  it('says nothing in the natural order', () => {
    expect(sortLabel('services', 0, false)).toBe('');
    expect(sortLabel('services', SERVICE_SORTS.length, false)).toBe('');
  });

  it('names the key and the direction', () => {
    expect(sortLabel('services', 1, false)).toBe('sorted by missing');
    expect(sortLabel('nodes', 3, true)).toBe('sorted by status, reversed');
    expect(sortLabel('tasks', 2, false)).toBe('sorted by node');
    expect(sortLabel('services', 0, true)).toBe('reversed');
  });

  it('a pane without sort keys only says reversed', () => {
    expect(sortLabel('problems', 3, false)).toBe('');
    expect(sortLabel('events', 1, true)).toBe('reversed');
  });
});
