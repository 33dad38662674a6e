// The swarm's trust, judged once: how long its root CA has left and which nodes still hold a
// certificate from another issuer. The swarm view and the problems view read these verdicts.
import type { SwarmCluster, SwarmNode } from '../model.js';

/** A root CA expiring within this many days is a problem. */
export const CA_WARN_DAYS = 30;

const DAY_MS = 24 * 3600_000;

/** Whole days until the root CA expires (negative: expired); null when its expiry is unknown. */
export function caDaysLeft(swarm: SwarmCluster, nowMs: number): number | null {
  const notAfter = swarm.rootCa?.notAfter;
  if (notAfter === null || notAfter === undefined) return null;
  const at = Date.parse(notAfter);
  return Number.isNaN(at) ? null : Math.floor((at - nowMs) / DAY_MS);
}

/** The root CA expires within CA_WARN_DAYS (or has expired). */
export function isCaExpiring(swarm: SwarmCluster, nowMs: number): boolean {
  const days = caDaysLeft(swarm, nowMs);
  return days !== null && days < CA_WARN_DAYS;
}

/**
 * Nodes whose certificate was issued by another key than the swarm's current issuer: still on an
 * old CA (during a rotation, those not yet renewed). A node that does not say is not counted.
 */
export function nodesOnOldCa(nodes: SwarmNode[], swarm: SwarmCluster | null): SwarmNode[] {
  const current = swarm?.issuerKey ?? null;
  if (current === null) return [];
  return nodes.filter((n) => n.tlsIssuerKey !== null && n.tlsIssuerKey !== current);
}

/** An even number of managers (two or more): one fewer would tolerate as many losses. */
export function isEvenManagerCount(count: number): boolean {
  return count > 0 && count % 2 === 0;
}
