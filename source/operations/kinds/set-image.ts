// Set the image of a service: a prompt prefilled with the current image, then the whole spec
// diff, then the rolling update its UpdateConfig describes, followed until it completes, pauses or
// is rolled back.
import { deepEqual } from '../../format/same.js';
import type { SwarmService } from '../../model.js';
import { checkImage } from '../image-ref.js';
import type { OperationKind } from '../kind.js';
import { describeDiff, diffSpecs, type SpecJson } from '../spec-diff.js';
import { rolloutStep } from './rollout.js';

export interface SetImageIntent {
  kind: 'set-image';
  serviceId: string;
  name: string;
  image: string;
}

export interface SetImageRequest extends SetImageIntent {
  /** The image as it was in the spec the diff was computed from. */
  seenImage: string;
  /** The spec the diff was computed from: any change to it stops the update. */
  seenSpecJson: SpecJson;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The spec's TaskTemplate.ContainerSpec.Image, as the engine holds it (digest and all). */
export function specImage(spec: SpecJson): string {
  const template = spec['TaskTemplate'];
  const container = isObject(template) ? template['ContainerSpec'] : undefined;
  const image = isObject(container) ? container['Image'] : undefined;
  return typeof image === 'string' ? image : '';
}

/** `spec` with its image replaced: what the update sends (the seam does the same to its copy). */
export function withImage(spec: SpecJson, image: string): SpecJson {
  const template = isObject(spec['TaskTemplate']) ? spec['TaskTemplate'] : {};
  const container = isObject(template['ContainerSpec']) ? template['ContainerSpec'] : {};
  return { ...spec, TaskTemplate: { ...template, ContainerSpec: { ...container, Image: image } } };
}

// swarmkit's defaults for an UpdateConfig left unset (api/defaults).
const UPDATE_DEFAULTS: Readonly<Record<string, string>> = {
  Parallelism: '1',
  Delay: '0s',
  FailureAction: 'pause',
  Monitor: '5s',
  MaxFailureRatio: '0',
  Order: 'stop-first',
};

/** "2 tasks at a time, start-first, 10s apart; each watched 5s; on failure: pause". */
export function rolloutLine(updateConfig: Readonly<Record<string, string>>): string {
  const get = (key: string) => updateConfig[key] ?? UPDATE_DEFAULTS[key]!;
  const parallelism = get('Parallelism');
  const atATime =
    parallelism === '0'
      ? 'all tasks at once'
      : `${parallelism} task${parallelism === '1' ? '' : 's'} at a time`;
  const delay = get('Delay');
  const apart = delay === '0s' || delay === '0' ? '' : `, ${delay} apart`;
  const ratio = get('MaxFailureRatio');
  const tolerated = ratio === '0' ? '' : ` (failures up to ${ratio} of the tasks tolerated)`;
  return `Rolling update: ${atATime} (${get('Order')})${apart}; each new task watched ${get('Monitor')}; on failure: ${get('FailureAction')}${tolerated}.`;
}

export const setImage: OperationKind<'service', SetImageRequest, SetImageIntent> = {
  kind: 'set-image',
  target: 'service',
  title: (r) => `set image ${r.name} ${r.seenImage} → ${r.image}`,
  prompt: {
    title: (service) => `Set the image of ${service.name}`,
    refuse: () => null,
    label: 'New image: ',
    initial: (service) => service.image,
    lines: (service) => [`Now ${service.image} (${service.running}/${service.desired} running).`],
    read(text, ref, initial) {
      const check = checkImage(text);
      if (!check.ok) return check.error;
      if (check.image === initial) return `${ref.name} already runs ${initial}: nothing to change.`;
      return { kind: 'set-image', serviceId: ref.serviceId, name: ref.name, image: check.image };
    },
  },
  confirm: {
    title: (intent) => `Set the image of ${intent.name} to ${intent.image}?`,
    async prepare(intent, { writes, reads, services, reveal }) {
      const [detail, listed] = await Promise.all([
        writes.inspectService(intent.serviceId),
        reads.listServices([intent.serviceId]).catch(() => [] as SwarmService[]),
      ]);
      const current = specImage(detail.specJson);
      if (current === intent.image) {
        throw new Error(`${intent.name} already runs ${intent.image}: nothing to change.`);
      }
      const after = withImage(detail.specJson, intent.image);
      const find = (list: SwarmService[]) => list.find((x) => x.id === intent.serviceId);
      const s = find(listed) ?? find(services) ?? detail.service;
      const warnings = [
        ...(detail.service.updateState === 'updating' || detail.service.updateState === 'paused'
          ? [`${intent.name} has an update ${detail.service.updateState}: this one replaces it.`]
          : []),
        ...(s.running < s.desired
          ? [`${intent.name} is already degraded (${s.running}/${s.desired} running).`]
          : []),
      ];
      return {
        request: { ...intent, seenImage: current, seenSpecJson: detail.specJson },
        lines: [
          'What changes (now → after the update):',
          ...describeDiff(diffSpecs(detail.specJson, after, { reveal })),
          `${s.running} running task${s.running === 1 ? '' : 's'} replaced. ${rolloutLine(detail.spec.updateConfig)}`,
          'Followed until the update completes, pauses or is rolled back.',
        ],
        warnings,
      };
    },
  },
  changedFromSeen: (request, detail) =>
    deepEqual(detail.specJson, request.seenSpecJson)
      ? null
      : `${request.name}'s spec changed since the diff was shown`,
  beforeAfter: (r) => ({ before: { image: r.seenImage }, after: { image: r.image } }),
  write: (writes, fresh, request) => writes.setServiceImage(fresh, request.image),
  followLimit: 'update',
  step: rolloutStep,
};
