import { formatBytes, formatCpus } from '../format/bytes.js';
import { cellWidth, padEnd } from '../format/cells.js';
import { formatDuration } from '../format/duration.js';
import { maskArgv, maskText, maskValue } from '../format/mask.js';
import { sanitizeLine } from '../format/sanitize.js';
import type {
  FileMount,
  ServiceHealthcheck,
  ServiceMount,
  ServiceRestartPolicy,
  ServiceSpecDetail,
} from '../model.js';

// Service detail above the raw spec in the inspect view: what an operator asks of a service
// whose tasks misbehave — what it mounts, which networks it is on (and its VIP there), which
// secrets and configs it gets as files, how it is health-checked and restarted, what it may use
// and where it may run. The spec below says the same in the engine's words.

export interface ServiceDetailOptions {
  /** --show-secrets: mount sources, volume options and healthcheck commands unmasked. */
  revealSecrets?: boolean;
  /** A network's name by its ID; without one (or without an answer) the ID's first 12 chars. */
  networkName?: (id: string) => string | undefined;
}

function mountLines(mounts: ServiceMount[], reveal: boolean): string[] {
  if (mounts.length === 0) return ['mounts: none'];
  const shown = (text: string) => (reveal ? text : maskText(text));
  const width = Math.max(...mounts.map((m) => cellWidth(m.type)));
  return [
    'mounts:',
    ...mounts.map((m) => {
      const source =
        m.type === 'tmpfs' ? '(memory)' : m.source === '' ? '(anonymous)' : shown(m.source);
      const extra: string[] = [m.readOnly ? 'read-only' : 'read-write'];
      if (m.tmpfsSizeBytes !== null) extra.push(`size ${formatBytes(m.tmpfsSizeBytes)}`);
      if (m.volumeDriver !== null) {
        const options = Object.entries(m.volumeOptions).map(
          ([key, value]) => `${key}=${reveal ? value : maskValue(key, value)}`,
        );
        extra.push(
          `driver ${m.volumeDriver}${options.length > 0 ? ` (${options.join(', ')})` : ''}`,
        );
      }
      return `  ${padEnd(m.type, width)}  ${source} → ${m.target}  ${extra.join(' · ')}`;
    }),
  ];
}

function networkLines(detail: ServiceSpecDetail, options: ServiceDetailOptions): string[] {
  const head = `networks (endpoint mode ${detail.endpointMode})`;
  if (detail.networks.length === 0) return [`${head}: none`];
  const named = detail.networks.map((network) => ({
    network,
    name: options.networkName?.(network.id) || network.id.slice(0, 12),
  }));
  const width = Math.max(...named.map(({ name }) => cellWidth(name)));
  return [
    `${head}:`,
    ...named.map(({ network, name }) => {
      const vip =
        network.vip !== null
          ? `VIP ${network.vip}`
          : detail.endpointMode === 'dnsrr'
            ? 'no VIP (DNS round robin)'
            : 'no VIP yet';
      const aliases = network.aliases.length > 0 ? ` · aliases ${network.aliases.join(', ')}` : '';
      return `  ${padEnd(name, width)}  ${vip}${aliases}`;
    }),
  ];
}

/** "0400", as `ls -l` and the docker CLI's --secret mode= take it. */
function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function fileLines(what: 'secrets' | 'configs', refs: FileMount[]): string[] {
  if (refs.length === 0) return [`${what}: none`];
  const width = Math.max(...refs.map((ref) => cellWidth(ref.name)));
  return [
    `${what}:`,
    ...refs.map((ref) => {
      // A secret's relative file name lives under /run/secrets; a config without one is a
      // runtime config (a credential spec), not a file.
      const target =
        what === 'secrets'
          ? ref.target.startsWith('/')
            ? ref.target
            : `/run/secrets/${ref.target || ref.name}`
          : ref.target || '(runtime, no file)';
      return `  ${padEnd(ref.name, width)} → ${target}  uid:gid ${ref.uid}:${ref.gid} · mode ${octal(ref.mode)}`;
    }),
  ];
}

/** The test on one line, its timing on the next (a shell command can be long on its own). */
function healthcheckLines(check: ServiceHealthcheck | null, reveal: boolean): string[] {
  if (check === null) {
    return ["healthcheck: no healthcheck in the spec (the image's own applies, if any)"];
  }
  if (check.test[0] === 'NONE') return ['healthcheck: disabled (NONE)'];
  const test = reveal ? check.test : maskArgv(check.test);
  const timing: string[] = [];
  if (check.intervalNs !== null) timing.push(`interval ${formatDuration(check.intervalNs)}`);
  if (check.timeoutNs !== null) timing.push(`timeout ${formatDuration(check.timeoutNs)}`);
  if (check.retries !== null) timing.push(`retries ${check.retries}`);
  if (check.startPeriodNs !== null) {
    timing.push(`start period ${formatDuration(check.startPeriodNs)}`);
  }
  return [
    `healthcheck: ${test.length > 0 ? test.join(' ') : "the image's test"}`,
    ...(timing.length > 0 ? [`  ${timing.join(' · ')}`] : []),
  ];
}

function restartLine(policy: ServiceRestartPolicy | null): string {
  if (policy === null) return "restart policy: none in the spec (the swarm's default: any)";
  const parts = [policy.condition || 'any'];
  if (policy.delayNs !== null) parts.push(`delay ${formatDuration(policy.delayNs)}`);
  parts.push(
    policy.maxAttempts !== null && policy.maxAttempts > 0
      ? `max attempts ${policy.maxAttempts}`
      : 'no max attempts',
  );
  if (policy.windowNs !== null && policy.windowNs > 0) {
    parts.push(`window ${formatDuration(policy.windowNs)}`);
  }
  return `restart policy: ${parts.join(' · ')}`;
}

function amounts(what: string, r: { nanoCpus: number | null; memoryBytes: number | null }) {
  const parts: string[] = [];
  if (r.nanoCpus !== null) parts.push(`${formatCpus(r.nanoCpus)} CPU`);
  if (r.memoryBytes !== null) parts.push(formatBytes(r.memoryBytes));
  return parts.length === 0 ? `no ${what}` : `${what} ${parts.join(', ')}`;
}

function placementLine(detail: ServiceSpecDetail): string {
  const parts = [...detail.constraints];
  if (detail.maxReplicasPerNode !== null) {
    parts.push(`max ${detail.maxReplicasPerNode} per node`);
  }
  return `placement: ${parts.length > 0 ? parts.join(' · ') : 'any node'}`;
}

/** The service's header lines, sanitized (and masked unless revealSecrets). */
export function serviceDetailLines(
  detail: ServiceSpecDetail,
  options: ServiceDetailOptions = {},
): string[] {
  const reveal = options.revealSecrets === true;
  return [
    `${detail.name} · ${detail.mode} · ${detail.image}`,
    ...mountLines(detail.mounts, reveal),
    ...networkLines(detail, options),
    ...fileLines('secrets', detail.secrets),
    ...fileLines('configs', detail.configs),
    ...healthcheckLines(detail.healthcheck, reveal),
    restartLine(detail.restartPolicy),
    `resources: ${amounts('limits', detail.limits)} · ${amounts('reservations', detail.reservations)}`,
    placementLine(detail),
  ].map((line) => sanitizeLine(line).trimEnd());
}
