import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type {
  EngineInfo,
  SwarmCluster,
  SwarmConfig,
  SwarmNetwork,
  SwarmSecret,
  EngineVersion,
  LogLine,
  LogQuery,
  NodeAvailability,
  NodeRole,
  NodeDetail,
  ServiceDetail,
  StackDetail,
  SwarmEvent,
  SwarmNode,
  SwarmService,
  SwarmTask,
  TaskQuery,
} from '../model.js';
import { createDocker, type Endpoint } from './connection.js';
import {
  ConnectionError,
  OutOfSequenceError,
  SmarmError,
  describeEngineError,
  isOutOfSequence,
} from './errors.js';
import {
  LogDecoder,
  describeLogStreamError,
  isUnreadableDriver,
  unreadableDriverMessage,
} from './log-stream.js';
import { NdjsonSplitter } from './ndjson.js';
import {
  parseConfig,
  parseConfigs,
  parseNetwork,
  parseNetworks,
  parseSecret,
  parseSecrets,
  parseSwarm,
} from './parse-objects.js';
import { parseElements, type ElementLookup, type ParsedElements } from './json-array.js';
import { SshAgent, modemEndpoint } from './ssh-transport.js';
import { youngCollector } from './young-collection.js';
import { lazyHttps } from './lazy-builtins.js';
import {
  parseEventLine,
  parseInfo,
  parseNodeDetail,
  parseNode,
  parseService,
  parseServiceDetail,
  parseServices,
  parseTask,
  specFromToken,
  unreadableDriver,
} from './parse.js';
import type { InspectKind, ProbeServiceSpec, SwarmApi } from './swarm-api.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Swarm-scoped event types followed on /events (network: overlay networks only). */
export const WATCHED_EVENT_TYPES = ['service', 'node', 'secret', 'config', 'network'] as const;
const POLLED_KEPT = 10;
/** The answers kept to compare with add up to this much at most (beyond one, the newest). */
const POLLED_BYTES = 4 * 2 ** 20;
/**
 * Replaced answers kept as the next ones' memory (see `readChanged`) add up to this much at most,
 * the most recent first: at 1,000 services, the service list's, which is joined at every refresh
 * under change. More cost resident memory (P7) for answers joined less often.
 */
const SPARE_BYTES = 2 * 2 ** 20;
/** Smaller answers are joined as node joins them (small ones share node's pool). */
const SPARE_MIN_BYTES = 256 * 2 ** 10;

/** A polled answer kept to compare the next with: its bytes, its value, its parsed elements. */
interface Polled {
  body: Buffer;
  value: unknown;
  elements?: ParsedElements<unknown>;
}

export interface DockerodeSwarmApiOptions {
  /** Upper bound for each request (for the event stream: until it is open). */
  requestTimeoutMs?: number;
}

export interface ApiStats {
  requests: number;
  /** Bytes read from the engine's sockets, headers included. */
  bytes: number;
}

type Modem = Dockerode['modem'];
type DialOptions = Parameters<Modem['dial']>[0];

/** `since` for /events: seconds with a nanosecond fraction, as the engine parses it. */
export function formatSince(timeNano: bigint): string {
  const second = 1_000_000_000n;
  return `${timeNano / second}.${(timeNano % second).toString().padStart(9, '0')}`;
}

/** Rejects with the signal's reason when it fires first, even if `work` never settles. */
function raceAbort<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The engine's own words in a docker-modem HTTP error (its JSON body, else its message). */
function engineText(err: unknown): string {
  const e = (err ?? {}) as { json?: unknown; message?: unknown };
  const json = obj(e.json)['message'];
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  const message = typeof e.message === 'string' ? e.message : '';
  // docker-modem formats "(HTTP code 404) unexpected - <engine message> ".
  return (/^\(HTTP code \d+\) [^-]*- ([\s\S]*)$/.exec(message)?.[1] ?? message).trim();
}

interface LogTarget {
  kind: 'service' | 'task';
  /** How the user knows it: the service's name, else the id asked for. */
  name: string;
  /** The TTY the engine goes by: the service's current spec, or the task's own. */
  tty: boolean;
}

function logLabel(target: LogTarget): string {
  return target.kind === 'service' ? target.name : `task ${target.name}`;
}

function statusOf(err: unknown): number | null {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : null;
}

/**
 * The answer's bytes, or null when they are the previous answer's to the byte. Compared chunk by
 * chunk as they arrive, so an unchanged answer (4.5 MB for 5,000 services) is never joined into
 * one buffer: an idle refresh allocates little more than the socket's own chunks. A changed one
 * is joined into `spare` when it fits: memory written before, which costs a copy, where fresh
 * memory costs the copy and the pages (on a VM, a 1 MB join took 2–4 ms fresh, 0.1 ms reused).
 * The bytes are always in memory of their own (never node's shared pool), so that they can be
 * the next spare.
 */
export async function readChanged(
  chunks: AsyncIterable<unknown>,
  previous: Buffer | undefined,
  spare?: Buffer,
): Promise<Buffer | null> {
  const fresh: Buffer[] = [];
  let offset = 0;
  let same = previous !== undefined;
  for await (const item of chunks) {
    const chunk = item as Buffer;
    if (same) {
      const end = offset + chunk.length;
      if (end > previous!.length || previous!.compare(chunk, 0, chunk.length, offset, end) !== 0) {
        same = false;
        // What matched so far is the previous answer's start.
        fresh.push(previous!.subarray(0, offset));
      }
    }
    if (!same) fresh.push(chunk);
    offset += chunk.length;
  }
  if (same && offset === previous!.length) return null;
  // A shorter answer that matched all along is the previous one's start.
  return joined(same ? [previous!.subarray(0, offset)] : fresh, offset, spare);
}

function joined(parts: Buffer[], length: number, spare: Buffer | undefined): Buffer {
  if (length < SPARE_MIN_BYTES) return Buffer.concat(parts, length);
  // Some room to grow: under churn a list's length moves by a few bytes from one answer to the next.
  const into =
    spare !== undefined && spare.length >= length
      ? spare
      : Buffer.allocUnsafeSlow(length + (length >> 4));
  let at = 0;
  for (const part of parts) at += part.copy(into, at);
  return into.subarray(0, length);
}

/** The whole allocation an answer's bytes were joined into (see `readChanged`). */
function allocationOf(body: Buffer): Buffer {
  return Buffer.from(body.buffer, 0, body.buffer.byteLength);
}

export class DockerodeSwarmApi implements SwarmApi {
  readonly endpoint: string;
  private readonly docker: Dockerode;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private requestCount = 0;
  private closedBytes = 0;
  private readonly openSockets = new Set<Duplex & { bytesRead?: number }>();
  private readonly polled = new Map<string, Polled>();
  /** Per polled request: the allocation of the answer before the kept one, free to join into. */
  private readonly spares = new Map<string, Buffer>();
  /** Reads in flight per polled request (see `poll`). */
  private readonly reading = new Map<string, number>();
  private readonly answerRead = youngCollector();

  constructor(endpoint: Endpoint, options: DockerodeSwarmApiOptions = {}) {
    this.endpoint = endpoint.label;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // Our own keep-alive agent: polling reuses connections, and its sockets let us count bytes.
    const secure = endpoint.kind === 'tcp' && endpoint.tls !== null;
    // Plain HTTP has no TLS server name: saying so up front spares node:http an isIP() check
    // whose IPv6 pattern takes 12 ms to compile, on the first request of a start with a budget.
    // ssh:// is one `ssh … docker system dial-stdio` per connection, kept alive like the rest.
    this.agent =
      endpoint.kind === 'ssh'
        ? new SshAgent(endpoint)
        : secure
          ? new (lazyHttps().Agent)({ keepAlive: true })
          : new http.Agent({ keepAlive: true, servername: '' } as http.AgentOptions);
    const createConnection = this.agent.createConnection.bind(this.agent);
    this.agent.createConnection = (...args) => {
      const socket = createConnection(...args);
      if (socket) this.track(socket);
      return socket;
    };
    this.docker = createDocker(endpoint.kind === 'ssh' ? modemEndpoint(endpoint) : endpoint, {
      agent: this.agent,
    });
  }

  private track(socket: Duplex & { bytesRead?: number }): void {
    this.openSockets.add(socket);
    socket.once('close', () => {
      this.openSockets.delete(socket);
      this.closedBytes += socket.bytesRead ?? 0;
    });
  }

  stats(): ApiStats {
    let bytes = this.closedBytes;
    for (const socket of this.openSockets) bytes += socket.bytesRead ?? 0;
    return { requests: this.requestCount, bytes };
  }

  /** Closes pooled connections (open event streams are ended by their signals). */
  close(): void {
    this.agent.destroy();
  }

  private dial(options: DialOptions): Promise<unknown> {
    this.requestCount += 1;
    return new Promise((resolve, reject) => {
      this.docker.modem.dial(options, (err, result) => (err ? reject(err) : resolve(result)));
    });
  }

  private fail(err: unknown): ConnectionError {
    return new ConnectionError(
      describeEngineError(err, this.endpoint, { timeoutMs: this.timeoutMs }),
      { cause: err, statusCode: statusOf(err) },
    );
  }

  /** One bounded request; `body` makes it a POST with a JSON body. */
  private async request(
    path: string,
    query: Record<string, unknown>,
    body?: Record<string, unknown>,
  ): Promise<unknown> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    return raceAbort(
      signal,
      this.dial({
        // docker-modem appends the query only to paths ending in "?".
        path: `${path}?`,
        method: body === undefined ? 'GET' : 'POST',
        // For a POST docker-modem takes the query from `_query` and the body from `_body`.
        options: body === undefined ? query : { _query: query, _body: body },
        abortSignal: signal,
        statusCodes: { 200: true },
      }),
    );
  }

  /** `allocation` is the next answer to `key`'s memory; the oldest spares go beyond the bound. */
  private keepSpare(key: string, allocation: Buffer): void {
    if (allocation.length > SPARE_BYTES) return;
    this.spares.set(key, allocation);
    let bytes = 0;
    for (const spare of this.spares.values()) bytes += spare.length;
    for (const [oldest, spare] of this.spares) {
      if (bytes <= SPARE_BYTES) break;
      this.spares.delete(oldest);
      bytes -= spare.length;
    }
  }

  /**
   * Polled answers: one byte for byte like the previous one to the same request is not parsed
   * again, and the same parsed value comes back. An idle refresh then costs the transfer and one
   * comparison instead of JSON parsing and model building (880 KB for 1,000 services).
   */
  private async getPolled<T>(
    path: string,
    query: Record<string, unknown>,
    parse: (json: unknown) => T,
  ): Promise<T> {
    return this.poll(path, query, (body) => ({ value: parse(JSON.parse(body.toString('utf8'))) }));
  }

  /**
   * A polled list, parsed element by element (json-array.ts): under churn only the objects
   * whose bytes changed are decoded and parsed; the others come back as the objects parsed before.
   */
  private async getPolledList<T>(
    path: string,
    query: Record<string, unknown>,
    parseItem: (json: unknown) => T,
  ): Promise<T[]> {
    return this.poll(path, query, (body, previous) => {
      const before = this.parsedBefore(path, previous) as ElementLookup<T> | undefined;
      const { values, parsed } = parseElements(body, parseItem, before);
      return { value: values, elements: parsed };
    });
  }

  /**
   * The elements parsed from every kept answer to `path` (one parser per path), this query's
   * own first. The troubled services' tasks are asked for with another set of ids whenever a
   * service enters or leaves the trouble (every few seconds under churn): their tasks are mostly
   * those of the previous set, or of the running tasks asked for beside them.
   */
  private parsedBefore(path: string, own: Polled | undefined): ElementLookup<unknown> | undefined {
    const found = own?.elements === undefined ? [] : [own.elements];
    const prefix = `${path}?`;
    // The most recently used first: the likeliest to hold an element as it is now.
    for (const [key, entry] of [...this.polled].reverse()) {
      if (entry !== own && entry.elements !== undefined && key.startsWith(prefix)) {
        found.push(entry.elements);
      }
    }
    if (found.length <= 1) return found[0];
    return {
      get: (id) => {
        for (const elements of found) {
          const element = elements.get(id);
          if (element !== undefined) return element;
        }
        return undefined;
      },
    };
  }

  private async poll<T>(
    path: string,
    query: Record<string, unknown>,
    parse: (body: Buffer, previous: Polled | undefined) => Omit<Polled, 'body'>,
  ): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const key = `${path}?${JSON.stringify(query)}`;
    const previous = this.polled.get(key);
    // The spare is this read's alone while it runs: another read of the same request, or the late
    // end of one abandoned at its timeout, must not join into it too.
    const spare = this.reading.has(key) ? undefined : this.spares.get(key);
    this.spares.delete(key);
    this.reading.set(key, (this.reading.get(key) ?? 0) + 1);
    let body: Buffer | null;
    try {
      body = await raceAbort(
        signal,
        (async () => {
          const response = (await this.dial({
            path: `${path}?`,
            method: 'GET',
            options: query,
            abortSignal: signal,
            isStream: true,
            statusCodes: { 200: true },
          })) as IncomingMessage;
          return readChanged(response, previous?.body, spare);
        })(),
      );
    } catch (err) {
      throw this.fail(err);
    } finally {
      const reading = this.reading.get(key)! - 1;
      if (reading > 0) this.reading.set(key, reading);
      else this.reading.delete(key);
    }
    this.answerRead(body?.length ?? previous!.body.length);
    if (body === null) {
      if (spare !== undefined && !this.spares.has(key)) this.keepSpare(key, spare);
      // Still in use: the last to go.
      this.polled.delete(key);
      this.polled.set(key, previous!);
      return previous!.value as T;
    }
    let answer: Omit<Polled, 'body'>;
    try {
      answer = parse(body, previous);
    } catch (err) {
      throw new ConnectionError(
        `The Docker engine at ${this.endpoint} answered ${path} with something that is not JSON.`,
        { cause: err },
      );
    }
    const value = answer.value as T;
    this.polled.delete(key);
    this.polled.set(key, { body, ...answer });
    // Nothing refers to the replaced answer's bytes now (its parsed elements went with it), unless
    // another read of the same request is comparing with them; the largest answers (every
    // running task) are not doubled.
    const replaced = previous?.body.length ?? 0;
    if (!this.reading.has(key) && replaced >= SPARE_MIN_BYTES) {
      this.keepSpare(key, allocationOf(previous!.body));
    }
    // A few recent requests are enough: services, nodes and the tasks on screen. The troubled
    // services' tasks are asked for with another set of ids as services come and go from the
    // trouble: without a bound on bytes, stale answers of a megabyte or two each would stay.
    // The largest answer is kept beside the bound (every running task, 17 MB at 1,000 services,
    // for the views that place tasks): else it and the service list would push each other out
    // and both be parsed whole at every poll.
    let bytes = 0;
    let largest = 0;
    for (const entry of this.polled.values()) {
      bytes += entry.body.length;
      largest = Math.max(largest, entry.body.length);
    }
    for (const [oldest, entry] of this.polled) {
      const within = this.polled.size <= POLLED_KEPT && bytes <= POLLED_BYTES + largest;
      if (oldest === key || within) break;
      this.polled.delete(oldest);
      this.spares.delete(oldest);
      bytes -= entry.body.length;
    }
    return value;
  }

  private async get(path: string, query: Record<string, unknown> = {}): Promise<unknown> {
    try {
      return await this.request(path, query);
    } catch (err) {
      throw this.fail(err);
    }
  }

  /**
   * POST an update of the inspected object. The engine answers 200 with `{Warnings: [...]}`
   * (or null) on success; warnings are not failures. A stale version comes back as an
   * "update out of sequence" error and is thrown as OutOfSequenceError.
   */
  private async update(
    target: string,
    path: string,
    query: Record<string, unknown>,
    spec: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.request(path, query, spec);
    } catch (err) {
      if (isOutOfSequence(err)) {
        throw new OutOfSequenceError(target, { cause: err, statusCode: statusOf(err) });
      }
      throw this.fail(err);
    }
  }

  async info(): Promise<EngineInfo> {
    return parseInfo(await this.get('/info'));
  }

  async listNodes(): Promise<SwarmNode[]> {
    return this.getPolledList('/nodes', {}, parseNode);
  }

  async listServices(ids?: readonly string[]): Promise<SwarmService[]> {
    const query = ids === undefined ? { status: true } : { status: true, filters: { id: ids } };
    return this.getPolledList('/services', query, parseService);
  }

  async listTasks(query: TaskQuery): Promise<SwarmTask[]> {
    const filters: Record<string, string[]> = {};
    const services = [...(query.serviceIds ?? [])];
    if (query.serviceId !== undefined) services.push(query.serviceId);
    if (services.length > 0) filters['service'] = services;
    if (query.nodeId !== undefined) filters['node'] = [query.nodeId];
    if (query.desiredRunningOnly === true) filters['desired-state'] = ['running'];
    return this.getPolledList(
      '/tasks',
      Object.keys(filters).length > 0 ? { filters } : {},
      parseTask,
    );
  }

  async listNetworks(): Promise<SwarmNetwork[]> {
    return this.getPolledList('/networks', { filters: { scope: ['swarm'] } }, parseNetwork);
  }

  async listSecrets(): Promise<SwarmSecret[]> {
    return this.getPolledList('/secrets', {}, parseSecret);
  }

  async listConfigs(): Promise<SwarmConfig[]> {
    return this.getPolledList('/configs', {}, parseConfig);
  }

  async inspectSwarm(): Promise<SwarmCluster> {
    return this.getPolled('/swarm', {}, parseSwarm);
  }

  async inspectObject(kind: InspectKind, id: string): Promise<Record<string, unknown>> {
    let json: unknown;
    try {
      // As `docker service inspect` asks: with the engine's defaults filled in (UpdateConfig,
      // RollbackConfig …), so the view shows what is in effect, not only what was typed.
      const query = kind === 'service' ? { insertDefaults: true } : {};
      // The swarm is one object: GET /swarm (its ID is the cluster's, not part of the path).
      json = await this.request(
        kind === 'swarm' ? '/swarm' : `/${kind}s/${encodeURIComponent(id)}`,
        query,
      );
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) {
        // Removed (or, for a task, pruned from history) since the list showed it.
        const said = engineText(err).replace(/\.$/, '');
        const because = said === '' ? '' : ` (the engine says: ${said})`;
        throw new ConnectionError(`The ${kind} ${id} no longer exists${because}.`, {
          cause: err,
          statusCode: status,
        });
      }
      throw this.fail(err);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new ConnectionError(
        `The Docker engine at ${this.endpoint} answered /${kind}s/${id} with something that is not a JSON object.`,
        { statusCode: null },
      );
    }
    if (kind === 'swarm') {
      // Join tokens are never shown, copied or written: they are dropped as they arrive.
      const { JoinTokens: _dropped, ...swarm } = json as Record<string, unknown>;
      return swarm;
    }
    return json as Record<string, unknown>;
  }

  async inspectService(id: string): Promise<ServiceDetail> {
    return parseServiceDetail(await this.get(`/services/${encodeURIComponent(id)}`));
  }

  async inspectNode(id: string): Promise<NodeDetail> {
    return parseNodeDetail(await this.get(`/nodes/${encodeURIComponent(id)}`));
  }

  async scaleService(detail: ServiceDetail, replicas: number): Promise<void> {
    const { id, name, spec } = specFromToken(detail.token, 'service');
    const mode = obj(spec['Mode']);
    if (!('Replicated' in mode)) {
      const what = 'Global' in mode ? 'a global service' : 'a job';
      throw new SmarmError(
        `The service ${name} is ${what}; only replicated services can be scaled.`,
        1,
      );
    }
    if (!Number.isSafeInteger(replicas) || replicas < 0) {
      throw new SmarmError(
        `Cannot scale the service ${name} to ${replicas}: replicas must be a whole number, 0 or more.`,
        1,
      );
    }
    spec['Mode'] = { ...mode, Replicated: { ...obj(mode['Replicated']), Replicas: replicas } };
    await this.updateService(id, name, detail.version, spec);
  }

  async forceUpdateService(detail: ServiceDetail): Promise<void> {
    const { id, name, spec } = specFromToken(detail.token, 'service');
    const taskTemplate = obj(spec['TaskTemplate']);
    const forceUpdate = taskTemplate['ForceUpdate'];
    spec['TaskTemplate'] = {
      ...taskTemplate,
      ForceUpdate: (typeof forceUpdate === 'number' ? forceUpdate : 0) + 1,
    };
    await this.updateService(id, name, detail.version, spec);
  }

  async rollbackService(detail: ServiceDetail): Promise<void> {
    const { id, name, spec } = specFromToken(detail.token, 'service');
    if (detail.previousSpec === null) {
      throw new SmarmError(`The service ${name} has no previous spec to roll back to.`, 1);
    }
    // Server-side rollback: the engine restores PreviousSpec and ignores the body we send.
    await this.updateService(id, name, detail.version, spec, { rollback: 'previous' });
  }

  setNodeAvailability(detail: NodeDetail, availability: NodeAvailability): Promise<void> {
    return this.updateNode(detail, { Availability: availability });
  }

  setNodeRole(detail: NodeDetail, role: NodeRole): Promise<void> {
    return this.updateNode(detail, { Role: role });
  }

  setNodeLabels(detail: NodeDetail, labels: Readonly<Record<string, string>>): Promise<void> {
    return this.updateNode(detail, { Labels: { ...labels } });
  }

  async setServiceImage(detail: ServiceDetail, image: string): Promise<void> {
    const { id, name, spec } = specFromToken(detail.token, 'service');
    const taskTemplate = obj(spec['TaskTemplate']);
    spec['TaskTemplate'] = {
      ...taskTemplate,
      ContainerSpec: { ...obj(taskTemplate['ContainerSpec']), Image: image },
    };
    await this.updateService(id, name, detail.version, spec);
  }

  async inspectStack(name: string): Promise<StackDetail> {
    // As `docker stack rm` finds a stack's objects: by its label, on every kind.
    const filters = { label: [`com.docker.stack.namespace=${name}`] };
    const named = (list: { id: string; name: string }[]) =>
      list.map(({ id, name: objectName }) => ({ id, name: objectName }));
    const [services, networks, secrets, configs] = await Promise.all([
      this.get('/services', { filters }).then(parseServices),
      this.get('/networks', { filters }).then(parseNetworks),
      this.get('/secrets', { filters }).then(parseSecrets),
      this.get('/configs', { filters }).then(parseConfigs),
    ]);
    return {
      name,
      services: named(services),
      networks: named(networks),
      secrets: named(secrets),
      configs: named(configs),
    };
  }

  async createProbeService(probe: ProbeServiceSpec): Promise<string> {
    const socket = '/var/run/docker.sock';
    const signal = AbortSignal.timeout(this.timeoutMs);
    const spec = {
      Name: probe.name,
      Labels: probe.labels,
      TaskTemplate: {
        ContainerSpec: {
          Image: probe.image,
          Args: probe.args,
          // a small heap: the probe holds one sample per container, within its 32 MiB
          Env: ['NODE_OPTIONS=--max-semi-space-size=1 --max-old-space-size=16'],
          Labels: probe.labels,
          // its own node's engine, read-only: the probe only lists containers and reads stats
          // (the node's path may be a template: /lab/{{.Node.Hostname}}/docker.sock)
          Mounts: [{ Type: 'bind', Source: probe.socket, Target: socket, ReadOnly: true }],
        },
        Resources: { Limits: { NanoCPUs: probe.nanoCpus, MemoryBytes: probe.memoryBytes } },
        // a probe that ended (its lifetime) or failed is not started again
        RestartPolicy: { Condition: 'none' },
      },
      Mode: { Global: {} },
    };
    try {
      const answer = await raceAbort(
        signal,
        this.dial({
          path: '/services/create?',
          method: 'POST',
          options: { _query: {}, _body: spec },
          abortSignal: signal,
          statusCodes: { 200: true, 201: true },
        }),
      );
      const id = obj(answer)['ID'];
      return typeof id === 'string' ? id : '';
    } catch (err) {
      throw this.fail(err);
    }
  }

  removeService(id: string): Promise<void> {
    return this.remove('services', id);
  }

  removeNetwork(id: string): Promise<void> {
    return this.remove('networks', id);
  }

  removeSecret(id: string): Promise<void> {
    return this.remove('secrets', id);
  }

  removeConfig(id: string): Promise<void> {
    return this.remove('configs', id);
  }

  /** DELETE /{kind}/{id}: 200 for a service, 204 for the others; 404 is "already gone". */
  private async remove(kind: 'services' | 'networks' | 'secrets' | 'configs', id: string) {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      await raceAbort(
        signal,
        this.dial({
          path: `/${kind}/${encodeURIComponent(id)}?`,
          method: 'DELETE',
          options: {},
          abortSignal: signal,
          statusCodes: { 200: true, 204: true },
        }),
      );
    } catch (err) {
      const status = statusOf(err);
      if (status !== null && status >= 400 && status < 600 && engineText(err) !== '') {
        // The engine's own words say why ("network … is in use by service …").
        throw new ConnectionError(engineText(err).replace(/\.$/, ''), {
          cause: err,
          statusCode: status,
        });
      }
      throw this.fail(err);
    }
  }

  private async updateNode(detail: NodeDetail, change: Record<string, unknown>): Promise<void> {
    const { id, name, spec } = specFromToken(detail.token, 'node');
    // The full spec with the one change: a partial one fails ("invalid Role") or drops the
    // node's labels.
    await this.update(
      `node ${name}`,
      `/nodes/${encodeURIComponent(id)}/update`,
      { version: detail.version },
      { ...spec, ...change },
    );
  }

  private updateService(
    id: string,
    name: string,
    version: number,
    spec: Record<string, unknown>,
    query: Record<string, unknown> = {},
  ): Promise<void> {
    return this.update(
      `service ${name}`,
      `/services/${encodeURIComponent(id)}/update`,
      { version, ...query },
      spec,
    );
  }

  async watchEvents(options: {
    since?: bigint;
    signal: AbortSignal;
    onEvent: (event: SwarmEvent) => void;
  }): Promise<void> {
    const query: Record<string, unknown> = {
      // Everything the events timeline shows; the feed refetches only on service and node events.
      filters: { type: [...WATCHED_EVENT_TYPES], scope: ['swarm'] },
    };
    if (options.since !== undefined) query['since'] = formatSince(options.since);
    const splitter = new NdjsonSplitter();
    const events = (lines: string[]): SwarmEvent[] =>
      lines.flatMap((line) => parseEventLine(line) ?? []);
    await this.follow(
      { path: '/events?', query },
      options.signal,
      { push: (chunk) => events(splitter.push(chunk)), end: () => events(splitter.end()) },
      (batch) => {
        for (const event of batch) options.onEvent(event);
      },
      (err) => this.fail(err),
    );
  }

  /**
   * A long-lived GET whose body is fed through `decoder` to `deliver` until it ends or `signal`
   * aborts. One controller ends the request: the caller's signal at any time, the timeout only
   * until the response headers arrive (a quiet stream is healthy and must not be timed out).
   * Resolves on a clean end or abort; rejects with `openError(err)` when the stream cannot be
   * opened, and with a ConnectionError when it breaks off.
   */
  private async follow<T>(
    request: { path: string; query: Record<string, unknown> },
    signal: AbortSignal,
    decoder: { push(chunk: Buffer): T[]; end(): T[] },
    deliver: (items: T[]) => void,
    openError: (err: unknown) => Error,
  ): Promise<void> {
    if (signal.aborted) return;
    const controller = new AbortController();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const onTimeout = (): void => controller.abort(timeout.reason);
    const onCancel = (): void => controller.abort(signal.reason);
    timeout.addEventListener('abort', onTimeout, { once: true });
    signal.addEventListener('abort', onCancel, { once: true });

    let response: IncomingMessage;
    try {
      response = (await raceAbort(
        controller.signal,
        this.dial({
          path: request.path,
          method: 'GET',
          options: request.query,
          abortSignal: controller.signal,
          // A stream even when the body is short: docker-modem would otherwise buffer it and
          // hand back a Buffer (or, for JSON-looking text, a parsed object).
          isStream: true,
          statusCodes: { 200: true },
        }),
      )) as IncomingMessage;
    } catch (err) {
      signal.removeEventListener('abort', onCancel);
      if (signal.aborted) return;
      throw openError(err);
    } finally {
      timeout.removeEventListener('abort', onTimeout);
    }

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        response.destroy();
        if (err === undefined || signal.aborted) resolve();
        else reject(err);
      };
      const hand = (items: T[]): void => {
        if (items.length > 0) deliver(items);
      };
      const onAbort = (): void => finish();
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) return finish();

      response.on('data', (chunk: Buffer) => {
        try {
          hand(decoder.push(chunk));
        } catch (err) {
          // A throwing handler is the caller's bug: surface it rather than keep streaming.
          finish(err);
        }
      });
      response.on('end', () => {
        try {
          hand(decoder.end());
          finish();
        } catch (err) {
          finish(err);
        }
      });
      response.on('error', (err) => finish(this.fail(err)));
      response.on('close', () => {
        if (!response.complete) {
          finish(this.fail(Object.assign(new Error('stream closed'), { code: 'ECONNRESET' })));
        }
        finish();
      });
    }).finally(() => signal.removeEventListener('abort', onCancel));
  }

  /**
   * Inspects the target first: the engine's swarm log stream says nothing when a task's driver
   * cannot be read back (the worker only logs the error and the stream stays empty), and the
   * engine decides multiplexing by the spec's TTY, which the caller may have seen stale.
   */
  private async logTarget(query: LogQuery, signal: AbortSignal): Promise<LogTarget> {
    const { kind, id } = query.target;
    // A listed task's own TTY and readable driver are known: nothing to ask.
    if (query.known === true && kind === 'task') return { kind, name: id, tty: query.tty };
    let raw: unknown;
    try {
      raw = await raceAbort(signal, this.request(`/${kind}s/${encodeURIComponent(id)}`, {}));
    } catch (err) {
      throw this.logFailure(err, { kind, name: id, tty: query.tty });
    }
    const spec = obj(obj(raw)['Spec']);
    const task = kind === 'service' ? obj(spec['TaskTemplate']) : spec;
    const name = spec['Name'];
    const tty = obj(task['ContainerSpec'])['TTY'];
    const target: LogTarget = {
      kind,
      name: kind === 'service' && typeof name === 'string' ? name : id,
      tty: typeof tty === 'boolean' ? tty : query.tty,
    };
    const why = unreadableDriver(task['LogDriver']);
    if (why !== null) {
      throw new ConnectionError(unreadableDriverMessage(logLabel(target), why), {
        statusCode: null,
      });
    }
    return target;
  }

  private logFailure(err: unknown, target: LogTarget): ConnectionError {
    const status = statusOf(err);
    const label = logLabel(target);
    const text = status === null ? '' : engineText(err);
    if (status !== null && isUnreadableDriver(text)) {
      return new ConnectionError(unreadableDriverMessage(label, text), {
        cause: err,
        statusCode: status,
      });
    }
    if (status === 404) {
      return new ConnectionError(
        `The ${target.kind} ${target.name} no longer exists (the engine says: ${text.replace(/\.$/, '')}).`,
        { cause: err, statusCode: status },
      );
    }
    return this.fail(err);
  }

  /** Hostnames for node ids in an engine error; best effort, never fails the caller. */
  private async nodeNames(): Promise<(id: string) => string | null> {
    try {
      const nodes = await this.listNodes();
      const names = new Map(nodes.map((node) => [node.id, node.hostname]));
      return (id) => names.get(id) ?? null;
    } catch {
      return () => null;
    }
  }

  async streamLogs(
    query: LogQuery,
    options: { signal: AbortSignal; onLines: (lines: LogLine[]) => void },
  ): Promise<void> {
    const { signal, onLines } = options;
    if (signal.aborted) return;
    const { kind, id } = query.target;

    let target: LogTarget;
    try {
      target = await this.logTarget(query, signal);
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }

    const params: Record<string, unknown> = {
      stdout: 1,
      stderr: 1,
      timestamps: 1,
      details: 1,
      follow: query.follow ? 1 : 0,
    };
    if (query.tail !== undefined) params['tail'] = query.tail;
    else if (query.since === undefined) params['tail'] = 'all';
    if (query.since !== undefined) params['since'] = query.since;

    const decoder = new LogDecoder({ tty: target.tty });
    await this.follow(
      { path: `/${kind}s/${encodeURIComponent(id)}/logs?`, query: params },
      signal,
      decoder,
      onLines,
      (err) => this.logFailure(err, target),
    );

    // The engine ends the stream after writing an error into it: the lines before it were
    // delivered, and the error is the outcome.
    const engineError = decoder.errors[0];
    if (engineError !== undefined && !signal.aborted) {
      const names = await this.nodeNames();
      throw new ConnectionError(describeLogStreamError(engineError, logLabel(target), names), {
        statusCode: null,
      });
    }
  }

  /**
   * GET /_ping, the docker CLI's first request too: its Api-Version header is the newest Engine API
   * version the engine speaks, as in /version, in about 1 ms where /version takes 20–50 ms on a
   * 20.10 manager (dockerd asks containerd and runc for their versions).
   */
  async ping(): Promise<string> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = (await raceAbort(
        signal,
        this.dial({
          path: '/_ping?',
          method: 'GET',
          options: {},
          abortSignal: signal,
          isStream: true,
          statusCodes: { 200: true },
        }),
      )) as IncomingMessage;
      response.resume();
      const header = response.headers['api-version'];
      return typeof header === 'string' ? header.trim() : '';
    } catch (err) {
      throw this.fail(err);
    }
  }

  /** GET /version: Docker's version and the newest Engine API version the engine speaks. */
  async version(): Promise<EngineVersion> {
    const json = obj(await this.get('/version'));
    const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
    return { version: text(json['Version']), apiVersion: text(json['ApiVersion']) };
  }
}
