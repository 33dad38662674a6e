// The stats probe's figures from Engine JSON recorded in the lab (docker 20.10, cgroup v1):
// test/fixtures/probe/stats-burn-{1,2}.json are two one-shot stats of a container running
// `sh -c 'while :; do :; done'` two seconds apart (GET /containers/{id}/stats?stream=false&one-shot=true);
// stats-limited.json one of a container with --limit-memory 64m; containers.json GET /containers/json
// with the task-id label filter, one container unhealthy.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cpuPercent,
  healthOfStatus,
  memoryUsed,
  parseStats,
  parseTaskContainers,
} from '../../source/docker/probe-stats.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/probe/${name}`, import.meta.url), 'utf8'));

describe('stats probe figures', () => {
  it('reads a one-shot stats answer (precpu empty)', () => {
    const sample = parseStats(fixture('stats-burn-1.json'))!;
    expect(sample).toEqual({
      cpuTotalNs: 215816051,
      systemNs: 9191250000000,
      onlineCpus: 2,
      readAt: Date.parse('2026-12-06T06:44:11.508924419Z'),
      memoryUsed: 331776,
      memoryLimit: 25276157952,
    });
  });

  it('computes CPU in percent of a core from two samples, as docker stats does', () => {
    const a = parseStats(fixture('stats-burn-1.json'))!;
    const b = parseStats(fixture('stats-burn-2.json'))!;
    // (324862331 - 215816051) / (9195850000000 - 9191250000000) × 2 CPUs × 100
    expect(cpuPercent(a, b)).toBeCloseTo(((324862331 - 215816051) / 4600000000) * 2 * 100, 6);
    // the same sample twice, or counters that went back (a restarted container): no figure
    expect(cpuPercent(b, b)).toBeNull();
    expect(cpuPercent(b, a)).toBeNull();
  });

  it('falls back to the time between readings when the host CPU time is absent', () => {
    const a = { ...parseStats(fixture('stats-burn-1.json'))!, systemNs: null };
    const b = { ...a, cpuTotalNs: a.cpuTotalNs + 1e9, readAt: a.readAt! + 2000 };
    expect(cpuPercent(a, b)).toBeCloseTo(50, 6);
  });

  it('counts memory as docker stats does: the inactive file cache is not in use', () => {
    const limited = parseStats(fixture('stats-limited.json'))!;
    expect(limited.memoryLimit).toBe(64 * 1024 * 1024);
    expect(limited.memoryUsed).toBe(1163264);
    // cgroup v1 total_inactive_file, cgroup v2 inactive_file, old engines cache
    expect(memoryUsed({ usage: 100, stats: { total_inactive_file: 30, inactive_file: 10 } })).toBe(
      70,
    );
    expect(memoryUsed({ usage: 100, stats: { inactive_file: 10 } })).toBe(90);
    expect(memoryUsed({ usage: 100, stats: { cache: 40 } })).toBe(60);
    // never below zero: a figure larger than the usage is not subtracted
    expect(memoryUsed({ usage: 100, stats: { inactive_file: 200 } })).toBe(100);
    expect(memoryUsed({})).toBe(0);
  });

  it('refuses answers without CPU figures instead of inventing them', () => {
    expect(parseStats(null)).toBeNull();
    expect(parseStats({ memory_stats: { usage: 1 } })).toBeNull();
    expect(parseStats('x')).toBeNull();
  });

  it('lists the swarm task containers with their health', () => {
    const containers = parseTaskContainers(fixture('containers.json'));
    expect(containers.length).toBe(4);
    expect(containers.every((c) => c.taskId !== '' && c.nodeId !== '')).toBe(true);
    expect(containers.find((c) => c.serviceName === 'fxburn')?.health).toBe('unhealthy');
    expect(containers.find((c) => c.serviceName === 'web')?.health).toBe('none');
    expect(parseTaskContainers([{ Id: 'x', Labels: {} }, 3, null])).toEqual([]);
    expect(healthOfStatus('Up 2 seconds (health: starting)')).toBe('starting');
    expect(healthOfStatus('Up 2 minutes (healthy)')).toBe('healthy');
  });
});
