import type { EngineInfo } from '../model.js';

// Workers and non-swarm engines answer every swarm call with 503. Checking GET /info first lets
// us say what is wrong and where to go instead of failing on the first list call.

function managerAddresses(info: EngineInfo): string[] {
  return [...new Set(info.remoteManagers.map((manager) => manager.address))]
    .filter((address) => address !== '')
    .sort();
}

/** null when the engine is an active swarm manager; otherwise one sentence saying what to do. */
export function checkSwarmManager(info: EngineInfo, endpointLabel: string): string | null {
  const engine = `The Docker engine at ${endpointLabel}`;
  switch (info.localNodeState) {
    case 'active': {
      if (info.controlAvailable) return null;
      const addresses = managerAddresses(info);
      // These carry the swarm port (2377), not the Docker API's: they say which hosts to go to.
      const where =
        addresses.length === 0
          ? 'run it on a manager node'
          : `run it on a manager (swarm addresses ${addresses.join(', ')})`;
      return `${engine} is a swarm worker, and smarm-top needs a manager: ${where} or point --host at a manager's Docker endpoint.`;
    }
    case 'inactive':
    case '':
      return `${engine} is not part of a swarm. Run \`docker swarm init\` to create one, or point smarm-top at a manager with --host.`;
    case 'pending':
      return `${engine} is still joining a swarm (state "pending"); wait until \`docker info\` there shows it active, or point smarm-top at a manager with --host.`;
    case 'locked':
      return `The swarm on ${endpointLabel} is locked; run \`docker swarm unlock\` there with the unlock key, then start smarm-top again.`;
    case 'error':
      return `${engine} reports a swarm error (state "error"); check \`docker info\` on that host, or point smarm-top at a healthy manager with --host.`;
    default:
      return `${engine} is in swarm state "${info.localNodeState}", not an active manager; point smarm-top at a manager with --host.`;
  }
}
