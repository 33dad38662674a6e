// A fake Docker Engine for tests and benchmarks: a swarm of any size, built from the objects
// recorded in the lab, served over a UNIX socket so that dockerode and smarm-top's parsers do
// their real work. It never replaces the lab in the tests that check behaviour against Docker.
//
//   const engine = await startFakeEngine({ socketPath: '/tmp/fake.sock' });
//   // DOCKER_HOST=unix:///tmp/fake.sock — 100 nodes, 1,000 services, 10,000 running tasks
//   const stopChurn = engine.startChurn({ taskFailuresPerSecond: 2, rollingUpdate: 'shop_web' });
//   engine.mutate.scaleService('shop_api', 3);
//   engine.stats();            // requests and bytes served, by path
//   await engine.stop();

import { FakeCluster, type RollingUpdateOptions } from './cluster.js';
import { FakeEngineServer, type FakeEngineStats } from './server.js';

export type { FakeEngineStats, PathStats } from './server.js';
export { FakeCluster } from './cluster.js';

export interface FakeEngineOptions {
  socketPath: string;
  nodes?: number;
  services?: number;
  /** Replicas per service. */
  tasksPerService?: number;
  /** Old tasks kept per slot (failed / shut down). */
  historyPerTask?: number;
  seed?: number;
  /** A followed log writes one line per running task this often (default 1000 ms). */
  logIntervalMs?: number;
  /** Lines each task has logged before a log request (default 20). */
  logBacklogLines?: number;
  /** A service update is applied at once but answered this much later (default 0). */
  updateAnswerDelayMs?: number;
}

export interface ChurnOptions {
  /** Running tasks that fail per second, anywhere in the swarm; each is replaced in its slot. */
  taskFailuresPerSecond: number;
  /** A service (ID or name) to roll out a new image to while the churn runs. */
  rollingUpdate?: string;
  /** Time between two tasks of the rolling update (default 500 ms). */
  updateStepMs?: number;
  /** A replacement task is "starting" this long before it runs (default 1000 ms). */
  restartMs?: number;
}

export interface FakeEngineMutations {
  scaleService(service: string, replicas: number): void;
  drainNode(hostname: string): void;
  setNodeAvailability(hostname: string, availability: 'active' | 'pause' | 'drain'): void;
  setNodeState(hostname: string, state: 'ready' | 'down'): void;
  /** A running task (by task ID, or a service's task in `slot`, default its first) fails. */
  failTask(ref: string, slot?: number): { failed: string; replacement: string };
  startRollingUpdate(service: string, options?: RollingUpdateOptions): void;
}

export interface FakeEngine {
  socketPath: string;
  /** The swarm behind the socket, for tests that need IDs and names. */
  cluster: FakeCluster;
  stop(): Promise<void>;
  stats(): FakeEngineStats;
  resetStats(): void;
  mutate: FakeEngineMutations;
  /** Steady change until the returned function is called (or the engine stops). */
  startChurn(options: ChurnOptions): () => void;
}

export async function startFakeEngine(options: FakeEngineOptions): Promise<FakeEngine> {
  const cluster = new FakeCluster({
    nodes: options.nodes ?? 100,
    services: options.services ?? 1000,
    tasksPerService: options.tasksPerService ?? 10,
    historyPerTask: options.historyPerTask ?? 2,
    seed: options.seed ?? 1,
  });
  const server = new FakeEngineServer(cluster, {
    socketPath: options.socketPath,
    logIntervalMs: options.logIntervalMs ?? 1000,
    logBacklogLines: options.logBacklogLines ?? 20,
    ...(options.updateAnswerDelayMs !== undefined
      ? { updateAnswerDelayMs: options.updateAnswerDelayMs }
      : {}),
  });
  await server.listen();

  const churns = new Set<() => void>();
  const startChurn = (churn: ChurnOptions): (() => void) => {
    const tickMs = 100;
    let owed = 0;
    const timer = setInterval(() => {
      owed += (churn.taskFailuresPerSecond * tickMs) / 1000;
      while (owed >= 1) {
        owed -= 1;
        cluster.failRandomTask(churn.restartMs ?? 1000);
      }
    }, tickMs);
    if (churn.rollingUpdate !== undefined) {
      cluster.startRollingUpdate(churn.rollingUpdate, { stepMs: churn.updateStepMs ?? 500 });
    }
    const stop = (): void => {
      clearInterval(timer);
      churns.delete(stop);
    };
    churns.add(stop);
    return stop;
  };

  return {
    socketPath: options.socketPath,
    cluster,
    async stop() {
      for (const stop of [...churns]) stop();
      cluster.stop();
      await server.close();
    },
    stats: () => server.stats(),
    resetStats: () => server.resetStats(),
    startChurn,
    mutate: {
      scaleService: (service, replicas) => cluster.scaleService(service, replicas),
      drainNode: (hostname) => cluster.setNodeAvailability(hostname, 'drain'),
      setNodeAvailability: (hostname, availability) =>
        cluster.setNodeAvailability(hostname, availability),
      setNodeState: (hostname, state) => cluster.setNodeState(hostname, state),
      failTask: (ref, slot) => cluster.failTask(ref, slot),
      startRollingUpdate: (service, rollout) => cluster.startRollingUpdate(service, rollout),
    },
  };
}
