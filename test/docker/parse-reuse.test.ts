import { describe, expect, it } from 'vitest';
import { servicesParser } from '../../source/docker/parse.js';

const service = (id: string, index: number, running = 1) => ({
  ID: id,
  Version: { Index: index },
  UpdatedAt: '2024-05-01T10:00:00Z',
  Spec: { Name: `svc-${id}`, Mode: { Replicated: { Replicas: 1 } } },
  ServiceStatus: { RunningTasks: running, DesiredTasks: 1 },
});

describe('servicesParser: unchanged services come back as the same objects', () => {
  it('reuses a service whose version and counts are unchanged', () => {
    const parse = servicesParser();
    const [a1, b1] = parse([service('a', 5), service('b', 7)], true);
    const [a2, b2] = parse([service('a', 5), service('b', 8)], true);
    expect(a2).toBe(a1);
    expect(b2).not.toBe(b1);
    expect(b2!.version).toBe(8);
  });

  it('parses again when the counts (computed by the engine, not versioned) change', () => {
    const parse = servicesParser();
    const [first] = parse([service('a', 5, 0)], true);
    const [second] = parse([service('a', 5, 1)], true);
    expect(second).not.toBe(first);
    expect(second!.running).toBe(1);
  });

  it('forgets a service a whole list no longer has; a partial answer keeps the rest', () => {
    const parse = servicesParser();
    const [a1] = parse([service('a', 5), service('b', 7)], true);
    parse([service('b', 7)], false);
    expect(parse([service('a', 5)], true)[0]).toBe(a1);
    parse([service('b', 7)], true);
    expect(parse([service('a', 5)], true)[0]).not.toBe(a1);
  });

  it('never reuses an answer without a version', () => {
    const parse = servicesParser();
    const bare = { ...service('a', 5), Version: {} };
    const [first] = parse([bare], true);
    expect(parse([bare], true)[0]).not.toBe(first);
    expect(parse([{ Spec: {} }, bare], true)).toHaveLength(1);
  });
});
