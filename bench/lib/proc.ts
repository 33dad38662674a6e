// A running process's CPU and memory, read from /proc.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process in ms. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

export function processRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)/m.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

/** VmRSS in MB (10^6), failing with one sentence when the process is gone. */
export function rssMB(pid: number): number {
  try {
    return (processRssMiB(pid) * 2 ** 20) / 1e6;
  } catch {
    throw new Error(`smarm-top (pid ${pid}) is gone`);
  }
}
