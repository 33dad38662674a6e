// `smarm-top probe`: its arguments, one tick against a fake engine, and its lines read back.
import { describe, expect, it } from 'vitest';
import type { StatsSample, TaskContainer } from '../../source/docker/probe-stats.js';
import type { ProbeEngine } from '../../source/docker/probe-engine.js';
import { probeTarget } from '../../source/docker/probe-engine.js';
import { formatProbeLine, parseProbeLine } from '../../source/probe/line.js';
import { parseProbeArgs, probeTick } from '../../source/probe/run-probe.js';

const sample = (cpuTotalNs: number, systemNs: number): StatsSample => ({
  cpuTotalNs,
  systemNs,
  onlineCpus: 2,
  readAt: 1_000 + systemNs / 1e6,
  memoryUsed: 50e6,
  memoryLimit: 64 * 1024 * 1024,
});

const container = (id: string, health: TaskContainer['health'] = 'none'): TaskContainer => ({
  id,
  taskId: `task${id}`,
  taskName: `svc.1.task${id}`,
  serviceName: 'svc',
  nodeId: 'node1',
  health,
});

describe('smarm-top probe', () => {
  it('takes --lifetime and --every, and says in one sentence what is wrong', () => {
    expect(parseProbeArgs([])).toEqual({ lifetimeS: 600, everyS: 2 });
    expect(parseProbeArgs(['--lifetime', '30', '--every=1'])).toEqual({ lifetimeS: 30, everyS: 1 });
    expect(parseProbeArgs(['--lifetime', 'x'])).toMatch(/^--lifetime must be/);
    expect(parseProbeArgs(['--lifetime'])).toMatch(/^--lifetime must be/);
    expect(parseProbeArgs(['--every', '0'])).toMatch(/^--every must be/);
    expect(parseProbeArgs(['--bogus'])).toMatch(/not "--bogus"/);
  });

  it('reads the socket DOCKER_HOST names, else the usual one', () => {
    expect(probeTarget(undefined)).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(probeTarget('unix:///run/d.sock')).toEqual({ socketPath: '/run/d.sock' });
    expect(probeTarget('tcp://127.0.0.1:2375')).toEqual({ host: '127.0.0.1', port: 2375 });
    expect(() => probeTarget('ssh://x')).toThrow(/unix socket/);
  });

  it('prints no CPU on a first tick, then the delta from the sample it kept', async () => {
    let round = 0;
    const engine: ProbeEngine = {
      taskContainers: () =>
        Promise.resolve(
          round === 0 ? [container('a'), container('b', 'unhealthy')] : [container('a')],
        ),
      stats: (id) =>
        Promise.resolve(
          id === 'a' ? sample(round === 0 ? 0 : 1e9, round === 0 ? 0 : 2e9) : sample(5, 0),
        ),
    };
    const first = await probeTick(engine, new Map());
    expect(first.lines.map(parseProbeLine)).toEqual([
      {
        task: 'taska',
        node: 'node1',
        cpu: null,
        mem: 50e6,
        lim: 67108864,
        health: 'none',
        at: 1000,
      },
      {
        task: 'taskb',
        node: 'node1',
        cpu: null,
        mem: 50e6,
        lim: 67108864,
        health: 'unhealthy',
        at: 1000,
      },
    ]);
    round = 1;
    const second = await probeTick(engine, first.samples);
    // 1e9 ns of CPU in 2e9 ns of host time on 2 CPUs: one core busy
    expect(second.lines.map((l) => parseProbeLine(l)?.cpu)).toEqual([100]);
    // the gone container's sample is dropped
    expect([...second.samples.keys()]).toEqual(['a']);
  });

  it('skips a container whose stats cannot be read', async () => {
    const engine: ProbeEngine = {
      taskContainers: () => Promise.resolve([container('a'), container('b')]),
      stats: (id) => (id === 'a' ? Promise.reject(new Error('gone')) : Promise.resolve(null)),
    };
    expect((await probeTick(engine, new Map())).lines).toEqual([]);
  });

  it('reads back only well-formed probe lines', () => {
    const line = {
      task: 'abc',
      node: 'n1',
      cpu: 12.34,
      mem: 1,
      lim: 2,
      health: 'healthy' as const,
      at: 5,
    };
    expect(parseProbeLine(formatProbeLine(line))).toEqual({ ...line, cpu: 12.3 });
    for (const bad of [
      'hello',
      '{"note":"start"}',
      '{"t":"ABC!","n":"n","c":1,"m":1,"l":1,"h":"none","a":1}',
      '{"t":"a","n":"n","c":-1,"m":1,"l":1,"h":"none","a":1}',
      '{"t":"a","n":"n","c":1,"m":1,"l":1,"h":"sick","a":1}',
      '{"t":"a","n":"n","c":1,"m":1,',
    ]) {
      expect(parseProbeLine(bad), bad).toBeNull();
    }
  });
});
