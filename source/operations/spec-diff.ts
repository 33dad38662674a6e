// What a rollback changes, in the operator's terms: every field of the current Spec that differs
// from the PreviousSpec, most important first (image, replicas, env, command, secrets, configs,
// mounts, networks, ports, placement), one line per variable, label, item or setting, so "one env
// var and the image" is not buried in two full specs and nothing that changes goes unshown.
// Fields without a renderer of their own get a generic line named by their path
// ("TaskTemplate.ContainerSpec.User: app → root"). Values are masked here because these lines
// go straight to the confirmation dialog.
import { formatBytes, formatCpus } from '../format/bytes.js';
import { annotate, maskTree, safeJson } from '../format/inspect-text.js';
import { maskArgv, maskValue } from '../format/mask.js';
import type { PublishedPort } from '../model.js';
import { deepEqual } from '../format/same.js';

export interface DiffLine {
  field: string;
  /** The current value. */
  before: string;
  /** The value after the rollback (the previous spec's). */
  after: string;
}

/** A service's Spec or PreviousSpec as the engine sent it (GET /services/{id}). */
export type SpecJson = Readonly<Record<string, unknown>>;

/** A key or item that one side does not have. */
export const UNSET = '(unset)';
const NONE = '(none)';
const IMAGE_DEFAULT = '(image default)';

type Path = ReadonlyArray<string>;
type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(tree: unknown, path: Path): unknown {
  let value = tree;
  for (const key of path) value = isObject(value) ? value[key] : undefined;
  return value;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Both sides of one place in the spec: the raw values (compared) and the masked ones (shown). */
interface Side {
  raw: unknown;
  shown: unknown;
}

interface Context {
  reveal: boolean;
}

/** Keys in first-seen order: current keys first, then keys only the previous spec has. */
function keysOf<K>(current: Iterable<K>, previous: Iterable<K>): K[] {
  return [...new Set([...current, ...previous])];
}

function showValue(key: string, value: string | null, reveal: boolean): string {
  // "FOO" with no "=" passes the variable without a value.
  if (value === null) return '(no value)';
  if (value === '') return '""';
  return reveal ? value : maskValue(key, value);
}

/**
 * Per-key lines for two maps, masked by key. A missing key shows as (unset); an empty string as
 * "" so that it does not read as a missing line.
 */
function keyedLines(
  prefix: string,
  current: Map<string, string | null>,
  previous: Map<string, string | null>,
  ctx: Context,
): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const key of keysOf(current.keys(), previous.keys())) {
    const a = current.get(key);
    const b = previous.get(key);
    if (a === b) continue;
    lines.push({
      field: `${prefix} ${key}`,
      before: a === undefined ? UNSET : showValue(key, a, ctx.reveal),
      after: b === undefined ? UNSET : showValue(key, b, ctx.reveal),
    });
  }
  return lines;
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

function stringMap(value: unknown): Map<string, string | null> {
  const map = new Map<string, string | null>();
  if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string') map.set(key, item);
    }
  }
  return map;
}

/** Set difference for list items (constraints, secrets, ports …): added and removed. */
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

/** "8080→80/tcp (ingress)". */
export function formatPort(port: PublishedPort): string {
  return `${port.published}→${port.target}/${port.protocol} (${port.mode})`;
}

function rawPort(value: unknown): string {
  const port = isObject(value) ? value : {};
  return formatPort({
    published: Number(port['PublishedPort'] ?? 0),
    target: Number(port['TargetPort'] ?? 0),
    protocol: text(port['Protocol']) || 'tcp',
    mode: text(port['PublishMode']) || 'ingress',
  });
}

/** A digest pin is long; its first 12 hex digits tell two pins apart. */
function showImage(image: unknown): string {
  const ref = text(image);
  return ref === '' ? UNSET : ref.replace(/(@sha256:[0-9a-f]{12})[0-9a-f]{52}$/, '$1…');
}

function showMode(mode: unknown): string {
  if (!isObject(mode)) return UNSET;
  if (isObject(mode['Replicated'])) {
    const replicas = mode['Replicated']['Replicas'];
    return `replicated, ${typeof replicas === 'number' ? replicas : 1} replicas`;
  }
  if ('Global' in mode) return 'global';
  if ('ReplicatedJob' in mode) return 'replicated job';
  if ('GlobalJob' in mode) return 'global job';
  return Object.keys(mode).join(', ') || UNSET;
}

function showReference(value: unknown, nameKey: 'SecretName' | 'ConfigName'): string {
  const ref = isObject(value) ? value : {};
  const name = text(ref[nameKey]) || text(ref[nameKey === 'SecretName' ? 'SecretID' : 'ConfigID']);
  const file = at(ref, ['File', 'Name']);
  return typeof file === 'string' && file !== '' ? `${name} as ${file}` : `${name} (runtime)`;
}

function showMount(value: unknown): string {
  const mount = isObject(value) ? value : {};
  const source = text(mount['Source']) || '(anonymous)';
  const readOnly = mount['ReadOnly'] === true ? ' (read-only)' : '';
  return `${text(mount['Type']) || 'volume'} ${source} at ${text(mount['Target'])}${readOnly}`;
}

function showNetwork(value: unknown): string {
  const network = isObject(value) ? value : {};
  const aliases = strings(network['Aliases']);
  const target = text(network['Target']);
  return aliases.length > 0 ? `${target} (aliases ${aliases.join(', ')})` : target;
}

/**
 * Lines for one list whose items read as one line each ("secret db_pw as /run/secrets/db_pw"):
 * items added and removed, then, for an item on both sides whose details differ (its file mode,
 * a volume option), those details. [] when only the order differs: the generic lines say that.
 */
function summaryLines(field: string, show: (item: unknown) => string) {
  return (a: Side, b: Side): DiffLine[] => {
    const items = (side: Side) => {
      const raw = Array.isArray(side.raw) ? side.raw : [];
      const shown = Array.isArray(side.shown) ? side.shown : [];
      return new Map(
        raw.map((item, i): [string, Side] => [show(item), { raw: item, shown: shown[i] }]),
      );
    };
    const now = items(a);
    const then = items(b);
    const lines = itemLines(field, [...now.keys()], [...then.keys()]);
    for (const [summary, item] of now) {
      const other = then.get(summary);
      if (other === undefined) continue;
      const details: DiffLine[] = [];
      genericLines([], item, other, [], details);
      for (const line of details)
        lines.push({ ...line, field: `${field} ${summary} ${line.field}` });
    }
    return lines;
  };
}

const CPU_KEYS: Record<string, string> = { NanoCPUs: 'CPUs', MemoryBytes: 'memory' };

interface Section {
  path: Path;
  /** Lines for a part that differs; [] means "say it generically" (nothing is ever hidden). */
  render: (a: Side, b: Side, ctx: Context) => DiffLine[];
}

const CONTAINER = ['TaskTemplate', 'ContainerSpec'];

const argvSection = (key: 'Command' | 'Args', field: string): Section => ({
  path: [...CONTAINER, key],
  render: (a, b, ctx) => {
    const show = (side: Side) => {
      const argv = strings(side.raw);
      return showArgv(ctx.reveal ? argv : maskArgv(argv));
    };
    return [{ field, before: show(a), after: show(b) }];
  },
});

// In the order an operator reads a rollback: what runs, how many, with what, where.
const SECTIONS: Section[] = [
  {
    path: [...CONTAINER, 'Image'],
    render: (a, b) => [{ field: 'image', before: showImage(a.raw), after: showImage(b.raw) }],
  },
  {
    path: ['Mode'],
    render: (a, b) => {
      const before = showMode(a.raw);
      const after = showMode(b.raw);
      if (before === after) return [];
      const replicas = (mode: unknown) => at(mode, ['Replicated', 'Replicas']);
      if (before.startsWith('replicated,') && after.startsWith('replicated,')) {
        const count = (mode: unknown) => String(replicas(mode) ?? 1);
        return [{ field: 'replicas', before: count(a.raw), after: count(b.raw) }];
      }
      return [{ field: 'mode', before, after }];
    },
  },
  {
    path: [...CONTAINER, 'Env'],
    render: (a, b, ctx) => keyedLines('env', envMap(strings(a.raw)), envMap(strings(b.raw)), ctx),
  },
  argvSection('Command', 'command'),
  argvSection('Args', 'args'),
  {
    path: [...CONTAINER, 'Secrets'],
    render: summaryLines('secret', (item) => showReference(item, 'SecretName')),
  },
  {
    path: [...CONTAINER, 'Configs'],
    render: summaryLines('config', (item) => showReference(item, 'ConfigName')),
  },
  { path: [...CONTAINER, 'Mounts'], render: summaryLines('mount', showMount) },
  { path: ['TaskTemplate', 'Networks'], render: summaryLines('network', showNetwork) },
  // Before API 1.44 a service's networks could sit at the top of the spec.
  { path: ['Networks'], render: summaryLines('network', showNetwork) },
  { path: ['EndpointSpec', 'Ports'], render: summaryLines('port', rawPort) },
  {
    path: ['TaskTemplate', 'Placement', 'Constraints'],
    render: (a, b) => itemLines('constraint', strings(a.raw), strings(b.raw)),
  },
  ...(['Limits', 'Reservations'] as const).flatMap((kind) =>
    Object.entries(CPU_KEYS).map(([key, word]): Section => ({
      path: ['TaskTemplate', 'Resources', kind, key],
      render: (a, b) => {
        const show = (side: Side) =>
          typeof side.raw !== 'number' || side.raw <= 0
            ? UNSET
            : key === 'NanoCPUs'
              ? formatCpus(side.raw)
              : formatBytes(side.raw);
        return [{ field: `${kind.toLowerCase()} ${word}`, before: show(a), after: show(b) }];
      },
    })),
  ),
  {
    path: ['Labels'],
    render: (a, b, ctx) => keyedLines('label', stringMap(a.raw), stringMap(b.raw), ctx),
  },
  {
    path: [...CONTAINER, 'Labels'],
    render: (a, b, ctx) => keyedLines('container label', stringMap(a.raw), stringMap(b.raw), ctx),
  },
];

// Said generically, but before the rest: what changes how the task runs and restarts.
const NEXT_PATHS: Path[] = [
  [...CONTAINER, 'User'],
  [...CONTAINER, 'Healthcheck'],
  ['TaskTemplate', 'RestartPolicy'],
  ['TaskTemplate', 'LogDriver'],
  ['TaskTemplate', 'Placement'],
  ['TaskTemplate', 'Resources'],
  ['UpdateConfig'],
  ['RollbackConfig'],
  ['EndpointSpec'],
];

function pathText(path: Path): string {
  return path.reduce(
    (out, key) => (/^\d+$/.test(key) ? `${out}[${key}]` : out === '' ? key : `${out}.${key}`),
    '',
  );
}

function leaf(key: string, value: unknown): string {
  if (value === undefined) return UNSET;
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number') return annotate(key, value);
  if (typeof value === 'boolean') return String(value);
  return safeJson(value, 0);
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

/** Every difference under `path`, one line per leaf, skipping parts already said. */
function genericLines(path: Path, a: Side, b: Side, said: Path[], out: DiffLine[]): void {
  if (deepEqual(a.raw, b.raw) || said.some((done) => isPrefix(done, path))) return;
  const key = path.at(-1) ?? '';
  const child = (side: Side, k: string | number): Side => ({
    raw: (side.raw as Record<string, unknown> | undefined)?.[k],
    shown: (side.shown as Record<string, unknown> | undefined)?.[k],
  });
  const objectOrNone = (v: unknown) => isObject(v) || v === undefined;
  if (objectOrNone(a.raw) && objectOrNone(b.raw)) {
    const keys = (v: unknown) => Object.keys((v ?? {}) as Json);
    for (const k of keysOf(keys(a.raw), keys(b.raw))) {
      genericLines([...path, k], child(a, k), child(b, k), said, out);
    }
    return;
  }
  const arrayOrNone = (v: unknown) => Array.isArray(v) || v === undefined;
  if (arrayOrNone(a.raw) && arrayOrNone(b.raw)) {
    const rawA = (a.raw ?? []) as unknown[];
    const rawB = (b.raw ?? []) as unknown[];
    const shownA = (a.shown ?? []) as unknown[];
    const shownB = (b.shown ?? []) as unknown[];
    const field = pathText(path);
    if ([...rawA, ...rawB].every((item) => typeof item === 'string')) {
      // A command line or a list of names reads best whole.
      const show = (list: unknown[], side: Side) =>
        side.raw === undefined ? UNSET : list.length === 0 ? '[]' : showArgv(list as string[]);
      out.push({ field, before: show(shownA, a), after: show(shownB, b) });
      return;
    }
    if (rawA.length === rawB.length) {
      rawA.forEach((_, i) =>
        genericLines([...path, String(i)], child(a, i), child(b, i), said, out),
      );
      return;
    }
    // Items added or removed: each item that one side lacks, whole.
    const keyOf = (item: unknown) => JSON.stringify(item);
    const inB = new Set(rawB.map(keyOf));
    const inA = new Set(rawA.map(keyOf));
    rawA.forEach((item, i) => {
      if (!inB.has(keyOf(item))) out.push({ field, before: leaf(key, shownA[i]), after: NONE });
    });
    rawB.forEach((item, i) => {
      if (!inA.has(keyOf(item))) out.push({ field, before: NONE, after: leaf(key, shownB[i]) });
    });
    return;
  }
  out.push({ field: pathText(path), before: leaf(key, a.shown), after: leaf(key, b.shown) });
}

/**
 * What rolling back from `current` to `previous` changes: every field that differs, the ones an
 * operator reads first first. Unchanged fields give no line. A changed secret gives a line whose
 * before and after are both the mask, unless `reveal` (--show-secrets); describeDiff marks it
 * "(changed)".
 */
export function diffSpecs(
  current: SpecJson,
  previous: SpecJson,
  { reveal = false }: { reveal?: boolean } = {},
): DiffLine[] {
  const ctx: Context = { reveal };
  const shownCurrent = reveal ? current : maskTree(current);
  const shownPrevious = reveal ? previous : maskTree(previous);
  const side = (raw: unknown, shown: unknown, path: Path): Side => ({
    raw: at(raw, path),
    shown: at(shown, path),
  });
  const lines: DiffLine[] = [];
  const said: Path[] = [];
  for (const section of SECTIONS) {
    const a = side(current, shownCurrent, section.path);
    const b = side(previous, shownPrevious, section.path);
    if (deepEqual(a.raw, b.raw)) {
      said.push(section.path);
      continue;
    }
    const own = section.render(a, b, ctx);
    // A renderer that cannot say what differs (an item's mode bits, a reordered list) leaves it
    // to the generic lines, right here.
    if (own.length > 0) lines.push(...own);
    else genericLines(section.path, a, b, said, lines);
    said.push(section.path);
  }
  for (const path of [...NEXT_PATHS, []]) {
    genericLines(
      path,
      side(current, shownCurrent, path),
      side(previous, shownPrevious, path),
      said,
      lines,
    );
    said.push(path);
  }
  return lines;
}

export const NO_DIFFERENCE = 'No difference: the previous spec is the same as the current one.';

/** "env VERSION: 2 → 1"; a line whose two sides read the same (masked) says "(changed)". */
export function describeDiff(lines: DiffLine[]): string[] {
  if (lines.length === 0) return [NO_DIFFERENCE];
  return lines.map(
    ({ field, before, after }) =>
      `${field}: ${before} → ${after}${before === after ? ' (changed)' : ''}`,
  );
}
