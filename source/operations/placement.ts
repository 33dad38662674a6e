// Where a task can run, explained per node. The engine says only how many nodes each of its
// scheduler's filters turned away ("no suitable node (scheduling constraints not satisfied on 5
// nodes)"); this runs the same filters, in the same order, from the manager's node and task lists,
// and keeps for each node the first rule that excludes it with its numbers, and the rules after it
// that would exclude it too (the engine names only the first: mending it may not be enough).
//
// The facts this follows (moby/swarmkit manager/scheduler/pipeline.go, filter.go, nodeinfo.go):
// - Filters run in this order and a node stops at its first failure: ready (status ready and
//   availability active), resources (CPU and memory reservations against what the node has left,
//   its assigned tasks' reservations taken off), plugins (volume drivers other than local, the
//   networks' drivers, the log driver when the node reports log plugins at all), constraints,
//   platform, host-mode published ports already bound on the node, max replicas per node.
// - A filter whose input the task does not have is off (no reservations: no resource filter).
// - What is on a node: the tasks assigned to it from pending to running. Max replicas counts those
//   of the same service whose desired state is running or complete.
// - The engine's explanation lists each filter with the count of nodes it stopped, most first;
//   the max-replicas filter gives no count.
// Generic resources (Reservations.GenericResources) are not evaluated: nodes report them in a
// shape the API does not give per task; a task that needs them is said to be unexplained there.
//
// Pure.
import { taskName } from '../format/task-name.js';
import { formatBytes, formatCpus } from '../format/bytes.js';
import { compareText } from '../format/compare.js';
import { TASK_LIVE } from '../health.js';
import type { EnginePlugin, SwarmNode, SwarmService, SwarmTask } from '../model.js';
import { evaluateConstraints, parseConstraint } from './constraints.js';

export type PlacementRule =
  'ready' | 'resources' | 'plugins' | 'constraints' | 'platform' | 'host-port' | 'max-replicas';

/** The scheduler's filter order (pipeline.go defaultFilters). */
export const RULE_ORDER: readonly PlacementRule[] = [
  'ready',
  'resources',
  'plugins',
  'constraints',
  'platform',
  'host-port',
  'max-replicas',
];

/** What a task asks of a node. */
export interface PlacementAsk {
  serviceId: string;
  nanoCpus: number;
  memoryBytes: number;
  constraints: string[];
  platforms: Array<{ os: string; arch: string }>;
  hostPorts: Array<{ port: number; protocol: string }>;
  maxReplicasPerNode: number | null;
  /** Drivers that must be plugins on the node. */
  plugins: Array<{ type: 'Volume' | 'Network'; name: string }>;
  logDriver: string | null;
}

/** The ask of a service's next task, or of one of its tasks (its reservations and networks). */
export function askOf(
  service: SwarmService,
  task?: Pick<SwarmTask, 'reservedNanoCpus' | 'reservedMemoryBytes' | 'networks'>,
  reservations?: { nanoCpus: number; memoryBytes: number },
): PlacementAsk {
  const networkDrivers = (task?.networks ?? [])
    .map((network) => network.driver)
    .filter((driver) => driver !== '');
  return {
    serviceId: service.id,
    nanoCpus: task?.reservedNanoCpus ?? reservations?.nanoCpus ?? 0,
    memoryBytes: task?.reservedMemoryBytes ?? reservations?.memoryBytes ?? 0,
    constraints: service.constraints,
    platforms: service.platforms,
    hostPorts: service.ports
      .filter((port) => port.mode === 'host' && port.published !== 0)
      .map((port) => ({ port: port.published, protocol: port.protocol })),
    maxReplicasPerNode: service.maxReplicasPerNode,
    plugins: [
      ...service.volumeDrivers.map((name) => ({ type: 'Volume' as const, name })),
      ...[...new Set(networkDrivers)].map((name) => ({ type: 'Network' as const, name })),
    ],
    logDriver: service.logDriver,
  };
}

/** What the scheduler counts as being on one node. */
export interface NodeLoad {
  nanoCpus: number;
  memoryBytes: number;
  /** "9555/tcp" → the task holding it ("front.1"). */
  hostPorts: Map<string, string>;
  /** Tasks per service meant to run (max replicas per node). */
  byService: Map<string, number>;
}

// What holds a node for the scheduler: its tasks from pending to running (nodeinfo.go).
const ON_NODE = TASK_LIVE;

const portKey = (port: number, protocol: string) => `${port}/${protocol || 'tcp'}`;

function emptyLoad(): NodeLoad {
  return { nanoCpus: 0, memoryBytes: 0, hostPorts: new Map(), byService: new Map() };
}

/** Per node ID, what its assigned tasks reserve and hold (tasks meant to run, as fetched). */
export function nodeLoads(
  tasks: readonly SwarmTask[],
  services: readonly SwarmService[],
): Map<string, NodeLoad> {
  const byId = new Map(services.map((s) => [s.id, s]));
  const loads = new Map<string, NodeLoad>();
  for (const task of tasks) {
    if (task.nodeId === null || !ON_NODE.has(task.state)) continue;
    const load = loads.get(task.nodeId) ?? emptyLoad();
    loads.set(task.nodeId, load);
    load.nanoCpus += task.reservedNanoCpus;
    load.memoryBytes += task.reservedMemoryBytes;
    if (task.desiredState === 'running' || task.desiredState === 'complete') {
      load.byService.set(task.serviceId, (load.byService.get(task.serviceId) ?? 0) + 1);
    }
    const service = byId.get(task.serviceId);
    for (const port of service?.ports ?? []) {
      if (port.mode !== 'host' || port.published === 0) continue;
      const name = taskName(
        service?.name ?? task.serviceId.slice(0, 12),
        task,
        task.nodeId.slice(0, 12),
      );
      load.hostPorts.set(portKey(port.published, port.protocol), name);
    }
  }
  return loads;
}

export interface NodeVerdict {
  node: SwarmNode;
  /** The first rule that turns the node away; null: the task fits here. */
  rule: PlacementRule | null;
  /** Why, with the numbers ("memory: needs 100 GiB reserved, 23.5 GiB free"), or what is free. */
  reason: string;
  /** For the one-line summary: the rule's short words ("lack label zone=mars", "drained"). */
  short: string;
  /** The rules that would still turn the node away after the first one, in the same order. */
  also: Array<{ rule: PlacementRule; reason: string }>;
}

export interface Placement {
  /** One per node: those that fit first, then by the rule that stops them, then by hostname. */
  verdicts: NodeVerdict[];
  fits: number;
  /** Nodes each rule stopped, most first (as the engine lists them). */
  failures: Array<{ rule: PlacementRule; count: number }>;
  /** The engine's own sentence for these counts ("scheduling constraints not satisfied on 5 nodes; …"). */
  engineText: string;
  /** "0 of 6 nodes fit: 5 lack label zone=mars, 1 drained". */
  summary: string;
}

/** filter.go's Explain: the words the engine uses for a rule that stopped `n` nodes. */
export function engineWords(rule: PlacementRule, n: number): string {
  const nodes = n === 1 ? '1 node' : `${n} nodes`;
  switch (rule) {
    case 'ready':
      return `${nodes} not available for new tasks`;
    case 'resources':
      return `insufficient resources on ${nodes}`;
    case 'plugins':
      return `missing plugin on ${nodes}`;
    case 'constraints':
      return `scheduling constraints not satisfied on ${nodes}`;
    case 'platform':
      return `unsupported platform on ${nodes}`;
    case 'host-port':
      return `host-mode port already in use on ${nodes}`;
    case 'max-replicas':
      return 'max replicas per node limit exceed';
  }
}

/** The engine's words back into a rule ("insufficient resources on 2 nodes" → resources, 2). */
export function parseEngineExplanation(
  error: string,
): Array<{ rule: PlacementRule; count: number | null }> {
  const inner = /no suitable node \((.*)\)/.exec(error)?.[1];
  if (inner === undefined) return [];
  const out: Array<{ rule: PlacementRule; count: number | null }> = [];
  for (const part of inner.split('; ')) {
    const rule = RULE_ORDER.find((r) => {
      const words = engineWords(r, 2).replace('2 nodes', '');
      return r === 'max-replicas' ? part === words : part.includes(words.trim());
    });
    if (rule === undefined) continue;
    const count = /(\d+) nodes?/.exec(part)?.[1];
    out.push({ rule, count: count === undefined ? null : Number(count) });
  }
  return out;
}

function platformName(platform: { os: string; arch: string }): string {
  return [platform.os || 'any OS', platform.arch || 'any arch'].join('/');
}

/** x86_64 is amd64 and aarch64 is arm64 (filter.go platformEqual). */
function arch(value: string): string {
  if (value === 'x86_64') return 'amd64';
  if (value === 'aarch64') return 'arm64';
  return value;
}

function pluginOnNode(
  plugins: readonly EnginePlugin[],
  type: string,
  name: string,
): { exists: boolean; typeFound: boolean } {
  let typeFound = false;
  for (const plugin of plugins) {
    if (plugin.type !== type) continue;
    typeFound = true;
    if (plugin.name === name || plugin.name === `${name}:latest`)
      return { exists: true, typeFound };
  }
  return { exists: false, typeFound };
}

interface Check {
  rule: PlacementRule;
  reason: string;
  short: string;
}

function readyCheck(node: SwarmNode): Check | null {
  if (node.state !== 'ready') {
    return {
      rule: 'ready',
      reason: `not available for new tasks: the node is ${node.state}${node.statusMessage ? ` (${node.statusMessage})` : ''}`,
      short: node.state,
    };
  }
  if (node.availability !== 'active') {
    const word = node.availability === 'drain' ? 'drained' : 'paused';
    return {
      rule: 'ready',
      reason: `not available for new tasks: the node is ${word}`,
      short: word,
    };
  }
  return null;
}

function resourceCheck(ask: PlacementAsk, node: SwarmNode, load: NodeLoad): Check | null {
  if (ask.nanoCpus === 0 && ask.memoryBytes === 0) return null;
  const freeCpus = node.nanoCpus - load.nanoCpus;
  const freeMemory = node.memoryBytes - load.memoryBytes;
  if (ask.nanoCpus > freeCpus) {
    return {
      rule: 'resources',
      reason: `CPU: needs ${formatCpus(ask.nanoCpus)} reserved, ${formatCpus(Math.max(0, freeCpus))} free of ${formatCpus(node.nanoCpus)}`,
      short: 'lack CPU',
    };
  }
  if (ask.memoryBytes > freeMemory) {
    return {
      rule: 'resources',
      reason: `memory: needs ${formatBytes(ask.memoryBytes)} reserved, ${formatBytes(Math.max(0, freeMemory))} free of ${formatBytes(node.memoryBytes)}`,
      short: 'lack memory',
    };
  }
  return null;
}

function pluginCheck(ask: PlacementAsk, node: SwarmNode): Check | null {
  // A node that reports no engine plugins at all is let through (filter.go: no Engine description).
  if (node.plugins.length === 0) return null;
  for (const { type, name } of ask.plugins) {
    if (!pluginOnNode(node.plugins, type, name).exists) {
      return {
        rule: 'plugins',
        reason: `no ${type.toLowerCase()} plugin ${name} on the node`,
        short: `lack plugin ${name}`,
      };
    }
  }
  const log = ask.logDriver;
  if (log !== null && log !== 'none') {
    const found = pluginOnNode(node.plugins, 'Log', log);
    if (!found.exists && found.typeFound) {
      return {
        rule: 'plugins',
        reason: `no log driver ${log} on the node`,
        short: `lack log driver ${log}`,
      };
    }
  }
  return null;
}

/** "lack label zone=mars" for a missing label asked with ==, else the expression that fails. */
function constraintShort(text: string, reveal: boolean, reason: string): string {
  const parsed = parseConstraint(text);
  if (typeof parsed !== 'string' && reason.includes(': the node has no ')) {
    const label = /^node\.labels\.(.+)$/i.exec(parsed.key)?.[1];
    if (label !== undefined && parsed.operator === '==') {
      // The reason already carries the value masked (or not) as a label's would be.
      const shown = reason.slice(0, reason.indexOf(':')).split('==').slice(1).join('==');
      return `lack label ${label}=${reveal ? parsed.value : shown}`;
    }
  }
  return `fail ${reason.slice(0, reason.indexOf(':'))}`;
}

function constraintCheck(ask: PlacementAsk, node: SwarmNode, reveal: boolean): Check | null {
  if (ask.constraints.length === 0) return null;
  const verdict = evaluateConstraints(ask.constraints, node, { reveal });
  if (verdict.matches) return null;
  const failed = verdict.results.filter((result) => !result.holds);
  const first = failed[0]!;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  const reason = first.reason ?? first.constraint.text;
  return {
    rule: 'constraints',
    reason: `${reason}${more}`,
    short: constraintShort(first.constraint.text, reveal, reason),
  };
}

function platformCheck(ask: PlacementAsk, node: SwarmNode): Check | null {
  if (ask.platforms.length === 0) return null;
  const nodeArch = arch(node.platform.arch);
  const fits = ask.platforms.some(
    (p) =>
      (p.arch === '' || arch(p.arch) === nodeArch) && (p.os === '' || p.os === node.platform.os),
  );
  if (fits) return null;
  return {
    rule: 'platform',
    reason: `the node is ${platformName(node.platform)}; the image is for ${ask.platforms.map(platformName).join(', ')}`,
    short: 'another platform',
  };
}

function hostPortCheck(ask: PlacementAsk, load: NodeLoad): Check | null {
  for (const { port, protocol } of ask.hostPorts) {
    const key = portKey(port, protocol);
    const holder = load.hostPorts.get(key);
    if (holder !== undefined) {
      return {
        rule: 'host-port',
        reason: `port ${key} (host mode) taken by ${holder}`,
        short: `port ${key} taken`,
      };
    }
  }
  return null;
}

function maxReplicasCheck(ask: PlacementAsk, load: NodeLoad): Check | null {
  const max = ask.maxReplicasPerNode;
  if (max === null || max <= 0) return null;
  const here = load.byService.get(ask.serviceId) ?? 0;
  if (here < max) return null;
  return {
    rule: 'max-replicas',
    reason: `max ${max} per node: ${here} already here`,
    short: `already run ${here} (max ${max} per node)`,
  };
}

type RuleCheck = (
  ask: PlacementAsk,
  node: SwarmNode,
  load: NodeLoad,
  reveal: boolean,
) => Check | null;

/** The rules in the scheduler's order (RULE_ORDER). */
const CHECKS: readonly RuleCheck[] = [
  (_ask, node) => readyCheck(node),
  (ask, node, load) => resourceCheck(ask, node, load),
  (ask, node) => pluginCheck(ask, node),
  (ask, node, _load, reveal) => constraintCheck(ask, node, reveal),
  (ask, node) => platformCheck(ask, node),
  (ask, _node, load) => hostPortCheck(ask, load),
  (ask, _node, load) => maxReplicasCheck(ask, load),
];

/** The first rule that turns the node away, in the scheduler's order. */
export function checkNode(
  ask: PlacementAsk,
  node: SwarmNode,
  load: NodeLoad = emptyLoad(),
  { reveal = false }: { reveal?: boolean } = {},
): Check | null {
  for (const check of CHECKS) {
    const failed = check(ask, node, load, reveal);
    if (failed !== null) return failed;
  }
  return null;
}

/**
 * Every rule that turns the node away, in the scheduler's order. The scheduler stops at the
 * first; the others are what would still stop the task once that one is mended.
 */
function failedChecks(
  ask: PlacementAsk,
  node: SwarmNode,
  load: NodeLoad,
  reveal: boolean,
): Check[] {
  return CHECKS.map((check) => check(ask, node, load, reveal)).filter(
    (c): c is Check => c !== null,
  );
}

function fitReason(ask: PlacementAsk, node: SwarmNode, load: NodeLoad): string {
  const cpus = formatCpus(Math.max(0, node.nanoCpus - load.nanoCpus));
  const memory = formatBytes(Math.max(0, node.memoryBytes - load.memoryBytes));
  const reserved = ask.nanoCpus > 0 || ask.memoryBytes > 0 ? ' unreserved' : '';
  return `fits: ${cpus} CPUs and ${memory}${reserved} free`;
}

const rank = (rule: PlacementRule | null) => (rule === null ? -1 : RULE_ORDER.indexOf(rule));

/** Every node against the ask: who fits, who does not and why, and the engine's counts. */
export function explainPlacement(
  ask: PlacementAsk,
  nodes: readonly SwarmNode[],
  loads: ReadonlyMap<string, NodeLoad>,
  { reveal = false }: { reveal?: boolean } = {},
): Placement {
  const verdicts = nodes
    .map((node): NodeVerdict => {
      const load = loads.get(node.id) ?? emptyLoad();
      const [failed, ...also] = failedChecks(ask, node, load, reveal);
      return failed === undefined
        ? { node, rule: null, reason: fitReason(ask, node, load), short: 'fit', also: [] }
        : { node, ...failed, also: also.map(({ rule, reason }) => ({ rule, reason })) };
    })
    .sort((a, b) => rank(a.rule) - rank(b.rule) || compareText(a.node.hostname, b.node.hostname));
  const counts = new Map<PlacementRule, number>();
  for (const verdict of verdicts) {
    if (verdict.rule !== null) counts.set(verdict.rule, (counts.get(verdict.rule) ?? 0) + 1);
  }
  const failures = [...counts.entries()]
    .map(([rule, count]) => ({ rule, count }))
    .sort((a, b) => b.count - a.count || rank(a.rule) - rank(b.rule));
  const fits = verdicts.filter((v) => v.rule === null).length;
  return {
    verdicts,
    fits,
    failures,
    engineText: failures.map((f) => engineWords(f.rule, f.count)).join('; '),
    summary: summaryLine(verdicts, fits),
  };
}

function summaryLine(verdicts: readonly NodeVerdict[], fits: number): string {
  const head = `${fits} of ${verdicts.length} node${verdicts.length === 1 ? '' : 's'} fit`;
  const shorts = new Map<string, number>();
  for (const verdict of verdicts) {
    if (verdict.rule !== null) shorts.set(verdict.short, (shorts.get(verdict.short) ?? 0) + 1);
  }
  const parts = [...shorts.entries()]
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .map(([short, n]) => `${n} ${short}`);
  return parts.length === 0 ? head : `${head}: ${parts.join(', ')}`;
}

/** Replicas the what-if places one by one at most (a typed number is not a plan). */
const MAX_WHAT_IF = 10_000;

/**
 * What-if for a scale: of `extra` new replicas, how many the nodes can take now, placing them one
 * by one where the scheduler could (each placed task adds its reservations and its count).
 */
export function placeReplicas(
  ask: PlacementAsk,
  nodes: readonly SwarmNode[],
  loads: ReadonlyMap<string, NodeLoad>,
  extra: number,
): { placed: number; pending: number; why: string } {
  const working = new Map<string, NodeLoad>();
  for (const node of nodes) {
    const load = loads.get(node.id) ?? emptyLoad();
    working.set(node.id, {
      nanoCpus: load.nanoCpus,
      memoryBytes: load.memoryBytes,
      hostPorts: new Map(load.hostPorts),
      byService: new Map(load.byService),
    });
  }
  // Nothing in the ask runs out (no reservations, no per-node cap, no host port): a node that
  // fits takes every replica, so the count alone answers.
  const unbounded =
    ask.nanoCpus === 0 &&
    ask.memoryBytes === 0 &&
    ask.maxReplicasPerNode === null &&
    ask.hostPorts.length === 0;
  if (unbounded) {
    const fits = nodes.some((node) => checkNode(ask, node, working.get(node.id)) === null);
    if (fits) return { placed: extra, pending: 0, why: '' };
  }
  let placed = 0;
  for (; placed < Math.min(extra, MAX_WHAT_IF); placed++) {
    // The scheduler spreads: the node with the fewest of this service's tasks first.
    const fitting = nodes
      .filter((node) => checkNode(ask, node, working.get(node.id)) === null)
      .sort(
        (a, b) =>
          (working.get(a.id)!.byService.get(ask.serviceId) ?? 0) -
          (working.get(b.id)!.byService.get(ask.serviceId) ?? 0),
      );
    const target = fitting[0];
    if (target === undefined) break;
    const load = working.get(target.id)!;
    load.nanoCpus += ask.nanoCpus;
    load.memoryBytes += ask.memoryBytes;
    load.byService.set(ask.serviceId, (load.byService.get(ask.serviceId) ?? 0) + 1);
    for (const { port, protocol } of ask.hostPorts) {
      load.hostPorts.set(portKey(port, protocol), 'a new replica');
    }
  }
  if (placed === MAX_WHAT_IF && extra > MAX_WHAT_IF) return { placed: extra, pending: 0, why: '' };
  const pending = extra - placed;
  const why = pending === 0 ? '' : explainPlacement(ask, nodes, working).summary;
  return { placed, pending, why };
}

/** A task the scheduler has not placed: pending, on no node. */
export function isUnplaced(task: Pick<SwarmTask, 'state' | 'nodeId'>): boolean {
  return task.state === 'pending' && task.nodeId === null;
}

/**
 * Why each unplaced task waits, per task ID. `onNodes` are the tasks meant to run (what holds the
 * nodes). Tasks of one service with the same reservations share one explanation.
 */
export function explainPending(
  pending: readonly SwarmTask[],
  nodes: readonly SwarmNode[],
  services: readonly SwarmService[],
  onNodes: readonly SwarmTask[],
  { reveal = false }: { reveal?: boolean } = {},
): Map<string, Placement> {
  const out = new Map<string, Placement>();
  const unplaced = pending.filter(isUnplaced);
  if (unplaced.length === 0) return out;
  const byId = new Map(services.map((s) => [s.id, s]));
  const loads = nodeLoads(onNodes, services);
  const shared = new Map<string, Placement>();
  for (const task of unplaced) {
    const service = byId.get(task.serviceId);
    if (service === undefined) continue;
    const key = `${task.serviceId}:${task.reservedNanoCpus}:${task.reservedMemoryBytes}`;
    let placement = shared.get(key);
    if (placement === undefined) {
      placement = explainPlacement(askOf(service, task), nodes, loads, { reveal });
      shared.set(key, placement);
    }
    out.set(task.id, placement);
  }
  return out;
}

/** A node's reason and the rules after it: "memory: needs 2 GiB … · also node.labels.zone==mars: …". */
export function verdictText(verdict: Pick<NodeVerdict, 'reason' | 'also'>): string {
  return [verdict.reason, ...verdict.also.map((rule) => `also ${rule.reason}`)].join(' · ');
}
