import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import path from 'node:path';
import Dockerode from 'dockerode';
import { UsageError } from './errors.js';

// Endpoint resolution lives here and only here: contexts, ssh and failover will be added as more
// sources and kinds of Endpoint, so callers keep asking one function.

export interface TlsFiles {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Where an endpoint came from, so messages can say which setting to fix. */
export type EndpointSource = '--host' | 'DOCKER_HOST' | 'default';

export type Endpoint =
  | { kind: 'unix'; socketPath: string; label: string; source: EndpointSource }
  | {
      kind: 'tcp';
      host: string;
      port: number;
      /** null: plain HTTP. Verification of the server certificate is never turned off. */
      tls: TlsFiles | null;
      label: string;
      source: EndpointSource;
    };

export interface ResolveOptions {
  /** --host flags in the order given. */
  hosts: readonly string[];
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

const MAX_PORT = 65_535;

/** Every endpoint the user named (all --host flags, else DOCKER_HOST, else the local socket). */
export function resolveEndpoints(options: ResolveOptions): Endpoint[] {
  if (options.hosts.length > 0) {
    // All flags are checked now so a typo in a failover host is caught before it is needed.
    return options.hosts.map((value) => parseHost(value, '--host', options));
  }
  const fromEnv = options.env['DOCKER_HOST'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return [parseHost(fromEnv, 'DOCKER_HOST', options)];
  }
  return [unixEndpoint(DEFAULT_SOCKET, 'default')];
}

/** The endpoint to connect to first. */
export function resolveEndpoint(options: ResolveOptions): Endpoint {
  const [first] = resolveEndpoints(options);
  // resolveEndpoints always yields at least the default socket.
  return first!;
}

function unixEndpoint(socketPath: string, source: EndpointSource): Endpoint {
  return { kind: 'unix', socketPath, label: `unix://${socketPath}`, source };
}

function parseHost(raw: string, source: EndpointSource, options: ResolveOptions): Endpoint {
  const value = raw.trim();
  const named = source === '--host' ? `The --host value "${raw}"` : `DOCKER_HOST="${raw}"`;
  const example = 'use unix:///path/to/docker.sock or tcp://host:port';

  const schemeEnd = value.indexOf('://');
  if (schemeEnd <= 0) {
    throw new UsageError(`${named} is not a Docker endpoint URL; ${example}.`);
  }
  const scheme = value.slice(0, schemeEnd).toLowerCase();
  const rest = value.slice(schemeEnd + 3);

  switch (scheme) {
    case 'unix':
      // Like the docker CLI: everything after unix:// is the path, and none means the default.
      return unixEndpoint(rest === '' ? DEFAULT_SOCKET : rest, source);
    case 'tcp':
    case 'http':
      return tcpEndpoint(rest, named, source, options);
    case 'ssh':
      throw new UsageError(
        `${named} uses ssh://, and ssh:// endpoints are not supported yet; forward the socket: ssh -L /tmp/docker.sock:/var/run/docker.sock user@host, then use --host unix:///tmp/docker.sock.`,
      );
    case 'https':
      throw new UsageError(
        `${named} uses https://; use tcp://host:port with DOCKER_TLS_VERIFY=1 and the certificates in DOCKER_CERT_PATH instead.`,
      );
    default:
      throw new UsageError(`${named} has the unsupported scheme "${scheme}://"; ${example}.`);
  }
}

function tcpEndpoint(
  rest: string,
  named: string,
  source: EndpointSource,
  options: ResolveOptions,
): Endpoint {
  const example = 'use tcp://host:port, e.g. tcp://127.0.0.1:2375';
  if (rest === '') throw new UsageError(`${named} names no host; ${example}.`);

  let url: URL;
  try {
    url = new URL(`tcp://${rest}`);
  } catch {
    throw new UsageError(`${named} is not a valid address (check the host and port); ${example}.`);
  }
  if (url.hostname === '') throw new UsageError(`${named} names no host; ${example}.`);
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(
      `${named} contains credentials, which Docker endpoints do not take; ${example}.`,
    );
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    throw new UsageError(
      `${named} has a path or query, which smarm-top does not support; ${example}.`,
    );
  }

  const tls = readTls(options.env, options.homeDir);
  let port = tls === null ? 2375 : 2376;
  if (url.port !== '') {
    port = Number(url.port);
    if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) {
      throw new UsageError(
        `${named} has port ${url.port}, which is not between 1 and ${MAX_PORT}.`,
      );
    }
  }
  // URL keeps IPv6 hosts bracketed; sockets want them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { kind: 'tcp', host, port, tls, label: `tcp://${shownHost}:${port}`, source };
}

function readTls(env: NodeJS.ProcessEnv, homeDir: string): TlsFiles | null {
  const verify = env['DOCKER_TLS_VERIFY'];
  if (verify === undefined || verify === '') {
    if (env['DOCKER_TLS'] !== undefined && env['DOCKER_TLS'] !== '') {
      // The docker CLI would then use TLS without checking the server: we refuse rather than
      // silently connect unverified (or, worse, in plain text).
      throw new UsageError(
        'DOCKER_TLS is set without DOCKER_TLS_VERIFY, which would skip verifying the engine; set DOCKER_TLS_VERIFY=1 with ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH.',
      );
    }
    return null;
  }
  const certPath = env['DOCKER_CERT_PATH'] || path.join(homeDir, '.docker');
  const read = (name: string): Buffer => {
    const file = path.join(certPath, name);
    try {
      return readFileSync(file);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${String(code)})`;
      throw new UsageError(
        `DOCKER_TLS_VERIFY is set but the TLS file ${file} ${why}; put ca.pem, cert.pem and key.pem there or point DOCKER_CERT_PATH at their folder.`,
        { cause: err },
      );
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

// docker-modem reads these at construction even when we pass explicit options, and throws on a
// malformed DOCKER_HOST or unreadable DOCKER_CERT_PATH that the user may be overriding with --host.
const MODEM_ENV_KEYS = [
  'DOCKER_HOST',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'DOCKER_CLIENT_TIMEOUT',
  'DOCKER_PATH_PREFIX',
] as const;

function withoutModemEnv<T>(make: () => T): T {
  const saved = new Map<string, string>();
  for (const key of MODEM_ENV_KEYS) {
    const value = process.env[key];
    if (value !== undefined) {
      saved.set(key, value);
      delete process.env[key];
    }
  }
  try {
    return make();
  } finally {
    for (const [key, value] of saved) process.env[key] = value;
  }
}

/** A Dockerode client for exactly this endpoint, whatever the environment says. */
export function createDocker(endpoint: Endpoint, options: { agent?: Agent } = {}): Dockerode {
  // `timeout` stays unset on purpose: it is a socket idle timeout that kills quiet event and log
  // streams. Requests are bounded with AbortSignal.timeout() by the caller instead.
  const common = { timeout: undefined, agent: options.agent };
  const modemOptions =
    endpoint.kind === 'unix'
      ? { ...common, socketPath: endpoint.socketPath, host: undefined, protocol: 'http' as const }
      : {
          ...common,
          socketPath: undefined,
          host: endpoint.host,
          port: endpoint.port,
          protocol: endpoint.tls === null ? ('http' as const) : ('https' as const),
          ca: endpoint.tls?.ca,
          cert: endpoint.tls?.cert,
          key: endpoint.tls?.key,
        };
  // @types/dockerode lags docker-modem 5 (no `agent`), hence the widening cast.
  return withoutModemEnv(() => new Dockerode(modemOptions as Dockerode.DockerOptions));
}
