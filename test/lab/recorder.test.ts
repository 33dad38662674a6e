// The flight recorder against the lab (docs/recording.md): about a minute of recording while a
// service is scaled, a node drained and re-activated, and crashy crash-loops; the recorder is
// SIGKILLed once and started again. Then the replay and the postmortem are held to what the
// docker CLI saw (`docker events`, `docker node ls`), never to smarm-top's own reading.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { docker } from '../helpers/docker-cli.js';
import { CLI, runCliAsync } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait-for.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  timeNano: number;
}

describeWithLab('the flight recorder against the lab', (lab) => {
  const host = lab.dockerHost;
  const cli = (...args: string[]) => docker(host, ...args);
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'smarm-rec-lab-')), 'rec');
  const env = { ...process.env, DOCKER_HOST: host, XDG_CONFIG_HOME: '/nonexistent' };
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  function startRecorder(): { child: ChildProcess; stderr: () => string } {
    const child = spawn(process.execPath, [CLI, 'record', '--dir', dir], { env });
    children.push(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return { child, stderr: () => stderr };
  }
  const segments = () =>
    readdirSync(dir)
      .filter((n) => /^seg-.*\.jsonl$/.test(n))
      .sort();
  const hasKeyFrame = (name: string) =>
    readFileSync(path.join(dir, name), 'utf8').includes('"k":"snap"');

  it('records a scale, a drain and a crash loop, survives SIGKILL, and replays and tells them', async () => {
    const replicas = () =>
      Number(cli('service', 'inspect', 'web', '--format', '{{.Spec.Mode.Replicated.Replicas}}'));
    const before = replicas();
    const since = Math.floor(Date.now() / 1000) - 1;
    let drained = false;
    try {
      const first = startRecorder();
      await waitFor('the first key frame', () => segments().some(hasKeyFrame));
      expect(first.stderr()).toMatch(/smarm-top record: recording .* into /);

      cli('service', 'scale', '--detach', `web=${before + 1}`);
      await sleep(8000);
      // A crash: the recording must stay readable and the next run start its own segment.
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      const second = startRecorder();
      await waitFor('a second segment with a key frame', () => {
        const all = segments();
        return all.length >= 2 && hasKeyFrame(all.at(-1)!);
      });

      cli('node', 'update', '--availability', 'drain', 'worker-1');
      drained = true;
      await sleep(15_000);
      cli('node', 'update', '--availability', 'active', 'worker-1');
      drained = false;
      await sleep(15_000);
      cli('service', 'scale', '--detach', `web=${before}`);
      await sleep(8000);

      second.child.kill('SIGTERM');
      const code = await new Promise((resolve) => second.child.once('exit', resolve));
      expect(code).toBe(0);
      expect(second.stderr()).toMatch(/smarm-top record: stopped recording into /);
    } finally {
      if (drained) cli('node', 'update', '--availability', 'active', 'worker-1');
      if (replicas() !== before) cli('service', 'scale', '--detach', `web=${before}`);
    }

    // What the engine itself reported.
    const events = cli(
      'events',
      '--since',
      String(since),
      '--until',
      String(Math.ceil(Date.now() / 1000)),
      '--filter',
      'scope=swarm',
      '--format',
      '{{json .}}',
    )
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as EngineEvent);
    const scale = events.find(
      (e) =>
        e.Type === 'service' &&
        e.Actor.Attributes['name'] === 'web' &&
        e.Actor.Attributes['replicas.new'] === String(before + 1),
    );
    const workerId = cli('node', 'inspect', 'worker-1', '--format', '{{.ID}}');
    const drain = events.find(
      (e) =>
        e.Type === 'node' &&
        e.Actor.ID === workerId &&
        e.Actor.Attributes['availability.new'] === 'drain',
    );
    expect(scale, 'docker events saw the scale').toBeDefined();
    expect(drain, 'docker events saw the drain').toBeDefined();
    const scaleMs = scale!.timeNano / 1e6;
    const drainMs = drain!.timeNano / 1e6;

    // The recording of that minute is small.
    const bytes = segments().reduce((sum, n) => sum + statSync(path.join(dir, n)).size, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);

    // The replay, 2 s after the drain, shows worker-1 drained.
    const at = new Date(drainMs + 2000).toISOString();
    const snapshot = await runCliAsync(['--replay', dir, '--once', '--json', '--at', at], env);
    expect(snapshot.stderr).toBe('');
    expect(snapshot.status).toBe(0);
    const shown = JSON.parse(snapshot.stdout) as {
      nodes: { hostname: string; availability: string }[];
    };
    expect(shown.nodes.find((n) => n.hostname === 'worker-1')?.availability).toBe('drain');
    // And at the end, active again.
    const end = await runCliAsync(['--replay', dir, '--once', '--json'], env);
    const last = JSON.parse(end.stdout) as { nodes: { hostname: string; availability: string }[] };
    expect(last.nodes.find((n) => n.hostname === 'worker-1')?.availability).toBe('active');

    // The postmortem lists the scale and the drain within 2 s of the engine's times, and the
    // crash loop as a problem with a start time.
    const report = await runCliAsync(['postmortem', dir], env);
    expect(report.status).toBe(0);
    const rows = report.stdout
      .split('\n')
      .filter((l) => /^\| \d{4}-/.test(l))
      .map((l) => {
        const [time, what, detail] = l.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, ''));
        return { ms: Date.parse(`${time!.replace(' ', 'T')}`), what: what!, detail: detail! };
      });
    const near = (ms: number, match: (r: { what: string; detail: string }) => boolean) =>
      rows.some((r) => match(r) && Math.abs(r.ms - ms) <= 2000);
    expect(
      near(scaleMs, (r) =>
        r.detail.includes(`service web update: replicas ${before} → ${before + 1}`),
      ),
      report.stdout,
    ).toBe(true);
    expect(
      near(drainMs, (r) => r.detail.includes('node worker-1 update: availability active → drain')),
      report.stdout,
    ).toBe(true);
    expect(
      rows.some(
        (r) =>
          r.what === 'problem started: node drained or paused' &&
          r.detail.includes('worker-1') &&
          Math.abs(r.ms - drainMs) <= 5000,
      ),
      report.stdout,
    ).toBe(true);
    expect(
      rows.some(
        (r) =>
          /problem started: (crash loop|service below its count)/.test(r.what) &&
          r.detail.includes('crashy'),
      ),
      report.stdout,
    ).toBe(true);
    expect(report.stdout).toMatch(/^- First failure: \d{4}-/m);
  }, 180_000);
});
