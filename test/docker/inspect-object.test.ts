import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { ConnectionError } from '../../source/docker/errors.js';
import { FailoverSwarmApi } from '../../source/docker/failover-api.js';
import { startFakeEngine, type FakeEngine } from '../fake-engine/index.js';

// inspectObject through the real client: against the fake engine (recorded lab objects) for
// answers and 404s, and against a bare socket server for the answers an engine should not give.

let dir: string;
let engine: FakeEngine;
const apis: DockerodeSwarmApi[] = [];

function connect(socket: string, requestTimeoutMs = 2_000): DockerodeSwarmApi {
  const endpoint = resolveEndpoint({ hosts: [`unix://${socket}`], env: {}, homeDir: dir });
  const api = new DockerodeSwarmApi(endpoint, { requestTimeoutMs });
  apis.push(api);
  return api;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'smarm-inspect-'));
  engine = await startFakeEngine({
    socketPath: path.join(dir, 'engine.sock'),
    nodes: 3,
    services: 2,
    tasksPerService: 2,
  });
});

afterAll(async () => {
  for (const api of apis.splice(0)) api.close();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('inspectObject', () => {
  it('answers the engine JSON of a service, a node and a task as it is', async () => {
    const api = connect(engine.socketPath);
    const service = engine.cluster.services[0]!;
    const node = engine.cluster.nodes[1]!;
    const task = [...engine.cluster.tasks.values()][0]!;
    const raw = await api.inspectObject('service', service.ID);
    expect(raw).toEqual(JSON.parse(engine.cluster.toJson(service)));
    expect(raw['Spec']).toMatchObject({ Name: service.Spec.Name });
    expect(await api.inspectObject('node', node.ID)).toEqual(
      JSON.parse(engine.cluster.toJson(node)),
    );
    expect(await api.inspectObject('task', task.ID)).toMatchObject({
      ID: task.ID,
      ServiceID: task.ServiceID,
    });
    expect(engine.stats().byPath).toHaveProperty(['GET /services/{id}']);
  });

  it('says in one sentence that an object is gone', async () => {
    const api = connect(engine.socketPath);
    const error = await api.inspectObject('service', 'gone123').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toBe(
      'The service gone123 no longer exists (the engine says: service gone123 not found).',
    );
    expect((error as ConnectionError).statusCode).toBe(404);
    await expect(api.inspectObject('task', 'nope')).rejects.toThrow(
      /^The task nope no longer exists \(the engine says: task nope not found\)\.$/,
    );
  });

  it('is passed through by the failover wrapper, moving on from a manager that is gone', async () => {
    const gone = connect(path.join(dir, 'missing.sock'), 500);
    const failover = new FailoverSwarmApi([gone, connect(engine.socketPath)], 1_000);
    const node = engine.cluster.nodes[0]!;
    expect(await failover.inspectObject('node', node.ID)).toMatchObject({ ID: node.ID });
    expect(failover.lastFailover()?.to).toBe(`unix://${engine.socketPath}`);
    // A 404 is an answer, not a reason to move on.
    await expect(failover.inspectObject('node', 'gone')).rejects.toThrow(/no longer exists/);
  });
});

describe('inspectObject against odd answers', () => {
  let server: http.Server;
  let socket: string;
  let reply: (res: http.ServerResponse) => void = () => undefined;
  let asked = '';

  beforeAll(async () => {
    socket = path.join(dir, 'odd.sock');
    server = http.createServer((req, res) => {
      asked = req.url ?? '';
      reply(res);
    });
    await new Promise<void>((done) => server.listen(socket, done));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('reads the swarm from GET /swarm and drops its join tokens as they arrive', async () => {
    // recorded on the lab: JoinTokens holds the worker and manager tokens
    const recorded = readFileSync(
      fileURLToPath(new URL('../fixtures/lab/swarm.json', import.meta.url)),
      'utf8',
    );
    expect(recorded).toMatch(/SWMTKN/);
    reply = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(recorded);
    };
    const raw = await connect(socket).inspectObject('swarm', 'ignored');
    expect(asked.replace(/^\/v[\d.]+/, '')).toBe('/swarm');
    expect(raw['ID']).toBe((JSON.parse(recorded) as { ID: string }).ID);
    expect(raw).not.toHaveProperty('JoinTokens');
    expect(JSON.stringify(raw)).not.toMatch(/SWMTKN/);
  });

  it('refuses an answer that is not a JSON object', async () => {
    reply = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('[1,2]');
    };
    await expect(connect(socket).inspectObject('service', 'x')).rejects.toThrow(
      `The Docker engine at unix://${socket} answered /services/x with something that is not a JSON object.`,
    );
  });

  it('says what the engine said for other refusals', async () => {
    reply = (res) => {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'This node is not a swarm manager.' }));
    };
    await expect(connect(socket).inspectObject('node', 'x')).rejects.toThrow(
      `The Docker engine at unix://${socket} says: This node is not a swarm manager.`,
    );
  });

  it('is bounded by the request timeout', async () => {
    reply = () => undefined; // never answers
    await expect(connect(socket, 200).inspectObject('task', 'x')).rejects.toThrow(
      `The Docker engine at unix://${socket} did not answer within 0.2 s; it may be overloaded or unreachable.`,
    );
  });
});
