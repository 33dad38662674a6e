// `o` in the logs view: the buffer as the screen shows it (sanitized), with time, task, node and
// stream on every line, in a file only its owner can read.
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { LogBuffer } from '../state/log-buffer.js';
import type { LogLine } from '../model.js';
import { sanitizeLine } from '../format/sanitize.js';

export type LogNames = (line: LogLine) => { task: string; node: string };

export function logFileName(name: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  // Service and task names are the engine's; keep only what is safe in a file name.
  return `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}.log`;
}

export function formatLogFile(buffer: LogBuffer, names: LogNames): string {
  return buffer
    .slice()
    .map((entry) => {
      if (entry.kind === 'gap') return `--- ${entry.text}`;
      // Task and node names are the engine's (a worker reports its own hostname): a file read
      // with `cat` must not act on the terminal either.
      const { task, node } = names(entry.line);
      const mark = entry.line.stream === 'stderr' ? 'stderr' : 'stdout';
      const time = sanitizeLine(entry.line.time ?? '-');
      return `${time} ${sanitizeLine(task)}@${sanitizeLine(node)} ${mark} ${sanitizeLine(entry.text)}`;
    })
    .join('\n');
}

/** Writes the file (folder 0700, file 0600) and returns its path. */
export async function saveLogs(
  dir: string,
  name: string,
  buffer: LogBuffer,
  names: LogNames,
  at = new Date(),
): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, logFileName(name, at));
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${formatLogFile(buffer, names)}\n`);
  } finally {
    await handle.close();
  }
  return file;
}
