// How a rollout is judged done when the engine keeps no update status of ours yet: every running
// task must be a new one — and a task made a moment before the write is not new.
import { describe, expect, it } from 'vitest';
import { rolloutStep } from '../../source/operations/kinds/rollout.js';
import { rollback, type RollbackRequest } from '../../source/operations/kinds/rollback.js';
import type { ServiceDetail, SwarmNode, SwarmService, SwarmTask } from '../../source/model.js';
import type { SwarmReads } from '../../source/docker/swarm-api.js';
import { service, task } from '../helpers/factories.js';

const SENT = Date.parse('2026-12-06T10:00:00.000Z');
const at = (ms: number) => new Date(SENT + ms).toISOString();

function context(tasks: SwarmTask[], listed: SwarmService) {
  return {
    reads: { listTasks: () => Promise.resolve(tasks) } as unknown as SwarmReads,
    listServices: () => Promise.resolve([listed]),
    listNodes: () => Promise.resolve([] as SwarmNode[]),
    before: { service: { ...listed, updateStartedAt: null } } as unknown as ServiceDetail,
    sentAt: SENT,
  };
}

describe('rolloutStep before the engine reports the update', () => {
  // made half a second before the write, as a service created and at once given a new image
  const listed = service({ id: 's1', name: 'img', running: 2, desired: 2, updateState: null });
  const justMade = [
    task({ id: 't1', serviceId: 's1', slot: 1, createdAt: at(-500) }),
    task({ id: 't2', serviceId: 's1', slot: 2, createdAt: at(-400) }),
  ];

  it('set-image: tasks on the old image are old however recent, so nothing has succeeded', async () => {
    const step = await rolloutStep(
      { kind: 'set-image', serviceId: 's1', name: 'img', image: 'lab/busybox:2' },
      context(justMade, listed),
    );
    expect(step).not.toHaveProperty('status');
    expect(step.progress).toMatch(/tasks old → new: 2 → 0/);
  });

  it('set-image: every running task on the new image is a replaced service', async () => {
    const replaced = justMade.map((t, i) => ({
      ...t,
      id: `n${i}`,
      image: 'lab/busybox:2',
      createdAt: at(1500 + i * 100),
    }));
    const step = await rolloutStep(
      { kind: 'set-image', serviceId: 's1', name: 'img', image: 'lab/busybox:2' },
      context(replaced, listed),
    );
    expect(step).toMatchObject({ status: 'succeeded' });
  });
});

describe('rolloutStep: a rollback to another image', () => {
  it('counts the tasks a failed update never reached as on the rolled-back spec', async () => {
    // lab/busybox:NOPE never started: five tasks still run lab/busybox:1, one was made anew.
    const listed = service({
      id: 's1',
      name: 'web',
      running: 6,
      desired: 6,
      updateState: 'rollback_completed',
      updateStartedAt: at(2000),
    });
    const tasks = [
      ...[1, 2, 3, 4, 5].map((slot) =>
        task({
          id: `o${slot}`,
          serviceId: 's1',
          slot,
          image: 'lab/busybox:1',
          createdAt: at(-600_000),
        }),
      ),
      task({ id: 'n6', serviceId: 's1', slot: 6, image: 'lab/busybox:1', createdAt: at(3000) }),
    ];
    const step = await rolloutStep(
      { kind: 'rollback', serviceId: 's1', name: 'web', backTo: 'lab/busybox:1' },
      context(tasks, listed),
    );
    expect(step).toMatchObject({ status: 'succeeded' });
    expect(step.progress).toMatch(/tasks old → new: 0 → 6/);
    // Without the image to go back to (the same image both ways), only what was made counts.
    const same = await rolloutStep(
      { kind: 'rollback', serviceId: 's1', name: 'web' },
      context(tasks, listed),
    );
    expect(same.progress).toMatch(/tasks old → new: 5 → 1/);
    // The rollback's own step goes back to the previous spec's image when it is another one.
    const request = {
      kind: 'rollback' as const,
      serviceId: 's1',
      name: 'web',
      seen: {
        spec: { image: 'lab/busybox:NOPE' },
        previousSpec: { image: 'lab/busybox:1' },
      },
    } as unknown as RollbackRequest;
    const viaKind = await rollback.step(request, context(tasks, listed));
    expect(viaKind.progress).toMatch(/tasks old → new: 0 → 6/);
  });
});
