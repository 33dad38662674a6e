// Following the probe: its lines through the service logs API, taken in once a second as one
// batch, other lines ignored; its tasks' errors per node; nothing after the signal aborts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { followProbe } from '../../source/live/usage-probe.js';
import type { ProbeLine } from '../../source/probe/line.js';
import { FakeSwarm } from '../helpers/fake-api.js';
import { task } from '../helpers/factories.js';

const line = (t: string) => ({
  serviceId: 'probe',
  taskId: null,
  nodeId: null,
  stream: 'stdout' as const,
  time: null,
  text: JSON.stringify({ t, n: 'n1', c: 1, m: 2, l: 3, h: 'none', a: 4 }),
});

afterEach(() => {
  vi.useRealTimers();
});

describe('following the probe', () => {
  it('takes the lines of a second in as one batch and the nodes where it cannot start', async () => {
    vi.useFakeTimers();
    const api = new FakeSwarm();
    api.tasks = [
      task({
        id: 'p1',
        serviceId: 'probe',
        nodeId: 'n2',
        state: 'rejected',
        error: 'No such image: x:1',
      }),
    ];
    const batches: ProbeLine[][] = [];
    const errors: Record<string, string>[] = [];
    const controller = new AbortController();
    const done = followProbe({
      api,
      serviceId: 'probe',
      image: 'x:1',
      signal: controller.signal,
      onLines: (lines) => batches.push(lines),
      onNodeErrors: (e) => errors.push(e),
      now: () => 1_000_000,
    });
    await vi.advanceTimersByTimeAsync(10);
    api.pushLogs([line('a'), { ...line('x'), text: 'not a probe line' }]);
    api.pushLogs([line('b')]);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(batches.map((b) => b.map((l) => l.task))).toEqual([['a', 'b']]);
    expect(errors[0]).toEqual({ n2: 'image x:1 not found (No such image: x:1)' });
    // only what is new: the stream starts a few seconds back, following
    expect(api.logQueries[0]).toMatchObject({
      target: { kind: 'service', id: 'probe' },
      follow: true,
      since: 996,
    });
    controller.abort();
    api.pushLogs([line('c')]);
    await vi.advanceTimersByTimeAsync(6000);
    await done;
    expect(batches).toHaveLength(1);
  });
});
