import { Text } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import {
  useInspect,
  type InspectResult,
  type InspectTarget,
} from '../../source/hooks/use-inspect.js';
import { MASK } from '../../source/format/mask.js';
import { FakeSwarm } from '../helpers/fake-api.js';
import { node, service, task } from '../helpers/factories.js';
import { flush, renderFixed, type RenderFixedResult } from '../helpers/render.js';
import { waitFor } from '../helpers/wait-for.js';

// The hook in a probe component: every render's result is recorded, so tests can tell a new
// lines array from the same one (an idle refresh must not redraw).

const seen: InspectResult[] = [];
let view: RenderFixedResult | null = null;

function Probe(props: {
  api: FakeSwarm;
  target: InspectTarget | null;
  refreshMs: number;
  reveal: boolean;
}) {
  const result = useInspect({
    api: props.api,
    target: props.target,
    refreshMs: props.refreshMs,
    revealSecrets: props.reveal,
  });
  seen.push(result);
  return <Text>{result.lines.length}</Text>;
}

function mount(api: FakeSwarm, target: InspectTarget | null, refreshMs = 10_000, reveal = false) {
  view = renderFixed(<Probe api={api} target={target} refreshMs={refreshMs} reveal={reveal} />);
  return (next: InspectTarget | null, nextReveal = reveal, nextRefresh = refreshMs) =>
    view?.rerender(<Probe api={api} target={next} refreshMs={nextRefresh} reveal={nextReveal} />);
}

const last = (): InspectResult => seen[seen.length - 1]!;

function serviceRaw(name: string, env: string[] = []): Record<string, unknown> {
  return { ID: `s-${name}`, Spec: { Name: name, TaskTemplate: { ContainerSpec: { Env: env } } } };
}

afterEach(() => {
  view?.unmount();
  view = null;
  seen.length = 0;
});

describe('useInspect', () => {
  it('is idle without a target', async () => {
    const api = new FakeSwarm();
    mount(api, null);
    await flush();
    expect(last()).toEqual({ raw: null, lines: [], error: null, loading: false });
    expect(api.calls).toEqual([]);
  });

  it('loads the target, then shows its lines with secrets masked unless revealed', async () => {
    const api = new FakeSwarm();
    api.raw.set('service:s-web', serviceRaw('web', ['DB_PASSWORD=hunter2']));
    const update = mount(api, { kind: 'service', id: 's-web' });
    expect(seen[0]?.loading).toBe(true);
    await waitFor('the answer', () => !last().loading, { timeoutMs: 5_000, intervalMs: 5 });
    expect(last().raw).toEqual(serviceRaw('web', ['DB_PASSWORD=hunter2']));
    expect(last().lines).toContain(`        - DB_PASSWORD=${MASK}`);
    expect(last().error).toBeNull();
    update({ kind: 'service', id: 's-web' }, true);
    await flush();
    expect(last().lines).toContain('        - DB_PASSWORD=hunter2');
    // Revealing re-renders what it has; it does not ask again.
    expect(api.calls).toEqual(['inspect:service:s-web']);
  });

  it('keeps the same lines array when a refresh answers the same, and follows a change', async () => {
    const api = new FakeSwarm();
    api.raw.set('task:t1', { ID: 't1', Spec: {}, Status: { State: 'running' } });
    mount(api, { kind: 'task', id: 't1' }, 5);
    await waitFor('three refreshes', () => api.calls.length >= 3, {
      timeoutMs: 5_000,
      intervalMs: 5,
    });
    const first = last().lines;
    expect(first).toContain('  State: running');
    await waitFor('two more', () => api.calls.length >= 5, { timeoutMs: 5_000, intervalMs: 5 });
    expect(last().lines).toBe(first);
    api.raw.set('task:t1', { ID: 't1', Spec: {}, Status: { State: 'failed' } });
    await waitFor('the change', () => last().lines.includes('  State: failed'), {
      timeoutMs: 5_000,
      intervalMs: 5,
    });
  });

  it('keeps the last answer on screen with the error when a refresh fails', async () => {
    const api = new FakeSwarm();
    api.raw.set('service:s-web', serviceRaw('web'));
    mount(api, { kind: 'service', id: 's-web' }, 5);
    await waitFor('the answer', () => last().lines.length > 0, { timeoutMs: 5_000, intervalMs: 5 });
    const lines = last().lines;
    api.raw.delete('service:s-web');
    await waitFor('the error', () => last().error ?? undefined, {
      timeoutMs: 5_000,
      intervalMs: 5,
    });
    expect(last().error).toBe('The service s-web no longer exists.');
    expect(last().lines).toBe(lines);
    expect(last().loading).toBe(false);
  });

  it('says why when the first answer fails', async () => {
    const api = new FakeSwarm();
    api.failWith = 'The Docker engine at unix:///fake/docker.sock did not answer within 10 s.';
    mount(api, { kind: 'node', id: 'n1' });
    await waitFor('the error', () => last().error ?? undefined, {
      timeoutMs: 5_000,
      intervalMs: 5,
    });
    expect(last()).toMatchObject({ raw: null, lines: [], loading: false });
  });

  it('drops an answer for a target no longer shown', async () => {
    const api = new FakeSwarm();
    api.raw.set('service:s-a', serviceRaw('alpha'));
    api.raw.set('service:s-b', serviceRaw('beta'));
    // The first answer is held until the target has changed.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inspect = api.inspectObject.bind(api);
    api.inspectObject = async (kind, id) => {
      const answer = await inspect(kind, id);
      if (id === 's-a') await gate;
      return answer;
    };
    const update = mount(api, { kind: 'service', id: 's-a' });
    await flush();
    update({ kind: 'service', id: 's-b' });
    await waitFor('beta', () => last().lines.includes('  Name: beta'), {
      timeoutMs: 5_000,
      intervalMs: 5,
    });
    release();
    await flush(10);
    expect(seen.some((result) => result.lines.includes('  Name: alpha'))).toBe(false);
    expect(last().lines).toContain('  Name: beta');
  });

  it('puts a node’s capacity, labels and tasks above its spec', async () => {
    const api = new FakeSwarm();
    api.raw.set('node:n1', {
      ID: 'n1',
      Spec: { Role: 'worker', Availability: 'active', Labels: { zone: 'b' } },
      Description: {
        Hostname: 'worker-1',
        Resources: { NanoCPUs: 4e9, MemoryBytes: 8 * 1024 ** 3 },
      },
      Status: { State: 'ready' },
    });
    api.nodes = [node({ id: 'n1', hostname: 'worker-1' })];
    api.services = [service({ id: 's-web', name: 'web' })];
    api.tasks = [
      task({ id: 't1', serviceId: 's-web', nodeId: 'n1', slot: 1, reservedNanoCpus: 1e9 }),
      task({
        id: 't2',
        serviceId: 's-web',
        nodeId: 'n1',
        slot: 2,
        desiredState: 'shutdown',
        state: 'failed',
      }),
      task({ id: 't3', serviceId: 's-web', nodeId: 'n2', slot: 3 }),
    ];
    mount(api, { kind: 'node', id: 'n1' });
    await waitFor('the answer', () => last().lines.length > 0, { timeoutMs: 5_000, intervalMs: 5 });
    const lines = last().lines;
    expect(lines.slice(0, 7)).toEqual([
      'worker-1 · worker · active · ready',
      'CPU 4 · reserved 1 (25 %) by 1 running task',
      'memory 8 GiB · nothing reserved',
      'labels: zone=b',
      'tasks: 1 meant to run here',
      '  web.1  running  reserves 1 CPU',
      '',
    ]);
    expect(lines[7]).toBe('ID: n1');
    expect(api.calls).toEqual(expect.arrayContaining(['inspect:node:n1', 'tasks:n1', 'services']));
  });
});
