import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../source/docker/errors.js';
import { FailoverSwarmApi, warrantsFailover } from '../../source/docker/failover-api.js';
import type { SwarmApi } from '../../source/docker/swarm-api.js';
import type { EngineInfo } from '../../source/model.js';
import { service } from '../helpers/factories.js';

const MANAGER: EngineInfo = {
  hostname: 'm',
  serverVersion: '28.2.2',
  localNodeState: 'active',
  nodeId: 'n',
  controlAvailable: true,
  remoteManagers: [],
  clusterId: 'c',
};

interface FakeManager extends SwarmApi {
  down: boolean;
  hangs: boolean;
  worker: boolean;
  cluster: string | null;
  calls: string[];
}

const unreachable = (label: string) =>
  new ConnectionError(`Cannot connect to the Docker engine at ${label}: no such socket.`);

function manager(name: string): FakeManager {
  const label = `unix:///${name}.sock`;
  const m = {
    endpoint: label,
    down: false,
    hangs: false,
    worker: false,
    cluster: 'c' as string | null,
    calls: [] as string[],
    async answer<T>(what: string, value: T): Promise<T> {
      m.calls.push(what);
      if (m.hangs) return new Promise<T>(() => undefined);
      if (m.down) throw unreachable(label);
      return value;
    },
    info: () =>
      m.answer('info', {
        ...MANAGER,
        controlAvailable: !m.worker,
        clusterId: m.cluster,
      }),
    version: () => m.answer('version', { apiVersion: '1.47', version: '28.2.2' }),
    listNodes: () => m.answer('nodes', []),
    listServices: () => m.answer('services', [service({ id: name, name })]),
    listTasks: () => m.answer('tasks', []),
    watchEvents: () => m.answer('events', undefined),
    streamLogs: () => m.answer('logs', undefined),
    inspectService: () => Promise.reject(new Error('unused')),
    inspectNode: () => Promise.reject(new Error('unused')),
    scaleService: () => m.answer('scale', undefined),
    forceUpdateService: () => m.answer('force', undefined),
    rollbackService: () => m.answer('rollback', undefined),
    setNodeAvailability: () => m.answer('availability', undefined),
  };
  return m as unknown as FakeManager;
}

describe('failover across managers', () => {
  it('reads from the first manager while it answers', async () => {
    const [a, b] = [manager('a'), manager('b')];
    const api = new FailoverSwarmApi([a, b]);
    expect((await api.listServices())[0]?.name).toBe('a');
    expect(b.calls).toEqual([]);
  });

  it('moves to the next manager that answers, says so, and stays there', async () => {
    const [a, b, c] = [manager('a'), manager('b'), manager('c')];
    const api = new FailoverSwarmApi([a, b, c]);
    let heard = 0;
    api.subscribeEndpoint(() => (heard += 1));
    a.down = true;
    expect((await api.listServices())[0]?.name).toBe('b');
    expect(api.endpoint).toBe('unix:///b.sock');
    expect(api.lastFailover()).toMatchObject({ from: 'unix:///a.sock', to: 'unix:///b.sock' });
    expect(api.lastFailover()?.reason).toMatch(/no such socket/);
    expect(heard).toBe(1);
    a.down = false;
    await api.listServices();
    expect(api.endpoint).toBe('unix:///b.sock');
  });

  it('skips managers that hang or are no longer managers', async () => {
    const [a, b, c, d] = [manager('a'), manager('b'), manager('c'), manager('d')];
    const api = new FailoverSwarmApi([a, b, c, d], 50);
    a.down = true;
    b.hangs = true;
    c.worker = true;
    expect((await api.listServices())[0]?.name).toBe('d');
  });

  it('gives the original error when no other manager answers', async () => {
    const [a, b] = [manager('a'), manager('b')];
    const api = new FailoverSwarmApi([a, b]);
    a.down = true;
    b.down = true;
    await expect(api.listServices()).rejects.toThrow(/a\.sock: no such socket/);
    expect(api.endpoint).toBe('unix:///a.sock');
  });

  it('moves once for reads that fail together', async () => {
    const [a, b] = [manager('a'), manager('b')];
    const api = new FailoverSwarmApi([a, b]);
    let heard = 0;
    api.subscribeEndpoint(() => (heard += 1));
    a.down = true;
    await Promise.all([api.listServices(), api.listNodes(), api.listTasks({})]);
    expect(heard).toBe(1);
    expect(b.calls.filter((c) => c === 'info')).toHaveLength(1);
  });

  it('never sends a write twice: a failed write is not retried on another manager', async () => {
    const [a, b] = [manager('a'), manager('b')];
    const api = new FailoverSwarmApi([a, b]);
    a.down = true;
    await expect(api.forceUpdateService({} as never)).rejects.toThrow(/no such socket/);
    expect(b.calls).toEqual([]);
  });

  it('does not move for HTTP answers, nor for a swarm without a leader', () => {
    expect(warrantsFailover(new ConnectionError('x', { statusCode: 404 }))).toBe(false);
    expect(
      warrantsFailover(
        new ConnectionError('The swarm does not have a leader.', { statusCode: 503 }),
      ),
    ).toBe(false);
    expect(
      warrantsFailover(
        new ConnectionError('This node is not a swarm manager.', { statusCode: 503 }),
      ),
    ).toBe(true);
    expect(warrantsFailover(new Error('plain'))).toBe(false);
  });
});

describe('failover stays in one swarm', () => {
  it('refuses at start managers that report different cluster IDs, naming both', async () => {
    const [prod, staging] = [manager('prod'), manager('staging')];
    prod.cluster = 'PROD';
    staging.cluster = 'STAGING';
    const api = new FailoverSwarmApi([prod, staging]);
    await expect(api.checkOneSwarm()).rejects.toThrow(
      /--host unix:\/\/\/prod\.sock and --host unix:\/\/\/staging\.sock are managers of different swarms/,
    );
  });

  it('accepts managers of one swarm, and one that does not answer at start', async () => {
    const [a, b, c] = [manager('a'), manager('b'), manager('c')];
    c.down = true;
    await expect(new FailoverSwarmApi([a, b, c]).checkOneSwarm()).resolves.toBeUndefined();
  });

  it('never moves to a manager of another swarm', async () => {
    const [prod, staging] = [manager('prod'), manager('staging')];
    prod.cluster = 'PROD';
    staging.cluster = 'STAGING';
    const api = new FailoverSwarmApi([prod, staging]);
    // The preflight's info is where the swarm is learnt.
    await api.info();
    prod.down = true;
    await expect(api.listServices()).rejects.toThrow(/no such socket/);
    expect(api.endpoint).toBe('unix:///prod.sock');
    expect(api.lastFailover()).toBeNull();
  });

  it('moves past a manager of another swarm to one of the same swarm', async () => {
    const [a, other, b] = [manager('a'), manager('other'), manager('b')];
    a.cluster = 'X';
    other.cluster = 'Y';
    b.cluster = 'X';
    const api = new FailoverSwarmApi([a, other, b]);
    await api.checkOneSwarm().catch(() => undefined);
    await api.info();
    a.down = true;
    expect((await api.listServices())[0]?.name).toBe('b');
  });
});
