import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../../source/docker/parse.js';
import type { SwarmEvent } from '../../source/model.js';
import {
  EVENT_LOG_LIMIT,
  appendEvent,
  describeEvent,
  type EventRow,
} from '../../source/views/event-log.js';

// Raw /events lines recorded from the lab swarm (engine 20.10): our own service scaled, updated,
// rolled back and removed; a secret, a config and an overlay network created and removed; node
// availability changes made by other tests; and the lab's start (node state and role changes).
const read = (dir: string, name: string): SwarmEvent[] =>
  readFileSync(new URL(`../fixtures/${dir}/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const event = parseEventLine(line);
      if (event === null) throw new Error(`unparsable fixture line: ${line}`);
      return event;
    });

const rows = (events: SwarmEvent[]): EventRow[] => events.map((e, i) => describeEvent(e, i));
const said = (list: EventRow[]) => list.map((r) => [r.type, r.action, r.name, r.change, r.level]);

function event(overrides: Partial<SwarmEvent>): SwarmEvent {
  return {
    type: 'service',
    action: 'update',
    id: 'abcdefghijklmnopqrstuvwxy',
    name: 'web',
    attributes: {},
    timeNano: 1_795_588_636_815_504_900n,
    ...overrides,
  };
}

describe('describeEvent on recorded lab events', () => {
  it('tells a service scaled, updated, rolled back and removed', () => {
    const service = rows(read('events', 'service.ndjson'));
    const changes = service.map((r) => `${r.action}: ${r.change}`);
    expect(changes).toContain('create: ');
    expect(changes).toContain('update: replicas 1 → 2');
    expect(changes).toContain('update: image lab/busybox:1 → lab/busybox:2');
    expect(changes).toContain('update: update: updating');
    expect(changes).toContain('update: update: updating → completed');
    // The rollback: image back and the update state in one event, in that order.
    expect(changes).toContain(
      'update: image lab/busybox:2 → lab/busybox:1, update: completed → rollback started',
    );
    expect(changes).toContain('update: update: rollback started → rollback completed');
    expect(changes).toContain('remove: ');
    expect(service.every((r) => r.type === 'service' && r.name.startsWith('t-events-'))).toBe(true);
  });

  it('marks removals and rollbacks as bad, a scale up as normal', () => {
    const service = rows(read('events', 'service.ndjson'));
    expect(service.filter((r) => r.action === 'remove').every((r) => r.level === 'bad')).toBe(true);
    expect(service.find((r) => r.change.includes('rollback started'))?.level).toBe('bad');
    expect(service.find((r) => r.change === 'replicas 1 → 2')?.level).toBe('normal');
    expect(service.find((r) => r.change.endsWith('rollback completed'))?.level).toBe('normal');
  });

  it('tells node availability changes, and says nothing for a label change', () => {
    expect(said(rows(read('events', 'node.ndjson')))).toEqual([
      ['node', 'update', 'worker-1', 'availability active → drain', 'warn'],
      ['node', 'update', 'worker-1', 'availability drain → active', 'normal'],
      ['node', 'update', 'worker-1', 'availability active → pause', 'warn'],
      ['node', 'update', 'worker-1', 'availability pause → active', 'normal'],
      ['node', 'update', 'worker-2', 'availability active → pause', 'warn'],
      ['node', 'update', 'manager-1', '', 'normal'],
      ['node', 'update', 'manager-2', '', 'normal'],
      ['node', 'update', 'manager-3', '', 'normal'],
      ['node', 'update', 'worker-1', '', 'normal'],
      ['node', 'update', 'worker-2', 'availability pause → active', 'normal'],
      ['node', 'update', 'worker-2', '', 'normal'],
      ['node', 'update', 'worker-2', '', 'normal'],
    ]);
  });

  it('tells node state and role changes, naming a node without a hostname by its ID', () => {
    const lab = rows(read('lab', 'events.ndjson'));
    expect(lab[0]).toMatchObject({
      type: 'node',
      name: 's1ns4hio7hpd',
      change: 'role worker → manager',
    });
    expect(lab.map((r) => r.change)).toContain('state unknown → ready');
    expect(lab.find((r) => r.change === 'state unknown → ready')?.name).toBe('manager-1');
  });

  it('tells secrets, configs and overlay networks created and removed', () => {
    expect(said(rows(read('events', 'objects.ndjson'))).map((r) => r.slice(0, 2))).toEqual([
      ['secret', 'create'],
      ['secret', 'remove'],
      ['config', 'create'],
      ['config', 'remove'],
      ['network', 'create'],
      ['network', 'update'],
      ['network', 'remove'],
    ]);
  });

  it('takes the time from timeNano, in milliseconds', () => {
    const [first] = read('events', 'objects.ndjson');
    expect(describeEvent(first!, 7)).toMatchObject({
      id: '7',
      objectId: 'ma8zgcc9tapx39kezo3ofd7h9',
      at: 1_795_588_649_925,
    });
  });
});

describe('describeEvent on other attributes', () => {
  it('strips the digest from images', () => {
    const row = describeEvent(
      event({
        attributes: {
          'image.old':
            'nginx:1.25@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
          'image.new':
            'nginx:1.27@sha256:aa17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
        },
      }),
      1,
    );
    expect(row.change).toBe('image nginx:1.25 → nginx:1.27');
  });

  it('tells a node going down and a leader change', () => {
    const down = describeEvent(
      event({ type: 'node', attributes: { 'state.old': 'ready', 'state.new': 'down' } }),
      1,
    );
    expect([down.change, down.level]).toEqual(['state ready → down', 'bad']);
    const leader = describeEvent(
      event({
        type: 'node',
        attributes: {
          'leader.old': 'false',
          'leader.new': 'true',
          'reachability.old': 'unreachable',
          'reachability.new': 'reachable',
        },
      }),
      1,
    );
    expect(leader.change).toBe('not leader → leader, reachability unreachable → reachable');
  });

  it('marks a scale down as a warning', () => {
    const row = describeEvent(
      event({ attributes: { 'replicas.old': '4', 'replicas.new': '0' } }),
      1,
    );
    expect([row.change, row.level]).toEqual(['replicas 4 → 0', 'warn']);
  });

  it('tells pairs it does not know in the engine words, after the known ones', () => {
    const row = describeEvent(
      event({
        attributes: { 'zeta.old': 'a', 'zeta.new': 'b', 'replicas.old': '1', 'replicas.new': '2' },
      }),
      1,
    );
    expect(row.change).toBe('replicas 1 → 2, zeta a → b');
  });
});

describe('appendEvent', () => {
  const row = (id: string, at: number): EventRow => ({
    id,
    objectId: 'svc1',
    at,
    type: 'service',
    action: 'update',
    name: 'web',
    change: '',
    level: 'normal',
  });

  it('puts the newest first and leaves the given list alone', () => {
    const first = appendEvent([], row('1', 100));
    const second = appendEvent(first, row('2', 200));
    expect(second.map((r) => r.id)).toEqual(['2', '1']);
    expect(first.map((r) => r.id)).toEqual(['1']);
  });

  it('places an event older than the newest where its time belongs', () => {
    const list = [row('3', 300), row('1', 100)];
    expect(appendEvent(list, row('2', 200)).map((r) => r.id)).toEqual(['3', '2', '1']);
  });

  it(`keeps at most ${EVENT_LOG_LIMIT} rows, dropping the oldest`, () => {
    let list: EventRow[] = [];
    for (let i = 0; i < EVENT_LOG_LIMIT + 10; i++) list = appendEvent(list, row(`${i}`, i));
    expect(list).toHaveLength(EVENT_LOG_LIMIT);
    expect(list[0]!.id).toBe(`${EVENT_LOG_LIMIT + 9}`);
    expect(list.at(-1)!.id).toBe('10');
  });
});

describe('node updates without a change', () => {
  const timeline = (events: SwarmEvent[]): EventRow[] =>
    rows(events).reduce<EventRow[]>((list, row) => appendEvent(list, row), []);

  it('fold into one row between the changes, which all stay', () => {
    const list = timeline(read('events', 'node.ndjson'));
    // Newest first: the recorded heartbeats of 5 nodes become two rows, split by a real change.
    expect(said(list)).toEqual([
      ['node', 'update', 'worker-2', '2 node updates without a change', 'normal'],
      ['node', 'update', 'worker-2', 'availability pause → active', 'normal'],
      ['node', 'update', '4 nodes', '4 node updates without a change', 'normal'],
      ['node', 'update', 'worker-2', 'availability active → pause', 'warn'],
      ['node', 'update', 'worker-1', 'availability pause → active', 'normal'],
      ['node', 'update', 'worker-1', 'availability active → pause', 'warn'],
      ['node', 'update', 'worker-1', 'availability drain → active', 'normal'],
      ['node', 'update', 'worker-1', 'availability active → drain', 'warn'],
    ]);
    expect(list.filter((r) => r.change === '')).toEqual([]);
    expect(list[2]?.quiet?.names).toEqual(['manager-1', 'manager-2', 'manager-3', 'worker-1']);
  });

  it('keep the id of the fold, so a selection stays on it', () => {
    const list = timeline(read('events', 'node.ndjson'));
    const again = appendEvent(
      list,
      describeEvent(
        event({ type: 'node', name: 'worker-3', timeNano: 1_795_588_660_000_000_000n }),
        99,
      ),
    );
    expect(again).toHaveLength(list.length);
    expect(again[0]).toMatchObject({
      id: list[0]!.id,
      name: '2 nodes',
      change: '3 node updates without a change',
    });
  });

  it('do not take in a service update without a change', () => {
    const list = timeline([event({}), event({ timeNano: 1_795_588_637_000_000_000n })]);
    expect(said(list).map((r) => r[3])).toEqual(['', '']);
  });
});
