// Tasks rejected because they could not join a network: named as a network problem, in the
// engine's own words, with the network the words are about.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTasks } from '../../source/docker/parse.js';
import {
  isNetworkJoinFailure,
  joinFailureWords,
  networksNamedBy,
} from '../../source/views/network-errors.js';
import { problemRows } from '../../source/views/problem-rows.js';
import { node, service, task } from '../helpers/factories.js';

const VXLAN =
  'network sandbox join failed: subnet sandbox join failed for "10.0.1.0/24": error creating vxlan interface: file exists';
const SECURE = 'cannot join secure network: encryption keys not present';

const front = {
  id: 'netfront0000001',
  name: 'front',
  subnets: ['10.0.1.0/24'],
  encrypted: false,
  driver: 'overlay',
};
const vault = {
  id: 'netvault0000001',
  name: 'vault',
  subnets: ['10.0.2.0/24'],
  encrypted: true,
  driver: 'overlay',
};
const ingress = {
  id: 'ingress00000001',
  name: 'ingress',
  subnets: ['10.0.0.0/24'],
  driver: 'overlay',
  encrypted: false,
};

describe('network join failures', () => {
  it.each([
    [VXLAN, true],
    [SECURE, true],
    ['task: non-zero exit (3)', false],
    ['no suitable node (scheduling constraints not satisfied on 5 nodes)', false],
  ])('%s: %s', (reason, yes) => {
    expect(isNetworkJoinFailure(reason)).toBe(yes);
  });

  it('names the network by the subnet in the words, else the encrypted one, else all but ingress', () => {
    const attached = [task({ id: 't', serviceId: 's', networks: [ingress, front, vault] })];
    expect(networksNamedBy(VXLAN, attached)).toEqual(['front']);
    expect(networksNamedBy(SECURE, attached)).toEqual(['vault']);
    expect(networksNamedBy('network sandbox join failed: boom', attached)).toEqual([
      'front',
      'vault',
    ]);
    expect(networksNamedBy(VXLAN, [task({ id: 'u', serviceId: 's' })])).toEqual([]);
    expect(
      networksNamedBy(VXLAN, [
        task({ id: 'v', serviceId: 's', networks: [{ ...front, name: '' }] }),
      ]),
    ).toEqual(['netfront0000']);
  });

  it('says it in words an operator reads at once', () => {
    expect(joinFailureWords(['front'])).toBe('could not join network front');
    expect(joinFailureWords(['a', 'b'])).toBe('could not join networks a, b');
    expect(joinFailureWords([])).toBe('could not join a network');
  });
});

describe('the problems view', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');
  const rejected = (id: string, error: string, networks = [front]) =>
    task({
      id,
      serviceId: 's',
      nodeId: 'n1',
      state: 'rejected',
      desiredState: 'shutdown',
      error,
      networks,
      stateSince: new Date(NOW - 10_000).toISOString(),
    });

  it('names the group as a network problem and keeps the engine words (and its jump)', () => {
    const rows = problemRows({
      nodes: [node({ id: 'n1', hostname: 'worker-1' })],
      services: [service({ id: 's', name: 'web', running: 1, desired: 2 })],
      tasks: [rejected('a', VXLAN), rejected('b', VXLAN), rejected('c', 'task: non-zero exit (1)')],
      troubled: ['s'],
      nowMs: NOW,
    });
    const network = rows.find((r) => r.kind === 'network');
    expect(network).toMatchObject({
      what: `2 tasks could not join network front: ${VXLAN}`,
      detail: 'web · on worker-1',
      count: 2,
      serviceIds: ['s'],
      jump: { view: 'tasks', filter: VXLAN },
    });
    // Other failures stay plain task groups.
    expect(rows.find((r) => r.kind === 'tasks')?.what).toBe('1 task: task: non-zero exit (1)');
  });
});

describe('rejections recorded from the lab (overlay networks in one shared netns)', () => {
  const tasks = parseTasks(
    JSON.parse(readFileSync(new URL('../fixtures/lab/jobs-tasks.json', import.meta.url), 'utf8')),
  );
  const rejectedNow = tasks.filter((t) => t.state === 'rejected');
  const nowMs = Math.max(...rejectedNow.map((t) => Date.parse(t.stateSince ?? '')));
  const ids = [...new Set(rejectedNow.map((t) => t.serviceId))];
  const rows = problemRows({
    nodes: [],
    services: ids.map((id, i) => service({ id, name: `svc${i}`, running: 0, desired: 1 })),
    tasks: rejectedNow,
    troubled: ids,
    nowMs,
  });
  const network = rows.filter((r) => r.kind === 'network').map((r) => r.what);

  it('names the overlay (xnet) and the encrypted overlay (xsec) the engine could not join', () => {
    expect(
      network.some((w) =>
        /^\d+ tasks? could not join network xnet: network sandbox join failed: /.test(w),
      ),
    ).toBe(true);
    expect(network).toContainEqual(
      expect.stringMatching(
        /^\d+ tasks? could not join network xsec: cannot join secure network: encryption keys not present$/,
      ),
    );
  });

  it('parses the attachments: name, subnet, encryption', () => {
    const secure = rejectedNow.find((t) => t.error?.includes('secure network'));
    expect(secure?.networks).toEqual([
      expect.objectContaining({ name: 'xsec', subnets: ['10.0.2.0/24'], encrypted: true }),
    ]);
  });
});
