// `smarm-top record` follows the services that had tasks on a node that changed (drained, paused,
// down). A node's task list also holds tasks of services removed since, until the engine reaps
// them; the engine answers a task list asked for a removed service with 404 for the whole
// request, so those must not be followed (found on the lab: a drain recorded no task at all).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startRecorder, type Recorder } from '../../source/live/recorder.js';
import { segmentFiles } from '../../source/recording/files.js';
import type { SwarmEvent, TaskQuery } from '../../source/model.js';
import { FakeSwarm } from '../helpers/fake-api.js';
import { node, service, task } from '../helpers/factories.js';
import { waitFor } from '../helpers/wait-for.js';

/** The fake engine, with events to send and the engine's 404 for a service that is gone. */
class DrainingSwarm extends FakeSwarm {
  private onEvent: ((event: SwarmEvent) => void) | null = null;

  override listTasks(query: TaskQuery) {
    const gone = query.serviceIds?.find((id) => !this.services.some((s) => s.id === id));
    if (gone !== undefined) {
      this.calls.push(`tasks:${query.serviceIds!.join(',')}`);
      return Promise.reject(new Error(`service ${gone} not found`));
    }
    return super.listTasks(query);
  }

  override watchEvents(options: {
    signal: AbortSignal;
    onEvent: (event: SwarmEvent) => void;
  }): Promise<void> {
    this.onEvent = options.onEvent;
    return super.watchEvents(options);
  }

  send(event: SwarmEvent): void {
    this.onEvent!(event);
  }
}

let dir = '';
let recorder: Recorder | null = null;
afterEach(() => {
  recorder?.stop();
  recorder = null;
  rmSync(dir, { recursive: true, force: true });
});

it("records the tasks moved off a drained node, though the node still lists a removed service's task", async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-recorder-'));
  const api = new DrainingSwarm();
  const recent = new Date(Date.now() - 1000).toISOString();
  api.nodes = [node({ id: 'w1', hostname: 'worker-1', availability: 'drain' })];
  api.services = [service({ id: 'web', name: 'web', specReplicas: 2, desired: 2, running: 2 })];
  api.tasks = [
    // web.2, told to stop on worker-1, and its replacement elsewhere
    task({
      id: 'old',
      serviceId: 'web',
      slot: 2,
      nodeId: 'w1',
      desiredState: 'shutdown',
      updatedAt: recent,
    }),
    task({
      id: 'new',
      serviceId: 'web',
      slot: 2,
      nodeId: 'w2',
      state: 'ready',
      stateSince: recent,
    }),
    // a task of a service removed a while ago, not yet reaped
    task({ id: 'orphan', serviceId: 'removed', nodeId: 'w1', desiredState: 'shutdown' }),
  ];
  recorder = startRecorder({
    api,
    dir,
    maxBytes: 10 * 1024 * 1024,
    recorder: 'test@host',
    refreshMs: 60_000,
    flushMs: 20,
  });
  await waitFor('the first lists', () => api.calls.includes('services'));
  api.send({
    type: 'node',
    action: 'update',
    id: 'w1',
    name: 'worker-1',
    attributes: { 'availability.new': 'drain', 'availability.old': 'active' },
    timeNano: BigInt(Date.now()) * 1_000_000n,
  });
  const text = () =>
    segmentFiles(dir)
      .map((file) => readFileSync(path.join(dir, file), 'utf8'))
      .join('');
  await waitFor('the moved tasks recorded', () => text().includes('"new"') && text(), {
    timeoutMs: 5000,
  });
  expect(text()).toContain('"old"');
  // only services that exist were asked for
  expect(api.calls.filter((call) => call.includes('removed'))).toEqual([]);
});
