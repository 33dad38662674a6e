import type {
  EngineInfo,
  ManagerReachability,
  NodeAvailability,
  NodeRole,
  PublishedPort,
  RemoteManager,
  ServiceMode,
  SwarmEvent,
  SwarmEventType,
  SwarmNode,
  SwarmService,
  SwarmTask,
} from '../model.js';

// Engine JSON is untrusted shape-wise (API versions differ, fields are omitted when empty), so
// every read goes through these helpers and falls back to a default instead of throwing. Only an
// object without an ID is unusable: the single parsers throw for it and the list parsers skip it.

type Json = Record<string, unknown>;

const EMPTY: Json = Object.freeze({});

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : EMPTY;
}

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = obj(current)[key];
  return current;
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function numOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj(value))) {
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;

/** Engine timestamps, with Go's zero time ("never") as null. */
export function parseTime(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && !ZERO_TIME.test(value) ? value : null;
}

/** Drops the "@sha256:..." pin the engine adds, keeping name and tag. */
export function stripDigest(image: string): string {
  return image.replace(/@[A-Za-z0-9_+.-]+:[0-9a-fA-F]{32,}$/, '');
}

function requireId(json: unknown, what: string): string {
  const id = nonEmpty(obj(json)['ID']);
  if (id === null) throw new TypeError(`${what} without an ID`);
  return id;
}

function listOf<T>(parse: (json: unknown) => T): (json: unknown) => T[] {
  return (json) => {
    const out: T[] = [];
    for (const item of array(json)) {
      try {
        out.push(parse(item));
      } catch {
        // Unusable item (no ID): nothing can select or update it, so it is left out.
      }
    }
    return out;
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

const ROLES: readonly NodeRole[] = ['manager', 'worker'];
const AVAILABILITIES: readonly NodeAvailability[] = ['active', 'pause', 'drain'];
const REACHABILITIES: readonly ManagerReachability[] = ['reachable', 'unreachable', 'unknown'];

export function parseNode(json: unknown): SwarmNode {
  const id = requireId(json, 'node');
  const node = obj(json);
  const managerStatus = node['ManagerStatus'];
  const manager =
    typeof managerStatus === 'object' && managerStatus !== null
      ? {
          reachability:
            at(managerStatus, 'Leader') === true
              ? ('leader' as const)
              : oneOf(at(managerStatus, 'Reachability'), REACHABILITIES, 'unknown'),
          address: str(at(managerStatus, 'Addr')),
        }
      : null;
  return {
    id,
    version: num(at(node, 'Version', 'Index')),
    hostname: str(at(node, 'Description', 'Hostname')),
    role: oneOf(at(node, 'Spec', 'Role'), ROLES, manager === null ? 'worker' : 'manager'),
    availability: oneOf(at(node, 'Spec', 'Availability'), AVAILABILITIES, 'active'),
    state: str(at(node, 'Status', 'State'), 'unknown'),
    statusMessage: str(at(node, 'Status', 'Message')),
    address: str(at(node, 'Status', 'Addr')),
    manager,
    engineVersion: str(at(node, 'Description', 'Engine', 'EngineVersion')),
    nanoCpus: num(at(node, 'Description', 'Resources', 'NanoCPUs')),
    memoryBytes: num(at(node, 'Description', 'Resources', 'MemoryBytes')),
    labels: stringMap(at(node, 'Spec', 'Labels')),
    createdAt: parseTime(node['CreatedAt']),
    updatedAt: parseTime(node['UpdatedAt']),
  };
}

const MODES: ReadonlyArray<[key: string, mode: ServiceMode]> = [
  ['Replicated', 'replicated'],
  ['Global', 'global'],
  ['ReplicatedJob', 'replicated-job'],
  ['GlobalJob', 'global-job'],
];

function parsePorts(value: unknown): PublishedPort[] {
  return array(value).map((port) => ({
    published: num(at(port, 'PublishedPort')),
    target: num(at(port, 'TargetPort')),
    protocol: str(at(port, 'Protocol'), 'tcp'),
    mode: str(at(port, 'PublishMode'), 'ingress'),
  }));
}

export function parseService(json: unknown): SwarmService {
  const id = requireId(json, 'service');
  const service = obj(json);
  const spec = obj(service['Spec']);
  const specMode = obj(spec['Mode']);
  const mode = MODES.find(([key]) => key in specMode)?.[1] ?? 'replicated';
  const labels = stringMap(spec['Labels']);
  const containerSpec = at(spec, 'TaskTemplate', 'ContainerSpec');
  // Endpoint holds what the engine actually published; the spec is the fallback before it has.
  const endpointPorts = at(service, 'Endpoint', 'Ports');
  const ports = parsePorts(
    Array.isArray(endpointPorts) ? endpointPorts : at(spec, 'EndpointSpec', 'Ports'),
  );
  return {
    id,
    version: num(at(service, 'Version', 'Index')),
    name: str(spec['Name']),
    mode,
    image: stripDigest(str(at(containerSpec, 'Image'))),
    specReplicas: mode === 'replicated' ? numOrNull(at(specMode, 'Replicated', 'Replicas')) : null,
    running: num(at(service, 'ServiceStatus', 'RunningTasks')),
    desired: num(at(service, 'ServiceStatus', 'DesiredTasks')),
    updateState: nonEmpty(at(service, 'UpdateStatus', 'State')),
    updateMessage: nonEmpty(at(service, 'UpdateStatus', 'Message')),
    ports,
    stack: labels['com.docker.stack.namespace'] ?? null,
    hasPreviousSpec:
      typeof service['PreviousSpec'] === 'object' && service['PreviousSpec'] !== null,
    tty: at(containerSpec, 'TTY') === true,
    labels,
    createdAt: parseTime(service['CreatedAt']),
    updatedAt: parseTime(service['UpdatedAt']),
  };
}

// States in which the task's container has exited. Before that the engine reports ExitCode 0,
// which is Go's zero value and not an exit.
const EXITED_STATES = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);

export function parseTask(json: unknown): SwarmTask {
  const id = requireId(json, 'task');
  const task = obj(json);
  const status = obj(task['Status']);
  const state = str(status['State']);
  const containerStatus = status['ContainerStatus'];
  const hasContainerStatus = typeof containerStatus === 'object' && containerStatus !== null;
  const slot = numOrNull(task['Slot']);
  return {
    id,
    version: num(at(task, 'Version', 'Index')),
    serviceId: str(task['ServiceID']),
    nodeId: nonEmpty(task['NodeID']),
    // The engine omits Slot (or sends 0) for global tasks.
    slot: slot === 0 ? null : slot,
    desiredState: str(task['DesiredState']),
    state,
    stateSince: parseTime(status['Timestamp']),
    message: str(status['Message']),
    error: nonEmpty(status['Err']),
    exitCode:
      hasContainerStatus && EXITED_STATES.has(state)
        ? numOrNull(at(containerStatus, 'ExitCode'))
        : null,
    containerId: hasContainerStatus ? nonEmpty(at(containerStatus, 'ContainerID')) : null,
    image: stripDigest(str(at(task, 'Spec', 'ContainerSpec', 'Image'))),
    createdAt: parseTime(task['CreatedAt']),
    updatedAt: parseTime(task['UpdatedAt']),
  };
}

export const parseNodes = listOf(parseNode);
export const parseServices = listOf(parseService);
export const parseTasks = listOf(parseTask);

/** GET /info, reduced to the engine's place in a swarm. Never throws. */
export function parseInfo(json: unknown): EngineInfo {
  const info = obj(json);
  const swarm = obj(info['Swarm']);
  const remoteManagers: RemoteManager[] = array(swarm['RemoteManagers']).flatMap((manager) => {
    const address = str(at(manager, 'Addr'));
    return address === '' ? [] : [{ nodeId: str(at(manager, 'NodeID')), address }];
  });
  return {
    hostname: str(info['Name']),
    serverVersion: str(info['ServerVersion']),
    localNodeState: str(swarm['LocalNodeState'], 'inactive') || 'inactive',
    nodeId: nonEmpty(swarm['NodeID']),
    controlAvailable: swarm['ControlAvailable'] === true,
    remoteManagers,
    clusterId: nonEmpty(at(swarm, 'Cluster', 'ID')),
  };
}

const EVENT_TYPES: readonly SwarmEventType[] = ['service', 'node', 'secret', 'config', 'network'];

function parseTimeNano(event: Json): bigint {
  const timeNano = event['timeNano'];
  try {
    if (typeof timeNano === 'bigint') return timeNano;
    if (typeof timeNano === 'string' && /^\d+$/.test(timeNano)) return BigInt(timeNano);
    if (typeof timeNano === 'number' && Number.isFinite(timeNano)) {
      return BigInt(Math.trunc(timeNano));
    }
  } catch {
    // fall through to `time`
  }
  const seconds = event['time'];
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? BigInt(Math.trunc(seconds)) * 1_000_000_000n
    : 0n;
}

/**
 * One /events message. timeNano may be a string or bigint (exact, see parseEventLine) or a number
 * (JSON.parse rounds it). Returns null for messages without an actor ID.
 */
export function parseEvent(json: unknown): SwarmEvent | null {
  const event = obj(json);
  const id = nonEmpty(at(event, 'Actor', 'ID'));
  if (id === null) return null;
  const attributes = stringMap(at(event, 'Actor', 'Attributes'));
  return {
    type: oneOf(event['Type'], EVENT_TYPES, 'other'),
    action: str(event['Action']),
    id,
    name: attributes['name'] ?? null,
    attributes,
    timeNano: parseTimeNano(event),
  };
}

/**
 * One line of the /events stream. timeNano (~1.7e18) is beyond a double's exact range, and an
 * inexact value passed back as `since` could replay or skip an event, so its digits are quoted
 * before JSON.parse. The pattern cannot match inside a JSON string: there the second quote would
 * be escaped.
 */
export function parseEventLine(line: string): SwarmEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(line.replace(/"timeNano":\s*(\d+)/g, '"timeNano":"$1"'));
  } catch {
    return null;
  }
  return parseEvent(json);
}
