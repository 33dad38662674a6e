import { answerWithin } from '../answer-within.js';
import type { EngineInfo, EngineVersion } from '../model.js';
import { ConnectionError, SmarmError } from './errors.js';
import type { SwarmReads } from './swarm-api.js';

// Workers and non-swarm engines answer every swarm call with 503, and an old engine ignores what
// it does not know (GET /services?status=true then lists services without their task counts).
// At the start a ping beside the first lists tells an active manager of a new enough API
// (startCheck); otherwise GET /info and GET /version say what is wrong and where to go instead of
// failing, or showing wrong numbers, on the first list call.

/** GET /services?status=true (the services' task counts) came with API 1.41, Docker 20.10. */
export const MIN_API_VERSION = '1.41';
const MIN_DOCKER_VERSION = '20.10';

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

/** "1.9" → [1, 9]; null for anything that is not dot-separated numbers. */
function apiVersionParts(version: string): number[] | null {
  if (!/^\d+(\.\d+)*$/.test(version.trim())) return null;
  return version.trim().split('.').map(Number);
}

/**
 * Compares two Engine API versions by their numbers, not as text ("1.9" < "1.41"): negative,
 * zero or positive; null when either is not a version.
 */
export function compareApiVersions(a: string, b: string): number | null {
  const left = apiVersionParts(a);
  const right = apiVersionParts(b);
  if (left === null || right === null) return null;
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * null when the engine speaks API MIN_API_VERSION or newer, or does not say which it speaks;
 * otherwise one sentence saying what it speaks and what is needed.
 */
export function checkApiVersion(
  version: EngineVersion | null,
  endpointLabel: string,
): string | null {
  if (version === null) return null;
  const comparison = compareApiVersions(version.apiVersion, MIN_API_VERSION);
  if (comparison === null || comparison >= 0) return null;
  const docker = version.version === '' ? '' : ` (Docker ${version.version})`;
  return `The Docker engine at ${endpointLabel} speaks API ${version.apiVersion}${docker}; smarm-top needs API ${MIN_API_VERSION} (Docker ${MIN_DOCKER_VERSION}) or newer.`;
}

/**
 * The preflight: asks GET /info and GET /version together and resolves with the info when the
 * engine is an active swarm manager speaking a new enough API; otherwise rejects with a
 * one-sentence SmarmError (exit 1), the version first (a manager of the same age would not do
 * either). The endpoint is named after the answers (with failover, the manager that answered).
 * An engine that answers /info but refuses /version with an HTTP error (e.g. a socket proxy that
 * filters it) is not refused for that.
 */
export async function preflightEngine(
  api: Pick<SwarmReads, 'endpoint' | 'info' | 'version'>,
): Promise<EngineInfo> {
  const version = api.version().catch((err: unknown) => {
    if (err instanceof ConnectionError && err.statusCode !== null) return null;
    throw err;
  });
  const [info, answered] = await Promise.all([api.info(), version]);
  const refusal = checkApiVersion(answered, api.endpoint) ?? checkSwarmManager(info, api.endpoint);
  if (refusal !== null) throw new SmarmError(refusal, 1);
  return info;
}

/** How long the start's check waits for its first lists before it asks the full preflight. */
export const START_LISTS_WAIT_MS = 1000;
/**
 * `--once` waits for its whole snapshot anyway, which takes over a second at 10,000 tasks: the
 * check waits for it as long as its requests may take.
 */
export const ONCE_LISTS_WAIT_MS = 60_000;

/**
 * The check at the start, beside the first lists (`lists`: what the first output shows, asked at
 * the same time). Only an active swarm manager answers those, so when they come and the engine's
 * ping names API MIN_API_VERSION or newer, nothing else is asked. /info and /version take 20–50 ms
 * each on a 20.10 manager, more on a busy one, and the first output waited for them; the ping
 * takes about 1 ms (issue 17). Otherwise — a list failed, or is slow, or the ping names no version
 * or an older one — the full preflight says what is wrong; when it finds nothing, the lists' own
 * error is the caller's to say.
 */
export async function startCheck(
  api: Pick<SwarmReads, 'endpoint' | 'info' | 'version' | 'ping'>,
  lists: Promise<unknown>,
  waitMs = START_LISTS_WAIT_MS,
): Promise<void> {
  const [apiVersion, listed] = await Promise.all([
    api.ping().catch(() => ''),
    answerWithin(
      lists.then(() => true),
      waitMs,
    ),
  ]);
  const comparison = compareApiVersions(apiVersion, MIN_API_VERSION);
  if (listed === true && comparison !== null && comparison >= 0) return;
  await preflightEngine(api);
}
