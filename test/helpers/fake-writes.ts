import type { SwarmWrites } from '../../source/docker/swarm-api.js';
import type {
  NodeAvailability,
  NodeDetail,
  NodeRole,
  ServiceDetail,
  ServiceSpecView,
  StackDetail,
  SwarmNode,
} from '../../source/model.js';
import { ConnectionError, OutOfSequenceError } from '../../source/docker/errors.js';
import { node, service, specView as baseSpecView } from './factories.js';

/** A spec view as the fake service has it now: image :2, VERSION=2, 4 replicas. */
export function specView(overrides: Partial<ServiceSpecView> = {}): ServiceSpecView {
  return baseSpecView({ image: 'lab/busybox:2', env: ['VERSION=2'], replicas: 4, ...overrides });
}

/** An engine Spec holding what a spec view shows (the rollback diff reads the raw spec). */
export function specJsonOf(view: ServiceSpecView): Record<string, unknown> {
  const resources = (r: ServiceSpecView['limits']) => ({
    ...(r.nanoCpus !== null ? { NanoCPUs: r.nanoCpus } : {}),
    ...(r.memoryBytes !== null ? { MemoryBytes: r.memoryBytes } : {}),
  });
  return {
    Name: 'web',
    Labels: view.labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: view.image,
        Env: view.env,
        Command: view.command,
        Args: view.args,
        Labels: view.containerLabels,
      },
      Resources: { Limits: resources(view.limits), Reservations: resources(view.reservations) },
      Placement: { Constraints: view.constraints },
    },
    Mode: view.replicas === null ? { Global: {} } : { Replicated: { Replicas: view.replicas } },
    EndpointSpec: {
      Ports: view.ports.map((p) => ({
        PublishedPort: p.published,
        TargetPort: p.target,
        Protocol: p.protocol,
        PublishMode: p.mode,
      })),
    },
  };
}

/**
 * In-memory writes: holds one service's and one node's "engine-side" state, checks versions like
 * the engine does, and records every mutating call.
 */
export class FakeWrites implements SwarmWrites {
  writes: string[] = [];
  serviceVersion = 10;
  replicas = 4;
  forceUpdate = 0;
  spec = specView();
  previousSpec: ServiceSpecView | null = specView({ image: 'lab/busybox:1', env: ['VERSION=1'] });
  availability: NodeAvailability = 'active';
  role: NodeRole = 'worker';
  nodeLabels: Record<string, string> = {};
  nodeVersion = 20;
  /**
   * When set, inspectNode answers with the node of this list (its role, manager status, labels
   * as they are there) instead of the one fake node whose fields are above.
   */
  nodeList: SwarmNode[] | null = null;
  /** Called before each write, e.g. to simulate a concurrent change, or to throw its error. */
  beforeWrite: (() => void) | null = null;
  /** Fields of the raw Spec that no spec view holds (TaskTemplate.ContainerSpec.User …). */
  rawOnly: Record<string, unknown> = {};
  /** When set, each write waits for it before it is applied (an engine slow to answer). */
  answer: Promise<void> | null = null;
  /** The stack inspectStack answers with (its objects, by kind); removals take from it. */
  stack: StackDetail = {
    name: 'shop',
    services: [
      { id: 's1', name: 'shop_web' },
      { id: 's2', name: 'shop_api' },
    ],
    networks: [{ id: 'net1', name: 'shop_default' }],
    secrets: [{ id: 'sec1', name: 'shop_db_password' }],
    configs: [{ id: 'cfg1', name: 'shop_nginx_conf' }],
  };
  /** IDs whose removal the engine refuses, with the engine's words. */
  refuseRemoval = new Map<string, string>();

  async inspectService(id: string): Promise<ServiceDetail> {
    return {
      service: service({
        id,
        name: 'web',
        specReplicas: this.replicas,
        version: this.serviceVersion,
        // GET /services/{id} has no ServiceStatus: the engine's inspect carries no counts.
        running: 0,
        desired: 0,
      }),
      version: this.serviceVersion,
      spec: { ...this.spec, replicas: this.replicas },
      previousSpec: this.previousSpec,
      specJson: { ...specJsonOf({ ...this.spec, replicas: this.replicas }), ...this.rawOnly },
      previousSpecJson: this.previousSpec === null ? null : specJsonOf(this.previousSpec),
      forceUpdate: this.forceUpdate,
      token: { version: this.serviceVersion },
    };
  }

  async inspectNode(id: string): Promise<NodeDetail> {
    const listed = this.nodeList?.find((n) => n.id === id);
    return {
      node: listed ?? {
        ...node({ id, hostname: 'worker-1', availability: this.availability }),
        role: this.role,
        manager:
          this.role === 'manager' ? { reachability: 'reachable', address: '127.0.0.1:2377' } : null,
        labels: { ...this.nodeLabels },
      },
      version: this.nodeVersion,
      token: { version: this.nodeVersion },
    };
  }

  private async check(kind: 'service' | 'node', token: unknown): Promise<void> {
    this.beforeWrite?.();
    if (this.answer !== null) await this.answer;
    const current = kind === 'service' ? this.serviceVersion : this.nodeVersion;
    if ((token as { version: number }).version !== current) {
      throw new OutOfSequenceError(`${kind} under test`);
    }
  }

  async scaleService(detail: ServiceDetail, replicas: number): Promise<void> {
    this.writes.push(`scale ${replicas}`);
    await this.check('service', detail.token);
    this.replicas = replicas;
    this.serviceVersion++;
  }

  async forceUpdateService(detail: ServiceDetail): Promise<void> {
    this.writes.push('force-update');
    await this.check('service', detail.token);
    this.forceUpdate = detail.forceUpdate + 1;
    this.serviceVersion++;
  }

  async rollbackService(detail: ServiceDetail): Promise<void> {
    this.writes.push('rollback');
    await this.check('service', detail.token);
    this.serviceVersion++;
  }

  async setNodeAvailability(detail: NodeDetail, availability: NodeAvailability): Promise<void> {
    this.writes.push(`availability ${availability}`);
    await this.check('node', detail.token);
    this.availability = availability;
    this.nodeVersion++;
  }

  async setNodeRole(detail: NodeDetail, role: NodeRole): Promise<void> {
    this.writes.push(`role ${role}`);
    await this.check('node', detail.token);
    this.role = role;
    this.nodeVersion++;
  }

  async setServiceImage(detail: ServiceDetail, image: string): Promise<void> {
    this.writes.push(`image ${image}`);
    await this.check('service', detail.token);
    this.previousSpec = this.spec;
    this.spec = { ...this.spec, image };
    this.serviceVersion++;
  }

  async inspectStack(name: string): Promise<StackDetail> {
    const s = this.stack;
    return {
      name,
      services: [...s.services],
      networks: [...s.networks],
      secrets: [...s.secrets],
      configs: [...s.configs],
    };
  }

  private async removeFrom(kind: 'services' | 'networks' | 'secrets' | 'configs', id: string) {
    this.writes.push(`remove ${kind.slice(0, -1)} ${id}`);
    this.beforeWrite?.();
    if (this.answer !== null) await this.answer;
    const refusal = this.refuseRemoval.get(id);
    if (refusal !== undefined) throw new ConnectionError(refusal, { statusCode: 400 });
    const list = this.stack[kind];
    const at = list.findIndex((o) => o.id === id);
    if (at < 0 && kind !== 'services') {
      throw new ConnectionError(`${kind.slice(0, -1)} ${id} not found`, { statusCode: 404 });
    }
    if (at >= 0) list.splice(at, 1);
  }

  removeService(id: string): Promise<void> {
    return this.removeFrom('services', id);
  }

  removeNetwork(id: string): Promise<void> {
    return this.removeFrom('networks', id);
  }

  removeSecret(id: string): Promise<void> {
    return this.removeFrom('secrets', id);
  }

  removeConfig(id: string): Promise<void> {
    return this.removeFrom('configs', id);
  }

  async setNodeLabels(detail: NodeDetail, labels: Readonly<Record<string, string>>): Promise<void> {
    this.writes.push(
      `labels ${Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    await this.check('node', detail.token);
    this.nodeLabels = { ...labels };
    this.nodeVersion++;
  }
}
