// Health from the stats probe feeds the problems view (issue 15): a service with tasks whose
// health check fails is a problem while the probe says so (fresh figures only).
import { memoLast } from '../format/memo.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';
import type { UsageFigure } from '../probe/line.js';
import type { ProblemRow } from './problem-rows.js';

/** A figure older than this says nothing any more (the probe prints every 2 s). */
const FRESH_MS = 10_000;

export const unhealthyProblems = memoLast(function unhealthyProblems(
  figures: ReadonlyMap<string, UsageFigure>,
  placements: readonly SwarmTask[] | null,
  services: readonly SwarmService[],
  nodes: readonly SwarmNode[],
  nowMs: number,
): ProblemRow[] {
  const tasks = new Map((placements ?? []).map((t) => [t.id, t]));
  const byService = new Map<string, string[]>();
  for (const figure of figures.values()) {
    if (figure.health !== 'unhealthy' || nowMs - figure.receivedAt > FRESH_MS) continue;
    const serviceId = tasks.get(figure.task)?.serviceId;
    if (serviceId === undefined) continue;
    const node = nodes.find((n) => n.id === figure.node)?.hostname ?? figure.node.slice(0, 12);
    byService.set(serviceId, [...(byService.get(serviceId) ?? []), node]);
  }
  return [...byService].map(([serviceId, onNodes]) => {
    const name = services.find((s) => s.id === serviceId)?.name ?? serviceId.slice(0, 12);
    return {
      id: `unhealthy:${serviceId}`,
      kind: 'tasks',
      severity: 'bad',
      what: `${name}: ${onNodes.length} unhealthy`,
      detail: `health check failing on ${[...new Set(onNodes)].sort().join(', ')} (stats probe)`,
      count: onNodes.length,
      serviceIds: [serviceId],
      jump: { view: 'tasks', scope: { kind: 'service', id: serviceId }, filter: '' },
    };
  });
});

/** The problems with the probe's unhealthy tasks added (the same list when there are none). */
export const withUnhealthy = memoLast((base: ProblemRow[], extra: ProblemRow[]): ProblemRow[] =>
  extra.length === 0 ? base : [...base, ...extra],
);
