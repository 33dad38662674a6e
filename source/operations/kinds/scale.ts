// Scale a replicated service: the prompt builds the request (no confirm dialog to prepare).
import { compareText } from '../../format/compare.js';
import type { SwarmTask } from '../../model.js';
import type { OperationKind } from '../kind.js';

export interface ScaleRequest {
  kind: 'scale';
  serviceId: string;
  name: string;
  from: number;
  to: number;
}

function newestError(tasks: SwarmTask[]): string | null {
  const failed = tasks
    .filter((t) => t.error !== null)
    .sort((a, b) => compareText(b.stateSince ?? '', a.stateSince ?? ''));
  return failed[0]?.error ?? null;
}

export const scale: OperationKind<'service', ScaleRequest> = {
  kind: 'scale',
  target: 'service',
  title: (r) => `scale ${r.name} ${r.from} → ${r.to}`,
  changedFromSeen(request, detail) {
    const replicas = detail.spec.replicas;
    return replicas === request.from
      ? null
      : `${request.name} now asks for ${replicas ?? 'no'} replicas, not the ${request.from} you saw`;
  },
  beforeAfter: (r) => ({ before: { replicas: r.from }, after: { replicas: r.to } }),
  write: (writes, fresh, request) => writes.scaleService(fresh, request.to),
  followLimit: 'scale',
  async step(request, { reads, listServices }) {
    const service = (await listServices()).find((s) => s.id === request.serviceId);
    if (!service) return { status: 'failed', message: `${request.name} was removed`, progress: '' };
    const progress = `running ${service.running}/${service.desired}`;
    if (service.desired === request.to && service.running === request.to) {
      return { status: 'succeeded', message: null, progress };
    }
    const error = newestError(await reads.listTasks({ serviceId: request.serviceId }));
    return { progress: error ? `${progress} · last task error: ${error}` : progress };
  },
};
