// The stats probe's service (issue 15): made by `probe-start` when the operator says `y` in the
// usage view, removed by `probe-stop` when the view is left, on quit and on SIGHUP/SIGTERM, and
// by `probe-expired` at start for probes whose lifetime ended (a smarm-top that was killed).
// Through the one operations path like every change: read-only refuses them, and they are
// audited. Only services carrying smarm-top's probe label are ever removed.
import type { ProbeServiceSpec, SwarmWrites } from '../../docker/swarm-api.js';
import type { SwarmService } from '../../model.js';
import type { FollowContext, OperationKind, ProbeFresh, Step } from '../kind.js';

/** The label that marks a service as smarm-top's probe; its value is the session's ID. */
export const PROBE_LABEL = 'smarm-top.probe.session';
/** When the probe has ended by itself for sure (ISO time): after it, any smarm-top removes it. */
export const PROBE_EXPIRES_LABEL = 'smarm-top.probe.expires';
export const PROBE_LIFETIME_S = 600;
/** 0.05 CPU and 32 MiB: the probe's limits on every node. */
export const PROBE_NANO_CPUS = 50_000_000;
export const PROBE_MEMORY_BYTES = 32 * 1024 * 1024;
/** The image the Dockerfile's instructions build (`docker build -t smarm-top .`). */
export const DEFAULT_PROBE_IMAGE = 'smarm-top';
/** Where each node's engine listens; a swarm service template may name the node. */
export const DEFAULT_PROBE_SOCKET = '/var/run/docker.sock';
/** Between the lifetime's end and the expiry label: tasks start a little after the create. */
const EXPIRY_MARGIN_S = 60;

export const probeName = (sessionId: string): string => `smarm-top-probe-${sessionId}`;

export const isProbe = (service: SwarmService): boolean =>
  (service.labels[PROBE_LABEL] ?? '') !== '';

/** The probes of our label whose expiry has passed (never one without a readable expiry). */
export function expiredProbes(services: readonly SwarmService[], now: number): SwarmService[] {
  return services.filter((service) => {
    if (!isProbe(service)) return false;
    const expires = Date.parse(service.labels[PROBE_EXPIRES_LABEL] ?? '');
    return Number.isFinite(expires) && expires < now;
  });
}

/** The one sentence the usage view's dialog says before anything is made. */
export function probeDialogLines(image: string, sessionId: string, lifetimeS: number): string[] {
  return [
    `It creates the global service ${probeName(sessionId)} (image ${image}, docker socket mounted read-only, 0.05 CPU and 32 MiB at most, ends itself after ${lifetimeS % 60 === 0 ? `${lifetimeS / 60} minutes` : `${lifetimeS} seconds`}), reads it through the manager, and removes it when you leave this view and the services list.`,
  ];
}

export function probeSpec(request: ProbeStartRequest, now: number): ProbeServiceSpec {
  return {
    name: request.name,
    image: request.image,
    labels: {
      [PROBE_LABEL]: request.sessionId,
      [PROBE_EXPIRES_LABEL]: new Date(
        now + (request.lifetimeS + EXPIRY_MARGIN_S) * 1000,
      ).toISOString(),
    },
    args: ['probe', '--lifetime', String(request.lifetimeS)],
    nanoCpus: PROBE_NANO_CPUS,
    memoryBytes: PROBE_MEMORY_BYTES,
    socket: request.socket,
  };
}

export interface ProbeStartIntent {
  kind: 'probe-start';
  /** The service's name (it has no ID before it is made). */
  serviceId: string;
  name: string;
  sessionId: string;
  image: string;
  /** Each node's engine socket, mounted read-only into the probe. */
  socket: string;
  lifetimeS: number;
}

export type ProbeStartRequest = ProbeStartIntent;

export interface ProbeStopRequest {
  kind: 'probe-stop';
  serviceId: string;
  name: string;
  /** "left the usage view", "quit", "expired" */
  why: string;
}

async function probesNow(reads: { listServices(): Promise<SwarmService[]> }): Promise<ProbeFresh> {
  return { probes: (await reads.listServices()).filter(isProbe) };
}

function creator(writes: SwarmWrites): NonNullable<SwarmWrites['createProbeService']> {
  const method = writes.createProbeService;
  if (method === undefined) throw new Error('this connection cannot create services');
  return method.bind(writes);
}

export const probeStart: OperationKind<'probe', ProbeStartRequest, ProbeStartIntent> = {
  kind: 'probe-start',
  target: 'probe',
  title: (r) => `start the stats probe ${r.name} (${r.image})`,
  confirm: {
    title: () => 'Start a probe on every node?',
    prepare: (intent) =>
      Promise.resolve({
        request: intent,
        lines: probeDialogLines(intent.image, intent.sessionId, intent.lifetimeS),
        warnings: [],
      }),
  },
  inspect: (_writes, reads) => probesNow(reads),
  changedFromSeen: (request, fresh) =>
    fresh.probes.some((s) => s.name === request.name) ? `${request.name} already runs` : null,
  beforeAfter: (r) => ({
    before: null,
    after: { service: r.name, mode: 'global', image: r.image, lifetimeS: r.lifetimeS },
  }),
  write: async (writes, _fresh, request) => {
    await creator(writes)(probeSpec(request, Date.now()));
  },
  followLimit: 'scale',
  step: async (request, { listServices }: FollowContext<ProbeFresh>): Promise<Step> => {
    const made = (await listServices()).find((s) => s.name === request.name);
    return made === undefined
      ? { progress: 'waiting for the service to be listed' }
      : { status: 'succeeded', message: null, progress: `${made.running} running` };
  },
};

export const probeStop: OperationKind<'probe', ProbeStopRequest> = {
  kind: 'probe-stop',
  target: 'probe',
  title: (r) => `remove the stats probe ${r.name} (${r.why})`,
  inspect: (_writes, reads) => probesNow(reads),
  changedFromSeen: (request, fresh) =>
    fresh.probes.some((s) => s.name === request.name) ? null : `${request.name} is already gone`,
  beforeAfter: (r) => ({ before: { service: r.name }, after: null }),
  write: async (writes, fresh, request) => {
    // by ID, and only a service that carries the probe label under this name
    for (const service of fresh.probes.filter((s) => s.name === request.name)) {
      await writes.removeService(service.id);
    }
  },
  followLimit: 'scale',
  step: async (request, { listServices }: FollowContext<ProbeFresh>): Promise<Step> =>
    (await listServices()).some((s) => s.name === request.name)
      ? { progress: 'waiting for the service to go' }
      : { status: 'succeeded', message: null, progress: 'removed' },
};
