// What the stats probe prints and smarm-top reads back through the probe service's logs: one
// compact JSON line per swarm task's container every tick (issue 15). Pure: no IO here.

export type ProbeHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

/** One container's figures, as one probe task read them on its own node. */
export interface ProbeLine {
  /** The swarm task the container runs (its com.docker.swarm.task.id label). */
  task: string;
  /** The node the probe ran on (the container's com.docker.swarm.node.id label). */
  node: string;
  /** CPU in percent of one core since the previous tick; null on a container's first tick. */
  cpu: number | null;
  /** Memory in use (bytes, as docker stats counts it) and the container's limit. */
  mem: number;
  lim: number;
  health: ProbeHealth;
  /** When the engine read the figures, ms since the epoch. */
  at: number;
}

const HEALTH = new Set<string>(['healthy', 'unhealthy', 'starting', 'none']);

/** The line the probe prints for one container (short keys: it crosses the manager's log API). */
export function formatProbeLine(line: ProbeLine): string {
  return JSON.stringify({
    t: line.task,
    n: line.node,
    c: line.cpu === null ? null : Math.round(line.cpu * 10) / 10,
    m: line.mem,
    l: line.lim,
    h: line.health,
    a: line.at,
  });
}

const isId = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z0-9]{1,64}$/.test(value);
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * A probe's line back; null for anything else (a line of another program, a cut line). What the
 * probe sends is untrusted like any engine string: ids must look like ids, figures like figures.
 */
export function parseProbeLine(text: string): ProbeLine | null {
  if (!text.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isId(v['t']) || !isId(v['n']) || !isCount(v['m']) || !isCount(v['l'])) return null;
  if (!isCount(v['a']) || typeof v['h'] !== 'string' || !HEALTH.has(v['h'])) return null;
  if (v['c'] !== null && !isCount(v['c'])) return null;
  return {
    task: v['t'],
    node: v['n'],
    cpu: v['c'],
    mem: v['m'],
    lim: v['l'],
    health: v['h'] as ProbeHealth,
    at: v['a'],
  };
}

/** A probe's own one-line word (start, a node's engine that cannot be read). */
export function formatProbeNote(note: string): string {
  return JSON.stringify({ note });
}

/** A probe line as smarm-top keeps it: with when it was read, for its age. */
export interface UsageFigure extends ProbeLine {
  receivedAt: number;
}

/** Where this session's probe is: not asked, declined, being made, reporting, or failed. */
export type ProbePhase =
  'off' | 'read-only' | 'asking' | 'declined' | 'starting' | 'running' | 'failed';

/** What the usage view reads: the figures by task, and the probe around them. */
export interface UsageData {
  figures: ReadonlyMap<string, UsageFigure>;
  /** Node ID → why its probe task is not reporting. */
  nodeErrors: Readonly<Record<string, string>>;
  phase: ProbePhase;
  image: string;
}
