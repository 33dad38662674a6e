// What a rollback changes, in the operator's terms: one line per variable, label, constraint or
// port, so "one env var and the image" is not buried in two full specs. Values are masked here
// because these lines go straight to the confirmation dialog.
import { formatBytes, formatCpus } from '../format/bytes.js';
import { maskValue } from '../format/mask.js';
import type { PublishedPort, ServiceSpecView } from '../model.js';

export interface DiffLine {
  field: string;
  /** The current value. */
  before: string;
  /** The value after the rollback (the previous spec's). */
  after: string;
}

/** A key or item that one side does not have. */
export const UNSET = '(unset)';
const NONE = '(none)';
const IMAGE_DEFAULT = '(image default)';

/** Keys in first-seen order: current keys first, then keys only the previous spec has. */
function keysOf(current: Map<string, unknown>, previous: Map<string, unknown>): string[] {
  return [...new Set([...current.keys(), ...previous.keys()])];
}

/**
 * Per-key lines for two maps. `show` masks a present value; a missing key shows as (unset). An
 * empty string is shown as "" so that it does not read as a missing line.
 */
function keyedLines(
  prefix: string,
  current: Map<string, string | null>,
  previous: Map<string, string | null>,
  show: (key: string, value: string | null) => string,
): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const key of keysOf(current, previous)) {
    const a = current.get(key);
    const b = previous.get(key);
    if (a === b) continue;
    lines.push({
      field: `${prefix} ${key}`,
      before: a === undefined ? UNSET : show(key, a),
      after: b === undefined ? UNSET : show(key, b),
    });
  }
  return lines;
}

function showValue(key: string, value: string | null, reveal: boolean): string {
  // "FOO" with no "=" passes the variable without a value.
  if (value === null) return '(no value)';
  if (value === '') return '""';
  return reveal ? value : maskValue(key, value);
}

/** Later entries win, as they do when the engine builds the container's environment. */
function envMap(env: string[]): Map<string, string | null> {
  const map = new Map<string, string | null>();
  for (const entry of env) {
    const eq = entry.indexOf('=');
    if (eq === -1) map.set(entry, null);
    else map.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return map;
}

function recordMap(record: Record<string, string>): Map<string, string | null> {
  return new Map(Object.entries(record));
}

/** Set difference for list items (constraints, ports): added and removed, never "changed". */
function itemLines(field: string, current: string[], previous: string[]): DiffLine[] {
  const now = new Set(current);
  const then = new Set(previous);
  const lines: DiffLine[] = [];
  for (const item of now) if (!then.has(item)) lines.push({ field, before: item, after: NONE });
  for (const item of then) if (!now.has(item)) lines.push({ field, before: NONE, after: item });
  return lines;
}

/** Shell-like, so that ["sh", "-c", "echo hi"] reads as sh -c "echo hi". */
function showArgv(argv: string[]): string {
  if (argv.length === 0) return IMAGE_DEFAULT;
  return argv
    .map((arg) => (arg === '' || /[\s"'\\]/.test(arg) ? JSON.stringify(arg) : arg))
    .join(' ');
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** "8080→80/tcp (ingress)". */
export function formatPort(port: PublishedPort): string {
  return `${port.published}→${port.target}/${port.protocol} (${port.mode})`;
}

function scalarLine(field: string, before: string, after: string): DiffLine[] {
  return before === after ? [] : [{ field, before, after }];
}

function resourceLines(
  prefix: string,
  current: ServiceSpecView['limits'],
  previous: ServiceSpecView['limits'],
): DiffLine[] {
  const cpus = (n: number | null): string => (n === null ? UNSET : formatCpus(n));
  const memory = (n: number | null): string => (n === null ? UNSET : formatBytes(n));
  return [
    ...scalarLine(`${prefix} CPUs`, cpus(current.nanoCpus), cpus(previous.nanoCpus)),
    ...scalarLine(`${prefix} memory`, memory(current.memoryBytes), memory(previous.memoryBytes)),
  ];
}

/**
 * What rolling back from `current` to `previous` changes, field by field in a fixed order.
 * Unchanged fields give no line. A changed secret gives a line whose before and after are both
 * the mask, unless `reveal` (--show-secrets); describeDiff marks it "(changed)".
 */
export function diffSpecs(
  current: ServiceSpecView,
  previous: ServiceSpecView,
  { reveal = false }: { reveal?: boolean } = {},
): DiffLine[] {
  const showMasked = (key: string, value: string | null): string => showValue(key, value, reveal);
  const replicas = (n: number | null): string => (n === null ? NONE : String(n));
  const argvLine = (field: string, a: string[], b: string[]): DiffLine[] =>
    sameList(a, b) ? [] : [{ field, before: showArgv(a), after: showArgv(b) }];
  return [
    ...scalarLine('image', current.image, previous.image),
    ...keyedLines('env', envMap(current.env), envMap(previous.env), showMasked),
    ...argvLine('command', current.command, previous.command),
    ...argvLine('args', current.args, previous.args),
    ...scalarLine('replicas', replicas(current.replicas), replicas(previous.replicas)),
    ...itemLines('constraint', current.constraints, previous.constraints),
    ...resourceLines('limits', current.limits, previous.limits),
    ...resourceLines('reservations', current.reservations, previous.reservations),
    ...keyedLines('label', recordMap(current.labels), recordMap(previous.labels), showMasked),
    ...keyedLines(
      'container label',
      recordMap(current.containerLabels),
      recordMap(previous.containerLabels),
      showMasked,
    ),
    ...itemLines('port', current.ports.map(formatPort), previous.ports.map(formatPort)),
    ...keyedLines(
      'update config',
      recordMap(current.updateConfig),
      recordMap(previous.updateConfig),
      (_key, value) => value ?? NONE,
    ),
    ...keyedLines(
      'rollback config',
      recordMap(current.rollbackConfig),
      recordMap(previous.rollbackConfig),
      (_key, value) => value ?? NONE,
    ),
  ];
}

export const NO_DIFFERENCE =
  'No difference in the fields shown; the previous spec differs only elsewhere or not at all.';

/** "env VERSION: 2 → 1"; a line whose two sides read the same (masked) says "(changed)". */
export function describeDiff(lines: DiffLine[]): string[] {
  if (lines.length === 0) return [NO_DIFFERENCE];
  return lines.map(
    ({ field, before, after }) =>
      `${field}: ${before} → ${after}${before === after ? ' (changed)' : ''}`,
  );
}
