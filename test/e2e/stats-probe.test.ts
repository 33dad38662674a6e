// The usage view's stats probe (issue 15) against the lab, in tmux: the project's image is built
// on the first manager (scripts/node-base-image.sh and the Dockerfile, no registry) and loaded on
// every node with docker save | docker load (test/helpers/project-image.ts). The docker CLI on each node's own socket is the
// witness: `docker stats --no-stream` for the figures, `docker service ls` for what is left.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { describeWithLab } from '../helpers/describe-lab.js';
import { docker } from '../helpers/docker-cli.js';
import {
  buildProjectImage,
  labRoot,
  labSocketOf,
  removeProjectImage,
} from '../helpers/project-image.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

const PROBE_LABEL = 'smarm-top.probe.session';

/** The figures of `name`'s row: CPU (% of a core) and memory used (bytes). */
function rowOf(
  screen: string,
  name: string,
): { cpu: number | null; mem: number; line: string } | null {
  const line = screen.split('\n').find((l) => l.includes(` ${name} `));
  if (line === undefined) return null;
  const match = /\s(…|[\d.]+%)\s+([\d.]+) (B|KiB|MiB|GiB) \//.exec(line);
  if (match === null) return null;
  const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[match[3] as 'B'];
  return {
    cpu: match[1] === '…' ? null : Number(match[1]!.slice(0, -1)),
    mem: Number(match[2]) * unit,
    line,
  };
}

/** `docker stats --no-stream` on the node's own socket: CPU % and memory used in bytes. */
function dockerStats(socket: string, service: string): { cpu: number; mem: number } {
  const id = docker(
    socket,
    'ps',
    '-q',
    '--filter',
    `label=com.docker.swarm.service.name=${service}`,
  );
  const out = docker(socket, 'stats', '--no-stream', '--format', '{{.CPUPerc}} {{.MemUsage}}', id);
  const match = /^([\d.]+)% ([\d.]+)(B|KiB|MiB|GiB) \//.exec(out);
  if (match === null) throw new Error(`docker stats said ${out}`);
  const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[match[3] as 'B'];
  return { cpu: Number(match[1]), mem: Number(match[2]) * unit };
}

describeWithLab('the stats probe in tmux against the lab', (lab) => {
  const host = lab.dockerHost;
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const image = `smarm-top:probe-${suffix}`;
  // each lab node's socket is LAB_ROOT/<hostname>/docker.sock: a swarm template names it
  const root = labRoot(lab);
  const socketOf = (node: string) => labSocketOf(lab, node);
  const configHome = mkdtempSync(path.join(tmpdir(), 'smarm-probe-config-'));
  const auditDir = mkdtempSync(path.join(tmpdir(), 'smarm-probe-audit-'));
  const burn = `t-burn-${suffix}`;
  const mem = `t-mem-${suffix}`;
  const sick = `t-sick-${suffix}`;
  let tmux: TmuxSession | null = null;
  const cli = (...args: string[]) => docker(host, ...args);
  const probes = () => cli('service', 'ls', '-q', '--filter', `label=${PROBE_LABEL}`);

  const start = (...extra: string[]) => startSized({ columns: 120, rows: 40 }, ...extra);
  const startSized = (size: { columns: number; rows: number }, ...extra: string[]) => {
    tmux = TmuxSession.start(
      [
        process.execPath,
        CLI,
        '--host',
        host,
        '--probe-image',
        image,
        '--probe-socket',
        `${root}/{{.Node.Hostname}}/docker.sock`,
        '--audit-log',
        path.join(auditDir, 'audit.log'),
        ...extra,
      ],
      { ...size, env: { XDG_CONFIG_HOME: configHome } },
    );
    return tmux;
  };
  /** u, then y in the dialog that says what will be made. */
  const startProbe = async (t: TmuxSession) => {
    await t.waitForText(/SERVICES/);
    t.send('u');
    await t.waitForText(/Start a probe on every node\?/);
    // its sentence comes once the engine was asked (y before it does nothing)
    await t.waitForText(/It creates the/);
    // the dialog wraps its sentence: its words are read across the box's lines
    const words = t.capture().replace(/[│\s]+/g, ' ');
    expect(words).toMatch(
      /It creates the global service smarm-top-probe-\w+ \(image smarm-top:probe-/,
    );
    expect(words).toMatch(/docker socket mounted read-only, 0\.05 CPU and 32 MiB at most/);
    t.send('y');
    await waitFor('the probe service', () => probes() !== '');
  };

  beforeAll(() => {
    buildProjectImage(lab, image);
    const create = (name: string, node: string, ...rest: string[]) =>
      cli(
        'service',
        'create',
        '-d',
        '--no-resolve-image',
        '--name',
        name,
        '--constraint',
        `node.hostname==${node}`,
        ...rest,
      );
    create(burn, 'worker-1', 'lab/busybox:1', 'sh', '-c', 'while :; do :; done');
    // the shell keeps its 50 MB variable while it sleeps (sleep is not its last command)
    create(
      mem,
      'worker-2',
      'lab/busybox:1',
      'sh',
      '-c',
      'x=$(yes aaaaaaaaaaaaaaa | head -c 50000000); sleep 100000; echo ${#x}',
    );
    create(
      sick,
      'manager-2',
      '--health-cmd',
      'exit 1',
      '--health-interval',
      '2s',
      '--health-retries',
      '1',
      '--stop-grace-period',
      '30s',
      'lab/busybox:1',
      'sh',
      '-c',
      'sleep 100000; echo',
    );
  });

  afterEach(() => {
    tmux?.kill();
    tmux = null;
  });

  afterAll(() => {
    for (const name of [burn, mem, sick, ...probes().split('\n').filter(Boolean)]) {
      try {
        cli('service', 'rm', name);
      } catch {
        // already gone
      }
    }
    removeProjectImage(lab, image);
    rmSync(configHome, { recursive: true, force: true });
    rmSync(auditDir, { recursive: true, force: true });
  });

  // more than the project's 120 s: crashy's restarts and the services list follow the figures
  it('shows a busy core, 50 MB held and a failing health check as docker stats does, and removes the probe on leaving', async () => {
    const t = start();
    await startProbe(t);

    // the service is what the dialog said, as docker service inspect has it
    const spec = JSON.parse(cli('service', 'inspect', '--format', '{{json .Spec}}', probes())) as {
      Name: string;
      Labels: Record<string, string>;
      Mode: Record<string, unknown>;
      TaskTemplate: {
        ContainerSpec: {
          Image: string;
          Args: string[];
          Mounts: { Source: string; Target: string; ReadOnly?: boolean }[];
        };
        Resources: { Limits: { NanoCPUs: number; MemoryBytes: number } };
        RestartPolicy: { Condition: string };
      };
    };
    expect(spec.Name).toMatch(/^smarm-top-probe-[0-9a-f]+$/);
    expect(Object.keys(spec.Mode)).toEqual(['Global']);
    expect(spec.Labels[PROBE_LABEL]).toMatch(/^[0-9a-f]+$/);
    expect(Date.parse(spec.Labels['smarm-top.probe.expires']!)).toBeGreaterThan(Date.now());
    const container = spec.TaskTemplate.ContainerSpec;
    expect(container.Image).toBe(image);
    expect(container.Args).toEqual(['probe', '--lifetime', '600']);
    expect(container.Mounts).toEqual([
      {
        Type: 'bind',
        Source: `${root}/{{.Node.Hostname}}/docker.sock`,
        Target: '/var/run/docker.sock',
        ReadOnly: true,
      },
    ]);
    expect(spec.TaskTemplate.Resources.Limits).toEqual({
      NanoCPUs: 50_000_000,
      MemoryBytes: 32 * 1024 * 1024,
    });
    expect(spec.TaskTemplate.RestartPolicy.Condition).toBe('none');

    // a task burning a core: at least 50 %, within 20 points of docker stats on worker-1
    const burning = await waitFor('the burning task at 50 % or more', () => {
      const screen = t.capture();
      const row = rowOf(screen, burn);
      if (row !== null && row.cpu !== null && row.cpu >= 50) return row;
      // the last row (or screen) seen is in the error when it never gets there
      throw new Error(row === null ? `no row on:\n${screen}` : `its row: ${row.line}`);
    });
    expect(burning.cpu).toBeGreaterThanOrEqual(50);
    // docker stats on the node's own socket reads its own second: on a loaded machine a busy
    // loop's share moves from second to second, so the two are read side by side until they meet
    await waitFor('the figure within 20 points of docker stats on worker-1', () => {
      const ours = rowOf(t.capture(), burn)?.cpu ?? null;
      const theirs = dockerStats(socketOf('worker-1'), burn).cpu;
      if (ours !== null && Math.abs(ours - theirs) <= 20) return true;
      throw new Error(`ours ${ours} %, docker stats ${theirs} %`);
    });

    // a task holding 50 MB: within 20 % of 50 MB and of docker stats on worker-2
    const holding = await waitFor('the task holding 50 MB', () => {
      const row = rowOf(t.capture(), mem);
      return row !== null && row.mem > 40e6 ? row : undefined;
    });
    expect(Math.abs(holding.mem - 50e6) / 50e6, holding.line).toBeLessThanOrEqual(0.2);
    const held = dockerStats(socketOf('worker-2'), mem);
    expect(Math.abs(holding.mem - held.mem) / held.mem, holding.line).toBeLessThanOrEqual(0.2);

    // a failing health check: unhealthy, marked with !
    const sickLine = await waitFor('the failing health check', () =>
      t
        .capture()
        .split('\n')
        .find((l) => l.includes(` ${sick} `) && l.includes('unhealthy')),
    );
    expect(sickLine.trimStart().startsWith('!')).toBe(true);

    // crashy's restarts: the earlier tasks of its slot that failed, as docker service ps lists
    // them; ≥ when the slot's retained history is full (the swarm's task history limit)
    const limit = Number(
      cli('info', '--format', '{{.Swarm.Cluster.Spec.Orchestration.TaskHistoryRetentionLimit}}'),
    );
    await waitFor(
      "crashy's restarts as docker service ps counts them",
      () => {
        // the slot's replaced tasks keep their (STALE) figures a while: the newest task is the
        // one with the most earlier tasks
        const cells = t
          .capture()
          .split('\n')
          .filter((l) => l.includes(' crashy.1 '))
          .map((l) => /\s(≥?\d+)\s+\d+[smhd]\s*$/.exec(l)?.[1])
          .filter((cell) => cell !== undefined);
        const count = (cell: string) => Number(cell.replace('≥', ''));
        const ours = cells.sort((a, b) => count(b) - count(a))[0] ?? null;
        const slot = cli(
          'service',
          'ps',
          'crashy',
          '--format',
          '{{.Name}} {{.DesiredState}} {{.CurrentState}}',
        )
          .split('\n')
          .filter((l) => l.startsWith('crashy.1 '));
        const failed = slot.filter((l) => /^crashy\.1 Shutdown (Failed|Rejected|Complete)/.test(l));
        const theirs = `${slot.length >= limit ? '≥' : ''}${failed.length}`;
        if (ours !== null && ours === theirs) return true;
        throw new Error(`ours ${ours}, docker service ps ${theirs} (${slot.join('; ')})`);
      },
      { intervalMs: 1000 },
    );

    // the services list keeps the probe and sums it per service: the burner's CPU ≥ 50 %
    t.send('1');
    await waitFor('the services list with the burning service at 50 % or more', () => {
      const screen = t.capture();
      if (!/NAME\s+REPLICAS\s+CPU\s+MEM\s+MODE/.test(screen)) return undefined;
      const line = screen.split('\n').find((l) => l.includes(` ${burn} `));
      const cpu = /\s(\d+(?:\.\d)?)%\s+[\d.]+ (?:B|KiB|MiB|GiB)\s/.exec(line ?? '')?.[1];
      return cpu !== undefined && Number(cpu) >= 50 ? true : undefined;
    });
    expect(probes()).not.toBe('');

    // leaving for another view removes the probe service, and the columns go with it
    t.send('2');
    await waitFor('no probe service after leaving the view', () => probes() === '', {
      timeoutMs: 10_000,
    });
    t.send('1');
    await t.waitForText(/NAME\s+REPLICAS\s+MODE/);
    expect(t.capture()).not.toMatch(/REPLICAS\s+CPU\s+MEM/);
    t.send('q');
    await t.waitForText('[exited 0]');
    // both changes are in the audit log: attempt, then the engine's answer
    const audit = readFileSync(path.join(auditDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; result: string });
    expect(audit.map((r) => `${r.action} ${r.result}`)).toEqual(
      expect.arrayContaining([
        'probe-start attempt',
        'probe-start accepted',
        'probe-stop attempt',
        'probe-stop accepted',
      ]),
    );
  }, 300_000);

  it('works at 80×24: the dialog, the figures and the node totals fit', async () => {
    const t = startSized({ columns: 80, rows: 24 });
    await startProbe(t);
    const screen = await t.waitForText(/USAGE \(\d+\) · probe running · \S+ \d+%\/200%/, 60_000);
    expect(screen.split('\n').every((line) => line.length <= 80)).toBe(true);
    // names are cut at 80 columns: the filter keeps the burning task alone
    t.send('/');
    t.send(burn, true);
    t.send('Enter');
    await waitFor(
      'the burning task alone, with a CPU figure',
      () => /USAGE \(1\)/.test(t.capture()) && /\s\d+(\.\d)?%\s+[\d.]+ \w+ \//.test(t.capture()),
    );
    t.send('q');
    await t.waitForText('[exited 0]');
    await waitFor('no probe service after quitting', () => probes() === '', { timeoutMs: 10_000 });
  });

  it('names the node where the probe image is missing, in the engine words', async () => {
    docker(socketOf('worker-2'), 'rmi', '-f', image);
    try {
      const t = start();
      await startProbe(t);
      const screen = await t.waitForText(/worker-2: image \S+ not found/, 60_000);
      expect(screen).toContain(`worker-2: image ${image} not found`);
      // the other nodes report all the same
      await waitFor('figures from worker-1', () => rowOf(t.capture(), burn));
      t.send('q');
      await t.waitForText('[exited 0]');
    } finally {
      execFileSync(
        'bash',
        [
          '-c',
          'docker -H "$1" save "$3" | docker -H "$2" load -q',
          'load',
          host,
          socketOf('worker-2'),
          image,
        ],
        {
          stdio: 'ignore',
          timeout: 120_000,
        },
      );
    }
  });

  it('leaves nothing on quit, and a probe whose smarm-top was killed ends by its lifetime', async () => {
    const t = start('--probe-lifetime', '15');
    await startProbe(t);
    t.send('q');
    await t.waitForText('[exited 0]');
    expect(probes()).toBe('');
    t.kill();

    const killed = start('--probe-lifetime', '15');
    await startProbe(killed);
    const service = probes();
    await waitFor('probe tasks running', () =>
      cli('service', 'ps', service, '--format', '{{.CurrentState}}').includes('Running'),
    );
    process.kill(killed.programPid()!, 'SIGKILL');
    // every probe task ends by itself: none running on any node
    await waitFor(
      'the probe tasks ended by their lifetime',
      () => {
        const states = cli('service', 'ps', service, '--format', '{{.CurrentState}}').split('\n');
        return states.every((s) => !s.startsWith('Running'));
      },
      { timeoutMs: 60_000 },
    );
    for (const node of lab.nodes) {
      expect(
        docker(
          socketOf(node),
          'ps',
          '-q',
          '--filter',
          `label=com.docker.swarm.service.id=${service}`,
        ),
      ).toBe('');
    }
  });
});
