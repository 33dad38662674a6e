// P1: process start → first complete output. `--once` (wall and CPU) and the interactive path
// (wall until a complete frame is on a tmux screen: the header's node count, the services and the
// selected service's tasks), against each target; beside them their anchors from the same run: a
// bare `node -e 0` for `--once` (target: CPU ≤ 1.5×) and `docker service ls` for the interactive
// first frame (target: wall ≤ 3×, issue 17), then the docker CLI doing
// `docker node ls; docker service ls; docker service ps <service>` and the tmux method's floor.

import path from 'node:path';
import { firstFrame, startEnvChanges, tmuxFloor, withApp } from '../lib/app.js';
import type { Target } from '../lib/engines.js';
import { CLI, env, TMP } from '../lib/env.js';
import { log, ms, problem, sleep } from '../lib/harness.js';
import { runNode, runShell, type RunResult } from '../lib/processes.js';
import { median } from '../lib/stats.js';
import { range, yes, type Row } from '../lib/table.js';
import { shellQuote } from '../../test/helpers/tmux.js';
import { NODE_FLAGS } from '../../scripts/node-flags.mjs';

export interface Series {
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

export async function measureP1(
  targets: Target[],
  { runs, haveDocker, haveTmux }: { runs: number; haveDocker: boolean; haveTmux: boolean },
) {
  const floor = series('P1', 'node -e 0');
  // smarm-top does not have node read NODE_EXTRA_CA_CERTS at start (scripts/node-flags.mjs): a
  // bare node without it, for scale, where it is set.
  const certs = env['NODE_EXTRA_CA_CERTS'] !== undefined;
  const floorNoCerts = series('P1', 'node -e 0, NODE_EXTRA_CA_CERTS unset');
  const once = targets.map((t) => series('P1', `smarm-top --once, ${t.name}`));
  const serviceLs = targets.map((t) => series('P1', `docker service ls, ${t.name}`));
  const docker = targets.map((t) =>
    series('P1', `docker node ls; service ls; service ps, ${t.name}`),
  );
  const frame = targets.map((t) => series('P1', `interactive first frame, ${t.name}`));
  const tmux = series('P1', 'tmux: shell echo seen (method floor)');

  // smarm-top keeps its compiled code between starts, one cache for `--once` and one for the
  // interactive start (source/launcher.ts). Its starts here read caches of their own, made
  // before the rounds by one of each, as a user's first ones make them (the interactive one kept
  // 3 s in), not whatever earlier runs of this build left in ~/.cache. Against the lab when it
  // is up: a swarm with a crashed task runs more of the program than the fakes.
  const cacheEnv = { XDG_CACHE_HOME: path.join(TMP, 'p1-code-cache') };
  const runOnce = (host: string) =>
    runNode([...NODE_FLAGS, CLI, '--once', '--host', host], { ...startEnvChanges(), ...cacheEnv });
  const warm = targets.at(-1);
  if (warm !== undefined) {
    if (haveTmux) await withApp(warm, cacheEnv, () => sleep(4000));
    await runOnce(warm.host);
  }

  for (let i = 0; i < runs; i++) {
    log(`P1 round ${i + 1}/${runs}`);
    // Interleaved, so that noise on this machine spreads over every series alike.
    const bare = await runNode(['-e', '0']);
    record(floor, bare, bare.code === 0);
    if (certs) {
      const lighter = await runNode(['-e', '0'], { NODE_EXTRA_CA_CERTS: undefined });
      record(floorNoCerts, lighter, lighter.code === 0);
    }
    for (const [k, target] of targets.entries()) {
      const result = await runOnce(target.host);
      record(once[k]!, result, result.code === 0 && result.stdout.includes('\nTASKS'));
      if (haveDocker) {
        const ls = await runShell('docker service ls', { DOCKER_HOST: target.host });
        record(serviceLs[k]!, ls, ls.code === 0 && ls.stdout.includes('REPLICAS'));
        const script = `docker node ls && docker service ls && docker service ps ${shellQuote(target.service)}`;
        const result = await runShell(script, { DOCKER_HOST: target.host });
        record(docker[k]!, result, result.code === 0 && result.stdout.includes('REPLICAS'));
      }
      if (haveTmux) {
        const wall = await firstFrame(target.host, cacheEnv);
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
    if (s.failures > 0) problem(`P1 ${s.label}: ${s.failures} of ${runs} runs failed`);
  }
  return {
    floor,
    floorNoCerts: certs ? floorNoCerts : null,
    once,
    serviceLs: haveDocker ? serviceLs : [],
    docker: haveDocker ? docker : [],
    frame: haveTmux ? frame : [],
    tmux,
  };
}

export type P1 = Awaited<ReturnType<typeof measureP1>>;

/** `--once` is held to its anchor where it prints a lab's worth; at full size it prints 10,000 tasks. */
const onceTarget = (s: Series): boolean => !s.label.endsWith('fake full');

export function p1Rows(p1: P1): Row[] {
  const nodeCpu = median(p1.floor.cpuMs);
  const rows: Row[] = [];
  const p1Row = (
    s: Series,
    target: { text: string; met: boolean } | null,
    cpuKnown = true,
    extra = '',
  ): void => {
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
      detail: `n=${s.wallMs.length}${Number.isFinite(rss) ? `, max RSS ${Math.round(rss)} MiB` : ''}${extra}${failures}`,
      target: target?.text ?? '',
      met: target === null ? '' : yes(target.met && s.wallMs.length > 0),
    });
  };
  p1Row(p1.floor, null);
  if (p1.floorNoCerts !== null) p1Row(p1.floorNoCerts, null);
  for (const s of p1.once) {
    const ratio = median(s.cpuMs) / nodeCpu;
    p1Row(s, onceTarget(s) ? { text: 'CPU ≤ 1.5× node -e 0', met: ratio <= 1.5 } : null);
  }
  for (const s of p1.serviceLs) p1Row(s, null);
  for (const s of p1.docker) p1Row(s, null);
  const floorMs = median(p1.tmux.wallMs);
  p1.frame.forEach((s, k) => {
    const anchor = p1.serviceLs[k];
    const anchorMs = anchor === undefined ? NaN : median(anchor.wallMs);
    const ratio = median(s.wallMs) / anchorMs;
    const extra = `${Number.isFinite(ratio) ? `; ${ratio.toFixed(1)}× docker service ls` : ''}; incl. the ${ms(floorMs)} tmux floor`;
    p1Row(
      s,
      Number.isFinite(anchorMs)
        ? { text: 'wall ≤ 3× docker service ls', met: ratio <= 3 }
        : { text: 'wall ≤ 3× docker service ls (no docker CLI)', met: false },
      false,
      extra,
    );
  });
  if (p1.frame.length > 0) p1Row(p1.tmux, null, false);
  return rows;
}
