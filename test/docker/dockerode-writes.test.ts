import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import {
  ConnectionError,
  isOutOfSequence,
  OutOfSequenceError,
  SmarmError,
} from '../../source/docker/errors.js';

// The writes against a fake engine on a unix socket (as in dockerode-api.test.ts): what exactly
// goes over the wire — method, path, query, body — and how the engine's refusals come back. The
// engine's answers are the recorded inspects of the lab (service api, node worker-2).

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const FIXTURES = new URL('../fixtures/lab/', import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;

const SERVICE = fixture('service-api.json');
const NODE = fixture('node-worker.json');
const SERVICE_ID = SERVICE['ID'] as string;
const NODE_ID = NODE['ID'] as string;
const SERVICE_VERSION = (SERVICE['Version'] as { Index: number }).Index;
const NODE_VERSION = (NODE['Version'] as { Index: number }).Index;
const SPEC = SERVICE['Spec'] as RawSpec;

/** The parts of a raw service spec these tests look at or change. */
interface RawSpec {
  Mode: Record<string, unknown> & { Replicated?: { Replicas: number } };
  TaskTemplate: Record<string, unknown> & { ForceUpdate?: number };
  [key: string]: unknown;
}

/** A deep copy of the recorded service with its spec changed by `edit`. */
function serviceWith(edit: (spec: RawSpec) => void): Record<string, unknown> {
  const copy = structuredClone(SERVICE);
  edit(copy['Spec'] as RawSpec);
  return copy;
}

let dir: string;
let socketPath: string;
let server: http.Server;
let handler: Handler;
let seen: Seen[];
const apis: DockerodeSwarmApi[] = [];

function api(requestTimeoutMs = 2_000): DockerodeSwarmApi {
  const endpoint = resolveEndpoint({ hosts: [`unix://${socketPath}`], env: {}, homeDir: dir });
  const created = new DockerodeSwarmApi(endpoint, { requestTimeoutMs });
  apis.push(created);
  return created;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** An engine that answers inspects with `service`/`node` and updates with `update`. */
function engine(
  options: {
    service?: unknown;
    node?: unknown;
    update?: (res: http.ServerResponse) => void;
  } = {},
): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? '', 'http://engine');
    if (req.method === 'GET' && url.pathname === `/services/${SERVICE_ID}`) {
      return json(res, 200, options.service ?? SERVICE);
    }
    if (req.method === 'GET' && url.pathname === `/nodes/${NODE_ID}`) {
      return json(res, 200, options.node ?? NODE);
    }
    if (req.method === 'POST' && url.pathname.endsWith('/update')) {
      if (options.update) return options.update(res);
      return json(res, 200, { Warnings: null });
    }
    json(res, 404, { message: `page not found: ${req.method} ${url.pathname}` });
  };
}

const writes = (): Seen[] => seen.filter((request) => request.method === 'POST');

/** A deep copy of the raw spec with one change made by `edit`. */
function specWith(edit: (spec: RawSpec) => void): RawSpec {
  const copy = structuredClone(SPEC);
  edit(copy);
  return copy;
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'smarm-writes-'));
  socketPath = path.join(dir, 'docker.sock');
  seen = [];
  handler = engine();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '', 'http://engine');
      seen.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text === '' ? undefined : JSON.parse(text),
      });
      handler(req, res, text);
    });
  });
  await new Promise<void>((done) => server.listen(socketPath, done));
});

afterEach(async () => {
  for (const created of apis.splice(0)) created.close();
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(dir, { recursive: true, force: true });
});

describe('inspect', () => {
  it('GETs one service and one node by id', async () => {
    const client = api();
    const service = await client.inspectService(SERVICE_ID);
    const node = await client.inspectNode(NODE_ID);
    expect(service.service.name).toBe('api');
    expect(service.version).toBe(SERVICE_VERSION);
    expect(service.previousSpec?.image).toBe('lab/busybox:1');
    expect(node.node.hostname).toBe('worker-2');
    expect(node.version).toBe(NODE_VERSION);
    expect(seen).toEqual([
      { method: 'GET', path: `/services/${SERVICE_ID}`, query: {}, body: undefined },
      { method: 'GET', path: `/nodes/${NODE_ID}`, query: {}, body: undefined },
    ]);
  });

  it('passes a missing service on as the engine says it', async () => {
    handler = (_req, res) => json(res, 404, { message: 'service nope not found' });
    const err: unknown = await api()
      .inspectService('nope')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).statusCode).toBe(404);
    expect((err as Error).message).toBe(
      `The Docker engine at unix://${socketPath} answered HTTP 404: service nope not found`,
    );
  });
});

describe('service writes', () => {
  it('scales: the inspected spec with only the replicas changed, at the inspected version', async () => {
    const client = api();
    await client.scaleService(await client.inspectService(SERVICE_ID), 5);
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: `/services/${SERVICE_ID}/update`,
        query: { version: String(SERVICE_VERSION) },
        body: specWith((spec) => {
          spec.Mode = { Replicated: { Replicas: 5 } };
        }),
      },
    ]);
    // writes are requests too
    expect(client.stats().requests).toBe(2);
  });

  it('scales to zero', async () => {
    const client = api();
    await client.scaleService(await client.inspectService(SERVICE_ID), 0);
    expect((writes()[0]?.body as RawSpec).Mode).toEqual({ Replicated: { Replicas: 0 } });
  });

  it('force-updates: ForceUpdate + 1 and nothing else', async () => {
    const service = serviceWith((spec) => {
      spec.TaskTemplate.ForceUpdate = 7;
    });
    handler = engine({ service });
    const client = api();
    const detail = await client.inspectService(SERVICE_ID);
    expect(detail.forceUpdate).toBe(7);
    await client.forceUpdateService(detail);
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: `/services/${SERVICE_ID}/update`,
        query: { version: String(SERVICE_VERSION) },
        body: specWith((spec) => {
          spec.TaskTemplate.ForceUpdate = 8;
        }),
      },
    ]);
  });

  it('rolls back on the engine: rollback=previous with the current spec as body', async () => {
    const client = api();
    await client.rollbackService(await client.inspectService(SERVICE_ID));
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: `/services/${SERVICE_ID}/update`,
        query: { version: String(SERVICE_VERSION), rollback: 'previous' },
        body: SPEC,
      },
    ]);
  });

  it('sends the same inspected spec however often the detail is used', async () => {
    const client = api();
    const detail = await client.inspectService(SERVICE_ID);
    await client.scaleService(detail, 3);
    await client.forceUpdateService(detail);
    const [scale, force] = writes();
    expect((scale?.body as RawSpec).TaskTemplate.ForceUpdate).toBe(0);
    expect((force?.body as RawSpec).Mode.Replicated?.Replicas).toBe(2);
  });

  it('does not fail on warnings in the answer', async () => {
    handler = engine({
      update: (res) =>
        json(res, 200, {
          Warnings: [
            'image lab/busybox:2 could not be accessed on a registry to record its digest',
          ],
        }),
    });
    const client = api();
    await expect(
      client.forceUpdateService(await client.inspectService(SERVICE_ID)),
    ).resolves.toBeUndefined();
  });
});

describe('refusals before anything is sent', () => {
  it('refuses to scale a global service or a job', async () => {
    for (const [mode, what] of [
      [{ Global: {} }, 'a global service'],
      [{ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } }, 'a job'],
      [{ GlobalJob: {} }, 'a job'],
    ] as const) {
      const service = serviceWith((spec) => {
        spec.Mode = mode;
      });
      handler = engine({ service });
      const client = api();
      const detail = await client.inspectService(SERVICE_ID);
      const err: unknown = await client.scaleService(detail, 3).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmarmError);
      expect((err as SmarmError).exitCode).toBe(1);
      expect((err as Error).message).toBe(
        `The service api is ${what}; only replicated services can be scaled.`,
      );
    }
    expect(writes()).toEqual([]);
  });

  it('refuses a replica count that is not a whole number of 0 or more', async () => {
    const client = api();
    const detail = await client.inspectService(SERVICE_ID);
    for (const replicas of [-1, 1.5, Number.NaN]) {
      await expect(client.scaleService(detail, replicas)).rejects.toThrow(
        `Cannot scale the service api to ${replicas}: replicas must be a whole number, 0 or more.`,
      );
    }
    expect(writes()).toEqual([]);
  });

  it('refuses a rollback without a previous spec', async () => {
    const { PreviousSpec: _dropped, ...created } = SERVICE;
    handler = engine({ service: created });
    const client = api();
    const detail = await client.inspectService(SERVICE_ID);
    await expect(client.rollbackService(detail)).rejects.toThrow(
      new SmarmError('The service api has no previous spec to roll back to.', 1),
    );
    expect(writes()).toEqual([]);
  });

  it('refuses a detail that did not come from an inspect', async () => {
    const client = api();
    const detail = await client.inspectService(SERVICE_ID);
    await expect(client.scaleService({ ...detail, token: {} }, 1)).rejects.toThrow(TypeError);
    const node = await client.inspectNode(NODE_ID);
    await expect(
      client.setNodeAvailability({ ...node, token: detail.token }, 'drain'),
    ).rejects.toThrow(TypeError);
    expect(writes()).toEqual([]);
  });
});

describe('node availability', () => {
  it('sends the full node spec: role and labels kept, availability replaced', async () => {
    const client = api();
    const detail = await client.inspectNode(NODE_ID);
    await client.setNodeAvailability(detail, 'drain');
    await client.setNodeAvailability(detail, 'pause');
    expect(writes()).toEqual(
      ['drain', 'pause'].map((availability) => ({
        method: 'POST',
        path: `/nodes/${NODE_ID}/update`,
        query: { version: String(NODE_VERSION) },
        body: { Labels: { zone: 'b' }, Role: 'worker', Availability: availability },
      })),
    );
  });
});

describe('a stale version', () => {
  // What a 20.10 engine answers (HTTP 500, gRPC text passed through).
  const outOfSequence = (res: http.ServerResponse): void =>
    json(res, 500, { message: 'rpc error: code = Unknown desc = update out of sequence' });

  it('is an OutOfSequenceError for a service', async () => {
    handler = engine({ update: outOfSequence });
    const client = api();
    const err: unknown = await client
      .scaleService(await client.inspectService(SERVICE_ID), 5)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutOfSequenceError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as OutOfSequenceError).statusCode).toBe(500);
    expect((err as OutOfSequenceError).exitCode).toBe(1);
    expect((err as Error).message).toBe(
      'The service api changed on the engine since it was inspected (update out of sequence).',
    );
  });

  it('is an OutOfSequenceError for a node', async () => {
    handler = engine({ update: outOfSequence });
    const client = api();
    await expect(
      client.setNodeAvailability(await client.inspectNode(NODE_ID), 'drain'),
    ).rejects.toThrow(new OutOfSequenceError('node worker-2', { statusCode: 500 }));
  });

  it('is recognised by the engine text, whatever its case or status', () => {
    const error = (statusCode: number, message: string): Error =>
      Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), {
        statusCode,
        json: { message },
      });
    expect(
      isOutOfSequence(error(500, 'rpc error: code = Unknown desc = update out of sequence')),
    ).toBe(true);
    expect(isOutOfSequence(error(409, 'Update Out Of Sequence'))).toBe(true);
    expect(isOutOfSequence(error(500, 'invalid Role'))).toBe(false);
    // not an engine answer: a local error that happens to say so is not the engine's refusal
    expect(isOutOfSequence(new Error('update out of sequence'))).toBe(false);
  });
});

describe('other failures of a write', () => {
  it("passes the engine's refusal on with its words", async () => {
    handler = engine({
      update: (res) =>
        json(res, 400, { message: 'rpc error: code = InvalidArgument desc = invalid Role' }),
    });
    const client = api();
    const err: unknown = await client
      .setNodeAvailability(await client.inspectNode(NODE_ID), 'active')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).not.toBeInstanceOf(OutOfSequenceError);
    expect((err as Error).message).toBe(
      `The Docker engine at unix://${socketPath} answered HTTP 400: rpc error: code = InvalidArgument desc = invalid Role`,
    );
  });

  it('is bounded in time', async () => {
    const client = api(200);
    const detail = await client.inspectService(SERVICE_ID);
    handler = () => {
      // never answers the update
    };
    await expect(client.forceUpdateService(detail)).rejects.toThrow(/did not answer within 0\.2 s/);
  });
});

describe('set an image, find and remove a stack', () => {
  it('sets the image: the inspected spec with only ContainerSpec.Image changed, at its version', async () => {
    const client = api();
    await client.setServiceImage(await client.inspectService(SERVICE_ID), 'lab/busybox:3');
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: `/services/${SERVICE_ID}/update`,
        query: { version: String(SERVICE_VERSION) },
        body: specWith((spec) => {
          (spec.TaskTemplate['ContainerSpec'] as Record<string, unknown>)['Image'] =
            'lab/busybox:3';
        }),
      },
    ]);
  });

  it('lists a stack by its label on every kind, and removes with DELETE (200 or 204)', async () => {
    handler = (req, res) => {
      const url = new URL(req.url ?? '', 'http://engine');
      if (req.method === 'DELETE') {
        res.writeHead(url.pathname.startsWith('/services/') ? 200 : 204);
        return res.end();
      }
      if (url.pathname === '/services') return json(res, 200, [SERVICE]);
      if (url.pathname === '/networks') return json(res, 200, [{ Id: 'n1', Name: 'shop_front' }]);
      return json(res, 200, [
        { ID: 'x1', Spec: { Name: `shop${url.pathname.replace('/', '_')}` } },
      ]);
    };
    const client = api();
    expect(await client.inspectStack('shop')).toEqual({
      name: 'shop',
      services: [{ id: SERVICE_ID, name: 'api' }],
      networks: [{ id: 'n1', name: 'shop_front' }],
      secrets: [{ id: 'x1', name: 'shop_secrets' }],
      configs: [{ id: 'x1', name: 'shop_configs' }],
    });
    for (const request of seen) {
      expect(JSON.parse(request.query['filters'] ?? '{}')).toEqual({
        label: ['com.docker.stack.namespace=shop'],
      });
    }
    seen = [];
    await client.removeService('s1');
    await client.removeSecret('x1');
    await client.removeConfig('x2');
    await client.removeNetwork('n1');
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'DELETE /services/s1',
      'DELETE /secrets/x1',
      'DELETE /configs/x2',
      'DELETE /networks/n1',
    ]);
  });

  it("passes a refused removal on in the engine's words, with its status", async () => {
    handler = (_req, res) =>
      json(res, 400, {
        message: 'rpc error: code = FailedPrecondition desc = network n1 is in use by service s9',
      });
    const err: unknown = await api()
      .removeNetwork('n1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).statusCode).toBe(400);
    expect((err as Error).message).toBe(
      'rpc error: code = FailedPrecondition desc = network n1 is in use by service s9',
    );
  });
});
