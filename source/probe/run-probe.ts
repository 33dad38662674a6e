// `smarm-top probe`: the stats probe, the same program run as a task of a global service on
// every node (issue 15). No terminal: it reads its own node's engine through the mounted socket
// and, every tick, prints one compact JSON line per swarm task's container (CPU in percent of a
// core from the previous tick's sample, memory as docker stats counts it, health). It ends by
// itself after its lifetime, so a probe whose smarm-top died (kill -9) leaves nothing running.
import { cpuPercent, type StatsSample } from '../docker/probe-stats.js';
import { createProbeEngine, probeTarget, type ProbeEngine } from '../docker/probe-engine.js';
import { formatProbeLine, formatProbeNote } from './line.js';

export const DEFAULT_LIFETIME_S = 600;
export const DEFAULT_EVERY_S = 2;
const MAX_LIFETIME_S = 24 * 3600;

export interface ProbeArgs {
  lifetimeS: number;
  everyS: number;
}

/** `probe [--lifetime SECONDS] [--every SECONDS]`, or the one sentence saying what is wrong. */
export function parseProbeArgs(argv: readonly string[]): ProbeArgs | string {
  const args: ProbeArgs = { lifetimeS: DEFAULT_LIFETIME_S, everyS: DEFAULT_EVERY_S };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    const seconds = Number(value);
    const ok = value !== undefined && value.trim() !== '' && Number.isFinite(seconds);
    if (flag === '--lifetime') {
      if (!ok || seconds < 1 || seconds > MAX_LIFETIME_S) {
        return `--lifetime must be a number of seconds from 1 to ${MAX_LIFETIME_S}, not "${value ?? ''}".`;
      }
      args.lifetimeS = seconds;
    } else if (flag === '--every') {
      if (!ok || seconds < 0.5 || seconds > 60) {
        return `--every must be a number of seconds from 0.5 to 60, not "${value ?? ''}".`;
      }
      args.everyS = seconds;
    } else {
      return `smarm-top probe takes --lifetime SECONDS and --every SECONDS only, not "${argv[i - (inline === undefined ? 1 : 0)]}".`;
    }
  }
  return args;
}

/**
 * One tick: every task container's line; the samples kept for the next tick's CPU figure (and
 * those of containers gone since, dropped).
 */
export async function probeTick(
  engine: ProbeEngine,
  previous: Map<string, StatsSample>,
  now: () => number = Date.now,
): Promise<{ lines: string[]; samples: Map<string, StatsSample> }> {
  const containers = await engine.taskContainers();
  const samples = new Map<string, StatsSample>();
  const lines: string[] = [];
  // All at once: an engine that does not honour one-shot (seen: 20.10 under load) answers every
  // waiting stats request at its collector's next pass, so one tick takes about a second at most.
  const read = await Promise.all(
    containers.map((container) => engine.stats(container.id).catch(() => null)),
  );
  containers.forEach((container, i) => {
    const sample = read[i];
    if (sample === null || sample === undefined) return;
    samples.set(container.id, sample);
    const before = previous.get(container.id);
    lines.push(
      formatProbeLine({
        task: container.taskId,
        node: container.nodeId,
        cpu: before === undefined ? null : cpuPercent(before, sample),
        mem: sample.memoryUsed,
        lim: sample.memoryLimit,
        health: container.health,
        at: sample.readAt ?? now(),
      }),
    );
  });
  return { lines, samples };
}

/** Runs until the lifetime ends or SIGTERM/SIGINT; resolves with the exit code. */
export async function runProbe(argv: readonly string[]): Promise<number> {
  const args = parseProbeArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`smarm-top probe: ${args}\n`);
    return 2;
  }
  let engine: ProbeEngine;
  try {
    engine = createProbeEngine(probeTarget(process.env['DOCKER_HOST']));
  } catch (error) {
    process.stderr.write(`smarm-top probe: ${(error as Error).message}.\n`);
    return 2;
  }
  const endAt = Date.now() + args.lifetimeS * 1000;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = (): void => stop();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const lifetime = setTimeout(stop, args.lifetimeS * 1000);
  let ended = false;
  void stopped.then(() => (ended = true));
  let samples = new Map<string, StatsSample>();
  let lastError = '';
  process.stdout.write(
    `${formatProbeNote(`start lifetime=${args.lifetimeS}s every=${args.everyS}s`)}\n`,
  );
  while (!ended && Date.now() < endAt) {
    const started = Date.now();
    try {
      const tick = await probeTick(engine, samples);
      samples = tick.samples;
      if (tick.lines.length > 0) process.stdout.write(`${tick.lines.join('\n')}\n`);
      lastError = '';
    } catch (error) {
      // said once per change, not every tick
      const text = `engine: ${(error as Error).message}`;
      if (text !== lastError) process.stdout.write(`${formatProbeNote(text)}\n`);
      lastError = text;
    }
    const wait = Math.max(0, args.everyS * 1000 - (Date.now() - started));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
    clearTimeout(timer);
  }
  clearTimeout(lifetime);
  process.stdout.write(`${formatProbeNote('end')}\n`);
  return 0;
}
