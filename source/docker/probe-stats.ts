// The stats probe's reading of its own node's engine (issue 15): the Engine JSON of
// GET /containers/json and GET /containers/{id}/stats?stream=false&one-shot=true, turned into
// one sample per swarm task's container. Pure: the probe (source/probe/) does the requests.
import { EMPTY, numOrNull as num, obj, str } from './json.js';

/** What one one-shot stats answer says, reduced to what the figures need. */
export interface StatsSample {
  /** cpu_stats.cpu_usage.total_usage: nanoseconds of CPU the container used, all cores. */
  cpuTotalNs: number;
  /** cpu_stats.system_cpu_usage: nanoseconds of the host's CPU, all cores (null: not given). */
  systemNs: number | null;
  /** cpu_stats.online_cpus (else the per-CPU list's length, else 1). */
  onlineCpus: number;
  /** When the engine read it (`read`), ms since the epoch; null when absent or zero. */
  readAt: number | null;
  /** Memory in use as `docker stats` counts it: usage less the inactive file cache. */
  memoryUsed: number;
  /** memory_stats.limit: the container's limit, or the host's memory without one. */
  memoryLimit: number;
}

/** A container of a swarm task, from GET /containers/json on the node's own engine. */
export interface TaskContainer {
  id: string;
  taskId: string;
  taskName: string;
  serviceName: string;
  nodeId: string;
  health: ContainerHealth;
}

export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

/**
 * Memory in use, as the docker CLI computes it (cli/command/container/stats_helpers.go):
 * cgroup v1 subtracts `total_inactive_file`, cgroup v2 `inactive_file`, each only when smaller
 * than the usage; engines too old for either give `cache`, subtracted the same way.
 */
export function memoryUsed(memoryStats: Record<string, unknown>): number {
  const usage = num(memoryStats['usage']) ?? 0;
  const stats = obj(memoryStats['stats']);
  for (const key of ['total_inactive_file', 'inactive_file', 'cache']) {
    const value = num(stats[key]);
    if (value !== null) return value < usage ? usage - value : usage;
  }
  return usage;
}

/** One stats answer as a sample; null when it holds no CPU figure (a container just gone). */
export function parseStats(json: unknown): StatsSample | null {
  const cpu = obj(obj(json)['cpu_stats']);
  const usage = obj(cpu['cpu_usage']);
  const total = num(usage['total_usage']);
  if (cpu === EMPTY || total === null) return null;
  const perCpu = Array.isArray(usage['percpu_usage']) ? usage['percpu_usage'].length : 0;
  const online = num(cpu['online_cpus']) ?? (perCpu > 0 ? perCpu : 1);
  const read = Date.parse(str(obj(json)['read']));
  const memory = obj(obj(json)['memory_stats']);
  return {
    cpuTotalNs: total,
    systemNs: num(cpu['system_cpu_usage']),
    onlineCpus: online > 0 ? online : 1,
    // a container that is not running reads "0001-01-01T00:00:00Z"
    readAt: Number.isFinite(read) && read > 0 ? read : null,
    memoryUsed: memoryUsed(memory),
    memoryLimit: num(memory['limit']) ?? 0,
  };
}

/**
 * CPU between two samples of one container, in percent of one core (100 = one core busy), as
 * `docker stats` computes it from the host's CPU time (its cpu delta / system delta × online
 * CPUs); from the time between the readings when the host's CPU time is not given. Null when the
 * two cannot be compared (the same reading, or counters that went back: a restarted container).
 */
export function cpuPercent(previous: StatsSample, current: StatsSample): number | null {
  const used = current.cpuTotalNs - previous.cpuTotalNs;
  if (used < 0) return null;
  if (current.systemNs !== null && previous.systemNs !== null) {
    const system = current.systemNs - previous.systemNs;
    if (system > 0) return (used / system) * current.onlineCpus * 100;
  }
  if (current.readAt !== null && previous.readAt !== null) {
    const wallNs = (current.readAt - previous.readAt) * 1e6;
    if (wallNs > 0) return (used / wallNs) * 100;
  }
  return null;
}

/** The health the list's Status text carries: "Up 3 minutes (unhealthy)", "(health: starting)". */
export function healthOfStatus(status: string): ContainerHealth {
  if (/\(healthy\)/.test(status)) return 'healthy';
  if (/\(unhealthy\)/.test(status)) return 'unhealthy';
  if (/\(health: starting\)/.test(status)) return 'starting';
  return 'none';
}

/** GET /containers/json: the running containers of swarm tasks (their task-id label). */
export function parseTaskContainers(json: unknown): TaskContainer[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((item): TaskContainer[] => {
    const labels = obj(obj(item)['Labels']);
    const taskId = str(labels['com.docker.swarm.task.id']);
    const id = str(obj(item)['Id']);
    if (taskId === '' || id === '') return [];
    return [
      {
        id,
        taskId,
        taskName: str(labels['com.docker.swarm.task.name']),
        serviceName: str(labels['com.docker.swarm.service.name']),
        nodeId: str(labels['com.docker.swarm.node.id']),
        health: healthOfStatus(str(obj(item)['Status'])),
      },
    ];
  });
}
