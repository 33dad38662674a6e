// Log lines for the fake engine: texts taken from the lab's recorded log responses, framed the
// way the engine frames them for a swarm service or task (8-byte multiplexing header unless the
// spec has TTY; timestamp and details prefixes when asked for).

import { goTime } from './cluster.js';

export interface LogOptions {
  timestamps: boolean;
  details: boolean;
  tty: boolean;
}

export interface LogSource {
  nodeId: string;
  serviceId: string;
  taskId: string;
  containerId: string;
}

/**
 * The message texts of the lab's recorded multiplexed log responses (test/fixtures/lab/logs-web.bin
 * and logs-logger.bin), container IDs and numbers made placeholders; a test checks them against
 * the recordings. Kept as text so that the demo bundle reads no file.
 */
export const RECORDED_LOG_TEXTS: readonly string[] = [
  'hello from {cid}',
  'logger line {n} from {cid}',
  'logger warn {n}',
];

function recordedTexts(): readonly string[] {
  return RECORDED_LOG_TEXTS;
}

/** The text of line `n` of a task: a recorded text with this task's container and counter. */
export function lineText(source: LogSource, n: number): string {
  const all = recordedTexts();
  const template = all[n % all.length]!;
  const short = source.containerId.slice(0, 12);
  return template.replaceAll('{cid}', short).replaceAll('{n}', String(n));
}

function frame(stream: 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** One log message as the engine writes it to the response. */
export function logMessage(
  source: LogSource,
  n: number,
  atMs: number,
  options: LogOptions,
): Buffer {
  // Every seventh line on stderr, so both streams are exercised.
  return textMessage(source, lineText(source, n), n, atMs, options, n % 7 === 6 ? 2 : 1);
}

/** `text` as line `n` of a task's log, framed and prefixed as the engine does. */
export function textMessage(
  source: LogSource,
  text: string,
  n: number,
  atMs: number,
  options: LogOptions,
  stream: 1 | 2 = 1,
): Buffer {
  let prefix = '';
  if (options.timestamps) prefix += `${goTime(atMs, (n * 7919) % 1e6)} `;
  if (options.details) {
    prefix += `com.docker.swarm.node.id=${source.nodeId},com.docker.swarm.service.id=${source.serviceId},com.docker.swarm.task.id=${source.taskId} `;
  }
  if (options.tty) return Buffer.from(`${prefix}${text}\r\n`);
  return frame(stream, Buffer.from(`${prefix}${text}\n`));
}
