import { describe, expect, it } from 'vitest';
import { formatSnapshotJson } from '../source/once.js';
import { MASK } from '../source/format/mask.js';
import { node, service, task } from './helpers/factories.js';

const now = new Date('2026-12-01T12:00:00Z');

function snapshot() {
  return {
    nodes: [
      node({
        id: 'n1',
        // A worker reports its own hostname: C1 controls, a bidi override, a tag character.
        hostname: 'evil\u009d0;x\u009c\u009b2J\u202egnp.exe\udb40\udc41',
        labels: { 'vault.token': 's.ABCDEF', zone: 'b' },
      }),
    ],
    services: [
      service({
        id: 's1',
        name: 'api',
        labels: {
          'com.example.db.password': 'hunter2',
          'com.example.url': 'postgres://app:pw1@db/app',
          tier: 'web',
        },
      }),
    ],
    tasks: [
      task({ id: 't1', serviceId: 's1', nodeId: 'n1', state: 'running', desiredState: 'running' }),
    ],
  };
}

describe('formatSnapshotJson', () => {
  it('masks labels by name, as the screen does', () => {
    const text = formatSnapshotJson(snapshot(), now);
    expect(text).not.toMatch(/hunter2|s\.ABCDEF|pw1/);
    const json = JSON.parse(text);
    expect(json.nodes[0].labels).toEqual({ 'vault.token': MASK, zone: 'b' });
    expect(json.services[0].labels).toEqual({
      'com.example.db.password': MASK,
      'com.example.url': `postgres://app:${MASK}@db/app`,
      tier: 'web',
    });
  });

  it('shows labels with --show-secrets', () => {
    const json = JSON.parse(formatSnapshotJson(snapshot(), now, { revealSecrets: true }));
    expect(json.services[0].labels['com.example.db.password']).toBe('hunter2');
    expect(json.nodes[0].labels['vault.token']).toBe('s.ABCDEF');
  });

  it('escapes C1, bidi and invisible characters in every string, and stays the same JSON', () => {
    const text = formatSnapshotJson(snapshot(), now);
    expect(text).not.toMatch(/[\u0080-\u009f\u202e]|\udb40/);
    expect(text).toContain('evil\\u009d0;x\\u009c\\u009b2J\\u202egnp.exe\\udb40\\udc41');
    const json = JSON.parse(text);
    expect(json.nodes[0].hostname).toBe(snapshot().nodes[0]!.hostname);
    expect(json.tasks[0].nodeName).toBe(snapshot().nodes[0]!.hostname);
  });
});
