// What a task's end means in plain words. The engine says "task: non-zero exit (137)"; the
// operator wants "killed: out of memory". Exit codes above 128 are 128 + the signal that ended
// the process (the shell's convention, which Docker keeps); a few low codes are the shell's own.
import type { SwarmTask } from '../model.js';
import { formatBytes } from './bytes.js';

/** The engine's error when a container's health check failed (swarmkit's dockerexec adapter). */
const UNHEALTHY = /unhealthy container/i;

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  13: 'SIGPIPE',
  15: 'SIGTERM',
};

/** The meaning of an exit code, given the memory limit (bytes, 0: none); null for 0. */
export function exitCodeMeaning(code: number, memoryLimitBytes = 0): string | null {
  switch (code) {
    case 0:
      return null;
    case 137:
      return memoryLimitBytes > 0
        ? `killed (SIGKILL) — out of memory (limit ${formatBytes(memoryLimitBytes)}), or stop timeout`
        : 'killed (SIGKILL) — stop timeout or killed from outside (no memory limit set)';
    case 143:
      return 'terminated (SIGTERM)';
    case 139:
      return 'segmentation fault';
    case 134:
      return 'aborted (SIGABRT)';
    case 126:
      return 'command not executable';
    case 127:
      return 'command not found';
    case 125:
      return 'the container could not be run';
    case 1:
    case 2:
      return "the program's own error";
  }
  const signal = SIGNALS[code - 128];
  if (code > 128 && signal !== undefined) return `killed by ${signal}`;
  return code > 128 && code < 160 ? `killed by signal ${code - 128}` : "the program's own error";
}

/** The exit code a task ended with: its container's, else the one in the engine's error. */
export function exitCodeOf(task: SwarmTask): number | null {
  if (task.exitCode !== null) return task.exitCode;
  const match = /non-zero exit \((\d+)\)/.exec(task.error ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * What the task's end means, said after the engine's own error (which already has the code):
 * "killed (SIGKILL) — out of memory (limit 16 MiB), or stop timeout", "health check failed".
 */
export function exitWords(task: SwarmTask): string | null {
  if (UNHEALTHY.test(task.error ?? '')) return 'health check failed';
  const code = exitCodeOf(task);
  return code === null ? null : exitCodeMeaning(code, task.memoryLimitBytes);
}

/**
 * Why the task ended, in words ("exit 137: killed (SIGKILL) — out of memory (limit 16 MiB), or
 * stop timeout", "health check failed"); null when it did not end badly or there is nothing to add.
 */
export function taskEndMeaning(task: SwarmTask): string | null {
  if (UNHEALTHY.test(task.error ?? '')) return 'health check failed';
  const code = exitCodeOf(task);
  if (code === null || code === 0) return null;
  const meaning = exitCodeMeaning(code, task.memoryLimitBytes);
  return meaning === null ? null : `exit ${code}: ${meaning}`;
}
