import { formatBytes, formatCpus } from './bytes.js';
import {
  isSecretName,
  MASK,
  maskArgv,
  maskEnvEntry,
  maskText,
  maskValue,
  shownLabels,
} from './mask.js';
import { sanitizeLine, sanitizeLines } from './sanitize.js';

// The inspect view: an object's Engine JSON as an operator reads it. Two concerns live here and
// nowhere else: what is hidden (secret-looking env values, labels and driver options — masked
// unless --show-secrets) and what is inert (every key and value goes through the sanitizer, since
// names, labels, args and error texts are attacker-controlled and reach the terminal).

export interface InspectTextOptions {
  /** --show-secrets: env values, labels and driver options whose names look secret are shown. */
  revealSecrets: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Maps whose values are named by their keys: a label "db.password" or a log driver option
// "splunk-token" holds a secret as surely as an env variable does. (Not every object: in
// ContainerSpec.Secrets, "SecretName" is the reference's name, not the secret.)
const NAMED_VALUE_MAPS = new Set(['Labels', 'Options', 'DriverOpts']);

// Command lines: the argument after "--token" is as secret as the one in "--token=x".
const ARGV_KEYS = new Set(['Command', 'Args', 'Test']);

/**
 * A copy of `value` (Engine JSON) with secret-looking values masked; `key` is the name it sits
 * under. The copy has the same shape (same keys, same array lengths), so a path into the raw
 * tree finds the masked value at the same place in the copy.
 */
export function maskTree(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) {
    if (key === 'Env') {
      return value.map((entry) => (typeof entry === 'string' ? maskEnvEntry(entry) : entry));
    }
    if (ARGV_KEYS.has(key) && value.every((item) => typeof item === 'string')) {
      return maskArgv(value as string[]);
    }
    return value.map((item) => maskTree(item, ''));
  }
  if (!isObject(value)) return value;
  // Labels look the same here as in every other place that shows them.
  if (key === 'Labels' && Object.values(value).every((item) => typeof item === 'string')) {
    return shownLabels(value as Record<string, string>, false);
  }
  const out: Json = {};
  const named = NAMED_VALUE_MAPS.has(key);
  for (const [name, item] of Object.entries(value)) {
    out[name] = named && typeof item === 'string' ? maskValue(name, item) : maskTree(item, name);
  }
  return out;
}

// A config file's lines: "password: x" (YAML), "password = x" (INI, TOML), "\"password\": \"x\""
// (JSON) and "auth_token x;" (nginx-like directives) hide their value when the name looks
// secret; every line also goes through maskText (URLs, name=value pairs, flags).
const DATA_PAIR = /^(\s*["']?)([A-Za-z_][\w.-]*)(["']?\s*(?:[:=]\s*|\s+))(\S.*)$/;

/** A config's text as it may be shown: secret-looking values masked, line by line. */
export function maskConfigText(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const pair = DATA_PAIR.exec(line);
      if (pair !== null && isSecretName(pair[2]!)) return `${pair[1]}${pair[2]}${pair[3]}${MASK}`;
      return maskText(line);
    })
    .join('\n');
}

/** A config's Spec.Data (base64) as UTF-8 text; null when it is not text. */
export function decodeConfigData(base64: string): string | null {
  const bytes = Buffer.from(base64, 'base64');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.includes('\u0000') ? null : text;
  } catch {
    return null;
  }
}

/**
 * Spec.Data, which GET /configs returns (base64; a secret's is never returned): shown decoded,
 * its secret-looking values masked unless --show-secrets; data that is not text as its size only.
 */
function withDataShown(raw: Json, reveal: boolean): Json {
  const spec = raw['Spec'];
  if (!isObject(spec) || typeof spec['Data'] !== 'string') return raw;
  const text = decodeConfigData(spec['Data']);
  const data =
    text === null
      ? `(${Buffer.from(spec['Data'], 'base64').length} bytes, not text)`
      : reveal
        ? text
        : maskConfigText(text);
  return { ...raw, Spec: { ...spec, Data: data } };
}

function masked(raw: Json, options: InspectTextOptions): Json {
  const shown = withDataShown(raw, options.revealSecrets);
  return options.revealSecrets ? shown : (maskTree(shown, '') as Json);
}

// Status parts, in the order an operator looks for them after the spec. Whatever the engine
// sends beyond these follows in its own order, with the previous spec last (long, and only
// interesting next to the current one).
const STATUS_KEYS = [
  'DesiredState',
  'Status',
  'UpdateStatus',
  'ServiceStatus',
  'JobStatus',
  'ManagerStatus',
  'Description',
  'Endpoint',
];
const LAST_KEYS = ['PreviousSpec'];

function ordered(raw: Json): string[] {
  const keys = Object.keys(raw);
  // Which object this is comes before what it is: the ID is what an operator copies or greps.
  const head = ['ID', 'Version', 'Spec', ...STATUS_KEYS].filter((key) => key in raw);
  const tail = LAST_KEYS.filter((key) => key in raw);
  const rest = keys.filter((key) => !head.includes(key) && !tail.includes(key));
  return [...head, ...rest, ...tail];
}

const INDENT = '  ';

// Go durations in nanoseconds, as the engine sends them in update, restart and health configs.
const DURATION_KEYS = new Set([
  'Delay',
  'Monitor',
  'Window',
  'StopGracePeriod',
  'Interval',
  'Timeout',
  'StartPeriod',
  'StartInterval',
]);

function duration(ns: number): string {
  if (ns < 1e6) return `${Number((ns / 1e3).toFixed(1))} µs`;
  if (ns < 1e9) return `${Number((ns / 1e6).toFixed(1))} ms`;
  const seconds = ns / 1e9;
  if (seconds < 60) return `${Number(seconds.toFixed(3))} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** Engine sizes, CPU counts and durations are raw integers; the readable figure goes beside them. */
export function annotate(key: string, value: number): string {
  if (value > 0 && DURATION_KEYS.has(key)) return `${value} (${duration(value)})`;
  if (value > 0 && (key === 'MemoryBytes' || key.endsWith('Bytes'))) {
    return `${value} (${formatBytes(value)})`;
  }
  if (value > 0 && key === 'NanoCPUs') return `${value} (${formatCpus(value)} CPU)`;
  return String(value);
}

function scalar(key: string, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return annotate(key, value);
  if (typeof value === 'string') return value === '' ? '""' : sanitizeLine(value);
  return sanitizeLine(String(value));
}

/** `prefix` opens the first line ("Key: " or "- "); `indent` is the depth of what follows it. */
function render(value: unknown, key: string, prefix: string, indent: string, out: string[]): void {
  if (typeof value === 'string' && /[\n\r\u2028\u2029]/.test(value)) {
    // Multi-line strings (shell scripts in Args, long error texts) keep their lines, as YAML's |.
    out.push(`${prefix}|`);
    for (const line of sanitizeLines(value)) out.push(`${indent}${INDENT}${line}`);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${prefix}[]`);
      return;
    }
    out.push(prefix.trimEnd());
    for (const item of value)
      render(item, key, `${indent}${INDENT}- `, `${indent}${INDENT}  `, out);
    return;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) {
      out.push(`${prefix}{}`);
      return;
    }
    // An object that is an array item starts on the item's own line ("- Protocol: tcp").
    const inline = prefix.trimEnd().endsWith('-');
    if (!inline) out.push(prefix.trimEnd());
    const inner = inline ? indent : `${indent}${INDENT}`;
    entries.forEach(([name, item], index) => {
      const label = `${sanitizeLine(name)}: `;
      const first = inline && index === 0 ? prefix : inner;
      render(item, name, `${first}${label}`, inner, out);
    });
    return;
  }
  out.push(`${prefix}${scalar(key, value)}`);
}

/**
 * The object as readable YAML-like lines: keys indented, array items with "- ", the spec first,
 * then its status parts, then the rest. Every line is sanitized; secrets are masked unless
 * `revealSecrets`.
 */
export function inspectLines(raw: Record<string, unknown>, options: InspectTextOptions): string[] {
  const shown = masked(raw, options);
  const out: string[] = [];
  for (const key of ordered(shown)) render(shown[key], key, `${sanitizeLine(key)}: `, '', out);
  return out;
}

// JSON.stringify escapes C0 controls but not DEL, C1 controls or invisible/bidi characters:
// escape those too, so the copied text is still the exact spec but nothing in it acts on a
// terminal it is pasted into. Tag characters (U+E0000–E01EF: one surrogate pair each), variation
// selectors and the other invisible ones the sanitizer strips are escaped as well.
const JSON_UNSAFE =
  // eslint-disable-next-line no-misleading-character-class -- each invisible character is escaped alone on purpose
  /[\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\uddef]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * JSON text safe to print or paste: the same value once parsed, with every character that could
 * act on a terminal or hide in it written as a \\u escape (JSON.stringify escapes only C0).
 */
export function safeJson(value: unknown, indent = 2): string {
  // split(''): a tag character is two UTF-16 units, and JSON escapes them one by one.
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (chars) =>
    chars
      .split('')
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join(''),
  );
}

/** The Spec as pretty JSON (what "copy spec" puts on the clipboard), masked like the view. */
export function specText(raw: Record<string, unknown>, options: InspectTextOptions): string {
  const spec = masked(raw, options)['Spec'] ?? {};
  // A config's content never goes to the clipboard, --show-secrets or not.
  return safeJson(isObject(spec) && 'Data' in spec ? { ...spec, Data: MASK } : spec);
}
