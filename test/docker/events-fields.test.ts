// API 1.52 (Docker 29) removed the legacy `status`, `id` and `from` fields of /events messages;
// engines before it send them beside Type/Action/Actor, sometimes with other values (`from` is a
// container's image, `status` may differ from Action). The parser reads only the current fields.
import { describe, expect, it } from 'vitest';
import { parseEvent, parseEventLine } from '../../source/docker/parse.js';

describe('/events messages without the legacy fields', () => {
  it('parses an API 1.52 event (no status, id or from)', () => {
    const event = parseEventLine(
      '{"Type":"service","Action":"update","Actor":{"ID":"svc1","Attributes":{"name":"web","replicas.new":"5","replicas.old":"4"}},"scope":"swarm","time":1800000000,"timeNano":1800000000987654321}',
    );
    expect(event).toEqual({
      type: 'service',
      action: 'update',
      id: 'svc1',
      name: 'web',
      attributes: { name: 'web', 'replicas.new': '5', 'replicas.old': '4' },
      timeNano: 1_800_000_000_987_654_321n,
    });
  });

  it('ignores misleading status, id and from values', () => {
    const event = parseEvent({
      status: 'remove',
      id: 'legacy-id',
      from: 'evil/image:1',
      Type: 'node',
      Action: 'update',
      Actor: { ID: 'node1', Attributes: { name: 'worker-new' } },
      scope: 'swarm',
      time: 1800000001,
      timeNano: '1800000001000000002',
    });
    expect(event).toEqual({
      type: 'node',
      action: 'update',
      id: 'node1',
      name: 'worker-new',
      attributes: { name: 'worker-new' },
      timeNano: 1_800_000_001_000_000_002n,
    });
  });

  it('does not fall back to status or id when Action or Actor is missing', () => {
    // an old engine's legacy-only shape: nothing of it is read
    expect(parseEvent({ status: 'update', id: 'svc1', from: 'x', Type: 'service' })).toBeNull();
    expect(parseEvent({ status: 'update', Type: 'service', Actor: { ID: 'svc1' } })).toMatchObject({
      action: '',
    });
  });
});
