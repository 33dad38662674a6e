import type {
  EngineInfo,
  FileMount,
  ManagerReachability,
  NodeAvailability,
  NodeDetail,
  NodeRole,
  PublishedPort,
  RemoteManager,
  ServiceDetail,
  ServiceMode,
  ServiceSpecView,
  SwarmEvent,
  SwarmEventType,
  SwarmNode,
  SwarmService,
  SwarmTask,
  TaskNetwork,
} from '../model.js';
export { parseTime, stripDigest } from './json.js';
import {
  EMPTY,
  array,
  at,
  listOf,
  nonEmpty,
  num,
  numOrNull,
  obj,
  oneOf,
  parseTime,
  positiveOrNull,
  requireId,
  stripDigest,
  str,
  stringMap,
  strings,
  type Json,
} from './json.js';
import { formatDuration } from '../format/duration.js';

// Engine JSON is untrusted shape-wise (API versions differ, fields are omitted when empty), so
// every read goes through the helpers of json.ts and falls back to a default instead of
// throwing. Only an object without an ID is unusable: the single parsers throw for it and the
// list parsers skip it.

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
    tlsIssuerKey: nonEmpty(at(node, 'Description', 'TLSInfo', 'CertIssuerPublicKey')),
    platform: {
      os: str(at(node, 'Description', 'Platform', 'OS')),
      arch: str(at(node, 'Description', 'Platform', 'Architecture')),
    },
    engineLabels: stringMap(at(node, 'Description', 'Engine', 'Labels')),
    plugins: array(at(node, 'Description', 'Engine', 'Plugins')).map((plugin) => ({
      type: str(at(plugin, 'Type')),
      name: str(at(plugin, 'Name')),
    })),
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

function isJobMode(mode: ServiceMode): boolean {
  return mode === 'replicated-job' || mode === 'global-job';
}

function parsePorts(value: unknown): PublishedPort[] {
  return array(value).map((port) => ({
    published: num(at(port, 'PublishedPort')),
    target: num(at(port, 'TargetPort')),
    protocol: str(at(port, 'Protocol'), 'tcp'),
    mode: str(at(port, 'PublishMode'), 'ingress'),
  }));
}

function fileMounts(value: unknown, kind: 'Secret' | 'Config'): FileMount[] {
  return array(value).map((ref) => ({
    id: str(at(ref, `${kind}ID`)),
    name: str(at(ref, `${kind}Name`)),
    target: str(at(ref, 'File', 'Name')),
    uid: str(at(ref, 'File', 'UID'), '0'),
    gid: str(at(ref, 'File', 'GID'), '0'),
    mode: num(at(ref, 'File', 'Mode'), 0o444),
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
    completed: num(at(service, 'ServiceStatus', 'CompletedTasks')),
    // The engine fills TotalCompletions in; without it a replicated job runs once.
    totalCompletions:
      mode === 'replicated-job' ? num(at(specMode, 'ReplicatedJob', 'TotalCompletions'), 1) : null,
    // The first run's iteration is Index 0, which the engine omits ("JobIteration": {}).
    jobIteration: isJobMode(mode) ? num(at(service, 'JobStatus', 'JobIteration', 'Index')) : null,
    jobLastExecution: isJobMode(mode) ? parseTime(at(service, 'JobStatus', 'LastExecution')) : null,
    updateState: nonEmpty(at(service, 'UpdateStatus', 'State')),
    updateMessage: nonEmpty(at(service, 'UpdateStatus', 'Message')),
    updateStartedAt: parseTime(at(service, 'UpdateStatus', 'StartedAt')),
    ports,
    stack: labels['com.docker.stack.namespace'] ?? null,
    hasPreviousSpec:
      typeof service['PreviousSpec'] === 'object' && service['PreviousSpec'] !== null,
    tty: at(containerSpec, 'TTY') === true,
    labels,
    constraints: strings(at(spec, 'TaskTemplate', 'Placement', 'Constraints')),
    maxReplicasPerNode: positiveOrNull(at(spec, 'TaskTemplate', 'Placement', 'MaxReplicas')),
    platforms: array(at(spec, 'TaskTemplate', 'Placement', 'Platforms')).map((platform) => ({
      os: str(at(platform, 'OS')),
      arch: str(at(platform, 'Architecture')),
    })),
    logDriver: nonEmpty(at(spec, 'TaskTemplate', 'LogDriver', 'Name')),
    // swarmkit's plugin filter: a named volume driver other than "local" must be on the node.
    volumeDrivers: array(at(containerSpec, 'Mounts'))
      .filter((mount) => str(at(mount, 'Type')) === 'volume')
      .map((mount) => str(at(mount, 'VolumeOptions', 'DriverConfig', 'Name')))
      .filter((driver) => driver !== '' && driver !== 'local'),
    endpointMode: at(spec, 'EndpointSpec', 'Mode') === 'dnsrr' ? 'dnsrr' : 'vip',
    virtualIps: array(at(service, 'Endpoint', 'VirtualIPs')).map((vip) => ({
      networkId: str(at(vip, 'NetworkID')),
      addr: str(at(vip, 'Addr')),
    })),
    // Older clients put the networks at Spec.Networks; the engine still honours them there.
    networks: array(at(spec, 'TaskTemplate', 'Networks') ?? spec['Networks'])
      .map((network) => str(at(network, 'Target')))
      .filter((target) => target !== ''),
    secrets: fileMounts(at(containerSpec, 'Secrets'), 'Secret'),
    configs: fileMounts(at(containerSpec, 'Configs'), 'Config'),
    createdAt: parseTime(service['CreatedAt']),
    updatedAt: parseTime(service['UpdatedAt']),
  };
}

// UpdateConfig / RollbackConfig fields in the order the docker CLI shows them; durations in ns.
const ROLLOUT_FIELDS: ReadonlyArray<[key: string, kind: 'number' | 'duration' | 'string']> = [
  ['Parallelism', 'number'],
  ['Delay', 'duration'],
  ['FailureAction', 'string'],
  ['Monitor', 'duration'],
  ['MaxFailureRatio', 'number'],
  ['Order', 'string'],
];

function rolloutConfig(value: unknown): Record<string, string> {
  const config = obj(value);
  const out: Record<string, string> = {};
  for (const [key, kind] of ROLLOUT_FIELDS) {
    const field = config[key];
    if (kind === 'string' && typeof field === 'string' && field !== '') out[key] = field;
    if (kind !== 'string' && typeof field === 'number' && Number.isFinite(field)) {
      out[key] = kind === 'duration' ? formatDuration(field) : String(field);
    }
  }
  return out;
}

export function resources(value: unknown): { nanoCpus: number | null; memoryBytes: number | null } {
  return {
    nanoCpus: positiveOrNull(at(value, 'NanoCPUs')),
    memoryBytes: positiveOrNull(at(value, 'MemoryBytes')),
  };
}

/** A service spec (Spec or PreviousSpec of GET /services/{id}) reduced to what a diff shows. */
export function parseSpecView(spec: unknown): ServiceSpecView {
  const taskTemplate = at(spec, 'TaskTemplate');
  const containerSpec = at(taskTemplate, 'ContainerSpec');
  const replicas = at(spec, 'Mode', 'Replicated', 'Replicas');
  return {
    image: stripDigest(str(at(containerSpec, 'Image'))),
    env: strings(at(containerSpec, 'Env')),
    command: strings(at(containerSpec, 'Command')),
    args: strings(at(containerSpec, 'Args')),
    // Replicated without Replicas is the engine's default of one replica.
    replicas: 'Replicated' in obj(at(spec, 'Mode')) ? num(replicas, 1) : null,
    constraints: strings(at(taskTemplate, 'Placement', 'Constraints')),
    limits: resources(at(taskTemplate, 'Resources', 'Limits')),
    reservations: resources(at(taskTemplate, 'Resources', 'Reservations')),
    labels: stringMap(at(spec, 'Labels')),
    containerLabels: stringMap(at(containerSpec, 'Labels')),
    ports: parsePorts(at(spec, 'EndpointSpec', 'Ports')),
    updateConfig: rolloutConfig(at(spec, 'UpdateConfig')),
    rollbackConfig: rolloutConfig(at(spec, 'RollbackConfig')),
  };
}

// Tokens: the seam's copy of an inspected raw spec, handed back to it by the writes. Deep-frozen
// so that nothing above docker/ can change what will be sent; the writes send a fresh copy.

interface SpecToken {
  readonly kind: 'service' | 'node';
  readonly id: string;
  readonly name: string;
  readonly spec: Json;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function makeToken(kind: SpecToken['kind'], id: string, name: string, spec: unknown): SpecToken {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new TypeError(`${kind} ${id} without a Spec`);
  }
  return deepFreeze({ kind, id, name, spec: structuredClone(spec as Json) });
}

/**
 * The inspected raw spec behind a detail, as a fresh mutable copy, with the object's id and name
 * (the id when it has none).
 * Throws a TypeError for a detail that did not come from parseServiceDetail/parseNodeDetail.
 */
export function specFromToken(
  token: unknown,
  kind: SpecToken['kind'],
): { id: string; name: string; spec: Json } {
  const t = obj(token);
  if (t['kind'] !== kind || typeof t['id'] !== 'string' || obj(t['spec']) === EMPTY) {
    throw new TypeError(`not a ${kind} detail from a fresh inspect`);
  }
  const name = str(t['name']) || t['id'];
  return { id: t['id'], name, spec: structuredClone(t['spec'] as Json) };
}

/** GET /services/{id}: the service, both specs in our shape, and the token for an update. */
export function parseServiceDetail(json: unknown): ServiceDetail {
  const service = parseService(json);
  const raw = obj(json);
  const previous = raw['PreviousSpec'];
  return {
    service,
    version: service.version,
    spec: parseSpecView(raw['Spec']),
    previousSpec:
      typeof previous === 'object' && previous !== null ? parseSpecView(previous) : null,
    specJson: deepFreeze(structuredClone(obj(raw['Spec']))),
    previousSpecJson:
      typeof previous === 'object' && previous !== null && !Array.isArray(previous)
        ? deepFreeze(structuredClone(previous as Json))
        : null,
    forceUpdate: num(at(raw, 'Spec', 'TaskTemplate', 'ForceUpdate')),
    token: makeToken('service', service.id, service.name, raw['Spec']),
  };
}

/** GET /nodes/{id}: the node and the token holding its full spec (role, labels, availability). */
export function parseNodeDetail(json: unknown): NodeDetail {
  const node = parseNode(json);
  return {
    node,
    version: node.version,
    token: makeToken('node', node.id, node.hostname, obj(json)['Spec']),
  };
}

/** NetworksAttachments[]: each holds the whole network object as the manager allocated it. */
function parseTaskNetworks(value: unknown): TaskNetwork[] {
  return array(value).flatMap((attachment) => {
    const network = at(attachment, 'Network');
    const id = nonEmpty(at(network, 'ID'));
    if (id === null) return [];
    const options = obj(at(network, 'DriverState', 'Options'));
    const specOptions = obj(at(network, 'Spec', 'DriverConfiguration', 'Options'));
    return [
      {
        id,
        name: str(at(network, 'Spec', 'Name')),
        subnets: array(at(network, 'IPAMOptions', 'Configs'))
          .map((config) => str(at(config, 'Subnet')))
          .filter((subnet) => subnet !== ''),
        encrypted: 'encrypted' in options || 'encrypted' in specOptions,
        driver: str(at(network, 'DriverState', 'Name')),
      },
    ];
  });
}

// States in which the task's container has exited. Before that the engine reports ExitCode 0,
// which is Go's zero value and not an exit.
const EXITED_STATES = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);

// Drivers the engine reads back itself; any other keeps a readable local cache ("dual logging",
// Engine 20.10+) unless that cache is disabled. `none` keeps nothing.
const READABLE_LOG_DRIVERS = new Set(['json-file', 'local', 'journald']);

/** Why a task spec's LogDriver cannot be read back, or null when it can (or is not set). */
export function unreadableDriver(logDriver: unknown): string | null {
  const name = obj(logDriver)['Name'];
  if (typeof name !== 'string' || name === '') return null;
  if (name === 'none') return 'log driver "none" keeps no logs';
  const cacheDisabled = obj(obj(logDriver)['Options'])['cache-disabled'];
  if (!READABLE_LOG_DRIVERS.has(name) && cacheDisabled === 'true') {
    return `log driver "${name}" with cache-disabled=true`;
  }
  return null;
}

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
    reservedNanoCpus: num(at(task, 'Spec', 'Resources', 'Reservations', 'NanoCPUs')),
    reservedMemoryBytes: num(at(task, 'Spec', 'Resources', 'Reservations', 'MemoryBytes')),
    memoryLimitBytes: num(at(task, 'Spec', 'Resources', 'Limits', 'MemoryBytes')),
    // Present (possibly as {}, Index 0) only on a job's tasks.
    jobIteration:
      typeof task['JobIteration'] === 'object' && task['JobIteration'] !== null
        ? num(at(task, 'JobIteration', 'Index'))
        : null,
    networks: parseTaskNetworks(task['NetworksAttachments']),
    createdAt: parseTime(task['CreatedAt']),
    updatedAt: parseTime(task['UpdatedAt']),
    ...(unreadableDriver(at(task, 'Spec', 'LogDriver')) === null
      ? { readableLogs: { tty: at(task, 'Spec', 'ContainerSpec', 'TTY') === true } }
      : {}),
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
 * (JSON.parse rounds it). Returns null for messages without an actor ID. Only Type, Action,
 * Actor, time and timeNano are read: the legacy status, id and from fields are gone in API 1.52,
 * and older engines may fill them with other values (from is a container's image).
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
