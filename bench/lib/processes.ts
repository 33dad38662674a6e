// Child processes run to their exit, with their wall time, CPU and peak memory.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env, TMP } from './env.js';
import { nowMs } from './harness.js';

/** Every child still running, for the exit handler. */
export const children = new Set<ChildProcess>();

export interface RunResult {
  wallMs: number;
  /** user + sys of the process (and what it waited for), or NaN when not measurable. */
  cpuMs: number;
  maxRssMiB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its exit; wall from spawn to exit. */
export function run(
  command: string,
  args: string[],
  // undefined: left out of the child's environment
  extraEnv: Record<string, string | undefined> = {},
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
const CPU_PRELOAD = path.join(TMP, 'cpu-report.cjs');

/** The preloaded script that writes a Node program's own resource usage when it exits. */
function cpuPreload(): string {
  if (!existsSync(CPU_PRELOAD)) {
    writeFileSync(
      CPU_PRELOAD,
      [
        "const fs = require('node:fs');",
        'process.on("exit", () => {',
        '  fs.writeFileSync(process.env.BENCH_CPU_REPORT, JSON.stringify(process.resourceUsage()));',
        '});',
      ].join('\n'),
    );
  }
  return CPU_PRELOAD;
}

/** A Node program, its CPU from its own process.resourceUsage() at exit (µs resolution). */
export async function runNode(
  args: string[],
  extraEnv: Record<string, string | undefined> = {},
): Promise<RunResult> {
  const report = path.join(TMP, `cpu-${cpuReports++}.json`);
  const result = await run(process.execPath, ['--require', cpuPreload(), ...args], {
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
export async function runShell(
  script: string,
  extraEnv: Record<string, string> = {},
): Promise<RunResult> {
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
