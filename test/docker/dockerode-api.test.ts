import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi, formatSince } from '../../source/docker/dockerode-api.js';
import { ConnectionError } from '../../source/docker/errors.js';
import type { SwarmEvent } from '../../source/model.js';

// A fake engine on a unix socket in a temp dir: the real client code path (dockerode, our agent,
// timeouts, stream handling) without a real engine.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let dir: string;
let socketPath: string;
let server: http.Server;
let handler: Handler;
let seen: string[];
const apis: DockerodeSwarmApi[] = [];

function api(requestTimeoutMs = 2_000, socket = socketPath): DockerodeSwarmApi {
  const endpoint = resolveEndpoint({ hosts: [`unix://${socket}`], env: {}, homeDir: dir });
  const created = new DockerodeSwarmApi(endpoint, { requestTimeoutMs });
  apis.push(created);
  return created;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function streamHead(res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** A service of about 1 KB: 300 of them make an answer joined into reused memory. */
const paddedService = (i: number, replicas: number) => ({
  ID: `s${i}`,
  Spec: {
    Name: `svc${i}`,
    Labels: { pad: 'x'.repeat(1_000) },
    Mode: { Replicated: { Replicas: replicas } },
  },
});

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'smarm-api-'));
  socketPath = path.join(dir, 'docker.sock');
  seen = [];
  handler = (_req, res) => json(res, 404, { message: 'page not found' });
  server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((done) => server.listen(socketPath, done));
});

afterEach(async () => {
  for (const created of apis.splice(0)) created.close();
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(dir, { recursive: true, force: true });
});

describe('DockerodeSwarmApi reads', () => {
  it('lists with the right queries and parses the answers', async () => {
    handler = (req, res) => {
      const url = new URL(req.url ?? '', 'http://engine');
      if (url.pathname === '/info') {
        return json(res, 200, {
          Name: 'm1',
          Swarm: { LocalNodeState: 'active', ControlAvailable: true, NodeID: 'n1' },
        });
      }
      if (url.pathname === '/nodes') return json(res, 200, [{ ID: 'n1' }, { nope: true }]);
      if (url.pathname === '/services') {
        return json(res, 200, [{ ID: 's1', Spec: { Name: 'web' } }]);
      }
      if (url.pathname === '/tasks') return json(res, 200, [{ ID: 't1', ServiceID: 's1' }]);
      json(res, 404, { message: 'no' });
    };
    const client = api();
    expect(client.endpoint).toBe(`unix://${socketPath}`);
    expect((await client.info()).controlAvailable).toBe(true);
    expect((await client.listNodes()).map((node) => node.id)).toEqual(['n1']);
    expect((await client.listServices())[0]?.name).toBe('web');
    expect(await client.listTasks({})).toHaveLength(1);
    await client.listTasks({ serviceId: 's1', nodeId: 'n1', desiredRunningOnly: true });

    expect(seen.slice(0, 4)).toEqual(['/info', '/nodes', '/services?status=true', '/tasks']);
    const filters = new URL(seen[4] ?? '', 'http://engine').searchParams.get('filters');
    expect(JSON.parse(filters ?? 'null')).toEqual({
      service: ['s1'],
      node: ['n1'],
      'desired-state': ['running'],
    });

    const stats = client.stats();
    expect(stats.requests).toBe(5);
    expect(stats.bytes).toBeGreaterThan(0);
  });

  it('keeps a large answer and the small ones polled beside it: unchanged, none is parsed again', async () => {
    // every running task at full size is larger than the bound on the answers kept to compare
    const many = Array.from({ length: 2_600 }, (_, i) => ({
      ID: `t${i}`,
      ServiceID: 's1',
      Spec: { ContainerSpec: { Image: 'x'.repeat(2_000) } },
    }));
    handler = (req, res) => {
      const url = new URL(req.url ?? '', 'http://engine');
      if (url.pathname === '/services') return json(res, 200, [{ ID: 's1', Spec: {} }]);
      if (url.pathname === '/tasks') return json(res, 200, many);
      json(res, 404, { message: 'no' });
    };
    const client = api();
    const services = await client.listServices();
    const placed = await client.listTasks({ desiredRunningOnly: true });
    expect(JSON.stringify(many).length).toBeGreaterThan(5 * 2 ** 20);
    for (let poll = 0; poll < 3; poll++) {
      expect(await client.listServices()).toBe(services);
      expect(await client.listTasks({ desiredRunningOnly: true })).toBe(placed);
    }
  });

  it('joins a large changed answer into the memory of the answer before the last: values and identities stay right', async () => {
    let replicas = [1, 1, 1];
    handler = (_req, res) =>
      json(
        res,
        200,
        Array.from({ length: 300 }, (_, i) => paddedService(i, replicas[i] ?? 1)),
      );
    const client = api();
    const polls = [];
    // each poll changes one service; the third is joined into the first's memory, the fourth into
    // the second's, while each is compared with the one before it
    for (const next of [
      [1, 1, 1],
      [2, 1, 1],
      [2, 3, 1],
      [2, 3, 4],
      [2, 3, 4],
    ]) {
      replicas = next;
      polls.push(await client.listServices());
    }
    expect(JSON.stringify(paddedService(0, 1)).length * 300).toBeGreaterThan(256 * 2 ** 10);
    const replicasOf = (list: Awaited<ReturnType<DockerodeSwarmApi['listServices']>>) =>
      list.slice(0, 3).map((s) => s.specReplicas);
    expect(polls.map(replicasOf)).toEqual([
      [1, 1, 1],
      [2, 1, 1],
      [2, 3, 1],
      [2, 3, 4],
      [2, 3, 4],
    ]);
    // unchanged services are the objects parsed before, whatever memory their bytes are in now
    expect(polls[3]![299]).toBe(polls[0]![299]);
    expect(polls[3]![0]).toBe(polls[1]![0]);
    expect(polls[3]![1]).toBe(polls[2]![1]);
    expect(polls[4]).toBe(polls[3]);
  });

  it('never joins into the answer a slower read of the same list is still comparing with', async () => {
    // only the last service changes, in the second half of the answer
    const answer = (last: number) =>
      JSON.stringify(Array.from({ length: 300 }, (_, i) => paddedService(i, i === 299 ? last : 1)));
    const answers = [1, 2, 5, 4, 5].map(answer);
    let served = 0;
    handler = (_req, res) => {
      const text = answers[served++] ?? answer(5);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (served !== 3) return void res.end(text);
      // the third read: its first half (as in the second answer), then a pause, then the rest
      res.write(text.slice(0, text.length / 2));
      setTimeout(() => res.end(text.slice(text.length / 2)), 300);
    };
    const client = api();
    await client.listServices();
    await client.listServices();
    const slow = client.listServices();
    await sleep(50);
    expect((await client.listServices())[299]?.specReplicas).toBe(4);
    // this read would find the second answer's memory free if the slow one were not counted
    expect((await client.listServices())[299]?.specReplicas).toBe(5);
    expect((await slow)[299]?.specReplicas).toBe(5);
  });

  it('collects the young generation after each megabyte of polled answers, changed or not, when gc is exposed', async () => {
    const services = Array.from({ length: 300 }, (_, i) => ({
      ID: `s${i}`,
      Spec: { Name: `svc${i}`, Labels: { pad: 'x'.repeat(1_000) } },
    }));
    const size = JSON.stringify(services).length;
    expect(size).toBeGreaterThan(2 ** 20 / 4);
    expect(size).toBeLessThan(2 ** 20 / 2);
    handler = (_req, res) => json(res, 200, services);
    const collected: unknown[] = [];
    const exposed = (globalThis as { gc?: unknown }).gc;
    (globalThis as { gc?: unknown }).gc = (options: unknown) => collected.push(options);
    let client: DockerodeSwarmApi;
    try {
      client = api();
    } finally {
      (globalThis as { gc?: unknown }).gc = exposed;
    }
    await client.listServices();
    await client.listServices(); // unchanged: read, compared, not kept again
    expect(collected).toEqual([]);
    await client.listServices();
    await client.listServices();
    expect(collected).toEqual([{ type: 'minor' }]);
  });

  it('reuses the tasks parsed for another query: a new set of troubled services re-parses only what changed', async () => {
    const task = (id: string, service: string, state = 'running') => ({
      ID: id,
      ServiceID: service,
      Status: { State: state },
    });
    let answers: Record<string, object[]> = {
      'a,b': [task('t1', 'a'), task('t2', 'b')],
      'a,b,c': [task('t1', 'a'), task('t2', 'b', 'failed'), task('t3', 'c')],
      c: [task('t3', 'c')],
    };
    handler = (req, res) => {
      const url = new URL(req.url ?? '', 'http://engine');
      const filters = JSON.parse(url.searchParams.get('filters') ?? '{}') as {
        service?: string[];
      };
      json(res, 200, answers[(filters.service ?? []).join(',')] ?? []);
    };
    const client = api();
    const [t1, t2] = await client.listTasks({ serviceIds: ['a', 'b'] });
    const wider = await client.listTasks({ serviceIds: ['a', 'b', 'c'] });
    expect(wider[0]).toBe(t1);
    expect(wider[1]).not.toBe(t2);
    expect(wider[1]?.state).toBe('failed');
    // t3 as parsed for the wider query, though asked for with yet another set
    expect((await client.listTasks({ serviceIds: ['c'] }))[0]).toBe(wider[2]);
    answers = { c: [task('t3', 'c', 'failed')] };
    expect((await client.listTasks({ serviceIds: ['c'] }))[0]?.state).toBe('failed');
  });

  it("reads the Engine API version from the ping's Api-Version header, as the docker CLI does", async () => {
    let header: string | null = ' 1.45 ';
    handler = (req, res) => {
      if (req.url !== '/_ping') return json(res, 404, { message: 'no' });
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        ...(header === null ? {} : { 'Api-Version': header }),
      });
      res.end('OK');
    };
    const client = api();
    expect(await client.ping()).toBe('1.45');
    header = null;
    expect(await client.ping()).toBe('');
    handler = (_req, res) => json(res, 500, { message: 'ping refused' });
    await expect(client.ping()).rejects.toThrow('ping refused');
  });

  it('turns an engine refusal into a ConnectionError with its message', async () => {
    handler = (_req, res) =>
      json(res, 503, {
        message:
          'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
      });
    const err: unknown = await api()
      .listNodes()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).statusCode).toBe(503);
    expect((err as ConnectionError).exitCode).toBe(1);
    expect((err as Error).message).toBe(
      `The Docker engine at unix://${socketPath} says: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.`,
    );
  });

  it('bounds a request that never gets an answer', async () => {
    handler = () => {
      // never answers
    };
    const started = Date.now();
    await expect(api(200).info()).rejects.toThrow(
      `The Docker engine at unix://${socketPath} did not answer within 0.2 s; it may be overloaded or unreachable.`,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('bounds a request whose body stalls after the headers', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[{"ID":');
    };
    await expect(api(200).listNodes()).rejects.toThrow(/did not answer within 0\.2 s/);
  });

  it('says when the socket does not exist', async () => {
    const missing = path.join(dir, 'missing.sock');
    await expect(api(2_000, missing).info()).rejects.toThrow(
      `Cannot connect to the Docker engine at unix://${missing}: no such socket. Is dockerd running?`,
    );
  });
});

describe('DockerodeSwarmApi.watchEvents', () => {
  const line = (id: string, timeNano: string, name = id): string =>
    `{"Type":"service","Action":"update","Actor":{"ID":"${id}","Attributes":{"name":"${name}"}},"scope":"swarm","time":${timeNano.slice(0, 10)},"timeNano":${timeNano}}\n`;

  it('formats since as seconds.nanoseconds', () => {
    expect(formatSince(1_700_000_000_123_456_789n)).toBe('1700000000.123456789');
    expect(formatSince(1_700_000_000_000_000_001n)).toBe('1700000000.000000001');
    expect(formatSince(5n)).toBe('0.000000005');
  });

  it('delivers events cut at arbitrary places, outlives the request timeout, and stops quietly on abort', async () => {
    const first = line('s1', '1700000000123456789', 'wéb');
    const second = line('s2', '1700000001987654321');
    handler = (_req, res) => {
      streamHead(res);
      const bytes = Buffer.from(first + second);
      const cutAt = Buffer.from(first).indexOf(Buffer.from('é')) + 1; // inside "é"
      res.write(bytes.subarray(0, cutAt));
      setTimeout(() => res.write(bytes.subarray(cutAt, cutAt + 30)), 150);
      // after the 100 ms request timeout: a quiet stream must stay open
      setTimeout(() => res.write(bytes.subarray(cutAt + 30)), 300);
    };
    const controller = new AbortController();
    const events: SwarmEvent[] = [];
    const watching = api(100).watchEvents({
      since: 1_699_999_999_000_000_005n,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        if (events.length === 2) controller.abort();
      },
    });
    await expect(watching).resolves.toBeUndefined();
    expect(events.map((event) => [event.id, event.name, event.timeNano])).toEqual([
      ['s1', 'wéb', 1_700_000_000_123_456_789n],
      ['s2', 's2', 1_700_000_001_987_654_321n],
    ]);
    const url = new URL(seen[0] ?? '', 'http://engine');
    expect(url.pathname).toBe('/events');
    expect(url.searchParams.get('since')).toBe('1699999999.000000005');
    expect(JSON.parse(url.searchParams.get('filters') ?? 'null')).toEqual({
      type: ['service', 'node', 'secret', 'config', 'network'],
      scope: ['swarm'],
    });
  });

  it('resolves when the engine ends the stream, delivering a last line without newline', async () => {
    handler = (_req, res) => {
      streamHead(res);
      res.end(line('s1', '1700000000000000000').trimEnd());
    };
    const events: SwarmEvent[] = [];
    await api().watchEvents({
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
    });
    expect(events.map((event) => event.id)).toEqual(['s1']);
    expect(new URL(seen[0] ?? '', 'http://engine').searchParams.has('since')).toBe(false);
  });

  it('rejects when the connection breaks mid-stream', async () => {
    handler = (_req, res) => {
      streamHead(res);
      res.write(line('s1', '1700000000000000000'));
      setTimeout(() => res.socket?.destroy(), 50);
    };
    await expect(
      api().watchEvents({ signal: new AbortController().signal, onEvent: () => {} }),
    ).rejects.toThrow(/was closed unexpectedly/);
  });

  it('rejects when the stream cannot be opened in time', async () => {
    handler = () => {
      // no headers
    };
    await expect(
      api(200).watchEvents({ signal: new AbortController().signal, onEvent: () => {} }),
    ).rejects.toThrow(/did not answer within 0\.2 s/);
  });

  it('resolves quietly when aborted while opening or before starting', async () => {
    handler = () => {
      // no headers
    };
    const controller = new AbortController();
    const watching = api().watchEvents({ signal: controller.signal, onEvent: () => {} });
    await sleep(50);
    controller.abort();
    await expect(watching).resolves.toBeUndefined();
    await expect(
      api().watchEvents({ signal: AbortSignal.abort(), onEvent: () => {} }),
    ).resolves.toBeUndefined();
  });

  it('rejects with the engine message when the engine refuses the stream', async () => {
    handler = (_req, res) => json(res, 400, { message: 'invalid filter "nope"' });
    await expect(
      api().watchEvents({ signal: new AbortController().signal, onEvent: () => {} }),
    ).rejects.toThrow(`answered HTTP 400: invalid filter "nope"`);
  });
});
