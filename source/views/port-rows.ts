// The published ports of the swarm, one row per port of a service, and what is wrong with them.
// Pure: the ports view draws these rows; the problems view turns their verdicts into problems.
import { compareText } from '../format/compare.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';
import { nodeMatches } from '../operations/constraints.js';

export interface PortRow {
  /** Service, port, protocol and mode: one service may publish a port twice (tcp and udp). */
  id: string;
  /** 0: host mode with no published port asked for (the engine picks one per task). */
  published: number;
  protocol: string;
  target: number;
  /** ingress (every node answers, the routing mesh) or host (only nodes running a task). */
  mode: string;
  serviceId: string;
  serviceName: string;
  /** Host mode: the nodes running a task of the service; null for ingress, or before placements came. */
  nodes: string[] | null;
  /** Host mode: the other services that publish the same port and protocol in host mode. */
  conflicts: string[];
  /** Host mode, replicated: more replicas than nodes able to take one (one task per node per port). */
  overreach: { replicas: number; eligible: number } | null;
}

/** "8080/tcp": how the ports view's search and the problems' jumps name a port. */
export function portName(published: number, protocol: string): string {
  return `${published === 0 ? '*' : published}/${protocol}`;
}

/** Nodes a service's task can be placed on: ready, active, not ruled out by its constraints. */
export function eligibleNodes(service: SwarmService, nodes: readonly SwarmNode[]): SwarmNode[] {
  return nodes.filter(
    (n) =>
      n.state === 'ready' && n.availability === 'active' && nodeMatches(service.constraints, n),
  );
}

const isReplicated = (s: SwarmService) => s.mode === 'replicated' || s.mode === 'replicated-job';

/**
 * Every published port, by port number. `placements` (every task meant to run) names the nodes
 * that answer on a host-mode port; null until fetched.
 */
export function portRows(
  services: readonly SwarmService[],
  nodes: readonly SwarmNode[],
  placements: readonly SwarmTask[] | null,
): PortRow[] {
  const hostnames = new Map(nodes.map((n) => [n.id, n.hostname]));
  // Who publishes each port in host mode: two services there meet on every node both can use.
  const hostClaims = new Map<string, string[]>();
  for (const service of services) {
    for (const port of service.ports) {
      if (port.mode !== 'host' || port.published === 0) continue;
      const key = portName(port.published, port.protocol);
      const names = hostClaims.get(key) ?? [];
      if (!names.includes(service.name)) names.push(service.name);
      hostClaims.set(key, names);
    }
  }
  const rows: PortRow[] = [];
  for (const service of services) {
    let eligible: number | null = null;
    for (const port of service.ports) {
      const host = port.mode === 'host';
      const running =
        !host || placements === null
          ? null
          : [
              ...new Set(
                placements
                  .filter(
                    (t) => t.serviceId === service.id && t.nodeId !== null && t.state === 'running',
                  )
                  .map((t) => hostnames.get(t.nodeId!) ?? t.nodeId!.slice(0, 12)),
              ),
            ].sort(compareText);
      const replicas = service.specReplicas ?? service.desired;
      if (host && isReplicated(service) && eligible === null) {
        eligible = eligibleNodes(service, nodes).length;
      }
      rows.push({
        id: `${service.id}:${port.published}/${port.protocol}:${port.mode}:${port.target}`,
        published: port.published,
        protocol: port.protocol,
        target: port.target,
        mode: port.mode,
        serviceId: service.id,
        serviceName: service.name,
        nodes: running,
        conflicts: host
          ? (hostClaims.get(portName(port.published, port.protocol)) ?? []).filter(
              (name) => name !== service.name,
            )
          : [],
        overreach: host && eligible !== null && replicas > eligible ? { replicas, eligible } : null,
      });
    }
  }
  return rows.sort(
    (a, b) =>
      a.published - b.published ||
      compareText(a.protocol, b.protocol) ||
      compareText(a.serviceName, b.serviceName),
  );
}

export function isPortTrouble(row: PortRow): boolean {
  return row.conflicts.length > 0 || row.overreach !== null;
}

/** What is wrong with a port, in a few words; '' when nothing is. */
export function portTrouble(row: PortRow): string {
  const parts: string[] = [];
  if (row.conflicts.length > 0) {
    parts.push(`also published in host mode by ${row.conflicts.join(', ')}`);
  }
  if (row.overreach !== null) {
    const { replicas, eligible } = row.overreach;
    parts.push(
      `${replicas} replicas but ${eligible} node${eligible === 1 ? '' : 's'} can take one: a host-mode port allows one task per node`,
    );
  }
  return parts.join('; ');
}
