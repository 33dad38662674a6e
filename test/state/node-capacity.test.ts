import { describe, expect, it } from 'vitest';
import { MASK } from '../../source/format/mask.js';
import { nodeDetailLines } from '../../source/state/node-capacity.js';
import { node, task } from '../helpers/factories.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const worker = node({
  id: 'n1',
  hostname: 'worker-1',
  nanoCpus: 4e9,
  memoryBytes: 7.8 * GiB,
  labels: { zone: 'b', ssd: 'true' },
});
const names = new Map([
  ['s-web', 'web'],
  ['s-agent', 'agent'],
]);

describe('nodeDetailLines', () => {
  it('sets reservations of the tasks meant to run against capacity, then labels and tasks', () => {
    const tasks = [
      task({
        id: 't1',
        serviceId: 's-web',
        nodeId: 'n1',
        slot: 1,
        reservedNanoCpus: 25e7,
        reservedMemoryBytes: 256 * MiB,
      }),
      task({
        id: 't2',
        serviceId: 's-web',
        nodeId: 'n1',
        slot: 10,
        reservedNanoCpus: 25e7,
        reservedMemoryBytes: 256 * MiB,
      }),
      task({
        id: 't3',
        serviceId: 's-web',
        nodeId: 'n1',
        slot: 2,
        reservedNanoCpus: 25e7,
        state: 'preparing',
      }),
      task({ id: 't4', serviceId: 's-agent', nodeId: 'n1', slot: null }),
      // Shut-down history and other nodes' tasks reserve nothing here.
      task({
        id: 't5',
        serviceId: 's-web',
        nodeId: 'n1',
        slot: 3,
        desiredState: 'shutdown',
        state: 'failed',
        reservedNanoCpus: 2e9,
      }),
      task({ id: 't6', serviceId: 's-web', nodeId: 'n2', slot: 4, reservedNanoCpus: 2e9 }),
    ];
    expect(nodeDetailLines(worker, tasks, names)).toEqual([
      'worker-1 · worker · active · ready',
      'CPU 4 · reserved 0.75 (19 %) by 3 running tasks',
      'memory 7.8 GiB · reserved 512 MiB (6 %) by 2 running tasks',
      'labels: ssd=true, zone=b',
      'tasks: 4 meant to run here',
      '  agent.worker-1  running',
      '  web.1           running    reserves 0.25 CPU + 256 MiB',
      '  web.2           preparing  reserves 0.25 CPU',
      '  web.10          running    reserves 0.25 CPU + 256 MiB',
    ]);
  });

  it('says when nothing is reserved or nothing runs, and names managers by their standing', () => {
    const leader = node({
      id: 'm1',
      hostname: 'manager-1',
      role: 'manager',
      manager: { reachability: 'leader', address: '127.0.0.1:2377' },
      availability: 'drain',
      nanoCpus: 2e9,
      memoryBytes: 8 * GiB,
    });
    expect(nodeDetailLines(leader, [], names)).toEqual([
      'manager-1 · manager (leader) · drain · ready',
      'CPU 2 · nothing reserved',
      'memory 8 GiB · nothing reserved',
      'labels: none',
      'tasks: none meant to run here',
    ]);
  });

  it('does not divide by an unknown capacity', () => {
    const bare = node({ id: 'n3', nanoCpus: 0, memoryBytes: 0 });
    const lines = nodeDetailLines(
      bare,
      [
        task({
          id: 't',
          serviceId: 'x',
          nodeId: 'n3',
          reservedNanoCpus: 1e9,
          reservedMemoryBytes: GiB,
        }),
      ],
      names,
    );
    expect(lines[1]).toBe('CPU unknown · reserved 1 by 1 running task');
    expect(lines[2]).toBe('memory unknown · reserved 1 GiB by 1 running task');
    // A service it has no name for is shown by its id.
    expect(lines.at(-1)).toBe('  x.1  running  reserves 1 CPU + 1 GiB');
  });

  it('masks secret-looking label values unless told, and sanitizes every name', () => {
    const odd = node({
      id: 'n4',
      hostname: 'evil\x1b]0;pwned\x07-host',
      labels: { 'vault.token': 'abc', zone: 'a\x1b[2Jb' },
    });
    const tasks = [task({ id: 't', serviceId: 's-x', nodeId: 'n4', slot: 1 })];
    const lines = nodeDetailLines(odd, tasks, new Map([['s-x', 'x\x9b31m']]));
    expect(lines[0]).toBe('evil-host · worker · active · ready');
    expect(lines[3]).toBe(`labels: vault.token=${MASK}, zone=ab`);
    expect(lines.at(-1)).toBe('  x.1  running');
    expect(nodeDetailLines(odd, [], names, { revealSecrets: true })[3]).toBe(
      'labels: vault.token=abc, zone=ab',
    );
  });
});
