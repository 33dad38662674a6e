// The fake engine's networks, secrets, configs and swarm, shaped like the lab's own answers
// (test/fixtures/lab). The swarm answers with join tokens as a real manager does: they are fake,
// and smarm-top must never show them.
import swarmJson from '../../../test/fixtures/lab/swarm.json' with { type: 'json' };
import { EngineError, goTime } from './engine-basics.js';

type Json = Record<string, unknown>;

export interface EngineNetwork extends Json {
  Id: string;
  Name: string;
  Created: string;
  Options: Record<string, string>;
  IPAM: { Driver: string; Options: null; Config: Array<{ Subnet: string; Gateway: string }> };
}

export interface EngineSecret extends Json {
  ID: string;
  Spec: { Name: string; Labels: Record<string, string>; Data?: string };
}

export interface NetworkOptions {
  name: string;
  encrypted?: boolean;
  attachable?: boolean;
  internal?: boolean;
  labels?: Record<string, string>;
}

/** The swarm objects beside nodes, services and tasks; ids come from the cluster's generator. */
export class EngineObjects {
  readonly networks: EngineNetwork[] = [];
  readonly secrets: EngineSecret[] = [];
  readonly configs: EngineSecret[] = [];
  private subnet = 0;
  readonly swarm: Json;

  constructor(
    private readonly newId: () => string,
    private readonly now: () => number,
    /** TLSInfo of the nodes: the swarm's current issuer is theirs (no node is on an old CA). */
    tlsInfo: unknown,
  ) {
    const swarm = structuredClone(swarmJson) as Json;
    swarm['ID'] = newId();
    swarm['CreatedAt'] = goTime(now() - 3 * 24 * 3600_000);
    swarm['UpdatedAt'] = goTime(now() - 24 * 3600_000);
    if (typeof tlsInfo === 'object' && tlsInfo !== null)
      swarm['TLSInfo'] = structuredClone(tlsInfo);
    swarm['JoinTokens'] = {
      Worker: 'SWMTKN-1-demo0worker0token0never0shown0000000000000000-0000000000000000000000000',
      Manager: 'SWMTKN-1-demo0manager0token0never0shown000000000000000-0000000000000000000000000',
    };
    this.swarm = swarm;
    this.addNetwork({ name: 'ingress' }, true);
  }

  addNetwork(options: NetworkOptions, ingress = false): EngineNetwork {
    const n = this.subnet++;
    const created = goTime(this.now() - (ingress ? 3 * 24 : 26) * 3600_000);
    const network: EngineNetwork = {
      Name: options.name,
      Id: this.newId(),
      Created: created,
      Scope: 'swarm',
      Driver: 'overlay',
      EnableIPv6: false,
      IPAM: {
        Driver: 'default',
        Options: null,
        Config: [{ Subnet: `10.0.${n}.0/24`, Gateway: `10.0.${n}.1` }],
      },
      Internal: options.internal === true,
      Attachable: options.attachable === true,
      Ingress: ingress,
      ConfigFrom: { Network: '' },
      ConfigOnly: false,
      Containers: null,
      Options: {
        'com.docker.network.driver.overlay.vxlanid_list': String(4096 + n),
        ...(options.encrypted === true ? { encrypted: '' } : {}),
      },
      Labels: options.labels ?? {},
    };
    this.networks.push(network);
    return network;
  }

  private addData(
    list: EngineSecret[],
    name: string,
    labels: Record<string, string>,
    data?: string,
  ): EngineSecret {
    const at = goTime(this.now() - 26 * 3600_000);
    const object: EngineSecret = {
      ID: this.newId(),
      Version: { Index: 50 + list.length },
      CreatedAt: at,
      UpdatedAt: at,
      Spec: {
        Name: name,
        Labels: labels,
        ...(data === undefined ? {} : { Data: Buffer.from(data).toString('base64') }),
      },
    };
    list.push(object);
    return object;
  }

  /** A secret: its value is never part of any answer, as on a real engine. */
  addSecret(name: string, labels: Record<string, string> = {}): EngineSecret {
    return this.addData(this.secrets, name, labels);
  }

  addConfig(name: string, data: string, labels: Record<string, string> = {}): EngineSecret {
    return this.addData(this.configs, name, labels, data);
  }

  network(ref: string): EngineNetwork {
    const found = this.networks.find((n) => n.Id === ref || n.Name === ref);
    if (found === undefined) throw new EngineError(404, `network ${ref} not found`);
    return found;
  }

  secret(ref: string): EngineSecret {
    const found = this.secrets.find((s) => s.ID === ref || s.Spec.Name === ref);
    if (found === undefined) throw new EngineError(404, `secret ${ref} not found`);
    return found;
  }

  config(ref: string): EngineSecret {
    const found = this.configs.find((c) => c.ID === ref || c.Spec.Name === ref);
    if (found === undefined) throw new EngineError(404, `config ${ref} not found`);
    return found;
  }

  /** The service's address on a network, as the allocator hands them out. */
  vipOn(network: EngineNetwork, serviceIndex: number): string {
    const base = network.IPAM.Config[0]!.Subnet.replace(/\.0\/24$/, '');
    return `${base}.${(serviceIndex % 250) + 2}/24`;
  }
}
