// What promoting or demoting a node does to the Raft quorum, said before anything is sent. With
// N managers the quorum is ⌊N/2⌋+1 and ⌊(N−1)/2⌋ can be lost (quorumOf is the one verdict the
// views use too); a demotion that would leave the swarm without a manager, or without enough
// reachable managers for the new quorum, is refused.
import type { NodeRole, SwarmNode } from '../model.js';
import { isManagerReachable } from '../health.js';
import { quorumOf } from '../views/problem-rows.js';

export interface RoleChange {
  /** "3 → 4 managers: quorum 3, can still lose 1 — an even count adds no tolerance." */
  line: string;
  /** Why it is not done, in one sentence; null when it may be sent. */
  refusal: string | null;
  warnings: string[];
}

/** Managers that can be lost out of `count` before the quorum is. */
export const tolerance = (count: number): number => Math.max(0, Math.floor((count - 1) / 2));
/** Managers that must agree out of `count`. */
export const quorumNeeded = (count: number): number => Math.floor(count / 2) + 1;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countLine(from: number, to: number): string {
  const before = tolerance(from);
  const after = tolerance(to);
  // A change that takes the last tolerance away says what it was: that is the impact.
  const lose =
    after === 0
      ? `can lose none${before > 0 ? `, where it can lose ${before} now` : ''}`
      : `can ${after > before ? 'now' : after === before ? 'still' : 'only'} lose ${after}`;
  const even = to > 0 && to % 2 === 0 ? ' — an even count adds no tolerance' : '';
  return `${from} → ${plural(to, 'manager')}: quorum ${quorumNeeded(to)}, ${lose}${even}.`;
}

/** Making `node` a `to` (manager or worker), against the managers in `nodes`. */
export function roleChange(nodes: SwarmNode[], node: SwarmNode, to: NodeRole): RoleChange {
  const { managers, reachable } = quorumOf(nodes);
  const name = node.hostname;
  const isManager = managers.some((m) => m.id === node.id);
  if (to === 'manager') {
    const warnings =
      node.state === 'ready'
        ? []
        : [
            `${name} is ${node.state}: it joins the managers only when it is back, and until then it does not count towards the quorum.`,
          ];
    return {
      line: countLine(managers.length, managers.length + (isManager ? 0 : 1)),
      refusal: isManager ? `${name} is already a manager.` : null,
      warnings,
    };
  }
  const line = countLine(managers.length, managers.length - (isManager ? 1 : 0));
  if (!isManager) return { line, refusal: `${name} is already a worker.`, warnings: [] };
  if (managers.length === 1) {
    return {
      line,
      refusal: `${name} is the last manager: demoting it would leave the swarm without one.`,
      warnings: [],
    };
  }
  const left = reachable.filter((m) => m.id !== node.id).length;
  const needed = quorumNeeded(managers.length - 1);
  if (left < needed) {
    return {
      line,
      refusal: `Demoting ${name} leaves ${plural(left, 'reachable manager')} of ${managers.length - 1}, and the quorum needs ${needed}: the swarm would lose its quorum.`,
      warnings: [],
    };
  }
  const warnings: string[] = [];
  if (node.manager?.reachability === 'leader') {
    warnings.push(
      `${name} is the leader: leadership moves to another manager (an election, a few seconds without a leader).`,
    );
  } else if (!isManagerReachable(node)) {
    warnings.push(`${name} is unreachable: it is removed from the managers when the others agree.`);
  }
  return { line, refusal: null, warnings };
}
