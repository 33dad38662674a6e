import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyLine,
  ChangeTracker,
  decodeText,
  EMPTY_STATE,
  encodeLine,
  scrub,
  type RecordedState,
  type RecordLine,
} from '../../source/recording/format.js';
import { readRecording, SegmentWriter, segmentFiles } from '../../source/recording/files.js';
import { agoText, parseMoment } from '../../source/recording/time.js';
import { Timeline } from '../../source/recording/timeline.js';
import { recordedTasks } from '../../source/live/recorder.js';
import { mergeFlapping } from '../../source/recording/postmortem.js';
import type { ProblemSpan } from '../../source/recording/timeline.js';
import { node, service, task } from '../helpers/factories.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-rec-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const state = (over: Partial<RecordedState> = {}): RecordedState => ({
  ...EMPTY_STATE,
  nodes: [node({ id: 'n1', hostname: 'one' })],
  services: [service({ id: 's1', name: 'web', running: 2, desired: 2, specReplicas: 2 })],
  ...over,
});

describe('recording lines', () => {
  it('skips a torn last line and a garbled one, and keeps the rest', () => {
    const a = encodeLine({ k: 'note', t: 1, text: 'a' });
    const b = encodeLine({ k: 'note', t: 2, text: 'b' });
    const torn = encodeLine({ k: 'note', t: 3, text: 'c' }).slice(0, 12);
    const read = decodeText(`${a}{"k":"note","t":${b}${torn}`);
    expect(read.lines.map((l) => l.t)).toEqual([1]);
    expect(read.skipped).toBe(2);
    const whole = decodeText(`${a}${b}${torn}`);
    expect(whole.lines.map((l) => l.t)).toEqual([1, 2]);
    expect(whole.skipped).toBe(1);
  });

  it('keeps no join token, no unlock key, no control character, and masks secret labels', () => {
    const text = encodeLine({
      k: 'snap',
      t: 1,
      ...state({
        services: [
          service({
            id: 's1',
            name: 'web\u001b[31m',
            labels: { DB_PASSWORD: 'hunter2', team: 'a' },
            updateMessage: 'join with SWMTKN-1-abcdef-123',
          }),
        ],
      }),
    });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('SWMTKN-1-abcdef');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('"team":"a"');
    expect(scrub({ env: ['API_TOKEN=x1', 'A=b'] })).toEqual({ env: ['API_TOKEN=••••', 'A=b'] });
    expect(scrub({ unlockKey: 'SWMKEY-1-x', joinTokens: { worker: 'SWMTKN-1-x' } })).toEqual({});
  });

  it('writes changes only, and replays them to the same state', () => {
    const tracker = new ChangeTracker();
    const first = state();
    const second = state({
      services: [service({ id: 's1', name: 'web', running: 1, desired: 3, specReplicas: 3 })],
      nodes: [],
    });
    const a = tracker.next(first, 1)!;
    const b = tracker.next(second, 2)!;
    expect(a.k).toBe('snap');
    expect(b).toMatchObject({ k: 'chg', del: { nodes: ['n1'] } });
    expect(tracker.next(second, 3)).toBeNull();
    const replayed = [a, b].reduce(applyLine, EMPTY_STATE);
    expect(replayed.services[0]!.desired).toBe(3);
    expect(replayed.nodes).toEqual([]);
  });

  it('writes an object written before as its changed fields, and one back unchanged as its id', () => {
    const tracker = new ChangeTracker();
    const web = service({ id: 's1', name: 'web', running: 3, desired: 3, specReplicas: 3 });
    const failed = task({ id: 't1', serviceId: 's1', state: 'failed', desiredState: 'shutdown' });
    const states = [
      state({ services: [web], tasks: [failed], troubled: ['s1'] }),
      state({ services: [{ ...web, running: 2 }], tasks: [failed], troubled: ['s1'] }),
      state({ services: [{ ...web, running: 2 }], tasks: [], troubled: [] }),
      state({ services: [{ ...web, running: 3 }], tasks: [failed], troubled: ['s1'] }),
    ];
    const lines = states.map((s, i) => tracker.next(s, i + 1)!);
    expect(lines[1]).toMatchObject({ k: 'chg', upd: { services: [{ id: 's1', running: 2 }] } });
    expect(Object.keys((lines[1] as { upd: { services: object[] } }).upd.services[0]!)).toEqual([
      'id',
      'running',
    ]);
    expect(lines[2]).toMatchObject({ k: 'chg', del: { tasks: ['t1'] } });
    expect(lines[3]).toMatchObject({
      k: 'chg',
      set: {},
      upd: { services: [{ id: 's1', running: 3 }], tasks: [{ id: 't1' }] },
    });
    const encoded = lines.map((l) => encodeLine(l)).join('');
    expect(encoded.length).toBeLessThan(JSON.stringify(states).length);
    const timeline = new Timeline(decodeText(encoded).lines);
    for (const [i, s] of states.entries()) {
      const at = timeline.stateAt(i + 1);
      expect(at.services).toEqual(s.services);
      expect(at.tasks).toEqual(s.tasks);
    }
  });
  it('finds what changed across states that share some lists with the one before', () => {
    const tracker = new ChangeTracker();
    const web = service({ id: 's1', name: 'web', running: 3, desired: 3, specReplicas: 3 });
    const api = service({ id: 's2', name: 'api', running: 1, desired: 1, specReplicas: 1 });
    const failed = task({ id: 't1', serviceId: 's1', state: 'failed', desiredState: 'shutdown' });
    const services = [web, api];
    const first = state({ services, tasks: [], troubled: [] });
    // The same service list (the very array), a new task list.
    const second = { ...first, tasks: [failed] };
    // The services list anew: one gone, one changed, one kept by identity.
    const third = { ...second, services: [{ ...web, running: 2 }] };
    expect(tracker.next(first, 1)!.k).toBe('snap');
    expect(tracker.next(second, 2)).toMatchObject({ k: 'chg', set: { tasks: [failed] } });
    expect(tracker.next(second, 3)).toBeNull();
    const line = tracker.next(third, 4);
    expect(line).toMatchObject({
      k: 'chg',
      upd: { services: [{ id: 's1', running: 2 }] },
      del: { services: ['s2'] },
    });
    expect(line).not.toHaveProperty('del.tasks');
    // A copy equal to what was written is no change.
    expect(tracker.next({ ...third, services: [{ ...web, running: 2 }] }, 5)).toBeNull();
  });
});

describe('segments', () => {
  it('rotates into a ring bounded by the size given, each segment opening with a key frame', () => {
    const dir = tempDir();
    let t = 1_000_000;
    const maxBytes = 1024 * 1024;
    const tracker = new ChangeTracker();
    let current = state();
    const writer = new SegmentWriter({
      dir,
      maxBytes,
      now: () => t,
      opening: () => {
        tracker.reset();
        return [
          { k: 'hdr', t, v: 1, recorder: 'me', endpoint: 'x', pid: 1 },
          tracker.next(current, t)!,
        ];
      },
    });
    const pad = 'registry.example.com/x:'.repeat(80);
    for (let i = 0; i < 2000; i++) {
      t += 1000;
      current = state({
        services: [
          service({ id: 's1', name: 'web', running: i % 3, desired: 2, image: `${pad}${i}` }),
        ],
      });
      const line = tracker.next(current, t);
      if (line !== null) writer.write(line);
    }
    writer.close();
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    const total = files.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(maxBytes);
    // The oldest were deleted: the recording starts later than the first write.
    const { lines } = readRecording(dir);
    expect(lines[0]!.k).toBe('hdr');
    expect(lines[1]!.k).toBe('snap');
    expect(lines[0]!.t).toBeGreaterThan(1_001_000);
    const timeline = new Timeline(lines);
    expect(timeline.stateAt(t).services[0]!.running).toBe(1999 % 3);
  });

  it('reads a recording whose last segment a crash tore, and a new run starts a new segment', () => {
    const dir = tempDir();
    const open = (t: number) =>
      new SegmentWriter({
        dir,
        maxBytes: 1024 * 1024,
        now: () => t,
        opening: () => [{ k: 'snap', t, ...state() } as RecordLine],
      });
    const w = open(1000);
    w.write({ k: 'note', t: 1001, text: 'x' });
    w.close();
    appendFileSync(path.join(dir, segmentFiles(dir)[0]!), '{"k":"note","t":10');
    const w2 = open(2000);
    w2.write({ k: 'note', t: 2001, text: 'y' });
    w2.close();
    expect(readdirSync(dir).length).toBe(2);
    const read = readRecording(dir);
    expect(read.skipped).toBe(1);
    expect(read.lines.map((l) => l.t)).toEqual([1000, 1001, 2000, 2001]);
  });

  it('says in one sentence that a folder holds no recording', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'other.txt'), 'x');
    expect(() => readRecording(dir)).toThrow(/holds no recording/);
    expect(() => readRecording(path.join(dir, 'nope'))).toThrow(/there is no recording/);
  });
});

describe('timeline', () => {
  it('tells when a problem started and ended, judged by the problems view', () => {
    const healthy = state();
    const down = state({
      services: [service({ id: 's1', name: 'web', running: 0, desired: 2, specReplicas: 2 })],
    });
    const crashing = task({
      id: 't1',
      serviceId: 's1',
      state: 'failed',
      desiredState: 'shutdown',
      error: 'task: non-zero exit (1)',
      stateSince: new Date(5000).toISOString(),
    });
    const tracker = new ChangeTracker();
    const lines = [
      tracker.next(healthy, 1000)!,
      tracker.next({ ...down, tasks: [crashing], troubled: ['s1'] }, 5000)!,
      tracker.next(healthy, 9000)!,
    ];
    const timeline = new Timeline(lines);
    const spans = timeline.spans();
    const below = spans.find((s) => s.row.kind === 'service')!;
    expect(below).toMatchObject({ start: 5000, end: 9000 });
    expect(spans.find((s) => s.row.kind === 'tasks')?.start).toBe(5000);
    expect(timeline.changeAfter(1000)).toBe(5000);
    expect(timeline.changeBefore(9000)).toBe(5000);
  });

  it('counts in a minute every service below its count at some moment of it', () => {
    const web = (running: number) =>
      service({ id: 's1', name: 'web', running, desired: 2, specReplicas: 2 });
    const api = (running: number) =>
      service({ id: 's2', name: 'api', running, desired: 1, specReplicas: 1 });
    const tracker = new ChangeTracker();
    const lines = [
      tracker.next(state({ services: [web(2), api(1)] }), 1000)!,
      // web down for 20 s, back before the minute ends; api down from 50 s into the next minute
      tracker.next(state({ services: [web(0), api(1)] }), 10_000)!,
      tracker.next(state({ services: [web(2), api(1)] }), 30_000)!,
      tracker.next(state({ services: [web(2), api(0)] }), 50_000)!,
      tracker.next(state({ services: [web(2), api(1)] }), 70_000)!,
    ];
    const minutes = new Timeline(lines).degradedPerMinute(1000, 130_000);
    expect(minutes.map((m) => [m.t, m.count, m.names])).toEqual([
      [0, 2, ['api', 'web']],
      [60_000, 1, ['api']],
      [120_000, 0, []],
    ]);
  });
});

describe('moments', () => {
  const now = new Date(2026, 0, 2, 10, 30, 0).getTime();
  it('reads a clock time, a time ago and an ISO timestamp', () => {
    expect(parseMoment('03:12', now)).toBe(new Date(2026, 0, 2, 3, 12, 0).getTime());
    expect(parseMoment('11:00:05', now)).toBe(new Date(2026, 0, 1, 11, 0, 5).getTime());
    expect(parseMoment('-15m', now)).toBe(now - 15 * 60_000);
    expect(parseMoment('-1h30m', now)).toBe(now - 90 * 60_000);
    expect(parseMoment('2026-01-02T03:12:05Z', now)).toBe(Date.UTC(2026, 0, 2, 3, 12, 5));
    for (const bad of ['', 'soon', '25:00', '1', '-15x', '03:61']) {
      expect(parseMoment(bad, now)).toBeNull();
    }
  });
  it('says how long ago', () => {
    expect(agoText(now - (2 * 3600 + 13 * 60) * 1000, now)).toBe('2 h 13 min ago');
    expect(agoText(now - 45_000, now)).toBe('45 s ago');
  });
});

describe('the tasks recorded', () => {
  it('keeps the tasks in trouble or changed within 15 minutes, not those running steadily', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const at = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
    const old = { stateSince: at(60), updatedAt: at(60), createdAt: at(60) };
    const tasks = [
      task({ id: 'steady', serviceId: 's', ...old }),
      task({ id: 'moving', serviceId: 's', ...old, desiredState: 'shutdown', updatedAt: at(0.1) }),
      task({ id: 'new', serviceId: 's', state: 'starting', stateSince: at(0.05) }),
      task({
        id: 'failed-now',
        serviceId: 's',
        state: 'failed',
        desiredState: 'shutdown',
        stateSince: at(1),
        updatedAt: at(1),
      }),
      task({
        id: 'failed-long-ago',
        serviceId: 's',
        state: 'failed',
        desiredState: 'shutdown',
        stateSince: at(30),
        updatedAt: at(30),
      }),
      task({
        id: 'pending',
        serviceId: 's',
        state: 'pending',
        stateSince: at(45),
        updatedAt: at(45),
      }),
    ];
    expect(recordedTasks(tasks, now).map((t) => t.id)).toEqual([
      'moving',
      'new',
      'failed-now',
      'pending',
    ]);
  });
});

describe('the postmortem', () => {
  it('lists a problem that ends and comes back within minutes as one (a crash loop flaps)', () => {
    const row = (id: string) => ({ id }) as ProblemSpan['row'];
    const min = 60_000;
    const merged = mergeFlapping([
      { row: row('crash'), start: 0, end: 1 * min },
      { row: row('crash'), start: 2 * min, end: 3 * min },
      { row: row('drain'), start: 2 * min, end: 4 * min },
      { row: row('crash'), start: 4 * min, end: null },
      { row: row('drain'), start: 20 * min, end: 21 * min },
    ]);
    expect(merged.map((s) => [s.row.id, s.start, s.end, s.returns])).toEqual([
      ['crash', 0, null, 2],
      ['drain', 2 * min, 4 * min, 0],
      ['drain', 20 * min, 21 * min, 0],
    ]);
  });
});
