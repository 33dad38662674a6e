import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  chmodSync,
  chownSync,
  symlinkSync,
  mkdirSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  appendAudit,
  auditUser,
  defaultAuditPath,
  type AuditRecord,
} from '../../source/operations/audit-log.js';

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: '2026-11-25T10:00:00.000Z',
    user: 'alice@laptop',
    endpoint: 'unix:///var/run/docker.sock',
    action: 'scale',
    target: { kind: 'service', id: 's1', name: 'web' },
    before: { replicas: 2 },
    after: { replicas: 5 },
    result: 'accepted',
    message: null,
    id: 'op-1',
    ...overrides,
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-audit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('defaultAuditPath', () => {
  it('uses XDG_STATE_HOME when it is set and absolute', () => {
    expect(defaultAuditPath({ XDG_STATE_HOME: '/state' }, '/home/a')).toBe(
      '/state/smarm-top/audit.log',
    );
  });

  it.each([{}, { XDG_STATE_HOME: '' }, { XDG_STATE_HOME: 'relative/state' }])(
    'falls back to ~/.local/state for %j',
    (env) => {
      expect(defaultAuditPath(env, '/home/a')).toBe('/home/a/.local/state/smarm-top/audit.log');
    },
  );
});

describe('appendAudit', () => {
  it('creates the folders and appends one JSON line per record', async () => {
    const file = path.join(dir, 'deep', 'smarm-top', 'audit.log');
    await appendAudit(file, record());
    await appendAudit(file, record({ action: 'drain', result: 'failed', message: 'a\nb' }));
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] ?? '')).toEqual(record());
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ action: 'drain', message: 'a\nb' });
  });

  it('writes undefined before/after as null', async () => {
    const file = path.join(dir, 'audit.log');
    await appendAudit(file, record({ before: undefined }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ before: null });
  });

  it('creates the file 0600 and its folder 0700', async () => {
    const file = path.join(dir, 'new', 'audit.log');
    await appendAudit(file, record());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('tightens an existing file with looser permissions', async () => {
    const file = path.join(dir, 'audit.log');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    await appendAudit(file, record());
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps lines whole when many appends race', async () => {
    const file = path.join(dir, 'audit.log');
    const big = 'x'.repeat(20_000);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => appendAudit(file, record({ message: `${i}${big}` }))),
    );
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(40);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('rejects with one sentence naming the path when a folder on the way is a file', async () => {
    writeFileSync(path.join(dir, 'blocker'), '');
    const file = path.join(dir, 'blocker', 'audit.log');
    await expect(appendAudit(file, record())).rejects.toThrow(
      `Could not write the audit log ${file}: a part of the path is a file, not a folder.`,
    );
  });

  // Root ignores folder modes: as root, the write is made by a child process running as nobody.
  it('says permission denied for a read-only folder', async () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    const file = path.join(locked, 'audit.log');
    const sentence = `Could not write the audit log ${file}: permission denied.`;
    if (process.getuid?.() !== 0) {
      await expect(appendAudit(file, record())).rejects.toThrow(sentence);
      return;
    }
    chmodSync(dir, 0o755); // mkdtemp's 0700 would stop nobody before the folder under test
    chmodSync(locked, 0o555);
    const source = new URL('../../source/operations/audit-log.ts', import.meta.url).href;
    const child = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { appendAudit } = await import(${JSON.stringify(source)});
         const [file, json] = process.argv.slice(1);
         await appendAudit(file, JSON.parse(json)).then(
           () => console.log('written'),
           (err) => console.log(err.message),
         );`,
        file,
        JSON.stringify(record()),
      ],
      // from the project, where --import finds tsx
      { encoding: 'utf8', timeout: 60_000, cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(sentence);
  });

  it('does not follow a symbolic link: the file it points to is left as it was', async () => {
    const target = path.join(dir, 'victim');
    writeFileSync(target, 'mine\n', { mode: 0o644 });
    chmodSync(target, 0o644);
    const file = path.join(dir, 'audit.log');
    symlinkSync(target, file);
    await expect(appendAudit(file, record())).rejects.toThrow(
      `Could not write the audit log ${file}: it is a symbolic link, which is not followed.`,
    );
    expect(readFileSync(target, 'utf8')).toBe('mine\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it('refuses a FIFO at once instead of hanging on it', async () => {
    const file = path.join(dir, 'audit.log');
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    await expect(appendAudit(file, record())).rejects.toThrow(
      `Could not write the audit log ${file}: it is not a regular file.`,
    );
  });

  it('refuses a folder, which is not a regular file', async () => {
    const file = path.join(dir, 'audit.log');
    mkdirSync(file);
    await expect(appendAudit(file, record())).rejects.toThrow(/^Could not write the audit log /);
  });

  it('refuses a folder every user can write to without the sticky bit, and takes one with it', async () => {
    const shared = path.join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const file = path.join(shared, 'audit.log');
    await expect(appendAudit(file, record())).rejects.toThrow(
      `Could not write the audit log ${file}: its folder ${shared} is writable by every user and has no sticky bit, so anyone could replace the file.`,
    );
    chmodSync(shared, 0o1777);
    await appendAudit(file, record());
    expect(readFileSync(file, 'utf8')).toMatch(/"result":"accepted"/);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'refuses a file that belongs to another user (run as root: the file is given to nobody)',
    async () => {
      const file = path.join(dir, 'audit.log');
      writeFileSync(file, '', { mode: 0o600 });
      chownSync(file, 65534, 65534);
      await expect(appendAudit(file, record())).rejects.toThrow(
        `Could not write the audit log ${file}: it belongs to another user (uid 65534), so it is not written.`,
      );
      expect(readFileSync(file, 'utf8')).toBe('');
    },
  );

  // Root ignores folder modes, so the EACCES sentence is also checked with a stubbed open().
  it('says permission denied when open() gets EACCES', async () => {
    vi.resetModules();
    vi.doMock('node:fs/promises', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:fs/promises')>()),
      mkdir: () => Promise.resolve(undefined),
      stat: () => Promise.resolve({ mode: 0o40700 }),
      open: () => Promise.reject(Object.assign(new Error('EACCES: open'), { code: 'EACCES' })),
    }));
    try {
      const fresh = await import('../../source/operations/audit-log.js');
      await expect(fresh.appendAudit('/x/audit.log', record())).rejects.toThrow(
        'Could not write the audit log /x/audit.log: permission denied.',
      );
    } finally {
      vi.doUnmock('node:fs/promises');
      vi.resetModules();
    }
  });

  it('rejects, never throws, for a record JSON cannot hold', () => {
    const file = path.join(dir, 'audit.log');
    const result = appendAudit(file, record({ before: 1n }));
    return expect(result).rejects.toThrow(
      /^Could not write the audit log .*audit\.log: the record cannot be stored as JSON/,
    );
  });
});

describe('auditUser', () => {
  it('is user@host', () => {
    expect(
      auditUser({ userInfo: () => ({ username: 'alice' }), hostname: () => 'laptop', env: {} }),
    ).toBe('alice@laptop');
  });

  it('falls back to $USER when the uid has no passwd entry', () => {
    const userInfo = () => {
      throw new Error('ENOENT');
    };
    expect(auditUser({ userInfo, hostname: () => 'box', env: { USER: 'bob' } })).toBe('bob@box');
    expect(auditUser({ userInfo, hostname: () => 'box', env: {} })).toBe('unknown@box');
  });

  it('works with the real os', () => {
    expect(auditUser()).toMatch(/^.+@.+$/);
  });
});
