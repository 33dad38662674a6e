// Force a rolling redeploy of a service: the same spec, TaskTemplate.ForceUpdate + 1.
import type { SwarmService } from '../../model.js';
import type { OperationKind } from '../kind.js';
import { rolloutStep } from './rollout.js';

export interface ForceUpdateIntent {
  kind: 'force-update';
  serviceId: string;
  name: string;
}

export interface ForceUpdateRequest extends ForceUpdateIntent {
  seenForceUpdate: number;
  /** The image the dialog said stays: a change to it stops the redeploy. */
  seenImage: string;
}

export const forceUpdate: OperationKind<'service', ForceUpdateRequest, ForceUpdateIntent> = {
  kind: 'force-update',
  target: 'service',
  title: (r) => `force redeploy ${r.name}`,
  confirm: {
    title: (intent) => `Force a rolling redeploy of ${intent.name}?`,
    intend: (service) => ({ kind: 'force-update', serviceId: service.id, name: service.name }),
    async prepare(intent, context) {
      // An inspect has no ServiceStatus (its counts read 0): the counts come from the list, asked
      // fresh for this one service, else from what is on screen.
      const [detail, listed] = await Promise.all([
        context.writes.inspectService(intent.serviceId),
        context.reads.listServices([intent.serviceId]).catch(() => [] as SwarmService[]),
      ]);
      const find = (list: SwarmService[]) => list.find((x) => x.id === intent.serviceId);
      const s = find(listed) ?? find(context.services) ?? detail.service;
      const parallelism = detail.spec.updateConfig['Parallelism'] ?? '1';
      const order = detail.spec.updateConfig['Order'] ?? 'stop-first';
      return {
        request: {
          kind: 'force-update',
          serviceId: intent.serviceId,
          name: intent.name,
          seenForceUpdate: detail.forceUpdate,
          seenImage: detail.spec.image,
        },
        lines: [
          `Every task of ${intent.name} (${s.running} running) is replaced by a new one, ${parallelism} at a time (${order}).`,
          `The spec stays as it is: image ${detail.spec.image}.`,
        ],
        warnings:
          s.running < s.desired
            ? [`${intent.name} is already degraded (${s.running}/${s.desired} running).`]
            : [],
      };
    },
  },
  changedFromSeen(request, detail) {
    // The dialog promised "the spec stays as it is: image X".
    if (detail.spec.image !== request.seenImage) {
      return `${request.name} now runs ${detail.spec.image}, not the ${request.seenImage} shown`;
    }
    return detail.forceUpdate === request.seenForceUpdate
      ? null
      : `${request.name} was force-updated by someone else meanwhile`;
  },
  beforeAfter: (r) => ({
    before: { forceUpdate: r.seenForceUpdate },
    after: { forceUpdate: r.seenForceUpdate + 1 },
  }),
  write: (writes, fresh) => writes.forceUpdateService(fresh),
  followLimit: 'update',
  step: rolloutStep,
};
