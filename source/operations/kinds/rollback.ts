// Roll a service back to its PreviousSpec (server-side rollback); the dialog shows the diff.
import { deepEqual } from '../../format/same.js';
import type { ServiceSpecView } from '../../model.js';
import type { OperationKind } from '../kind.js';
import { describeDiff, diffSpecs } from '../spec-diff.js';
import { rolloutStep } from './rollout.js';

export interface RollbackIntent {
  kind: 'rollback';
  serviceId: string;
  name: string;
}

export interface RollbackRequest extends RollbackIntent {
  /**
   * What the dialog's diff was computed from: a change to either stops the rollback. The raw
   * specs are compared, since the diff shows every field of them, not only the views'.
   */
  seen: {
    spec: ServiceSpecView;
    previousSpec: ServiceSpecView;
    specJson: Readonly<Record<string, unknown>>;
    previousSpecJson: Readonly<Record<string, unknown>>;
  };
}

export const rollback: OperationKind<'service', RollbackRequest, RollbackIntent> = {
  kind: 'rollback',
  target: 'service',
  title: (r) => `roll back ${r.name}`,
  confirm: {
    title: (intent) => `Roll back ${intent.name}?`,
    intend: (service) =>
      service.hasPreviousSpec
        ? { kind: 'rollback', serviceId: service.id, name: service.name }
        : `${service.name} has no previous spec, so there is nothing to roll back to.`,
    async prepare(intent, { writes, reveal }) {
      const detail = await writes.inspectService(intent.serviceId);
      const previousSpecJson = detail.previousSpecJson;
      if (detail.previousSpec === null || previousSpecJson === null) {
        throw new Error(
          `${intent.name} has no previous spec, so there is nothing to roll back to.`,
        );
      }
      const warnings =
        detail.service.updateState === 'updating'
          ? [`${intent.name} is in the middle of an update.`]
          : [];
      return {
        request: {
          kind: 'rollback',
          serviceId: intent.serviceId,
          name: intent.name,
          seen: {
            spec: detail.spec,
            previousSpec: detail.previousSpec,
            specJson: detail.specJson,
            previousSpecJson,
          },
        },
        lines: [
          'What changes (now → after the rollback):',
          ...describeDiff(diffSpecs(detail.specJson, previousSpecJson, { reveal })),
        ],
        warnings,
      };
    },
  },
  changedFromSeen: (request, detail) =>
    deepEqual(detail.specJson, request.seen.specJson) &&
    deepEqual(detail.previousSpecJson, request.seen.previousSpecJson)
      ? null
      : `${request.name}'s spec changed since the diff was shown`,
  beforeAfter: (r) => ({
    before: { image: r.seen.spec.image },
    after: { image: r.seen.previousSpec.image },
  }),
  write: (writes, fresh) => writes.rollbackService(fresh),
  followLimit: 'update',
  // Back to another image: the tasks running it are the rolled-back ones, however old.
  step: (request, context) =>
    rolloutStep(
      request.seen.previousSpec.image === request.seen.spec.image
        ? request
        : { ...request, backTo: request.seen.previousSpec.image },
      context,
    ),
};
