// The usage view's runtime (issue 15), framework-free: follows the probe service's logs through
// the manager (the service logs API every log view uses) and reads its tasks for the nodes where
// it could not start (an image missing there, say).
import type { SwarmReads } from '../docker/swarm-api.js';
import type { SwarmTask } from '../model.js';
import { parseProbeLine, type ProbeLine } from '../probe/line.js';

const TASK_POLL_MS = 5_000;
const RETRY_MS = 2_000;
const FLUSH_MS = 1_000;

/** Node ID → what went wrong with its probe task, in the view's words. */
export function nodeErrorsOf(tasks: readonly SwarmTask[], image: string): Record<string, string> {
  const errors: Record<string, string> = {};
  // newest last: a node's later task speaks for it
  const sorted = [...tasks].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  for (const task of sorted) {
    if (task.nodeId === null) continue;
    const error = task.error ?? '';
    if (task.state === 'running' || error === '') {
      delete errors[task.nodeId];
      continue;
    }
    errors[task.nodeId] = /bind source path does not exist/i.test(error)
      ? // The engine socket lives elsewhere on this node (a rootless or snap engine, a lab).
        `${error}: the engine socket is not there on this node; name it with --probe-socket PATH`
      : /no such image|not found|pull access denied|manifest unknown/i.test(error)
        ? `image ${image} not found (${error})`
        : error;
  }
  return errors;
}

export interface FollowProbeOptions {
  api: SwarmReads;
  serviceId: string;
  image: string;
  signal: AbortSignal;
  onLines: (lines: ProbeLine[], at: number) => void;
  onNodeErrors: (errors: Record<string, string>) => void;
  now?: () => number;
}

/** Until `signal` aborts: the probe's lines as they come, and its tasks' errors every 5 s. */
export async function followProbe(options: FollowProbeOptions): Promise<void> {
  const { api, serviceId, signal } = options;
  const now = options.now ?? Date.now;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  const tasks = (async () => {
    while (!signal.aborted) {
      try {
        const list = await api.listTasks({ serviceId });
        if (!signal.aborted) options.onNodeErrors(nodeErrorsOf(list, options.image));
      } catch {
        // the next poll tries again; the figures' ages say the rest
      }
      await sleep(TASK_POLL_MS);
    }
  })();
  let pending: ProbeLine[] = [];
  let flush: ReturnType<typeof setTimeout> | undefined;
  const deliver = (): void => {
    flush = undefined;
    const lines = pending;
    pending = [];
    if (lines.length > 0 && !signal.aborted) options.onLines(lines, now());
  };
  signal.addEventListener('abort', () => clearTimeout(flush), { once: true });
  while (!signal.aborted) {
    try {
      await api.streamLogs(
        {
          target: { kind: 'service', id: serviceId },
          tty: false,
          follow: true,
          // only what is new: the probe prints every 2 s
          since: Math.floor(now() / 1000) - 4,
        },
        {
          signal,
          onLines: (lines) => {
            for (const l of lines) {
              const line = parseProbeLine(l.text);
              if (line !== null) pending.push(line);
            }
            // every node's lines of a tick in one update: one redraw a second, not one per chunk
            if (pending.length > 0 && flush === undefined) flush = setTimeout(deliver, FLUSH_MS);
          },
        },
      );
    } catch {
      // a stream that broke (a failover, a task that ended): open it again
    }
    await sleep(RETRY_MS);
  }
  await tasks;
}
