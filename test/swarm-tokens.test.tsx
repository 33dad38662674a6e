// The swarm's join tokens (SWMTKN-…) are secrets: GET /swarm returns them, and no output of
// smarm-top may hold one. The fake engine answers GET /swarm with fake tokens, as a manager does;
// every output is grepped: --once, --once --json, the swarm view's frames (every row's status
// line), inspect, `c` copy (OSC 52) and the audit log. The lab test does the same on a real swarm.
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { App } from '../source/app.js';
import { DockerodeSwarmApi } from '../source/docker/dockerode-api.js';
import { appendAudit } from '../source/operations/audit-log.js';
import { collectSnapshot, formatSnapshotJson, formatSnapshotText } from '../source/once.js';
import { startFakeEngine, type FakeEngine } from './fake-engine/index.js';
import { renderFixed } from './helpers/render.js';
import { waitFor } from './helpers/wait-for.js';

const TOKEN = /SWMTKN/;
const OSC52 = new RegExp(`${String.fromCharCode(27)}\\]52;c;([A-Za-z0-9+/=]+)`, 'g');
const dir = mkdtempSync(path.join(tmpdir(), 'smarm-tokens-'));
let engine: FakeEngine;
let api: DockerodeSwarmApi;

beforeAll(async () => {
  engine = await startFakeEngine({
    socketPath: path.join(dir, 'engine.sock'),
    nodes: 5,
    services: 4,
    tasksPerService: 2,
    historyPerTask: 1,
    seed: 5,
  });
  api = new DockerodeSwarmApi(
    { kind: 'unix', socketPath: engine.socketPath, label: 'unix://fake', source: '--host' },
    { requestTimeoutMs: 30_000 },
  );
}, 60_000);

afterAll(async () => {
  api.close();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

function rawSwarm(): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: engine.socketPath, path: '/v1.41/swarm' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('no join token in any output', () => {
  it('the engine does answer GET /swarm with join tokens (so this test can fail)', async () => {
    expect(await rawSwarm()).toMatch(TOKEN);
  });

  it('--once and --once --json (with --show-secrets too) hold the swarm, not its tokens', async () => {
    const now = new Date();
    const snapshot = await collectSnapshot(api, now.getTime());
    expect(snapshot.swarm?.id).toBeTruthy();
    const text = formatSnapshotText(snapshot, now);
    expect(text).toContain('SWARM');
    expect(text).toContain('data path port');
    const json = formatSnapshotJson(snapshot, now);
    const shown = formatSnapshotJson(snapshot, now, { revealSecrets: true });
    expect((JSON.parse(json) as { swarm: { id: string } }).swarm.id).toBe(snapshot.swarm!.id);
    for (const output of [text, json, shown, JSON.stringify(snapshot)]) {
      expect(output).not.toMatch(TOKEN);
    }
  });

  it('the swarm view, inspect, copy and the audit log', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    const r = renderFixed(
      <App
        api={api}
        writes={api}
        audit={(record) => appendAudit(auditFile, record)}
        user="tokens"
        refreshMs={60_000}
        theme="mono"
      />,
      { columns: 120, rows: 40 },
    );
    const press = async (keys: string[], until?: string) => {
      for (const key of keys) {
        r.stdin.write(key);
        await r.flush();
      }
      if (until !== undefined) {
        await waitFor(until, () => r.lastFrame()?.includes(until), {
          timeoutMs: 10_000,
          intervalMs: 10,
        });
      }
    };
    try {
      await waitFor('services', () => r.lastFrame()?.includes('SERVICES'), {
        timeoutMs: 10_000,
        intervalMs: 10,
      });
      await press(['0'], 'data path port');
      // Every row's status line says its whole value.
      for (let i = 0; i < 30; i++) await press(['j']);
      await press(['g', 'i']);
      await press(['c', 's']);
      // Inspect and copy a node (its TLS info is there) and a service.
      await press(['2', 'i'], 'inspect node');
      await press(['c', 's', '\u001b', '1', 'i'], 'inspect service');
      await press(['c', 's', '\u001b']);
      // A change through the operations path, audited.
      await press(['1', 'g', 's', '1', '\r', 'y']);
      await waitFor(
        'the audit outcome',
        () => {
          try {
            return readFileSync(auditFile, 'utf8').split('\n').length > 2;
          } catch {
            return false;
          }
        },
        { timeoutMs: 10_000, intervalMs: 20 },
      );
      // Copies were made (a node's spec and a service's), so their payloads are checked below.
      expect([...written.join('').matchAll(OSC52)].length).toBeGreaterThanOrEqual(2);
      const outputs = {
        frames: r.frames.join('\n'),
        stdout: written.join(''),
        audit: readFileSync(auditFile, 'utf8'),
      };
      expect(outputs.frames).toContain('data path port');
      expect(outputs.audit).toMatch(/scale/);
      for (const [what, output] of Object.entries(outputs)) {
        expect(output, what).not.toMatch(TOKEN);
        // OSC 52 payloads are base64: decoded, they hold no token either.
        for (const payload of output.matchAll(OSC52)) {
          expect(Buffer.from(payload[1]!, 'base64').toString('utf8'), what).not.toMatch(TOKEN);
        }
      }
    } finally {
      r.unmount();
      vi.restoreAllMocks();
    }
  }, 60_000);
});
