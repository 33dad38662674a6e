// Tasks the engine rejected because they could not join a network. The engine's words name the
// failure ("network sandbox join failed: subnet sandbox join failed for "10.0.1.0/24": error
// creating vxlan interface: file exists", "cannot join secure network: encryption keys not
// present") but not the network; the task's attachments do, by subnet or by encryption.
import type { SwarmTask } from '../model.js';

// The engine's (libnetwork's and the swarm executor's) words for a task that cannot join one of
// its networks.
const NETWORK_JOIN_FAILURE =
  /network sandbox join failed|cannot join secure network|could not attach to network|failed to (?:join|attach to) network|error creating vxlan interface/i;

/** The engine's reason says the task could not join a network. */
export function isNetworkJoinFailure(reason: string): boolean {
  return NETWORK_JOIN_FAILURE.test(reason);
}

const SUBNET = /\b\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}\b|\b[0-9a-f:]+:[0-9a-f:]*\/\d{1,3}\b/gi;

/**
 * The networks (names; the first 12 characters of the ID when unnamed) that the tasks failing
 * with `reason` could not join: those whose subnet the reason names, else their encrypted ones for
 * "secure network", else every network they are attached to but the routing mesh's ingress.
 */
export function networksNamedBy(reason: string, tasks: readonly SwarmTask[]): string[] {
  const attached = tasks.flatMap((task) => task.networks);
  const named = (list: typeof attached) => [
    ...new Set(list.map((n) => n.name || n.id.slice(0, 12))),
  ];
  const subnets = new Set(reason.match(SUBNET) ?? []);
  const bySubnet = attached.filter((n) => n.subnets.some((subnet) => subnets.has(subnet)));
  if (bySubnet.length > 0) return named(bySubnet);
  if (/secure network/i.test(reason)) {
    const encrypted = attached.filter((n) => n.encrypted);
    if (encrypted.length > 0) return named(encrypted);
  }
  return named(attached.filter((n) => n.name !== 'ingress'));
}

/** "could not join network front", "… networks a, b", or "… a network" when none is known. */
export function joinFailureWords(networks: readonly string[]): string {
  if (networks.length === 0) return 'could not join a network';
  return `could not join network${networks.length === 1 ? '' : 's'} ${networks.join(', ')}`;
}
