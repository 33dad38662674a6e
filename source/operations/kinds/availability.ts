// A node's availability: drain (its tasks move), pause (no new tasks), activate. Three kinds
// made by one factory; the dialog states the impact (drain-impact.ts).
import { isTaskLive } from '../../health.js';
import type { NodeAvailability } from '../../model.js';
import { availabilityImpact } from '../drain-impact.js';
import type { OperationKind } from '../kind.js';

export type AvailabilityKind = 'drain' | 'pause' | 'activate';

export interface AvailabilityIntent<K extends AvailabilityKind = AvailabilityKind> {
  kind: K;
  nodeId: string;
  name: string;
}

export interface AvailabilityRequest<
  K extends AvailabilityKind = AvailabilityKind,
> extends AvailabilityIntent<K> {
  seenAvailability: NodeAvailability;
}

const AVAILABILITY_OF: Record<AvailabilityKind, NodeAvailability> = {
  drain: 'drain',
  pause: 'pause',
  activate: 'active',
};

const TITLES: Record<AvailabilityKind, string> = {
  drain: 'Drain',
  pause: 'Pause',
  activate: 'Activate',
};

function availabilityKind<K extends AvailabilityKind>(
  kind: K,
): OperationKind<'node', AvailabilityRequest<K>, AvailabilityIntent<K>> {
  const target = AVAILABILITY_OF[kind];
  return {
    kind,
    target: 'node',
    title: (r) => `${r.kind} ${r.name}`,
    confirm: {
      title: (intent) => `${TITLES[kind]} ${intent.name}?`,
      intend: (node) =>
        node.availability === target
          ? `${node.hostname} is already ${node.availability}.`
          : { kind, nodeId: node.id, name: node.hostname },
      async prepare(intent, { writes, reads, nodes, services }) {
        const detail = await writes.inspectNode(intent.nodeId);
        const [tasksOnNode, placements] = await Promise.all([
          reads.listTasks({ nodeId: intent.nodeId }),
          // Where the moved tasks could go depends on what already runs elsewhere.
          target === 'drain' ? reads.listTasks({ desiredRunningOnly: true }) : Promise.resolve([]),
        ]);
        const impact = availabilityImpact({
          node: detail.node,
          target,
          nodes,
          services,
          tasksOnNode,
          placements,
        });
        return {
          request: {
            kind,
            nodeId: intent.nodeId,
            name: intent.name,
            seenAvailability: detail.node.availability,
          },
          lines: [`${intent.name}: ${detail.node.availability} → ${target}.`, ...impact.summary],
          warnings: impact.warnings,
        };
      },
    },
    changedFromSeen(request, detail) {
      const availability = detail.node.availability;
      return availability === request.seenAvailability
        ? null
        : `${request.name} is now ${availability}, not ${request.seenAvailability} as shown`;
    },
    beforeAfter: (r) => ({
      before: { availability: r.seenAvailability },
      after: { availability: target },
    }),
    write: (writes, fresh) => writes.setNodeAvailability(fresh, target),
    followLimit: 'drain',
    async step(request, { reads, listNodes }) {
      if (kind === 'drain') {
        const tasks = await reads.listTasks({ nodeId: request.nodeId });
        const left = tasks.filter(isTaskLive).length;
        const progress = `${left} task${left === 1 ? '' : 's'} still on ${request.name}`;
        return left === 0 ? { status: 'succeeded', message: null, progress } : { progress };
      }
      const node = (await listNodes()).find((n) => n.id === request.nodeId);
      if (!node)
        return { status: 'failed', message: `${request.name} left the swarm`, progress: '' };
      const progress = `${request.name} is ${node.availability}`;
      return node.availability === target
        ? { status: 'succeeded', message: null, progress }
        : { progress };
    },
  };
}

export const drain = availabilityKind('drain');
export const pause = availabilityKind('pause');
export const activate = availabilityKind('activate');
