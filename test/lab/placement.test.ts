// Why a task is pending, per node, against the real scheduler: for each rule the lab can produce,
// the nodes smarm-top says each rule excludes must add up to the counts in the engine's own
// "no suitable node (…)" message for the same task, read with the docker CLI.
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { runCli } from '../helpers/cli.js';
import { createTestService, docker } from '../helpers/docker-cli.js';
import { waitFor } from '../helpers/wait-for.js';

interface PendingTask {
  id: string;
  serviceName: string;
  state: string;
  error: string | null;
  placement?: {
    summary: string;
    engine: string;
    nodes: Array<{
      hostname: string;
      fits: boolean;
      rule: string | null;
      reason: string;
      also: Array<{ rule: string; reason: string }>;
    }>;
  };
}

/** The engine's phrases, independent of smarm-top's own table of them (filter.go Explain). */
const ENGINE_PHRASES: Array<[rule: string, phrase: RegExp]> = [
  ['ready', /^(\d+) nodes? not available for new tasks$/],
  ['resources', /^insufficient resources on (\d+) nodes?$/],
  ['plugins', /^missing plugin on (\d+) nodes?$/],
  ['constraints', /^scheduling constraints not satisfied on (\d+) nodes?$/],
  ['platform', /^unsupported platform on (\d+) nodes?$/],
  ['host-port', /^host-mode port already in use on (\d+) nodes?$/],
  ['max-replicas', /^max replicas per node limit exceed$/],
];

/** "no suitable node (a; b)" → rule → count (max-replicas: -1, the engine gives no count). */
function engineCounts(error: string): Map<string, number> | null {
  const inner = /no suitable node \((.*)\)/.exec(error)?.[1];
  if (inner === undefined) return null;
  const counts = new Map<string, number>();
  for (const part of inner.split('; ')) {
    const found = ENGINE_PHRASES.find(([, phrase]) => phrase.test(part));
    if (found === undefined) throw new Error(`an engine phrase this test does not know: ${part}`);
    const n = found[1].exec(part)![1];
    counts.set(found[0], n === undefined ? -1 : Number(n));
  }
  return counts;
}

function ourCounts(task: PendingTask): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of task.placement?.nodes ?? []) {
    if (node.rule === null) continue;
    counts.set(node.rule, node.rule === 'max-replicas' ? -1 : (counts.get(node.rule) ?? 0) + 1);
  }
  return counts;
}

const sorted = (counts: Map<string, number>) => [...counts.entries()].sort();

describeWithLab('placement explained per node, against the scheduler', (lab) => {
  const host = lab.dockerHost;
  const cli = (...args: string[]) => docker(host, ...args);
  const created: string[] = [];
  const parked: string[] = [];

  const create = (name: string, ...args: string[]) => {
    created.push(name);
    createTestService(host, name, ...args, 'lab/busybox:1', 'sleep', '100000');
  };
  const park = (node: string, availability: 'drain' | 'pause') => {
    parked.push(node);
    cli('node', 'update', '--availability', availability, node);
  };
  const remove = (name: string) => {
    try {
      cli('service', 'rm', name);
    } catch {
      // already gone
    }
  };

  afterEach(() => {
    for (const node of parked.splice(0)) cli('node', 'update', '--availability', 'active', node);
    for (const name of created.splice(0)) remove(name);
  });
  afterAll(() => {
    for (const name of created) remove(name);
  });

  /** The engine's error for a pending task of `service`, and ours, once both say the same. */
  async function agree(service: string): Promise<{ ours: PendingTask; engine: string }> {
    let last = '';
    return waitFor(
      `smarm-top and the engine to agree on why ${service} is pending`,
      () => {
        const engine = cli(
          'service',
          'ps',
          service,
          '--no-trunc',
          '--filter',
          'desired-state=running',
          '--format',
          '{{.CurrentState}}|{{.Error}}',
        )
          .split('\n')
          .filter((line) => line.startsWith('Pending'))
          .map((line) => line.slice(line.indexOf('|') + 1).replace(/^"(.*)"$/, '$1'))[0];
        if (engine === undefined) return undefined;
        const theirs = engineCounts(engine);
        if (theirs === null) return undefined;
        const result = runCli(['--once', '--json', '--host', host]);
        const snapshot = JSON.parse(result.stdout) as { tasks: PendingTask[] };
        const ours = snapshot.tasks.find(
          (t) => t.serviceName === service && t.state === 'pending' && t.placement,
        );
        if (ours === undefined) return undefined;
        last = `engine: ${engine}\nours: ${JSON.stringify(sorted(ourCounts(ours)))}`;
        return JSON.stringify(sorted(theirs)) === JSON.stringify(sorted(ourCounts(ours)))
          ? { ours, engine }
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${last}`);
    });
  }

  const activeNodes = () =>
    cli('node', 'ls', '--format', '{{.Availability}}')
      .split('\n')
      .filter((a) => a === 'Active').length;

  it('a label constraint: every node lacks the label', async () => {
    create('fx-place-label', '--constraint', 'node.labels.fxplanet==mars');
    const { ours } = await agree('fx-place-label');
    expect(ours.placement!.summary).toBe(
      `0 of ${lab.nodes.length} nodes fit: ${activeNodes()} lack label fxplanet=mars`,
    );
    expect(ours.placement!.nodes[0]!.reason).toBe(
      'node.labels.fxplanet==mars: the node has no label fxplanet',
    );
  }, 120_000);

  it('role and hostname constraints', async () => {
    create(
      'fx-place-role',
      '--constraint',
      'node.role==manager',
      '--constraint',
      'node.hostname==worker-1',
    );
    const { ours } = await agree('fx-place-role');
    const worker = ours.placement!.nodes.find((n) => n.hostname === 'worker-1')!;
    expect(worker.reason).toBe("node.role==manager: the node's role is worker");
    const manager = ours.placement!.nodes.find((n) => n.hostname === 'manager-1')!;
    expect(manager.reason).toBe("node.hostname==worker-1: the node's hostname is manager-1");
  }, 120_000);

  it('memory and CPU reservations no node has', async () => {
    create('fx-place-memory', '--reserve-memory', '100G');
    const memory = await agree('fx-place-memory');
    expect(memory.ours.placement!.nodes[0]!.reason).toMatch(
      /^memory: needs 100 GiB reserved, [\d.]+ [KMGT]iB free of [\d.]+ [KMGT]iB$/,
    );
    create('fx-place-cpu', '--reserve-cpu', '512');
    const cpu = await agree('fx-place-cpu');
    expect(cpu.ours.placement!.nodes[0]!.reason).toMatch(/^CPU: needs 512 reserved, [\d.]+ free/);
  }, 180_000);

  it('the rules after the first: the engine names them once the first is mended', async () => {
    create(
      'fx-place-both',
      '--reserve-memory',
      '100G',
      '--constraint',
      'node.labels.fxplanet==mars',
    );
    const before = await agree('fx-place-both');
    const lacking = before.ours.placement!.nodes.filter((n) => n.rule === 'resources');
    expect(lacking.length).toBe(activeNodes());
    for (const node of lacking) {
      expect(node.also).toEqual([
        {
          rule: 'constraints',
          reason: 'node.labels.fxplanet==mars: the node has no label fxplanet',
        },
      ]);
    }
    expect(before.engine).toMatch(/insufficient resources on/);
    // Memory mended with the docker CLI: the engine now stops those nodes at the constraint.
    cli('service', 'update', '--detach', '--reserve-memory', '0', 'fx-place-both');
    const after = await waitFor(
      'the engine to name the constraint',
      async () => {
        const found = await agree('fx-place-both');
        return /scheduling constraints not satisfied/.test(found.engine) ? found : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    for (const node of lacking) {
      const now = after.ours.placement!.nodes.find((n) => n.hostname === node.hostname)!;
      expect(now.rule).toBe('constraints');
      expect(now.also).toEqual([]);
    }
  }, 300_000);

  it('max replicas per node, with a constraint on the role', async () => {
    const workers = lab.nodes.filter((n) => n.startsWith('worker')).length;
    create(
      'fx-place-max',
      '--replicas',
      String(workers + 1),
      '--replicas-max-per-node',
      '1',
      '--constraint',
      'node.role==worker',
    );
    const { ours } = await agree('fx-place-max');
    expect(ours.placement!.summary).toContain(`${workers} already run 1 (max 1 per node)`);
  }, 180_000);

  it('drained and paused nodes, mixed with a constraint', async () => {
    park('worker-1', 'drain');
    park('worker-2', 'pause');
    create('fx-place-mix', '--constraint', 'node.labels.zone==mars');
    const { ours } = await agree('fx-place-mix');
    const byHost = new Map(ours.placement!.nodes.map((n) => [n.hostname, n.reason]));
    expect(byHost.get('worker-1')).toBe('not available for new tasks: the node is drained');
    expect(byHost.get('worker-2')).toBe('not available for new tasks: the node is paused');
  }, 180_000);

  it('a host-mode port taken on the only node allowed', async () => {
    create(
      'fx-place-port-a',
      '--publish',
      'mode=host,published=9555,target=80',
      '--constraint',
      'node.hostname==worker-1',
    );
    await waitFor(
      'the first host-mode task to be placed',
      () =>
        cli('service', 'ps', 'fx-place-port-a', '--format', '{{.Node}}').includes('worker-1')
          ? true
          : undefined,
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    create(
      'fx-place-port-b',
      '--publish',
      'mode=host,published=9555,target=81',
      '--constraint',
      'node.hostname==worker-1',
    );
    const { ours } = await agree('fx-place-port-b');
    const worker = ours.placement!.nodes.find((n) => n.hostname === 'worker-1')!;
    expect(worker.reason).toMatch(/^port 9555\/tcp \(host mode\) taken by fx-place-port-a\.1$/);
  }, 180_000);
});
