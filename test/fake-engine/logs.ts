// Log lines for the fake engine: texts taken from the lab's recorded log responses
// (test/fixtures/lab/logs-*.bin), framed the way the engine frames them for a swarm service or
// task (8-byte multiplexing header unless the spec has TTY; timestamp and details prefixes when
// asked for).

import { readFileSync } from 'node:fs';
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

let texts: string[] | null = null;

/** The message texts of the recorded multiplexed responses (web and logger services). */
function recordedTexts(): string[] {
  if (texts !== null) return texts;
  const out: string[] = [];
  for (const name of ['logs-web.bin', 'logs-logger.bin']) {
    const bytes = readFileSync(new URL(`../fixtures/lab/${name}`, import.meta.url));
    for (let at = 0; at + 8 <= bytes.length;) {
      const length = bytes.readUInt32BE(at + 4);
      const payload = bytes.subarray(at + 8, at + 8 + length).toString('utf8');
      at += 8 + length;
      // "<timestamp> <details> <text>\n"
      const text = /^\S+ \S+ (.*)$/s.exec(payload.replace(/\r?\n$/, ''))?.[1];
      if (text === undefined) continue;
      const template = text.replace(/\b[0-9a-f]{12}\b/g, '{cid}').replace(/\d+/g, '{n}');
      if (!out.includes(template)) out.push(template);
    }
  }
  texts = out.length > 0 ? out : ['hello from {cid}'];
  return texts;
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
  let prefix = '';
  if (options.timestamps) prefix += `${goTime(atMs, (n * 7919) % 1e6)} `;
  if (options.details) {
    prefix += `com.docker.swarm.node.id=${source.nodeId},com.docker.swarm.service.id=${source.serviceId},com.docker.swarm.task.id=${source.taskId} `;
  }
  const text = lineText(source, n);
  if (options.tty) return Buffer.from(`${prefix}${text}\r\n`);
  // Every seventh line on stderr, so both streams are exercised.
  return frame(n % 7 === 6 ? 2 : 1, Buffer.from(`${prefix}${text}\n`));
}
