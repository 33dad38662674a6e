import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneSessions, SESSIONS_KEPT } from '../../source/record-cli.js';

let parent: string;

beforeEach(() => {
  parent = mkdtempSync(path.join(os.tmpdir(), 'smarm-sessions-'));
});

afterEach(() => {
  rmSync(parent, { recursive: true, force: true });
});

/** A session folder named as the app names them, holding one segment of `bytes`. */
function session(minute: number, bytes: number): string {
  const name = `2026-12-06T10-${String(minute).padStart(3, '0')}-00-000Z-${1000 + minute}`;
  const dir = path.join(parent, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, `seg-${1796580000000 + minute}-000000.jsonl`), 'x'.repeat(bytes));
  return name;
}

const left = (): string[] => readdirSync(parent).sort();

describe('pruneSessions: the sessions recorded by the interactive app stay bounded', () => {
  it('keeps the newest sessions within the byte bound, the oldest going first', () => {
    const names = [1, 2, 3, 4].map((minute) => session(minute, 1000));
    const keep = path.join(parent, '2026-12-06T10-59-00-000Z-9999');
    pruneSessions(parent, keep, 2500);
    expect(left()).toEqual(names.slice(2));
  });

  it('keeps at most the given number of sessions with the one being started, without measuring those that go', () => {
    const names = [1, 2, 3, 4, 5].map((minute) => session(minute, 10));
    const keep = path.join(parent, '2026-12-06T10-59-00-000Z-9999');
    pruneSessions(parent, keep, 1_000_000, 3);
    // Two older sessions and the new one make three.
    expect(left()).toEqual(names.slice(3));
  });

  it('never removes the session being started, even when it sorts first', () => {
    const keep = session(0, 5000);
    const names = [1, 2].map((minute) => session(minute, 1000));
    pruneSessions(parent, path.join(parent, keep), 1000, 2);
    expect(left()).toEqual([keep, names[1]]);
  });

  it('bounds the count by default, so that starts do not slow down as sessions pile up', () => {
    for (let i = 0; i < SESSIONS_KEPT + 5; i++) session(i, 1);
    pruneSessions(parent, path.join(parent, 'z-new'), 1_000_000);
    expect(left()).toHaveLength(SESSIONS_KEPT - 1);
  });
});
