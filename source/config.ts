// The optional config file. It is validated strictly: a misspelt "readonly" silently ignored would
// leave an operator believing smarm-top cannot change their swarm.
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { isThemeName, THEME_NAMES, type ThemeName } from './format/palette.js';
import { smarmTopFolder } from './xdg.js';
import { endpointKey, keyMatches, type Endpoint } from './docker/connection.js';
import { UsageError } from './docker/errors.js';
import { remapKeys } from './state/key-remap.js';
import { KEY_BINDINGS } from './state/keymap.js';
import { errorText } from './format/error-text.js';

/** Settings for one endpoint, named by its URL or its docker context. */
export interface EndpointSettings {
  readOnly: boolean;
}

export interface Config {
  /** Refuse every mutation (scale, rollback, drain, …). */
  readOnly: boolean;
  /** The largest replica count the scale dialog accepts, against fat-fingered extra zeros. */
  scaleCeiling: number;
  /** Log lines kept by the logs view (a ring buffer: memory stays flat). */
  logBufferLines: number;
  /** Bytes the logs view keeps at most (text as UTF-16 plus a per-line overhead); oldest go first. */
  logBufferBytes: number;
  /** Colours; --theme and --no-color / NO_COLOR win over it. */
  theme: ThemeName;
  /** Task and service refresh interval; --refresh wins over it. */
  refreshSeconds: number;
  /** Per endpoint URL (as given or as the header shows it) or docker context name. */
  endpoints: Readonly<Record<string, EndpointSettings>>;
  /** Command name → its key or keys, replacing the default keys (checked by remapKeys). */
  keys: Readonly<Record<string, string | readonly string[]>>;
  /** The interactive app records what it sees (docs/recording.md); false: it does not. */
  record: boolean;
  /** A recording's size bound: its oldest segments go first (a ring). */
  recordMaxBytes: number;
  /** The stats probe's image (issue 15); --probe-image wins over it. */
  probeImage: string;
  /** Each node's engine socket for the probe; --probe-socket wins over it. */
  probeSocket: string;
}

export const DEFAULT_CONFIG: Readonly<Config> = {
  readOnly: false,
  scaleCeiling: 1000,
  logBufferLines: 10_000,
  logBufferBytes: 64 * 1024 * 1024,
  theme: 'dark',
  refreshSeconds: 2,
  endpoints: {},
  keys: {},
  record: true,
  recordMaxBytes: 200 * 1024 * 1024,
  probeImage: 'smarm-top',
  probeSocket: '/var/run/docker.sock',
};

const SCALE_CEILING_MAX = 100_000;
const LOG_BUFFER_MIN = 100;
const LOG_BUFFER_MAX = 1_000_000;
const LOG_BYTES_MIN = 1024 * 1024;
// A heap this size is far below Node's default limit on a 64-bit machine.
const LOG_BYTES_MAX = 1024 * 1024 * 1024;
const RECORD_BYTES_MIN = 1024 * 1024;
const RECORD_BYTES_MAX = 64 * 1024 * 1024 * 1024;
/** The bounds of --refresh and "refreshSeconds" alike. */
export const REFRESH_MIN_SECONDS = 0.5;
export const REFRESH_MAX_SECONDS = 3600;

export function isRefreshSeconds(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= REFRESH_MIN_SECONDS &&
    value <= REFRESH_MAX_SECONDS
  );
}

/** $XDG_CONFIG_HOME/smarm-top/config.json, else ~/.config/smarm-top/config.json. */
export function defaultConfigPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  return path.join(smarmTopFolder(env, 'XDG_CONFIG_HOME', homeDir, '.config'), 'config.json');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quotedList(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}

// A docker context name (as `docker context create` accepts), a socket path, or an endpoint URL.
const CONTEXT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;
const ENDPOINT_URL = /^(?:unix|tcp|ssh):\/\/\S+$/i;

function endpointSettings(file: string, name: string, value: unknown): EndpointSettings {
  const where = `${file}: "endpoints" › "${name}"`;
  if (!(ENDPOINT_URL.test(name) || CONTEXT_NAME.test(name) || path.isAbsolute(name))) {
    throw new UsageError(
      `${where} is neither an endpoint URL (unix://, tcp://, ssh://) nor a docker context name.`,
    );
  }
  if (!isObject(value))
    throw new UsageError(`${where} must be an object, like {"readOnly": true}.`);
  for (const [key, setting] of Object.entries(value)) {
    if (key !== 'readOnly') {
      throw new UsageError(
        `${where}: "${key}" is not an endpoint setting; the only one is "readOnly".`,
      );
    }
    if (typeof setting !== 'boolean') {
      throw new UsageError(`${where}: "readOnly" must be true or false.`);
    }
  }
  return { readOnly: value['readOnly'] === true };
}

function endpointsSetting(file: string, value: unknown): Config['endpoints'] {
  if (!isObject(value)) {
    throw new UsageError(
      `${file}: "endpoints" must be an object of endpoints, like {"prod": {"readOnly": true}}.`,
    );
  }
  const out: Record<string, EndpointSettings> = {};
  for (const [name, settings] of Object.entries(value)) {
    out[name] = endpointSettings(file, name, settings);
  }
  return out;
}

function keysSetting(file: string, value: unknown): Config['keys'] {
  if (!isObject(value)) {
    throw new UsageError(
      `${file}: "keys" must be an object of command names, like {"logs": "ctrl+l"}.`,
    );
  }
  const keys = value as Config['keys'];
  try {
    // Checked now, as a whole table, so a bad remapping stops the program before it connects.
    remapKeys(KEY_BINDINGS, keys);
  } catch (err) {
    if (err instanceof UsageError) {
      throw new UsageError(`${file}: "keys": ${err.message}`, { cause: err });
    }
    throw err;
  }
  return keys;
}

type Rule = { valid: (value: unknown) => boolean; rule: string };
type Parsed<K extends keyof Config> = (file: string, value: unknown) => Config[K];

// Each known key: a simple rule (checked, then taken as it is), or its own parser.
const SETTINGS: { [K in keyof Config]: Rule | Parsed<K> } = {
  readOnly: { valid: (v) => typeof v === 'boolean', rule: 'must be true or false' },
  scaleCeiling: {
    valid: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= SCALE_CEILING_MAX,
    rule: `must be a whole number from 1 to ${SCALE_CEILING_MAX}`,
  },
  logBufferLines: {
    valid: (v) =>
      Number.isInteger(v) && (v as number) >= LOG_BUFFER_MIN && (v as number) <= LOG_BUFFER_MAX,
    rule: `must be a whole number from ${LOG_BUFFER_MIN} to ${LOG_BUFFER_MAX}`,
  },
  logBufferBytes: {
    valid: (v) =>
      Number.isInteger(v) && (v as number) >= LOG_BYTES_MIN && (v as number) <= LOG_BYTES_MAX,
    rule: `must be a whole number of bytes from ${LOG_BYTES_MIN} (1 MiB) to ${LOG_BYTES_MAX} (1 GiB)`,
  },
  theme: {
    valid: isThemeName,
    rule: `must be ${THEME_NAMES.slice(0, -1)
      .map((n) => `"${n}"`)
      .join(', ')} or "${THEME_NAMES.at(-1) ?? ''}"`,
  },
  refreshSeconds: {
    valid: isRefreshSeconds,
    rule: `must be a number of seconds from ${REFRESH_MIN_SECONDS} to ${REFRESH_MAX_SECONDS}`,
  },
  endpoints: endpointsSetting,
  keys: keysSetting,
  record: { valid: (v) => typeof v === 'boolean', rule: 'must be true or false' },
  recordMaxBytes: {
    valid: (v) =>
      Number.isInteger(v) && (v as number) >= RECORD_BYTES_MIN && (v as number) <= RECORD_BYTES_MAX,
    rule: `must be a whole number of bytes from ${RECORD_BYTES_MIN} (1 MiB) to ${RECORD_BYTES_MAX} (64 GiB)`,
  },
  probeImage: { valid: isImageName, rule: 'must be an image name, like "smarm-top:0.1.0"' },
  probeSocket: {
    valid: isSocketPath,
    rule: 'must be an absolute path, like "/var/run/docker.sock"',
  },
};

/** A node's socket path: absolute, printable (a swarm template such as {{.Node.Hostname}} allowed). */
export function isSocketPath(value: unknown): value is string {
  return typeof value === 'string' && /^\/[\x21-\x7e]{1,1023}$/.test(value);
}

/** An image reference: no spaces or control characters, not empty, not absurdly long. */
export function isImageName(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/.test(value);
}

function isKnown(key: string): key is keyof Config {
  return Object.hasOwn(SETTINGS, key);
}

/** Larger than any config could need: a bigger file is a mistake (or /dev/zero), not settings. */
export const CONFIG_MAX_BYTES = 1024 * 1024;

function readError(file: string, err: unknown): UsageError {
  const code = (err as { code?: unknown }).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'it is a folder'
        : err instanceof Error
          ? err.message
          : String(err);
  return new UsageError(`Could not read the config file ${file}: ${why}.`, { cause: err });
}

/**
 * The file's text; null when there is none. Checked on the opened descriptor (no race with a
 * swap of the path) and read no further than the limit, so a FIFO or /dev/zero cannot hang or
 * fill memory before the message.
 */
function readText(file: string): string | null {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait for one.
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw readError(file, err);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw readError(file, Object.assign(new Error(''), { code: 'EISDIR' }));
    if (!stat.isFile()) {
      throw new UsageError(
        `The config file ${file} is not a regular file; make it one (a JSON object, like {"readOnly": true}).`,
      );
    }
    if (stat.size > CONFIG_MAX_BYTES) {
      throw new UsageError(
        `The config file ${file} is ${stat.size} bytes, over the limit of ${CONFIG_MAX_BYTES} (1 MB); a config holds a few settings.`,
      );
    }
    // One byte past the limit tells a file that grew after the fstat.
    const buffer = Buffer.alloc(CONFIG_MAX_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > CONFIG_MAX_BYTES) {
        throw new UsageError(
          `The config file ${file} is over the limit of ${CONFIG_MAX_BYTES} bytes (1 MB); a config holds a few settings.`,
        );
      }
    }
    return buffer.toString('utf8', 0, length);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw readError(file, err);
  } finally {
    closeSync(fd);
  }
}

/**
 * The first key that appears twice in one object of valid JSON text, with its path; null if none.
 * JSON.parse keeps the last of them silently, so {"readOnly": true, …, "readOnly": false} would
 * not be read-only.
 */
export function duplicateKey(text: string): string | null {
  interface Frame {
    object: boolean;
    keys: Set<string>;
    expectKey: boolean;
    path: string;
    lastKey: string;
  }
  const stack: Frame[] = [];
  const token = /"(?:[^"\\]|\\.)*"|[{}[\],:]|[^\s{}[\],:"]+/g;
  for (let match = token.exec(text); match !== null; match = token.exec(text)) {
    const t = match[0];
    const top = stack.at(-1);
    if (t === '{' || t === '[') {
      const path =
        top === undefined ? '' : top.object ? `${top.path}"${top.lastKey}" › ` : top.path;
      stack.push({ object: t === '{', keys: new Set(), expectKey: t === '{', path, lastKey: '' });
    } else if (t === '}' || t === ']') {
      stack.pop();
    } else if (t === ',') {
      if (top?.object === true) top.expectKey = true;
    } else if (t === ':') {
      if (top !== undefined) top.expectKey = false;
    } else if (top?.object === true && top.expectKey && t.startsWith('"')) {
      const key = JSON.parse(t) as string;
      if (top.keys.has(key)) return `${top.path}"${key}"`;
      top.keys.add(key);
      top.lastKey = key;
    }
  }
  return null;
}

/** Parses and checks config text; `file` is only used in the messages. */
export function parseConfig(text: string, file: string): Config {
  // An empty file is what `touch` leaves behind; it asks for nothing, so it means the defaults.
  if (text.trim() === '') return { ...DEFAULT_CONFIG };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const detail = errorText(err);
    throw new UsageError(`${file} is not valid JSON (${detail}).`, { cause: err });
  }
  const duplicate = duplicateKey(text);
  if (duplicate !== null) {
    throw new UsageError(
      `${file}: the key ${duplicate} appears twice in one object; keep only the one you mean.`,
    );
  }
  if (!isObject(data)) {
    throw new UsageError(`${file} must hold a JSON object, like {"readOnly": true}.`);
  }
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(data)) {
    if (!isKnown(key)) {
      throw new UsageError(
        `${file}: "${key}" is not a setting; the settings are ${quotedList(Object.keys(SETTINGS))}.`,
      );
    }
    const setting = SETTINGS[key];
    if (typeof setting === 'function') {
      config[key] = setting(file, value);
    } else if (setting.valid(value)) {
      config[key] = value;
    } else {
      throw new UsageError(`${file}: "${key}" ${setting.rule}.`);
    }
  }
  // Every key was checked against its own rule above.
  return config as unknown as Config;
}

/** The config file's settings over the defaults; a missing file means the defaults. */
export function loadConfig(env: NodeJS.ProcessEnv, homeDir: string): Config {
  const file = defaultConfigPath(env, homeDir);
  const text = readText(file);
  return text === null ? { ...DEFAULT_CONFIG } : parseConfig(text, file);
}

/** An endpoint in use, with the text it was given as (--host, DOCKER_HOST) when there was one. */
export interface EndpointInUse {
  endpoint: Endpoint;
  given?: string | undefined;
}

/**
 * The names an endpoint in use goes by in the "endpoints" setting besides its URL: its URL as
 * smarm-top shows it (and the socket path alone), the text it was given as, and its context.
 */
export function endpointNames(endpoint: Endpoint, given?: string): string[] {
  const names = [endpoint.label];
  if (endpoint.kind === 'unix') names.push(endpoint.socketPath);
  if (given !== undefined) names.push(given.trim());
  if (endpoint.source.startsWith('context ')) names.push(endpoint.source.slice('context '.length));
  // "tcp://host:2375/" and "tcp://host:2375" are the same endpoint.
  return names.map((n) => n.replace(/\/+$/, ''));
}

/**
 * Whether a config entry names this endpoint. URLs are compared parsed (scheme and host case,
 * default ports, a missing user matching any): a read-only entry must not be dodged by spelling
 * the same endpoint another way. Context names and socket paths match by their text.
 */
export function entryMatches(name: string, use: EndpointInUse): boolean {
  const key = endpointKey(name);
  if (key !== null && keyMatches(key, use.endpoint)) return true;
  const text = name.replace(/\/+$/, '');
  return endpointNames(use.endpoint, use.given).includes(text);
}

/** Whether the file makes any of the endpoints in use read-only. */
export function endpointsReadOnly(config: Config, inUse: readonly EndpointInUse[]): boolean {
  return Object.entries(config.endpoints).some(
    ([name, settings]) => settings.readOnly && inUse.some((use) => entryMatches(name, use)),
  );
}

/** The "endpoints" entries that name none of the endpoints in use (reported at start: a typo?). */
export function unmatchedEndpoints(config: Config, inUse: readonly EndpointInUse[]): string[] {
  return Object.keys(config.endpoints).filter(
    (name) => !inUse.some((use) => entryMatches(name, use)),
  );
}
