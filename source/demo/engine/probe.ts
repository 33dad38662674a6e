// The stats probe in the demo (issue 15): the usage view's `y` creates its global service on the
// demo engine like on a real one, and the service's logs are what `smarm-top probe` would print on
// each node — one line per running task there, every 2 s — with figures made up from the task's ID
// and the clock, so that the usage view, its `!` and the services list's sums have something to
// show. Nothing here reads a real engine.

import { formatProbeLine, type ProbeHealth } from '../../probe/line.js';
import { PROBE_LABEL } from '../../operations/kinds/probe.js';
import type { EngineService, EngineTask } from './cluster.js';

/** How often a probe task prints its lines, as `smarm-top probe` does by default. */
export const PROBE_TICK_MS = 2000;

const MIB = 1024 * 1024;

export const isProbeService = (service: EngineService | undefined): boolean =>
  (service?.Spec.Labels[PROBE_LABEL] ?? '') !== '';

/** A stable number in [0, 1) from an ID: each task (or container) keeps its own level. */
export function level(id: string): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return (hash >>> 0) / 2 ** 32;
}

/**
 * One task's line at `atMs`: CPU moving around its own level (the workers busy), memory steady
 * under a 256 MiB limit — the API's near it (the usage view's `!`) — and health from its
 * healthcheck.
 */
export function probeLineOf(task: EngineTask, serviceName: string, atMs: number): string {
  const base = level(task.ID);
  const wave = Math.sin(atMs / 7000 + base * 6) * 0.5 + 0.5;
  const cpu = serviceName.endsWith('_worker') ? 60 + wave * 30 : base * 25 + wave * 5;
  const lim = 256 * MIB;
  const mem = Math.round((serviceName.endsWith('_api') ? 0.93 : 0.1 + base * 0.5) * lim);
  const health: ProbeHealth =
    task.Spec.ContainerSpec['Healthcheck'] === undefined ? 'none' : 'healthy';
  return formatProbeLine({ task: task.ID, node: task.NodeID, cpu, mem, lim, health, at: atMs });
}
