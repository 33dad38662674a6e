// Secrets and configs, each with the services that mount it and the nodes it is delivered to (a
// secret or config reaches a node only when a task that names it runs there). A secret's value is
// never part of any of this (the engine does not return it); a config's data only as its size.
import { compareText } from '../format/compare.js';
import { memoLast } from '../format/memo.js';
import type {
  FileMount,
  SwarmConfig,
  SwarmNode,
  SwarmSecret,
  SwarmService,
  SwarmTask,
} from '../model.js';

export type SecretKind = 'secret' | 'config';

/** One service's mount of a secret or config: the file its tasks get. */
export interface MountRow {
  serviceId: string;
  serviceName: string;
  /** The file as the task sees it: /run/secrets/NAME for a secret's relative name. */
  path: string;
  uid: string;
  gid: string;
  mode: number;
}

export interface SecretRow {
  /** The object's own ID (secrets' and configs' IDs never collide). */
  id: string;
  kind: SecretKind;
  name: string;
  /** Raw: masked where shown. */
  labels: Record<string, string>;
  /** A secret's external store (Spec.Driver.Name); null for the swarm's own and for configs. */
  driver: string | null;
  templating: string | null;
  /** A config's decoded size; null for a secret. */
  dataBytes: number | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** Every mount of it, by service name (a service may mount it twice, as two files). */
  mounts: MountRow[];
  /** How many services mount it. */
  services: number;
  /** Hostnames of the nodes running a task of such a service; null while placements are unknown. */
  nodes: string[] | null;
  /** No service mounts it: what `!` keeps. */
  unused: boolean;
}

/** "0444": a file mode as `ls -l` people and compose files write it. */
export function octalMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/**
 * The path a mount gives its tasks: a secret's relative File.Name lives under /run/secrets, a
 * config's under /; a runtime config (a credential spec) has no file.
 */
export function mountPath(kind: SecretKind, target: string): string {
  if (target === '') return kind === 'config' ? '(runtime, no file)' : '/run/secrets/';
  if (target.startsWith('/')) return target;
  return kind === 'secret' ? `/run/secrets/${target}` : `/${target}`;
}

function mountsOf(service: SwarmService, kind: SecretKind): FileMount[] {
  return kind === 'secret' ? service.secrets : service.configs;
}

/** A service names the object by its ID; by name only where an ID is missing. */
function names(mount: FileMount, object: { id: string; name: string }): boolean {
  return mount.id !== '' ? mount.id === object.id : mount.name === object.name;
}

function rowOf(
  kind: SecretKind,
  object: SwarmSecret | SwarmConfig,
  services: SwarmService[],
  hostsOf: ((serviceIds: ReadonlySet<string>) => string[]) | null,
): SecretRow {
  const mounts: MountRow[] = [];
  const users = new Set<string>();
  for (const service of services) {
    for (const mount of mountsOf(service, kind)) {
      if (!names(mount, object)) continue;
      users.add(service.id);
      mounts.push({
        serviceId: service.id,
        serviceName: service.name,
        path: mountPath(kind, mount.target),
        uid: mount.uid,
        gid: mount.gid,
        mode: mount.mode,
      });
    }
  }
  mounts.sort((a, b) => compareText(a.serviceName, b.serviceName) || compareText(a.path, b.path));
  return {
    id: object.id,
    kind,
    name: object.name,
    labels: object.labels,
    driver: 'driver' in object ? object.driver : null,
    templating: object.templating,
    dataBytes: 'dataBytes' in object ? object.dataBytes : null,
    createdAt: object.createdAt,
    updatedAt: object.updatedAt,
    mounts,
    services: users.size,
    nodes: hostsOf === null ? null : hostsOf(users),
    unused: users.size === 0,
  };
}

/**
 * Where each service's tasks are meant to run: hostnames by service ID. `placements` are the
 * tasks whose desired state is running; a task not yet on a node delivers nothing.
 */
function hostsBy(
  nodes: SwarmNode[],
  placements: SwarmTask[],
): (serviceIds: ReadonlySet<string>) => string[] {
  const hostname = new Map(nodes.map((n) => [n.id, n.hostname]));
  const byService = new Map<string, Set<string>>();
  for (const task of placements) {
    if (task.desiredState !== 'running' || !task.nodeId) continue;
    let set = byService.get(task.serviceId);
    if (set === undefined) byService.set(task.serviceId, (set = new Set()));
    set.add(hostname.get(task.nodeId) ?? task.nodeId.slice(0, 12));
  }
  return (serviceIds) => {
    const hosts = new Set<string>();
    for (const id of serviceIds) for (const host of byService.get(id) ?? []) hosts.add(host);
    return [...hosts].sort(compareText);
  };
}

export interface SecretInput {
  secrets: SwarmSecret[] | null;
  configs: SwarmConfig[] | null;
  services: SwarmService[];
  nodes: SwarmNode[];
  /** Every task meant to run; null while not fetched (the nodes are then unknown). */
  placements: SwarmTask[] | null;
}

/**
 * One row per secret, then per config, each by name. Lists not fetched yet give no rows.
 */
export const secretRows = memoLast(
  (
    secrets: SwarmSecret[] | null,
    configs: SwarmConfig[] | null,
    services: SwarmService[],
    nodes: SwarmNode[],
    placements: SwarmTask[] | null,
  ): SecretRow[] => {
    const hosts = placements === null ? null : hostsBy(nodes, placements);
    const byName = (a: SecretRow, b: SecretRow) => compareText(a.name, b.name);
    return [
      ...(secrets ?? []).map((s) => rowOf('secret', s, services, hosts)).sort(byName),
      ...(configs ?? []).map((c) => rowOf('config', c, services, hosts)).sort(byName),
    ];
  },
);

/** The same rows, from the parts of a ViewData or a snapshot. */
export function rowsOfInput(input: SecretInput): SecretRow[] {
  return secretRows(input.secrets, input.configs, input.services, input.nodes, input.placements);
}

/** "shop_api → /run/secrets/db uid 0 gid 0 mode 0444": one mount, as the status line says it. */
export function mountText(mount: MountRow): string {
  return `${mount.serviceName} → ${mount.path} uid ${mount.uid} gid ${mount.gid} mode ${octalMode(mount.mode)}`;
}
