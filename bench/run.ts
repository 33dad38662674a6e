// `npm run bench`: smarm-top's performance targets (issue 5) measured in one run, printed as one
// table and written to bench/results/summary.json.
//
//   P1  process start → first complete output: `--once` (wall and CPU) and the interactive path
//       (wall until the service list is on a tmux screen), against a lab-sized and a full-size
//       fake engine and the lab when it is up; beside them a bare `node -e 0` and the docker CLI
//       doing `docker node ls; docker service ls; docker service ps <service>`.
//   P2  CPU per refresh and idle CPU of the interactive app at full size (--refresh 2), read from
//       /proc/<pid>/stat; then the same under change (tasks failing, a rolling update).
//   P3  keypress → frame at full size: keys sent one at a time through tmux, timed inside the app
//       from its SMARM_TRACE lines (key received → the next frame built; Ink draws ≤ 30 fps).
//   P5  bytes and requests pulled from the engine per minute while idle, from the fake engine's
//       counters, against a naive client that lists every task every 2 s.
//   P6  external change → on screen at full size: a scale, a drain and a failed task made in the
//       fake engine, timed until the tmux screen shows them.
//   P7  resident memory (VmRSS) during a soak at full size under change (tasks failing, rolling
//       updates): first, last, max and the slope of the second half. A longer soak:
//       BENCH_SOAK_SECONDS=3600 npm run bench
//   The CPU profile of `--once` (BENCH_PROFILE=0 skips it), summed by bundled package.
//
// Environment: BENCH_SECONDS (idle window, default 60), BENCH_CHURN_SECONDS (default 30, 0 skips),
// BENCH_RUNS (P1 repetitions, default 10; P6 does min(runs, 5)), BENCH_SOAK_SECONDS (P7, default
// 600, 0 skips), BENCH_NODES / BENCH_SERVICES / BENCH_TASKS / BENCH_HISTORY (full size, default
// 100 / 1000 / 10 / 2). BENCH_QUICK=1 is the CI mode (a few minutes): SECONDS 6, CHURN 4, RUNS 2,
// SERVICES 100, SOAK 20, no profile; a variable set explicitly still wins.
// Nothing here asserts a time: the table says which targets are met. The exit status is non-zero
// only when the harness itself broke (smarm-top failed or crashed, a screen or a change never
// showed), so that CI catches a broken bench and not a slow machine.

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  startFakeEngine,
  type FakeEngine,
  type FakeEngineStats,
} from '../test/fake-engine/index.js';

const execFileAsync = promisify(execFile);
const env = process.env;
const QUICK = env['BENCH_QUICK'] === '1';
/** A number from the environment; `quick` is the default in BENCH_QUICK mode. */
const num = (name: string, fallback: number, quick = fallback): number => {
  const value = Number(env[name]);
  if (env[name] !== undefined && Number.isFinite(value) && value >= 0) return value;
  return QUICK ? quick : fallback;
};

const SECONDS = num('BENCH_SECONDS', 60, 6);
const CHURN_SECONDS = num('BENCH_CHURN_SECONDS', 30, 4);
const RUNS = Math.max(1, Math.round(num('BENCH_RUNS', 10, 2)));
const SOAK_SECONDS = num('BENCH_SOAK_SECONDS', 600, 20);
const PROFILE = env['BENCH_PROFILE'] === undefined ? !QUICK : env['BENCH_PROFILE'] !== '0';
const FULL = {
  nodes: num('BENCH_NODES', 100),
  services: num('BENCH_SERVICES', 1000, 100),
  tasksPerService: num('BENCH_TASKS', 10),
  historyPerTask: num('BENCH_HISTORY', 2),
};
/** About the lab's size: 5 nodes, a handful of services. */
const SMALL = { nodes: 5, services: 6, tasksPerService: 3, historyPerTask: 2 };
const REFRESH_SECONDS = 2;
const NAIVE_INTERVAL_MS = 2000;
const LAB_ENV = '/tmp/smarm-lab/current.env';
const COLUMNS = 120;
const ROWS = 40;
/** The services pane has rows: "<name>  10/10 replicated …". */
const SERVICE_ROW = /\s\d+\/\d+\s+(replicated|global)/;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'dist/cli.js');
const DIST_URL = new URL('../dist/', import.meta.url).href;
const RESULTS = path.join(ROOT, 'bench/results/summary.json');
const TMP = mkdtempSync(path.join(os.tmpdir(), 'smarm-bench-'));
const CPU_PRELOAD = path.join(TMP, 'cpu-report.cjs');

// ---- cleanup: every child and tmux server goes with us -----------------------------------------

const children = new Set<ChildProcess>();
const tmuxServers = new Set<string>();
const engines = new Set<FakeEngine>();

/** tmux leaves its socket file behind after kill-server. */
function removeTmuxSocket(server: string): void {
  const dir = path.join(env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
  rmSync(path.join(dir, server), { force: true });
}

function cleanup(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const server of tmuxServers) {
    try {
      execFileSync('tmux', ['-L', server, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    removeTmuxSocket(server);
  }
  tmuxServers.clear();
  rmSync(TMP, { recursive: true, force: true });
}

process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}

// ---- small helpers ----------------------------------------------------------------------------

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const nowMs = (): number => performance.now();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest rank: the value that `fraction` of the values are at or below. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}

function which(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ms = (value: number): string => (Number.isFinite(value) ? `${Math.round(value)} ms` : '-');
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** What broke in the harness itself (not a missed target): the run exits non-zero for these. */
const problems: string[] = [];

function problem(message: string): void {
  problems.push(message);
  log(`  PROBLEM: ${message}`);
}

/** A measurement that breaks is reported as a problem and skipped; the others still run. */
async function attempt<T>(what: string, measure: () => Promise<T>): Promise<T | null> {
  try {
    return await measure();
  } catch (error) {
    problem(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

// ---- processes ----------------------------------------------------------------------------------

interface RunResult {
  wallMs: number;
  /** user + sys of the process (and what it waited for), or NaN when not measurable. */
  cpuMs: number;
  maxRssMiB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its exit; wall from spawn to exit. */
function run(
  command: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<Omit<RunResult, 'cpuMs' | 'maxRssMiB'>> {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(command, args, {
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let wallMs = 0;
    child.once('exit', () => (wallMs = nowMs() - started));
    child.once('error', reject);
    child.once('close', (code) => {
      children.delete(child);
      resolve({ wallMs, code, stdout, stderr });
    });
  });
}

let cpuReports = 0;

/** A Node program, its CPU from its own process.resourceUsage() at exit (µs resolution). */
async function runNode(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  const report = path.join(TMP, `cpu-${cpuReports++}.json`);
  const result = await run(process.execPath, ['--require', CPU_PRELOAD, ...args], {
    ...extraEnv,
    BENCH_CPU_REPORT: report,
  });
  let cpuMs = NaN;
  let maxRssMiB = NaN;
  if (existsSync(report)) {
    const usage = JSON.parse(readFileSync(report, 'utf8')) as {
      userCPUTime: number;
      systemCPUTime: number;
      maxRSS: number;
    };
    cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    maxRssMiB = usage.maxRSS / 1024;
    rmSync(report);
  }
  return { ...result, cpuMs, maxRssMiB };
}

const HAVE_TIME = existsSync('/usr/bin/time');

/** A shell command; CPU of it and its children from GNU time (10 ms resolution). */
async function runShell(script: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
  if (!HAVE_TIME) {
    const result = await run('sh', ['-c', script], extraEnv);
    return { ...result, cpuMs: NaN, maxRssMiB: NaN };
  }
  const report = path.join(TMP, `time-${cpuReports++}.txt`);
  const result = await run(
    '/usr/bin/time',
    ['-f', '%U %S %M', '-o', report, 'sh', '-c', script],
    extraEnv,
  );
  const [user, sys, rss] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ');
  rmSync(report);
  return {
    ...result,
    cpuMs: (Number(user) + Number(sys)) * 1000,
    maxRssMiB: Number(rss) / 1024,
  };
}

// ---- tmux -----------------------------------------------------------------------------------------

let tmuxCount = 0;

class Tmux {
  readonly server = `smarm-bench-${process.pid}-${tmuxCount++}`;

  /** A server with an idle pane, so that its own start is not part of what is timed. */
  async open(): Promise<void> {
    tmuxServers.add(this.server);
    await execFileAsync('tmux', [
      '-L',
      this.server,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      'bench',
      '-x',
      String(COLUMNS),
      '-y',
      String(ROWS),
      'sleep 600',
    ]);
  }

  /** Replaces the pane's program with `shellCommand`. */
  async respawn(shellCommand: string): Promise<void> {
    await execFileAsync('tmux', ['-L', this.server, 'respawn-pane', '-k', shellCommand]);
  }

  async capture(): Promise<string> {
    const { stdout } = await execFileAsync('tmux', ['-L', this.server, 'capture-pane', '-p']);
    return stdout;
  }

  async panePid(): Promise<number> {
    const { stdout } = await execFileAsync('tmux', [
      '-L',
      this.server,
      'display-message',
      '-p',
      '#{pane_pid}',
    ]);
    return Number(stdout.trim());
  }

  /** Polls the screen every 10 ms until `pattern` shows; ms since `since`, or NaN on timeout. */
  async waitFor(pattern: RegExp, since: number, timeoutMs = 60_000): Promise<number> {
    for (;;) {
      const screen = await this.capture().catch(() => '');
      if (pattern.test(screen)) return nowMs() - since;
      if (nowMs() - since > timeoutMs) {
        log(`  (gave up waiting for ${String(pattern)}; screen:\n${screen.trimEnd()})`);
        return NaN;
      }
      await sleep(10);
    }
  }

  async send(keys: string): Promise<void> {
    await execFileAsync('tmux', ['-L', this.server, 'send-keys', keys]).catch(() => undefined);
  }

  async kill(): Promise<void> {
    await execFileAsync('tmux', ['-L', this.server, 'kill-server']).catch(() => undefined);
    removeTmuxSocket(this.server);
    tmuxServers.delete(this.server);
  }
}

const quote = (part: string): string => `'${part.replaceAll("'", `'\\''`)}'`;

/** smarm-top in a terminal, as a person starts it (CI unset: Ink draws no frames under CI). */
function interactiveCommand(host: string, extraEnv: Record<string, string> = {}): string {
  return [
    'exec',
    'env',
    '-u',
    'CI',
    'TERM=xterm-256color',
    ...Object.entries(extraEnv).map(([name, value]) => `${name}=${value}`),
    process.execPath,
    CLI,
    '--host',
    host,
    '--refresh',
    String(REFRESH_SECONDS),
  ]
    .map(quote)
    .join(' ');
}

/** Start → first frame with the service list, wall only. */
async function firstFrame(host: string): Promise<number> {
  const tmux = new Tmux();
  try {
    await tmux.open();
    const started = nowMs();
    await tmux.respawn(interactiveCommand(host));
    return await tmux.waitFor(SERVICE_ROW, started);
  } finally {
    await tmux.kill();
  }
}

interface RunningApp {
  tmux: Tmux;
  /** The pane runs `exec env … node`: its pid is smarm-top's. */
  pid: number;
  firstFrameMs: number;
}

/** smarm-top in its own tmux server with its service list on screen, for `measure`; then quit. */
async function withApp<T>(
  target: Target,
  extraEnv: Record<string, string>,
  measure: (app: RunningApp) => Promise<T>,
): Promise<T> {
  const tmux = new Tmux();
  try {
    await tmux.open();
    const started = nowMs();
    await tmux.respawn(interactiveCommand(target.host, extraEnv));
    const firstFrameMs = await tmux.waitFor(SERVICE_ROW, started);
    if (!Number.isFinite(firstFrameMs)) throw new Error('the service list never appeared');
    return await measure({ tmux, pid: await tmux.panePid(), firstFrameMs });
  } finally {
    await tmux.send('q');
    await tmux.kill();
  }
}

/** The method's own floor: a shell printing one line, seen the same way. */
async function tmuxFloor(): Promise<number> {
  const tmux = new Tmux();
  try {
    await tmux.open();
    const started = nowMs();
    await tmux.respawn('echo " 1/1 replicated"; sleep 30');
    return await tmux.waitFor(SERVICE_ROW, started);
  } finally {
    await tmux.kill();
  }
}

// ---- /proc ----------------------------------------------------------------------------------------

const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process in ms. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function processRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)/m.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

// ---- engines ----------------------------------------------------------------------------------------

interface Target {
  name: string;
  host: string;
  socketPath: string;
  /** The service `docker service ps` is asked about. */
  service: string;
  fake: FakeEngine | null;
}

function get(socketPath: string, url: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath, path: url, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

async function fakeTarget(name: string, size: typeof FULL): Promise<Target> {
  const socketPath = path.join(TMP, `${name}.sock`);
  const started = nowMs();
  const fake = await startFakeEngine({ socketPath, ...size, seed: 1 });
  engines.add(fake);
  // Warm its caches, so that the first measured run does not pay for serializing 30,000 tasks.
  await get(socketPath, '/tasks', 60_000);
  await get(socketPath, '/services?status=true', 60_000);
  const service = [...fake.cluster.services].map((s) => s.Spec.Name).sort()[0] ?? '';
  log(`fake engine "${name}" up in ${ms(nowMs() - started)}: ${describeSize(size)}`);
  return { name, host: `unix://${socketPath}`, socketPath, service, fake };
}

function describeSize(size: typeof FULL): string {
  const running = size.services * size.tasksPerService;
  return `${size.nodes} nodes, ${size.services} services, ${running} running tasks + ${running * size.historyPerTask} history`;
}

async function labTarget(): Promise<Target | null> {
  if (!existsSync(LAB_ENV)) return null;
  const host = /^DOCKER_HOST=["']?(unix:\/\/[^"'\s]+)/m.exec(readFileSync(LAB_ENV, 'utf8'))?.[1];
  if (host === undefined) return null;
  const socketPath = host.slice('unix://'.length);
  try {
    await get(socketPath, '/_ping');
    const services = JSON.parse(await get(socketPath, '/services')) as Array<{
      Spec?: { Name?: string };
    }>;
    const names = services.map((s) => s.Spec?.Name ?? '').filter((n) => n !== '');
    const service = names.includes('web') ? 'web' : (names.sort()[0] ?? '');
    log(`lab is up at ${host}`);
    return { name: 'lab', host, socketPath, service, fake: null };
  } catch (error) {
    log(`lab at ${host} does not answer (${(error as Error).message}); skipped`);
    return null;
  }
}

// ---- P1 -------------------------------------------------------------------------------------------

interface Series {
  id: string;
  label: string;
  wallMs: number[];
  cpuMs: number[];
  maxRssMiB: number[];
  failures: number;
}

function series(id: string, label: string): Series {
  return { id, label, wallMs: [], cpuMs: [], maxRssMiB: [], failures: 0 };
}

function record(s: Series, result: RunResult, ok: boolean): void {
  if (!ok) {
    s.failures += 1;
    log(`  ${s.label}: failed (exit ${result.code}) ${result.stderr.trim().slice(0, 300)}`);
    return;
  }
  s.wallMs.push(result.wallMs);
  s.cpuMs.push(result.cpuMs);
  s.maxRssMiB.push(result.maxRssMiB);
}

async function measureP1(targets: Target[], haveDocker: boolean, haveTmux: boolean) {
  const floor = series('P1', 'node -e 0');
  const once = targets.map((t) => series('P1', `smarm-top --once, ${t.name}`));
  const docker = targets.map((t) =>
    series('P1', `docker node ls; service ls; service ps, ${t.name}`),
  );
  const frame = targets.map((t) => series('P1', `interactive first frame, ${t.name}`));
  const tmux = series('P1', 'tmux: shell echo seen (method floor)');

  for (let i = 0; i < RUNS; i++) {
    log(`P1 round ${i + 1}/${RUNS}`);
    // Interleaved, so that noise on this machine spreads over every series alike.
    const bare = await runNode(['-e', '0']);
    record(floor, bare, bare.code === 0);
    for (const [k, target] of targets.entries()) {
      const result = await runNode([CLI, '--once', '--host', target.host]);
      record(once[k]!, result, result.code === 0 && result.stdout.includes('\nTASKS'));
      if (haveDocker) {
        const script = `docker node ls && docker service ls && docker service ps ${quote(target.service)}`;
        const result = await runShell(script, { DOCKER_HOST: target.host });
        record(docker[k]!, result, result.code === 0 && result.stdout.includes('REPLICAS'));
      }
      if (haveTmux) {
        const wall = await firstFrame(target.host);
        if (Number.isFinite(wall)) frame[k]!.wallMs.push(wall);
        else frame[k]!.failures += 1;
      }
    }
    if (haveTmux) {
      const wall = await tmuxFloor();
      if (Number.isFinite(wall)) tmux.wallMs.push(wall);
      else tmux.failures += 1;
    }
  }
  // smarm-top failing to start is the harness breaking; the docker CLI's rows only compare.
  for (const s of [...once, ...frame, tmux]) {
    if (s.failures > 0) problem(`P1 ${s.label}: ${s.failures} of ${RUNS} runs failed`);
  }
  return { floor, once, docker: haveDocker ? docker : [], frame: haveTmux ? frame : [], tmux };
}

// ---- P2 and P5 ------------------------------------------------------------------------------------

interface Window {
  seconds: number;
  cpuMs: number;
  cpuPercent: number;
  refreshes: number;
  cpuMsPerRefresh: number;
  requests: number;
  bytes: number;
  requestsPerMinute: number;
  bytesPerMinute: number;
  requestsPerRefresh: number;
  byPath: FakeEngineStats['byPath'];
  rssMiB: number;
}

async function window(pid: number, fake: FakeEngine, seconds: number): Promise<Window> {
  fake.resetStats();
  const cpu0 = processCpuMs(pid);
  const t0 = nowMs();
  await sleep(seconds * 1000);
  const cpu1 = processCpuMs(pid);
  const elapsed = (nowMs() - t0) / 1000;
  const stats = fake.stats();
  const refreshes = stats.byPath['GET /services']?.requests ?? 0;
  const cpuMs = cpu1 - cpu0;
  return {
    seconds: elapsed,
    cpuMs,
    cpuPercent: (cpuMs / (elapsed * 1000)) * 100,
    refreshes,
    cpuMsPerRefresh: refreshes > 0 ? cpuMs / refreshes : NaN,
    requests: stats.requests,
    bytes: stats.bytesSent,
    requestsPerMinute: (stats.requests * 60) / elapsed,
    bytesPerMinute: (stats.bytesSent * 60) / elapsed,
    requestsPerRefresh: refreshes > 0 ? stats.requests / refreshes : NaN,
    byPath: stats.byPath,
    rssMiB: processRssMiB(pid),
  };
}

async function measureLive(target: Target) {
  const fake = target.fake!;
  return withApp(target, {}, async ({ tmux, pid, firstFrameMs }) => {
    // Let the first loads (services, nodes, the selected service's tasks) settle.
    await sleep(5000);
    log(`P2/P5: smarm-top (pid ${pid}) idle for ${SECONDS} s at full size`);
    const idle = await window(pid, fake, SECONDS);
    let churn: (Window & { failuresPerSecond: number; rollingUpdate: string }) | null = null;
    if (CHURN_SECONDS > 0) {
      const failuresPerSecond = 2;
      log(
        `P2: under change for ${CHURN_SECONDS} s (${failuresPerSecond} task failures/s, a rolling update)`,
      );
      const stop = fake.startChurn({
        taskFailuresPerSecond: failuresPerSecond,
        rollingUpdate: target.service,
        updateStepMs: 2000,
      });
      const measured = await window(pid, fake, CHURN_SECONDS);
      stop();
      churn = { ...measured, failuresPerSecond, rollingUpdate: target.service };
    }
    const screen = await tmux.capture();
    return { firstFrameMs, idle, churn, screen };
  });
}

/** A client that lists every task every 2 s (as swarmcli does), for as long as the idle window. */
async function naiveClient(fake: FakeEngine, socketPath: string, seconds: number) {
  log(`P5: naive client, GET /tasks every ${NAIVE_INTERVAL_MS / 1000} s for ${seconds} s`);
  const agent = new http.Agent({ keepAlive: true });
  fake.resetStats();
  const t0 = nowMs();
  let received = 0;
  try {
    for (let at = 0; at < seconds * 1000; at += NAIVE_INTERVAL_MS) {
      await sleep(Math.max(0, t0 + at - nowMs()));
      received += await new Promise<number>((resolve, reject) => {
        http
          .get({ socketPath, path: '/v1.41/tasks', agent }, (res) => {
            let bytes = 0;
            res.on('data', (chunk: Buffer) => (bytes += chunk.length));
            res.on('end', () => resolve(bytes));
          })
          .on('error', reject);
      });
    }
    await sleep(Math.max(0, t0 + seconds * 1000 - nowMs()));
  } finally {
    agent.destroy();
  }
  const elapsed = (nowMs() - t0) / 1000;
  const stats = fake.stats();
  return {
    seconds: elapsed,
    requests: stats.requests,
    bytes: stats.bytesSent,
    bodyBytes: received,
    requestsPerMinute: (stats.requests * 60) / elapsed,
    bytesPerMinute: (stats.bytesSent * 60) / elapsed,
  };
}

// ---- P3 -------------------------------------------------------------------------------------------

type KeyKind = 'move' | 'open' | 'filter';

interface KeyStep {
  /** A tmux key name. */
  key: string;
  kind: KeyKind;
  /** The key starts a load (every task): wait for it, so that the next key is measured alone. */
  loads?: boolean;
}

/** Between two keys: each is measured alone, and a key's frame comes well before the next key. */
const KEY_PAUSE_MS = 300;
/** The tasks pane has rows "<service>.<slot>  <node>  running  running 1d". */
const TASK_ROW = /\srunning\s+running\s/;
/** tmux key names as the app's trace names them. */
const TRACE_KEY_NAMES: Record<string, string> = { Enter: 'return', Escape: 'escape', Tab: 'tab' };

function p3Keys(): KeyStep[] {
  const as = (kind: KeyKind) => (key: string) => ({ key, kind });
  // `/`, the text one character at a time, Enter keeps the filter, Esc clears it.
  const filter = (text: string) => ['/', ...text, 'Enter', 'Escape'].map(as('filter'));
  // A service's tasks (Enter) and back (Esc); the tasks pane below it (Tab) and back.
  const open = ['Enter', 'Escape', 'Tab', 'Tab'].map(as('open'));
  return [
    ...Array<string>(20).fill('j').map(as('move')),
    ...open,
    ...open,
    ...open,
    // Every task of the swarm (10,000 running at full size, with history), then services again.
    { key: '3', kind: 'open', loads: true },
    { key: '1', kind: 'open' },
    ...filter('web'),
    ...filter('api'),
  ];
}

interface TraceEntry {
  t: number;
  event: string;
  name?: string;
  ms?: number;
  what?: string;
}

function readTrace(file: string): TraceEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as TraceEntry];
      } catch {
        return []; // the empty last line, or one being written
      }
    });
}

async function waitForTrace(
  file: string,
  done: (entries: TraceEntry[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const since = nowMs();
  while (!done(readTrace(file))) {
    if (nowMs() - since > timeoutMs) throw new Error(`${what} never showed in the trace`);
    await sleep(20);
  }
}

interface KeyTiming {
  key: string;
  kind: KeyKind;
  /** Key received → the next frame built, in the app; null when the key drew no frame. */
  latencyMs: number | null;
  /** Ink's own build time of that frame. */
  renderMs: number | null;
  /** How long the key waited before the app read it (beyond the fastest key's delivery). */
  queuedMs: number;
}

/**
 * Each key's frame is the first render after it. When a later key arrives first, and not in the
 * same read (a burst shares one frame), the key drew no frame of its own.
 */
function keyTimings(entries: TraceEntry[], steps: KeyStep[], sentAt: number[]): KeyTiming[] {
  const keys = entries.flatMap((entry, index) => (entry.event === 'key' ? [{ entry, index }] : []));
  const expected = steps.map((step) => TRACE_KEY_NAMES[step.key] ?? step.key);
  const seen = keys.map((k) => k.entry.name);
  if (seen.join(' ') !== expected.join(' ')) {
    throw new Error(`sent keys "${expected.join(' ')}", the app read "${seen.join(' ')}"`);
  }
  // The two clocks differ by a constant: the fastest delivery stands for it.
  const offset = Math.min(...keys.map((k, i) => k.entry.t - sentAt[i]!));
  return keys.map(({ entry, index }, i) => {
    let frame: TraceEntry | null = null;
    for (const next of entries.slice(index + 1)) {
      if (next.event === 'render') frame = next;
      if (
        next.event === 'render' ||
        (next.event === 'key' && next.t - entry.t > KEY_PAUSE_MS / 2)
      ) {
        break;
      }
    }
    return {
      key: steps[i]!.key,
      kind: steps[i]!.kind,
      latencyMs: frame === null ? null : frame.t - entry.t,
      renderMs: frame?.ms ?? null,
      queuedMs: entry.t - sentAt[i]! - offset,
    };
  });
}

interface KindStats {
  kind: KeyKind;
  keys: string;
  n: number;
  medianMs: number;
  p95Ms: number;
  noFrame: number;
  renderMedianMs: number;
  maxQueuedMs: number;
}

function kindStats(timings: KeyTiming[], kind: KeyKind): KindStats {
  const mine = timings.filter((t) => t.kind === kind);
  const latencies = mine.flatMap((t) => (t.latencyMs === null ? [] : [t.latencyMs]));
  return {
    kind,
    keys: [...new Set(mine.map((t) => t.key))].join(' '),
    n: latencies.length,
    medianMs: median(latencies),
    p95Ms: percentile(latencies, 0.95),
    noFrame: mine.length - latencies.length,
    renderMedianMs: median(mine.flatMap((t) => (t.renderMs === null ? [] : [t.renderMs]))),
    maxQueuedMs: Math.max(...mine.map((t) => t.queuedMs)),
  };
}

/** The selected service's tasks are on screen: the first loads are done. */
async function waitForTasksPane(tmux: Tmux): Promise<void> {
  if (!Number.isFinite(await tmux.waitFor(TASK_ROW, nowMs()))) {
    throw new Error("the selected service's tasks never appeared");
  }
}

const keyCount = (entries: TraceEntry[]): number => entries.filter((e) => e.event === 'key').length;

/** A key that starts a load: the app read it, and the load is done (its frames come next). */
async function waitForLoad(traceFile: string, keysBefore: number, key: string): Promise<void> {
  await waitForTrace(
    traceFile,
    (entries) =>
      keyCount(entries) > keysBefore &&
      entries
        .slice(entries.findLastIndex((e) => e.event === 'key'))
        .some((e) => e.event === 'loaded' && e.what === 'tasks'),
    `the tasks load after "${key}"`,
  );
}

async function measureP3(target: Target) {
  const traceFile = path.join(TMP, 'p3-trace.jsonl');
  const steps = p3Keys();
  return withApp(target, { SMARM_TRACE: traceFile }, async ({ tmux }) => {
    await waitForTasksPane(tmux);
    await sleep(1000);
    log(`P3: ${steps.length} keys, ${KEY_PAUSE_MS} ms apart, at full size`);
    const sentAt: number[] = [];
    for (const step of steps) {
      const keysBefore = step.loads ? keyCount(readTrace(traceFile)) : 0;
      sentAt.push(nowMs());
      await tmux.send(step.key);
      await sleep(KEY_PAUSE_MS);
      if (step.loads) {
        await waitForLoad(traceFile, keysBefore, step.key);
        await sleep(KEY_PAUSE_MS);
      }
    }
    const timings = keyTimings(readTrace(traceFile), steps, sentAt);
    const kinds = (['move', 'open', 'filter'] as const).map((kind) => kindStats(timings, kind));
    const renderMs = timings.flatMap((t) => (t.renderMs === null ? [] : [t.renderMs]));
    return { pauseMs: KEY_PAUSE_MS, kinds, renderMedianMs: median(renderMs), keys: timings };
  });
}

// ---- P6 -------------------------------------------------------------------------------------------

interface Reaction {
  what: string;
  samplesMs: number[];
  medianMs: number;
  maxMs: number;
  /** Engine events the fake emitted per change (Docker emits none for a task's change). */
  eventsPerChange: string[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `change` (a mutation of the fake engine, returning what the screen will show) made `times`
 * times, each timed until the screen shows it. Pauses of random length in between, so that the
 * changes do not keep one phase to the app's poll timer.
 */
async function timeChanges(
  tmux: Tmux,
  fake: FakeEngine,
  what: string,
  times: number,
  change: (i: number) => RegExp,
  timeoutMs: number,
): Promise<Reaction> {
  const samplesMs: number[] = [];
  const events: string[][] = [];
  for (let i = 0; i < times; i++) {
    await sleep(500 + Math.random() * REFRESH_SECONDS * 1000);
    const emitted: string[] = [];
    const unsubscribe = fake.cluster.onEvent((e) => emitted.push(`${e.Type} ${e.Action}`));
    const since = nowMs();
    let shows: RegExp;
    try {
      shows = change(i);
    } finally {
      unsubscribe();
    }
    const seenMs = await tmux.waitFor(shows, since, timeoutMs);
    if (!Number.isFinite(seenMs)) throw new Error(`${what}: the change never showed`);
    samplesMs.push(seenMs);
    events.push(emitted);
  }
  const eventsPerChange = [...new Set(events.map((e) => e.join(', ') || 'none'))];
  return {
    what,
    samplesMs,
    medianMs: median(samplesMs),
    maxMs: Math.max(...samplesMs),
    eventsPerChange,
  };
}

async function measureP6(target: Target) {
  const fake = target.fake!;
  const cluster = fake.cluster;
  const times = Math.min(RUNS, 5);
  const service = target.service;
  const hostname = (nodeId: string): string =>
    cluster.nodes.find((n) => n.ID === nodeId)?.Description.Hostname ?? nodeId;
  const workers = cluster.nodes
    .filter((n) => n.Spec.Role === 'worker')
    .map((n) => n.Description.Hostname)
    .sort()
    .slice(0, times);
  const replicas = FULL.tasksPerService;

  return withApp(target, {}, async ({ tmux }) => {
    await waitForTasksPane(tmux);
    // First the tasks, while the app polls at its normal pace: no event has come for a while.
    log(`P6: ${times} × a failed task of ${service}, a scale of it, a drain of a node`);
    const tasks = await timeChanges(
      tmux,
      fake,
      'tasks',
      times,
      () => {
        // Always slot 1, the top of the pane; the failed task is the one on its node now.
        const { failed } = fake.mutate.failTask(service, 1);
        const node = escapeRegExp(hostname(cluster.tasks.get(failed)!.NodeID));
        return new RegExp(`${escapeRegExp(service)}\\.1\\s+${node}\\s+shutdown\\s+failed \\d+s\\s`);
      },
      REFRESH_SECONDS * 1000 + 10_000,
    );
    const services = await timeChanges(
      tmux,
      fake,
      'services',
      times,
      (i) => {
        fake.mutate.scaleService(service, replicas + i + 1);
        return new RegExp(`${escapeRegExp(service)}\\s+\\d+/${replicas + i + 1}\\s`);
      },
      10_000,
    );
    fake.mutate.scaleService(service, replicas);
    await tmux.send('2');
    if (!Number.isFinite(await tmux.waitFor(/NODES \(\d+\)/, nowMs()))) {
      throw new Error('the nodes view never appeared');
    }
    const nodes = await timeChanges(
      tmux,
      fake,
      'nodes',
      times,
      (i) => {
        fake.mutate.drainNode(workers[i]!);
        return new RegExp(`${escapeRegExp(workers[i]!)}\\s+worker\\s+drain\\s`);
      },
      10_000,
    );
    for (const worker of workers) fake.mutate.setNodeAvailability(worker, 'active');
    return { service, nodes: workers, reactions: [services, nodes, tasks] };
  });
}

// ---- P7 -------------------------------------------------------------------------------------------

/** Least squares: MB per second. */
function slope(points: Array<{ seconds: number; rssMB: number }>): number {
  if (points.length < 2) return NaN;
  const mx = points.reduce((sum, p) => sum + p.seconds, 0) / points.length;
  const my = points.reduce((sum, p) => sum + p.rssMB, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.seconds - mx) * (p.rssMB - my);
    den += (p.seconds - mx) ** 2;
  }
  return den > 0 ? num / den : NaN;
}

function rssMB(pid: number): number {
  try {
    return (processRssMiB(pid) * 2 ** 20) / 1e6;
  } catch {
    throw new Error(`smarm-top (pid ${pid}) is gone`);
  }
}

async function measureP7(target: Target) {
  const fake = target.fake!;
  // Every 10 s, as asked; a short (CI) soak still gets ten samples.
  const everySeconds = Math.min(10, SOAK_SECONDS / 10);
  const failuresPerSecond = 2;
  return withApp(target, {}, async ({ tmux, pid }) => {
    log(
      `P7: RSS of smarm-top (pid ${pid}) every ${everySeconds} s for ${SOAK_SECONDS} s, ${failuresPerSecond} task failures/s and rolling updates`,
    );
    const stop = fake.startChurn({
      taskFailuresPerSecond: failuresPerSecond,
      rollingUpdate: target.service,
      updateStepMs: 2000,
    });
    // One rollout lasts 20 s: a new one every minute keeps the whole soak, not its start, busy.
    const rollouts = setInterval(
      () => fake.mutate.startRollingUpdate(target.service, { stepMs: 2000 }),
      60_000,
    );
    const samples: Array<{ seconds: number; rssMB: number }> = [];
    const t0 = nowMs();
    try {
      for (let i = 0; i * everySeconds <= SOAK_SECONDS; i++) {
        await sleep(Math.max(0, t0 + i * everySeconds * 1000 - nowMs()));
        samples.push({ seconds: (nowMs() - t0) / 1000, rssMB: rssMB(pid) });
      }
    } finally {
      clearInterval(rollouts);
      stop();
    }
    // Still drawing after all that.
    if (!SERVICE_ROW.test(await tmux.capture())) throw new Error('the service list is gone');
    const secondHalf = samples.filter((s) => s.seconds >= SOAK_SECONDS / 2);
    return {
      seconds: SOAK_SECONDS,
      everySeconds,
      failuresPerSecond,
      rollingUpdate: target.service,
      firstMB: samples[0]!.rssMB,
      lastMB: samples.at(-1)!.rssMB,
      maxMB: Math.max(...samples.map((s) => s.rssMB)),
      slopeMBPer10Min: slope(secondHalf) * 600,
      samples,
    };
  });
}

// ---- profile ----------------------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

type ModuleMap = Array<{ line: number; module: string }>;
const moduleMaps = new Map<string, ModuleMap>();

/** Bundle line → the module esbuild put there (its "// node_modules/x/y.js" comments). */
function bundleModules(file: string): ModuleMap {
  let map = moduleMaps.get(file);
  if (map !== undefined) return map;
  map = [];
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  for (const [i, text] of lines.entries()) {
    // "// node_modules/pkg/x.js", or "// ../../elsewhere/node_modules/pkg/x.js" when symlinked.
    if (!text.startsWith('// ')) continue;
    const module =
      /^\/\/ \S*?node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(text)?.[1] ??
      /^\/\/ (source)\//.exec(text)?.[1];
    if (module !== undefined) map.push({ line: i, module });
  }
  moduleMaps.set(file, map);
  return map;
}

function moduleAt(modules: ModuleMap, line: number): string {
  let found = '(esbuild runtime)';
  for (const entry of modules) {
    if (entry.line > line) break;
    found = entry.module;
  }
  return found === 'source' ? 'smarm-top source' : found;
}

function summarizeProfile(file: string) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  for (const [id, time] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    total += time;
    // Bundled code (dist/cli.js and any chunk) is attributed to the module esbuild put there.
    const bundled = frame.url.startsWith(DIST_URL) ? fileURLToPath(frame.url) : null;
    let where: string;
    if (bundled !== null) where = moduleAt(bundleModules(bundled), frame.lineNumber);
    else if (frame.url.startsWith('node:')) where = 'node internals';
    else if (frame.url === '') where = frame.functionName || '(native)';
    else where = path.basename(frame.url);
    const at = bundled === null ? '' : ` ${path.relative(ROOT, bundled)}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'} [${where}${at}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    byModule.set(where, (byModule.get(where) ?? 0) + time);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, time]) => ({ name, ms: Math.round(time * 10) / 10 }));
  return { totalMs: Math.round(total), modules: top(byModule, 12), functions: top(byFunction, 12) };
}

async function profileOnce(target: Target) {
  const dir = path.join(TMP, `profile-${target.name}`);
  mkdirSync(dir, { recursive: true });
  await run(process.execPath, [
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    CLI,
    '--once',
    '--host',
    target.host,
  ]);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  return file === undefined
    ? null
    : { target: target.name, ...summarizeProfile(path.join(dir, file)) };
}

// ---- the table --------------------------------------------------------------------------------------

interface Row {
  id: string;
  what: string;
  wall: string;
  cpu: string;
  detail: string;
  target: string;
  met: string;
}

function printTable(rows: Row[]): void {
  const headers: Row = {
    id: 'id',
    what: 'measure',
    wall: 'wall',
    cpu: 'CPU',
    detail: 'detail',
    target: 'target',
    met: 'met',
  };
  const keys = Object.keys(headers) as Array<keyof Row>;
  const width = (key: keyof Row) => Math.max(...[headers, ...rows].map((r) => r[key].length));
  const line = (row: Row) =>
    keys
      .map((key) => row[key].padEnd(width(key)))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(keys.map((key) => '-'.repeat(width(key))).join('  '));
  for (const row of rows) console.log(line(row));
}

const yes = (ok: boolean): string => (ok ? 'yes' : 'NO');

function range(values: number[]): string {
  if (values.length < 2) return '';
  return ` (${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))})`;
}

/** P3, P6 and P7 in the table. */
const P3_TARGET_MS = 16;
const P6_TARGET_MS: Record<string, number> = {
  services: 500,
  nodes: 500,
  tasks: REFRESH_SECONDS * 1000,
};
const P7_MAX_MB = 150;
/** "Flat": the second half of the soak grows by at most this much per 10 minutes. */
const P7_FLAT_MB_PER_10MIN = 5;

type P3 = Awaited<ReturnType<typeof measureP3>>;
type P6 = Awaited<ReturnType<typeof measureP6>>;
type P7 = Awaited<ReturnType<typeof measureP7>>;

function p3Rows(p3: P3): Row[] {
  return p3.kinds.map((k) => ({
    id: 'P3',
    what: `keypress → frame: ${k.kind} (${k.keys}), full size`,
    wall: `${ms(k.medianMs)} median, p95 ${ms(k.p95Ms)}`,
    cpu: '',
    detail:
      `n=${k.n}${k.noFrame > 0 ? `, ${k.noFrame} keys drew no frame` : ''}; ` +
      `in the app: key read → next frame handed to the terminal (Ink ≤ 30 fps); Ink render ${ms(k.renderMedianMs)} median; ` +
      `read ≤ ${ms(k.maxQueuedMs)} later than the quickest key (tmux jitter incl.)`,
    target: `≤ ${P3_TARGET_MS} ms median`,
    met: yes(k.n > 0 && k.medianMs <= P3_TARGET_MS),
  }));
}

function p6Rows(p6: P6): Row[] {
  const what: Record<string, string> = {
    services: `scale ${p6.service} → its replicas on screen`,
    nodes: 'drain a node → "drain" in the nodes view',
    tasks: `a task of ${p6.service} fails → its tasks pane`,
  };
  return p6.reactions.map((r) => ({
    id: 'P6',
    what: `${what[r.what]}, full size`,
    wall: `${ms(r.medianMs)} median, max ${ms(r.maxMs)}`,
    cpu: '',
    detail: `n=${r.samplesMs.length}; change in the fake engine → seen by tmux capture; engine events per change: ${r.eventsPerChange.join(' / ')}`,
    target: `≤ ${ms(P6_TARGET_MS[r.what]!)} each${r.what === 'tasks' ? ' (one refresh)' : ''}`,
    met: yes(r.maxMs <= P6_TARGET_MS[r.what]!),
  }));
}

function p7Row(p7: P7): Row {
  const flat = p7.slopeMBPer10Min <= P7_FLAT_MB_PER_10MIN;
  return {
    id: 'P7',
    what: `RSS under change at full size, ${p7.seconds} s`,
    wall: '',
    cpu: '',
    detail:
      `first ${p7.firstMB.toFixed(1)} MB, last ${p7.lastMB.toFixed(1)} MB, max ${p7.maxMB.toFixed(1)} MB; ` +
      `second half ${p7.slopeMBPer10Min >= 0 ? '+' : ''}${p7.slopeMBPer10Min.toFixed(1)} MB/10 min; ` +
      `${p7.samples.length} samples every ${p7.everySeconds} s; ${p7.failuresPerSecond} task failures/s, a rollout a minute`,
    target: `≤ ${P7_MAX_MB} MB, flat (≤ +${P7_FLAT_MB_PER_10MIN} MB/10 min)`,
    met: yes(p7.maxMB <= P7_MAX_MB && flat),
  };
}

// ---- main -------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const began = nowMs();
  writeFileSync(
    CPU_PRELOAD,
    [
      "const fs = require('node:fs');",
      'process.on("exit", () => {',
      '  fs.writeFileSync(process.env.BENCH_CPU_REPORT, JSON.stringify(process.resourceUsage()));',
      '});',
    ].join('\n'),
  );
  log('building dist/cli.js (node scripts/build.mjs)');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });

  const haveDocker = which('docker');
  const haveTmux = which('tmux');
  if (!haveDocker) log('no docker CLI: its rows are skipped');
  if (!haveTmux) log('no tmux: the interactive rows (P1 first frame, P2, P3, P6, P7) are skipped');

  const small = await fakeTarget('fake lab-size', SMALL);
  const full = await fakeTarget('fake full', FULL);
  const lab = await labTarget();
  const targets = [small, full, ...(lab === null ? [] : [lab])];

  const p1 = await measureP1(targets, haveDocker, haveTmux);
  const live = haveTmux ? await attempt('P2', () => measureLive(full)) : null;
  const naive = await naiveClient(full.fake!, full.socketPath, SECONDS);
  // After P2 and P5, whose counters these changes would disturb.
  const p3 = haveTmux ? await attempt('P3', () => measureP3(full)) : null;
  const p6 = haveTmux ? await attempt('P6', () => measureP6(full)) : null;
  const p7 = haveTmux && SOAK_SECONDS > 0 ? await attempt('P7', () => measureP7(full)) : null;
  const profiles = [];
  // One after the other, so that neither profile shares the CPU with the other.
  for (const target of PROFILE ? [small, full] : []) {
    const profile = await profileOnce(target);
    if (profile !== null) profiles.push(profile);
  }

  for (const engine of engines) await engine.stop();
  engines.clear();

  // ---- rows ----
  const nodeCpu = median(p1.floor.cpuMs);
  const rows: Row[] = [];
  const p1Row = (s: Series, target: boolean, cpuKnown = true): void => {
    const wall = median(s.wallMs);
    const cpu = median(s.cpuMs);
    const ratio = cpu / nodeCpu;
    const failures = s.failures > 0 ? `; ${s.failures} failed` : '';
    const rss = median(s.maxRssMiB);
    rows.push({
      id: s.id,
      what: s.label,
      wall: `${ms(wall)}${range(s.wallMs)}`,
      cpu: cpuKnown && Number.isFinite(cpu) ? `${ms(cpu)} = ${ratio.toFixed(1)}× node` : '-',
      detail: `n=${s.wallMs.length}${Number.isFinite(rss) ? `, max RSS ${Math.round(rss)} MiB` : ''}${failures}`,
      target: target ? (cpuKnown ? 'CPU ≤ 2× node, wall ≤ 400 ms' : 'wall ≤ 400 ms') : '',
      met: target ? yes(wall <= 400 && (!cpuKnown || ratio <= 2) && s.wallMs.length > 0) : '',
    });
  };
  p1Row(p1.floor, false);
  for (const s of p1.once) p1Row(s, true);
  for (const s of p1.docker) p1Row(s, false);
  for (const s of p1.frame) p1Row(s, true, false);
  const floorMs = median(p1.tmux.wallMs);
  for (const row of rows.filter((r) => r.what.startsWith('interactive'))) {
    row.detail += `; incl. the ${ms(floorMs)} tmux floor`;
  }
  if (p1.frame.length > 0) p1Row(p1.tmux, false, false);

  if (live !== null) {
    const w = live.idle;
    rows.push({
      id: 'P2',
      what: `idle at full size, --refresh ${REFRESH_SECONDS}, ${Math.round(w.seconds)} s`,
      wall: '',
      cpu: `${w.cpuPercent.toFixed(2)} % of a core`,
      detail: `${w.refreshes} refreshes, ${ms(w.cpuMsPerRefresh)} CPU and ${w.requestsPerRefresh.toFixed(1)} requests each; RSS ${Math.round(w.rssMiB)} MiB`,
      target: '≤ 2 % idle, ≤ 30 ms/refresh',
      met: yes(w.cpuPercent <= 2 && w.cpuMsPerRefresh <= 30),
    });
    if (live.churn !== null) {
      const c = live.churn;
      rows.push({
        id: 'P2',
        what: `under change: ${c.failuresPerSecond} failures/s + rolling update, ${Math.round(c.seconds)} s`,
        wall: '',
        cpu: `${c.cpuPercent.toFixed(2)} % of a core`,
        detail: `${c.refreshes} refreshes, ${ms(c.cpuMsPerRefresh)} CPU and ${c.requestsPerRefresh.toFixed(1)} requests each; ${mb(c.bytesPerMinute)}/min`,
        target: '(≤ 30 ms/refresh)',
        met: yes(c.cpuMsPerRefresh <= 30),
      });
    }
    const ratio = naive.bytesPerMinute / w.bytesPerMinute;
    rows.push({
      id: 'P5',
      what: 'smarm-top idle at full size, per minute',
      wall: '',
      cpu: '',
      detail: `${mb(w.bytesPerMinute)}, ${Math.round(w.requestsPerMinute)} requests`,
      target: '',
      met: '',
    });
    rows.push({
      id: 'P5',
      what: 'naive client: GET /tasks every 2 s, per minute',
      wall: '',
      cpu: '',
      detail: `${mb(naive.bytesPerMinute)}, ${Math.round(naive.requestsPerMinute)} requests → ${ratio.toFixed(1)}× smarm-top's bytes`,
      target: '≥ 10× less than naive',
      met: yes(ratio >= 10),
    });
  }
  if (p3 !== null) rows.push(...p3Rows(p3));
  if (p6 !== null) rows.push(...p6Rows(p6));
  if (p7 !== null) rows.push(p7Row(p7));

  console.log('');
  console.log(
    `smarm-top benchmark — ${os.cpus()[0]?.model ?? 'unknown CPU'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`,
  );
  console.log(`full size: ${describeSize(FULL)}; lab-size fake: ${describeSize(SMALL)}`);
  console.log('');
  printTable(rows);
  for (const profile of profiles) {
    console.log('');
    console.log(
      `--once CPU profile, ${profile.target}: ${profile.totalMs} ms sampled; self time by module:`,
    );
    console.log(`  ${profile.modules.map((m) => `${m.name} ${Math.round(m.ms)}`).join(', ')}`);
    console.log(
      `  top functions: ${profile.functions
        .slice(0, 6)
        .map((f) => `${f.name} ${Math.round(f.ms)}`)
        .join(', ')}`,
    );
  }
  if (live !== null) {
    const paths = Object.entries(live.idle.byPath)
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .map(([key, value]) => `${key} ×${value.requests} ${mb(value.bytes)}`);
    console.log('');
    console.log(`idle requests by path: ${paths.join(', ')}`);
  }

  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: {
          cpu: os.cpus()[0]?.model ?? null,
          cpus: os.cpus().length,
          memoryGiB: Math.round(os.totalmem() / 2 ** 30),
          kernel: os.release(),
          node: process.version,
        },
        config: {
          seconds: SECONDS,
          churnSeconds: CHURN_SECONDS,
          runs: RUNS,
          soakSeconds: SOAK_SECONDS,
          quick: QUICK,
          refreshSeconds: REFRESH_SECONDS,
          full: FULL,
          small: SMALL,
          lab: lab?.host ?? null,
        },
        p1: {
          nodeBare: p1.floor,
          once: p1.once,
          dockerCli: p1.docker,
          interactiveFirstFrame: p1.frame,
          tmuxFloor: p1.tmux,
        },
        p2:
          live === null
            ? null
            : { firstFrameMs: live.firstFrameMs, idle: live.idle, churn: live.churn },
        p5:
          live === null
            ? null
            : {
                smarmTop: live.idle,
                naive,
                ratio: naive.bytesPerMinute / live.idle.bytesPerMinute,
              },
        p3,
        p6,
        p7,
        profiles,
        table: rows,
        problems,
        totalSeconds: Math.round((nowMs() - began) / 1000),
      },
      null,
      2,
    )}\n`,
  );
  console.log('');
  console.log(`wrote ${path.relative(ROOT, RESULTS)} in ${Math.round((nowMs() - began) / 1000)} s`);
  if (problems.length > 0) {
    console.log('');
    console.log(`the harness broke (${problems.length}):`);
    for (const message of problems) console.log(`  ${message}`);
  }
}

main().then(
  () => process.exit(problems.length > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
