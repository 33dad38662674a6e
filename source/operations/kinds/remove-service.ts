// Remove a service: the operator types its name to confirm; the dialog says how many tasks stop.
// DELETE /services/{id} (no version: a removal is not an update), then followed until the service
// is no longer listed and its tasks have stopped.
import { TASK_LIVE } from '../../health.js';
import type { SwarmService, SwarmTask } from '../../model.js';
import type { OperationKind } from '../kind.js';

export interface RemoveServiceIntent {
  kind: 'remove-service';
  serviceId: string;
  name: string;
}

export interface RemoveServiceRequest extends RemoveServiceIntent {
  /** What the dialog said goes: the audit record keeps it. */
  seenImage: string;
  seenReplicas: number | null;
  seenTasks: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Tasks of these services that still hold (or are about to hold) a slot on a node. */
export function liveTasksOf(tasks: SwarmTask[], serviceIds: ReadonlySet<string>): number {
  return tasks.filter(
    (t) =>
      serviceIds.has(t.serviceId) &&
      (t.desiredState === 'running' || t.desiredState === 'complete') &&
      TASK_LIVE.has(t.state),
  ).length;
}

/** Tasks of removed services not stopped yet (their desired state is `remove` by now). */
export function stoppingTasksOf(tasks: SwarmTask[], serviceIds: ReadonlySet<string>): number {
  return tasks.filter((t) => serviceIds.has(t.serviceId) && TASK_LIVE.has(t.state)).length;
}

export const removeService: OperationKind<'service', RemoveServiceRequest, RemoveServiceIntent> = {
  kind: 'remove-service',
  target: 'service',
  title: (r) => `remove service ${r.name}`,
  confirm: {
    title: (intent) => `Remove the service ${intent.name}?`,
    intend: (service) => ({ kind: 'remove-service', serviceId: service.id, name: service.name }),
    typeToConfirm: (intent) => intent.name,
    async prepare(intent, { writes, reads, services }) {
      const [detail, tasks] = await Promise.all([
        writes.inspectService(intent.serviceId),
        reads.listTasks({ serviceId: intent.serviceId }),
      ]);
      const live = liveTasksOf(tasks, new Set([intent.serviceId]));
      const s: SwarmService = services.find((x) => x.id === intent.serviceId) ?? detail.service;
      const ports = s.ports.map((p) => `${p.published}→${p.target}/${p.protocol}`);
      return {
        request: {
          ...intent,
          seenImage: detail.spec.image,
          seenReplicas: detail.spec.replicas,
          seenTasks: live,
        },
        lines: [
          `${plural(live, 'task')} of ${intent.name} stop${live === 1 ? 's' : ''} and the service is deleted with its spec (${detail.spec.image}${detail.spec.replicas !== null ? `, ${plural(detail.spec.replicas, 'replica')}` : ''}).`,
          ...(ports.length > 0 ? [`Its published ports are freed: ${ports.join(', ')}.`] : []),
          ...(s.stack !== null
            ? [`It belongs to the stack ${s.stack}; the stack's other services stay.`]
            : []),
          'It cannot be rolled back: only creating it again brings it back.',
        ],
        warnings: [],
      };
    },
  },
  changedFromSeen: (request, detail) =>
    detail.service.name === request.name
      ? null
      : `the service is now named ${detail.service.name}, not ${request.name}`,
  beforeAfter: (r) => ({
    before: { image: r.seenImage, replicas: r.seenReplicas, tasks: r.seenTasks },
    after: null,
  }),
  write: (writes, fresh) => writes.removeService(fresh.service.id),
  followLimit: 'scale',
  async step(request, { reads, listServices }) {
    const listed = (await listServices()).some((s) => s.id === request.serviceId);
    if (listed) return { progress: `${request.name} is still listed` };
    const stopping = stoppingTasksOf(await reads.listTasks({}), new Set([request.serviceId]));
    const progress = `${request.name} removed · ${plural(stopping, 'task')} still stopping`;
    return stopping === 0
      ? { status: 'succeeded', message: null, progress: `${request.name} removed` }
      : { progress };
  },
};
