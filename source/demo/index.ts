// `smarm-top --demo`: a simulated swarm, served in this process on a private UNIX socket by the
// fake engine (the one the tests and benchmarks use), so that the app talks to it through the
// same seam as to a real engine: dockerode, our parsers, the operations path. Loaded only for
// --demo (its own file in dist/): a normal start never parses it.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Endpoint } from '../docker/connection.js';
import { FakeCluster } from './engine/cluster.js';
import { FakeEngineServer } from './engine/server.js';

/** How the demo's endpoint is named wherever an endpoint is named (header, messages, audit). */
export const DEMO_ENDPOINT_LABEL = 'demo (in-process)';

export interface Demo {
  endpoint: Endpoint;
  /** The demo's private folder (mode 0700), removed when the process exits. */
  dir: string;
  cluster: FakeCluster;
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** Time a new task is "starting" (default 1.5 s: counts converge over a few seconds). */
  taskStartMs?: number;
  /** Time between two tasks of an update or rollback (default 1 s). */
  updateStepMs?: number;
  now?: () => number;
}

/**
 * The demo's swarm: 5 nodes (3 managers, manager-1 the leader, worker-002 drained), a healthy
 * replicated service, a global one, a crash loop, a service after an update (rollback has a
 * previous spec to go to), one in the middle of a rolling update, a task no node can take, and a
 * replicated job that finished.
 */
export function demoCluster(options: DemoOptions = {}): FakeCluster {
  const cluster = new FakeCluster({
    nodes: 5,
    services: 0,
    tasksPerService: 0,
    // The engine's default TaskHistoryRetentionLimit.
    historyPerTask: 5,
    seed: 2026,
    taskStartMs: options.taskStartMs ?? 1500,
    updateStepMs: options.updateStepMs ?? 1000,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  cluster.setNodeAvailability('worker-002', 'drain');
  // What `docker stack deploy` makes beside the services: networks, secrets and configs labelled
  // with their stack; and one of each that nothing uses any more.
  const objects = cluster.objects;
  const stackLabel = (stack: string) => ({ 'com.docker.stack.namespace': stack });
  objects.addNetwork({ name: 'shop_default', labels: stackLabel('shop') });
  objects.addNetwork({ name: 'billing_secure', encrypted: true, labels: stackLabel('billing') });
  objects.addNetwork({ name: 'monitoring', attachable: true });
  objects.addNetwork({ name: 'legacy_backend', internal: true });
  objects.addSecret('shop_db_password', stackLabel('shop'));
  objects.addSecret('billing_stripe_key', stackLabel('billing'));
  objects.addSecret('old_tls_key');
  objects.addConfig('shop_nginx_conf', 'worker_processes 4;\nevents {}\n', stackLabel('shop'));
  objects.addConfig('unused_feature_flags', '{"checkout_v2": true}\n');
  cluster.addService({
    name: 'shop_web',
    stack: 'shop',
    image: 'registry.example/shop/web:2.4.1',
    replicas: 3,
    networks: ['shop_default'],
    configs: [{ name: 'shop_nginx_conf', target: '/etc/nginx/nginx.conf' }],
    ports: [{ published: 8080, target: 80 }],
  });
  cluster.addService({
    name: 'shop_api',
    stack: 'shop',
    image: 'registry.example/shop/api:1.8.0',
    env: ['LOG_LEVEL=info', 'FEATURE_CHECKOUT_V2=1'],
    previous: { image: 'registry.example/shop/api:1.7.3', env: ['LOG_LEVEL=info'] },
    replicas: 2,
    networks: ['shop_default'],
    secrets: ['shop_db_password'],
  });
  cluster.addService({
    name: 'shop_worker',
    stack: 'shop',
    image: 'registry.example/shop/worker:3.1.0',
    replicas: 4,
    networks: ['shop_default'],
  });
  cluster.addService({
    name: 'monitoring_node-agent',
    stack: 'monitoring',
    image: 'registry.example/monitoring/agent:0.9.2',
    replicas: null,
    networks: ['monitoring'],
    ports: [{ published: 9100, target: 9100, mode: 'host' }],
  });
  cluster.addService({
    name: 'billing_invoices',
    stack: 'billing',
    image: 'registry.example/billing/invoices:5.0.0',
    replicas: 2,
    networks: ['billing_secure'],
    secrets: ['billing_stripe_key'],
    crashLoop: { runMs: 4000, restartDelayMs: 5000, exitCode: 1 },
  });
  cluster.addService({
    name: 'billing_pdf-render',
    stack: 'billing',
    image: 'registry.example/billing/pdf-render:2.2.0',
    replicas: 1,
    constraints: ['node.labels.gpu==true'],
  });
  // A job that ran last night: finished, so "0/3 (3/3 completed)" and no problem.
  cluster.addService({
    name: 'billing_nightly-report',
    stack: 'billing',
    image: 'registry.example/billing/report:5.0.0',
    replicas: 3,
    finishedJobAgoMs: 9 * 3600_000,
  });
  // Slow, so that the rollout is still under way when the first screen shows.
  cluster.startRollingUpdate('shop_worker', {
    image: 'registry.example/shop/worker:3.2.0',
    stepMs: 8000,
  });
  return cluster;
}

/** Starts the demo engine on a socket in a new private folder; nothing outside it is touched. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const dir = mkdtempSync(path.join(tmpdir(), 'smarm-demo-'));
  chmodSync(dir, 0o700);
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  // Every way out (exit codes, errors, signals handled by the app) passes 'exit'.
  process.once('exit', removeDir);
  const socketPath = path.join(dir, 'engine.sock');
  const cluster = demoCluster(options);
  const server = new FakeEngineServer(cluster, {
    socketPath,
    logIntervalMs: 1000,
    logBacklogLines: 20,
  });
  await server.listen();
  return {
    endpoint: { kind: 'unix', socketPath, label: DEMO_ENDPOINT_LABEL, source: 'default' },
    dir,
    cluster,
    async stop() {
      cluster.stop();
      await server.close();
      removeDir();
      process.off('exit', removeDir);
    },
  };
}
