import { describe, expect, it } from 'vitest';
import type { SwarmNode } from '../../source/model.js';
import { quorumNeeded, roleChange, tolerance } from '../../source/operations/quorum-change.js';
import { node } from '../helpers/factories.js';

const manager = (id: string, reachability: 'leader' | 'reachable' | 'unreachable' = 'reachable') =>
  node({ id, hostname: id, role: 'manager', manager: { reachability, address: `${id}:2377` } });
const worker = (id: string) => node({ id, hostname: id });

/** `count` managers (the first the leader) and one worker, w1. */
function swarm(count: number): SwarmNode[] {
  return [
    ...Array.from({ length: count }, (_, i) =>
      manager(`m${i + 1}`, i === 0 ? 'leader' : 'reachable'),
    ),
    worker('w1'),
  ];
}

describe('quorum arithmetic', () => {
  it('quorum ⌊N/2⌋+1, tolerance ⌊(N−1)/2⌋', () => {
    expect([1, 2, 3, 4, 5].map(quorumNeeded)).toEqual([1, 2, 2, 3, 3]);
    expect([1, 2, 3, 4, 5].map(tolerance)).toEqual([0, 0, 1, 1, 2]);
  });

  it('promoting: 1 → 2, 2 → 3, 3 → 4', () => {
    const w1 = worker('w1');
    expect(roleChange(swarm(1), w1, 'manager')).toEqual({
      line: '1 → 2 managers: quorum 2, can lose none — an even count adds no tolerance.',
      refusal: null,
      warnings: [],
    });
    expect(roleChange(swarm(2), w1, 'manager').line).toBe(
      '2 → 3 managers: quorum 2, can now lose 1.',
    );
    expect(roleChange(swarm(3), w1, 'manager').line).toBe(
      '3 → 4 managers: quorum 3, can still lose 1 — an even count adds no tolerance.',
    );
  });

  it('demoting: 4 → 3, and the leader says leadership moves', () => {
    const nodes = swarm(4);
    expect(roleChange(nodes, nodes[3]!, 'worker')).toEqual({
      line: '4 → 3 managers: quorum 2, can still lose 1.',
      refusal: null,
      warnings: [],
    });
    const leader = roleChange(nodes, nodes[0]!, 'worker');
    expect(leader.refusal).toBeNull();
    expect(leader.warnings).toEqual([
      'm1 is the leader: leadership moves to another manager (an election, a few seconds without a leader).',
    ]);
    expect(roleChange(swarm(3), swarm(3)[1]!, 'worker').line).toBe(
      '3 → 2 managers: quorum 2, can lose none, where it can lose 1 now — an even count adds no tolerance.',
    );
  });

  it('refuses to demote the last manager', () => {
    const nodes = swarm(1);
    expect(roleChange(nodes, nodes[0]!, 'worker').refusal).toBe(
      'm1 is the last manager: demoting it would leave the swarm without one.',
    );
  });

  it('refuses a demotion that leaves too few reachable managers for the new quorum', () => {
    const nodes = [
      manager('m1', 'leader'),
      manager('m2'),
      manager('m3', 'unreachable'),
      worker('w1'),
    ];
    expect(roleChange(nodes, nodes[1]!, 'worker').refusal).toBe(
      'Demoting m2 leaves 1 reachable manager of 2, and the quorum needs 2: the swarm would lose its quorum.',
    );
    // Demoting the unreachable one is the way out: 2 of 2 are reachable afterwards.
    const out = roleChange(nodes, nodes[2]!, 'worker');
    expect(out.refusal).toBeNull();
    expect(out.warnings[0]).toMatch(/m3 is unreachable/);
  });

  it('refuses what is already so, and warns about promoting a node that is down', () => {
    const nodes = swarm(3);
    expect(roleChange(nodes, nodes[0]!, 'manager').refusal).toBe('m1 is already a manager.');
    expect(roleChange(nodes, nodes[3]!, 'worker').refusal).toBe('w1 is already a worker.');
    const down = node({ id: 'w2', hostname: 'w2', state: 'down' });
    expect(roleChange([...nodes, down], down, 'manager').warnings[0]).toMatch(/w2 is down/);
  });
});
