// The optional config file. It is validated strictly: a misspelt "readonly" silently ignored would
// leave an operator believing smarm-top cannot change their swarm.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './docker/errors.js';

export interface Config {
  /** Refuse every mutation (scale, rollback, drain, …). */
  readOnly: boolean;
  /** The largest replica count the scale dialog accepts, against fat-fingered extra zeros. */
  scaleCeiling: number;
  /** Log lines kept by the logs view (a ring buffer: memory stays flat). */
  logBufferLines: number;
}

export const DEFAULT_CONFIG: Readonly<Config> = {
  readOnly: false,
  scaleCeiling: 1000,
  logBufferLines: 10_000,
};

const SCALE_CEILING_MAX = 100_000;
const LOG_BUFFER_MIN = 100;
const LOG_BUFFER_MAX = 1_000_000;

/** $XDG_CONFIG_HOME/smarm-top/config.json, else ~/.config/smarm-top/config.json. */
export function defaultConfigPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  // The XDG spec says a relative value is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const base =
    xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.config');
  return path.join(base, 'smarm-top', 'config.json');
}

type Validator = (value: unknown) => boolean;

// Each known key: how to check it, and the sentence ending when the check fails.
const SETTINGS: Record<keyof Config, { valid: Validator; rule: string }> = {
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
};

function isKnown(key: string): key is keyof Config {
  return Object.hasOwn(SETTINGS, key);
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') return null;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : err instanceof Error
            ? err.message
            : String(err);
    throw new UsageError(`Could not read the config file ${file}: ${why}.`, { cause: err });
  }
}

/** Parses and checks config text; `file` is only used in the messages. */
export function parseConfig(text: string, file: string): Config {
  // An empty file is what `touch` leaves behind; it asks for nothing, so it means the defaults.
  if (text.trim() === '') return { ...DEFAULT_CONFIG };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${file} is not valid JSON (${detail}).`, { cause: err });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${file} must hold a JSON object, like {"readOnly": true}.`);
  }
  const config: Config = { ...DEFAULT_CONFIG };
  const names = Object.keys(SETTINGS).map((k) => `"${k}"`);
  const known = `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
  for (const [key, value] of Object.entries(data)) {
    if (!isKnown(key)) {
      throw new UsageError(`${file}: "${key}" is not a setting; the settings are ${known}.`);
    }
    const setting = SETTINGS[key];
    if (!setting.valid(value)) throw new UsageError(`${file}: "${key}" ${setting.rule}.`);
    // The validator has checked the type for this key.
    (config as unknown as Record<string, unknown>)[key] = value;
  }
  return config;
}

/** The config file's settings over the defaults; a missing file means the defaults. */
export function loadConfig(env: NodeJS.ProcessEnv, homeDir: string): Config {
  const file = defaultConfigPath(env, homeDir);
  const text = readText(file);
  return text === null ? { ...DEFAULT_CONFIG } : parseConfig(text, file);
}
