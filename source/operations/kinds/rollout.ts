// How a rolling update of a service is followed: rollback and force-update both start one.
import type { ServiceDetail, SwarmTask } from '../../model.js';
import type { FollowContext, Step } from '../kind.js';

/**
 * One reading of the rollout `kind` started at `sentAt`: its UpdateStatus when it is ours, else
 * whether every running task is a new one.
 */
export async function rolloutStep(
  request: {
    kind: 'rollback' | 'force-update' | 'set-image';
    serviceId: string;
    name: string;
    /** set-image: the new image, which tells a new task from an old one for certain. */
    image?: string;
    /**
     * A rollback to another image: the tasks running it are counted as on the rolled-back spec,
     * however old (a rollback leaves where they are the tasks a failed update never reached).
     */
    backTo?: string;
  },
  { reads, listServices, before, sentAt }: FollowContext<ServiceDetail>,
): Promise<Step> {
  const [services, tasks] = await Promise.all([
    listServices(),
    reads.listTasks({ serviceId: request.serviceId }),
  ]);
  const service = services.find((s) => s.id === request.serviceId);
  if (!service) return { status: 'failed', message: `${request.name} was removed`, progress: '' };
  const running = tasks.filter((t) => t.desiredState === 'running' && t.state === 'running');
  const runs = (t: SwarmTask, image: string) =>
    t.image === image || t.image.startsWith(`${image}@`);
  // Made since the write (a second of slack for the engine's clock); with a new image, only a
  // task running it: the old tasks of a service made a moment before are as recent.
  const image = request.image;
  const isNew = (t: SwarmTask) =>
    t.createdAt !== null &&
    Date.parse(t.createdAt) >= sentAt - 1000 &&
    (image === undefined || runs(t, image));
  const fresh = running.filter(isNew).length;
  const old = running.length - fresh;
  // What the line counts; whether the rollout is done is still judged by the tasks made for it.
  const backTo = request.backTo;
  const shown = backTo === undefined ? fresh : running.filter((t) => runs(t, backTo)).length;
  const state = service.updateState;
  // An update status from before ours does not count: ours has a new start time.
  const ours = state !== null && service.updateStartedAt !== before.service.updateStartedAt;
  const message = service.updateMessage;
  const progress = `${ours ? state : 'waiting for the update to start'} · tasks old → new: ${running.length - shown} → ${shown}${message ? ` · ${message}` : ''}`;
  if (!ours) {
    // Any other change to the service (a scale, say) clears UpdateStatus while the rollout
    // goes on, so a rollout is also done when every running task is a new one.
    const replaced =
      state === null && fresh > 0 && old === 0 && service.running === service.desired;
    return replaced
      ? {
          status: 'succeeded',
          message: 'all tasks replaced (the engine keeps no update status)',
          progress,
        }
      : { progress };
  }
  const rollback = request.kind === 'rollback';
  switch (state) {
    case 'completed':
      return rollback
        ? {
            status: 'failed',
            message: `another update replaced the rollback${message ? `: ${message}` : ''}`,
            progress,
          }
        : { status: 'succeeded', message, progress };
    case 'rollback_completed':
      return rollback
        ? { status: 'succeeded', message, progress }
        : {
            status: 'failed',
            message: `the update failed and was rolled back${message ? `: ${message}` : ''}`,
            progress,
          };
    case 'paused':
    case 'rollback_paused':
      return { status: 'paused', message: message ?? state, progress };
    default:
      return { progress };
  }
}
