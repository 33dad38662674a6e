// What-if lines before acting: where the replicas a scale adds would go, read from the same
// scheduler rules as the explain view (operations/placement.ts), live as digits are typed.
import { memoLast } from '../format/memo.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';
import { askOf, nodeLoads, placeReplicas } from '../operations/placement.js';
import type { State } from './state.js';

const loadsOf = memoLast((placements: SwarmTask[], services: SwarmService[]) =>
  nodeLoads(placements, services),
);

/** One task of the service (its reservations are what each new replica asks). */
function sample(service: SwarmService, placements: readonly SwarmTask[]): SwarmTask | undefined {
  return placements.find((task) => task.serviceId === service.id);
}

/** The scale prompt's line: "all 3 new replicas can be placed" / "2 of 5 … 3 would stay pending: …". */
export function scaleLine(
  service: SwarmService,
  to: number,
  nodes: readonly SwarmNode[],
  placements: SwarmTask[],
  services: SwarmService[],
): string | null {
  const from = service.specReplicas ?? service.desired;
  const extra = to - from;
  if (extra <= 0) return null;
  const ask = askOf(service, sample(service, placements));
  const { placed, pending, why } = placeReplicas(ask, nodes, loadsOf(placements, services), extra);
  const replicas = extra === 1 ? 'the new replica' : `all ${extra} new replicas`;
  if (pending === 0) return `Where they go: ${replicas} can be placed now.`;
  return `Where they go: ${placed} of ${extra} can be placed now; ${pending} would stay pending (${why}).`;
}

/** The scale prompt's what-if, once the nodes' tasks are in; null otherwise. */
export function scaleWhatIf(state: State): string | null {
  const dialog = state.dialog;
  const placements = state.objects.placements;
  if (dialog?.kind !== 'scale' || dialog.confirmName !== null || placements === null) return null;
  // Only a count the prompt would take: above the ceiling it says so instead.
  if (!/^\d+$/.test(dialog.text) || Number(dialog.text) > state.scaleCeiling) return null;
  const service = state.services.find((s) => s.id === dialog.serviceId);
  if (service === undefined) return null;
  return scaleLine(service, Number(dialog.text), state.nodes, placements, state.services);
}
