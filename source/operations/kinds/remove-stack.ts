// Remove a stack as `docker stack rm` does: every object labelled com.docker.stack.namespace=<name>,
// services first, then secrets, configs and networks. The operator types the stack's name; the
// dialog lists what goes. A removal that fails part-way says what was removed and what was not,
// in the engine's words.
import type { StackDetail, StackObject } from '../../model.js';
import type { OperationKind } from '../kind.js';
import type { SwarmWrites } from '../../docker/swarm-api.js';
import { errorText } from '../../format/error-text.js';
import { liveTasksOf, stoppingTasksOf } from './remove-service.js';

export interface RemoveStackIntent {
  kind: 'remove-stack';
  stack: string;
  name: string;
}

export interface RemoveStackRequest extends RemoveStackIntent {
  /** What the dialog listed: an object added to the stack since stops the removal. */
  seen: StackDetail;
  seenTasks: number;
}

type Part = 'services' | 'secrets' | 'configs' | 'networks';

/** The order `docker stack rm` removes in: nothing is left using a network when it goes. */
export const REMOVAL_ORDER: readonly Part[] = ['services', 'secrets', 'configs', 'networks'];

const SINGULAR: Record<Part, string> = {
  services: 'service',
  secrets: 'secret',
  configs: 'config',
  networks: 'network',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function names(objects: StackObject[]): string {
  return objects.map((o) => o.name).join(', ');
}

function isEmpty(stack: StackDetail): boolean {
  return REMOVAL_ORDER.every((part) => stack[part].length === 0);
}

/** "services shop_web, shop_api; network shop_default" */
function listed(entries: Array<{ part: Part; object: StackObject }>): string {
  return REMOVAL_ORDER.flatMap((part) => {
    const of = entries.filter((e) => e.part === part).map((e) => e.object.name);
    return of.length === 0 ? [] : [`${of.length === 1 ? SINGULAR[part] : part} ${of.join(', ')}`];
  }).join('; ');
}

/** The removal failed part-way (or wholly): says what was removed and what was not, and why. */
export class StackRemovalError extends Error {}

const statusOf = (error: unknown): unknown => (error as { statusCode?: unknown }).statusCode;

/** Removes the stack's objects in order; every one is tried, as `docker stack rm` does. */
export async function removeStackObjects(writes: SwarmWrites, stack: StackDetail): Promise<void> {
  const remove: Record<Part, (id: string) => Promise<void>> = {
    services: (id) => writes.removeService(id),
    secrets: (id) => writes.removeSecret(id),
    configs: (id) => writes.removeConfig(id),
    networks: (id) => writes.removeNetwork(id),
  };
  const removed: Array<{ part: Part; object: StackObject }> = [];
  const failed: Array<{ part: Part; object: StackObject; error: unknown }> = [];
  for (const part of REMOVAL_ORDER) {
    for (const object of stack[part]) {
      try {
        await remove[part](object.id);
        removed.push({ part, object });
      } catch (error) {
        // Already gone (removed by someone else meanwhile): what was asked for holds.
        if (statusOf(error) === 404) removed.push({ part, object });
        else failed.push({ part, object, error });
      }
    }
  }
  if (failed.length === 0) return;
  const why = failed
    .map(
      (f) => `${SINGULAR[f.part]} ${f.object.name}: ${errorText(f.error).replace(/[.\s]+$/, '')}`,
    )
    .join('; ');
  const done = removed.length === 0 ? 'Nothing was removed' : `Removed ${listed(removed)}`;
  throw new StackRemovalError(`${done}. Not removed: ${why}.`, { cause: failed[0]!.error });
}

export const removeStack: OperationKind<'stack', RemoveStackRequest, RemoveStackIntent> = {
  kind: 'remove-stack',
  target: 'stack',
  title: (r) => `remove stack ${r.name}`,
  confirm: {
    title: (intent) => `Remove the stack ${intent.name}?`,
    intend: (subject) =>
      subject.name === ''
        ? 'The services of no stack are not a stack: remove them one at a time (1, then X on each).'
        : { kind: 'remove-stack', stack: subject.name, name: subject.name },
    typeToConfirm: (intent) => intent.name,
    async prepare(intent, { writes, reads }) {
      const stack = await writes.inspectStack(intent.stack);
      if (isEmpty(stack)) {
        throw new Error(`Nothing is labelled as the stack ${intent.name} any more: it is gone.`);
      }
      const ids = stack.services.map((s) => s.id);
      const tasks = ids.length === 0 ? [] : await reads.listTasks({ serviceIds: ids });
      const live = liveTasksOf(tasks, new Set(ids));
      const line = (part: Part, extra = '') =>
        stack[part].length === 0
          ? []
          : [`${plural(stack[part].length, SINGULAR[part])}: ${names(stack[part])}${extra}`];
      return {
        request: { ...intent, seen: stack, seenTasks: live },
        lines: [
          `Everything labelled com.docker.stack.namespace=${intent.name} goes, in this order (as docker stack rm):`,
          ...line('services', ` (${plural(live, 'task')} stop)`),
          ...line('secrets'),
          ...line('configs'),
          ...line('networks'),
          'None of it can be rolled back: deploying the stack again brings it back.',
        ],
        warnings: [],
      };
    },
  },
  changedFromSeen(request, fresh) {
    if (isEmpty(fresh)) return `the stack ${request.name} is already gone`;
    for (const part of REMOVAL_ORDER) {
      const seen = new Set(request.seen[part].map((o) => o.id));
      const added = fresh[part].find((o) => !seen.has(o.id));
      if (added !== undefined) {
        return `the stack ${request.name} gained the ${SINGULAR[part]} ${added.name} since the dialog listed it`;
      }
    }
    return null;
  },
  beforeAfter: (r) => ({
    before: {
      services: r.seen.services.map((o) => o.name),
      secrets: r.seen.secrets.map((o) => o.name),
      configs: r.seen.configs.map((o) => o.name),
      networks: r.seen.networks.map((o) => o.name),
      tasks: r.seenTasks,
    },
    after: null,
  }),
  write: (writes, fresh) => removeStackObjects(writes, fresh),
  followLimit: 'scale',
  async step(request, { reads, listServices }) {
    const ids = new Set(request.seen.services.map((s) => s.id));
    const left = (await listServices()).filter((s) => ids.has(s.id)).length;
    if (left > 0) return { progress: `${plural(left, 'service')} still listed` };
    const stopping = ids.size === 0 ? 0 : stoppingTasksOf(await reads.listTasks({}), ids);
    return stopping === 0
      ? { status: 'succeeded', message: null, progress: `stack ${request.name} removed` }
      : { progress: `${plural(stopping, 'task')} still stopping` };
  },
};
