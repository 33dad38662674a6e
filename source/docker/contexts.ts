import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { lazyCrypto } from './lazy-builtins.js';

// The docker CLI's context store, read the way the docker CLI reads it (docker/cli
// cli/command/cli.go resolveContextName, cli/context/store, cli/context/docker/load.go), so that
// `docker context use prod` means the same engine for smarm-top. Read-only: contexts are made
// and changed with `docker context create/update/use`, never here.

/** A TLS endpoint's files, read from a context's tls/ folder or from DOCKER_CERT_PATH. */
export interface TlsFiles {
  /** The only CA trusted for the engine's certificate; null: the system's CAs. */
  ca: Buffer | null;
  /** The client certificate and its key: both or neither. */
  cert: Buffer | null;
  key: Buffer | null;
}

/** The virtual context that stands for --host / DOCKER_HOST / the local socket. */
export const DEFAULT_CONTEXT = 'default';

/** Which setting named the context, so a message can say what to change. */
export type ContextOrigin = '--context' | 'DOCKER_CONTEXT' | 'currentContext' | 'default';

export interface ContextChoice {
  name: string;
  origin: ContextOrigin;
  /** The docker CLI config folder: $DOCKER_CONFIG, else ~/.docker. */
  configDir: string;
}

export interface ContextChoiceInput {
  /** The --context flag; undefined when not given. */
  flag: string | undefined;
  /** Whether any --host flag was given. */
  hasHosts: boolean;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

/** A stored context's docker endpoint, as the context store holds it. */
export interface StoredContext {
  name: string;
  /** The endpoint URL as stored; '' when the context names none (the docker CLI then uses the local socket). */
  host: string;
  skipTlsVerify: boolean;
  /** null: the context has no TLS folder, and the docker CLI then connects without TLS. */
  tls: TlsFiles | null;
  /** The meta.json it was read from, for messages. */
  metaFile: string;
  /** The folder its TLS files live in (whether or not it exists), for messages. */
  tlsDir: string;
}

/** $DOCKER_CONFIG, else ~/.docker: where the docker CLI keeps config.json and its contexts. */
export function dockerConfigDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  const fromEnv = env['DOCKER_CONFIG'];
  return fromEnv !== undefined && fromEnv.trim() !== ''
    ? path.resolve(fromEnv.trim())
    : path.join(homeDir, '.docker');
}

/**
 * The context the docker CLI would use, in its order: --context, then "default" when --host or
 * DOCKER_HOST is set, then DOCKER_CONTEXT, then currentContext in config.json, then "default".
 * config.json is read only when nothing before it decided.
 */
export function chooseContext(input: ContextChoiceInput): ContextChoice {
  const configDir = dockerConfigDir(input.env, input.homeDir);
  const choice = (name: string, origin: ContextOrigin): ContextChoice => ({
    name,
    origin,
    configDir,
  });
  if (input.flag !== undefined) return choice(input.flag.trim(), '--context');
  if (input.hasHosts || nonEmpty(input.env['DOCKER_HOST'])) {
    return choice(DEFAULT_CONTEXT, 'default');
  }
  const fromEnv = input.env['DOCKER_CONTEXT'];
  if (nonEmpty(fromEnv)) return choice(fromEnv.trim(), 'DOCKER_CONTEXT');
  const current = readCurrentContext(configDir);
  if (current !== null) return choice(current, 'currentContext');
  return choice(DEFAULT_CONTEXT, 'default');
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** What a message calls the setting that chose the context. */
export function describeChoice(choice: ContextChoice): string {
  switch (choice.origin) {
    case '--context':
      return 'from --context';
    case 'DOCKER_CONTEXT':
      return 'from DOCKER_CONTEXT';
    case 'currentContext':
      return `the current context in ${path.join(choice.configDir, 'config.json')}`;
    case 'default':
      return 'the default';
  }
}

/** What to do about a context that does not exist, by the setting that named it. */
function unknownContextFix(choice: ContextChoice): string {
  switch (choice.origin) {
    case 'DOCKER_CONTEXT':
      return 'unset DOCKER_CONTEXT or see docker context ls for the names';
    case 'currentContext':
      return 'run docker context use default, or see docker context ls for the names';
    default:
      return 'see docker context ls for the names';
  }
}

/** currentContext from config.json; null when the file or the field is absent or empty. */
function readCurrentContext(configDir: string): string | null {
  const file = path.join(configDir, 'config.json');
  const text = readOptional(file, `The docker CLI config file ${file}`);
  if (text === null) return null;
  // The docker CLI only warns about a broken config.json and carries on with the local socket;
  // connecting to an engine the user did not choose is worse than stopping here.
  const fix = 'fix it, or choose the engine with --host or --context';
  const config = parseJsonObject(text);
  if (config === null) throw new UsageError(`${file} is not a valid JSON object; ${fix}.`);
  const current = field(config, 'currentContext') ?? '';
  if (typeof current !== 'string') {
    throw new UsageError(`currentContext in ${file} is not a string; ${fix}.`);
  }
  return current.trim() === '' ? null : current.trim();
}

/** The context store's folder name for a context: the SHA-256 of its name, in hex. */
export function contextDirName(name: string): string {
  return lazyCrypto().createHash('sha256').update(name).digest('hex');
}

/** A stored context's docker endpoint and TLS files; one-sentence UsageErrors otherwise. */
export function readContext(choice: ContextChoice): StoredContext {
  const { name, configDir } = choice;
  const id = contextDirName(name);
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');

  const text = readOptional(metaFile, `The file ${metaFile} of context "${name}"`);
  if (text === null) {
    throw new UsageError(
      `Context "${name}" (${describeChoice(choice)}) was not found among the docker CLI contexts in ${path.join(configDir, 'contexts')} (there is no meta/${id}/meta.json); ${unknownContextFix(choice)}.`,
    );
  }
  const malformed = (what: string): UsageError =>
    new UsageError(
      `Context "${name}" is malformed: ${metaFile} ${what}; recreate it with docker context create, or choose another with --context.`,
    );
  const meta = parseJsonObject(text);
  if (meta === null) throw malformed('is not a valid JSON object');
  const endpoints = field(meta, 'Endpoints');
  // A map key, which Go matches exactly (unlike struct fields).
  const docker =
    isObject(endpoints) && Object.hasOwn(endpoints, 'docker') ? endpoints['docker'] : undefined;
  if (!isObject(docker)) throw malformed('has no docker endpoint (Endpoints.docker)');
  const host = field(docker, 'Host') ?? '';
  if (typeof host !== 'string') throw malformed('has a Host that is not a string');
  const skipTlsVerify = field(docker, 'SkipTLSVerify') ?? false;
  if (typeof skipTlsVerify !== 'boolean') {
    throw malformed('has a SkipTLSVerify that is neither true nor false');
  }
  const tls = readContextTls(name, tlsDir);
  return { name, host: host.trim(), skipTlsVerify, tls, metaFile, tlsDir };
}

/**
 * The context's TLS files. Like the docker CLI: no folder means no TLS; a folder means TLS, with
 * its ca.pem as the only trusted CA if present (else the system's CAs), and cert.pem + key.pem as
 * the client certificate. Verification of the engine is on in every case.
 */
function readContextTls(name: string, tlsDir: string): TlsFiles | null {
  try {
    readdirSync(tlsDir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw new UsageError(
      `The TLS folder ${tlsDir} of context "${name}" cannot be read (${errorCode(err)}); check its permissions.`,
      { cause: err },
    );
  }
  const read = (file: string): Buffer | null => {
    const full = path.join(tlsDir, file);
    return readOptional(full, `The TLS file ${full} of context "${name}"`, 'buffer');
  };
  const tls = { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
  // The docker CLI silently drops half a client certificate and the engine then refuses with a
  // vaguer error, so the missing half is named here instead.
  const missing = halfMissing(tls);
  if (missing !== null) {
    throw new UsageError(
      `Context "${name}" has a client certificate without its other half: the TLS file ${path.join(tlsDir, missing)} does not exist; recreate the context with both cert= and key= (docker context update ${name} --docker ...).`,
    );
  }
  return tls;
}

/** The missing file of a client certificate given by only one of cert.pem and key.pem. */
function halfMissing(tls: TlsFiles): 'cert.pem' | 'key.pem' | null {
  if (tls.cert !== null && tls.key === null) return 'key.pem';
  if (tls.key !== null && tls.cert === null) return 'cert.pem';
  return null;
}

/** The file's content, or null when it does not exist; a one-sentence UsageError otherwise. */
function readOptional(file: string, named: string): string | null;
function readOptional(file: string, named: string, as: 'buffer'): Buffer | null;
function readOptional(
  file: string,
  named: string,
  as: 'text' | 'buffer' = 'text',
): string | Buffer | null {
  try {
    return as === 'buffer' ? readFileSync(file) : readFileSync(file, 'utf8');
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR')
      throw new UsageError(`${named} is a folder, not a file.`, { cause: err });
    throw new UsageError(`${named} cannot be read (${code}); check its permissions.`, {
      cause: err,
    });
  }
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's encoding/json matches keys exactly first, then ignoring case: the docker CLI reads so. */
function field(object: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  const match = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return match === undefined ? undefined : object[match];
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}
