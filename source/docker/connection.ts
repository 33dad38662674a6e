import { existsSync, readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { isIPv6 } from 'node:net';
import path from 'node:path';
import Dockerode from 'dockerode';
import {
  chooseContext,
  DEFAULT_CONTEXT,
  readContext,
  type StoredContext,
  type TlsFiles,
} from './contexts.js';
import { SmarmError, UsageError } from './errors.js';
import { defaultTrustedCas } from './extra-ca.js';

// Endpoint resolution lives here and only here (contexts are read in contexts.ts): callers ask
// one function, whatever the source and kind of the endpoint.

/** Where an endpoint came from, so messages can say which setting to fix. */
export type EndpointSource = '--host' | 'DOCKER_HOST' | `context ${string}` | 'default';

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
    }
  | {
      kind: 'ssh';
      /** null: ssh's own default (the local user name). */
      user: string | null;
      /** Bare, also for IPv6 (no brackets). */
      host: string;
      /** null: ssh's own default (22). */
      port: number | null;
      label: string;
      source: EndpointSource;
    };

export interface ResolveOptions {
  /** --host flags in the order given. */
  hosts: readonly string[];
  /** The --context flag; undefined when not given. */
  context?: string | undefined;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

const MAX_PORT = 65_535;

/**
 * Every endpoint the user named, chosen as the docker CLI chooses: --context, else all --host
 * flags, else DOCKER_HOST, else DOCKER_CONTEXT, else the current context of the docker CLI,
 * else the local socket. The context "default" stands for the --host / DOCKER_HOST / socket part.
 */
export function resolveEndpoints(options: ResolveOptions): Endpoint[] {
  checkContextFlag(options);
  const choice = chooseContext({
    flag: options.context,
    hasHosts: options.hosts.length > 0,
    env: options.env,
    homeDir: options.homeDir,
  });
  if (choice.name === DEFAULT_CONTEXT) return defaultEndpoints(options);
  return [contextEndpoint(readContext(choice))];
}

/** The endpoint to connect to first. */
export function resolveEndpoint(options: ResolveOptions): Endpoint {
  const [first] = resolveEndpoints(options);
  // resolveEndpoints always yields at least the default socket.
  return first!;
}

function checkContextFlag(options: ResolveOptions): void {
  if (options.context === undefined) return;
  if (options.context.trim() === '') {
    throw new UsageError('--context needs a context name; see docker context ls for the names.');
  }
  if (options.hosts.length > 0) {
    // The docker CLI refuses this pair too: which one was meant cannot be known.
    throw new UsageError('--host and --context cannot be used together; give only one of them.');
  }
}

/** How a host value is named in messages, where it came from, and its TLS settings. */
interface HostSetting {
  named: string;
  source: EndpointSource;
  /** Asked only for tcp endpoints: TLS files mean nothing to sockets and ssh. */
  tls: () => TlsFiles | null;
}

/** The "default" context: every --host flag, else DOCKER_HOST, else the local socket. */
function defaultEndpoints(options: ResolveOptions): Endpoint[] {
  const tls = (): TlsFiles | null => readEnvTls(options.env, options.homeDir);
  if (options.hosts.length > 0) {
    // All flags are checked now so a typo in a failover host is caught before it is needed.
    return options.hosts.map((value) =>
      parseHost(value, { named: `The --host value "${value}"`, source: '--host', tls }),
    );
  }
  const fromEnv = options.env['DOCKER_HOST'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return [parseHost(fromEnv, { named: `DOCKER_HOST="${fromEnv}"`, source: 'DOCKER_HOST', tls })];
  }
  return [unixEndpoint(DEFAULT_SOCKET, 'default')];
}

function contextEndpoint(context: StoredContext): Endpoint {
  const source: EndpointSource = `context ${context.name}`;
  // A context without a host is the local socket to the docker CLI.
  if (context.host === '') return unixEndpoint(DEFAULT_SOCKET, source);
  return parseHost(context.host, {
    named: `The docker endpoint "${context.host}" of context "${context.name}" (${context.metaFile})`,
    source,
    tls: () => contextTls(context),
  });
}

function contextTls(context: StoredContext): TlsFiles | null {
  if (context.skipTlsVerify) {
    // The docker CLI would connect without checking who answers; we never do.
    throw new UsageError(
      `Context "${context.name}" sets SkipTLSVerify, but smarm-top never turns off verification of the engine's certificate; give the context the engine's CA instead (docker context update ${context.name} --docker "host=${context.host},ca=ca.pem,cert=cert.pem,key=key.pem" leaves skip-tls-verify off).`,
    );
  }
  return context.tls;
}

function unixEndpoint(socketPath: string, source: EndpointSource): Endpoint {
  return { kind: 'unix', socketPath, label: `unix://${socketPath}`, source };
}

function parseHost(raw: string, setting: HostSetting): Endpoint {
  const value = raw.trim();
  const { named } = setting;
  const example = 'use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host';

  const schemeEnd = value.indexOf('://');
  if (schemeEnd <= 0) {
    throw new UsageError(`${named} is not a Docker endpoint URL; ${example}.`);
  }
  const scheme = value.slice(0, schemeEnd).toLowerCase();
  const rest = value.slice(schemeEnd + 3);

  switch (scheme) {
    case 'unix':
      // Like the docker CLI: everything after unix:// is the path, and none means the default.
      return unixEndpoint(rest === '' ? DEFAULT_SOCKET : rest, setting.source);
    case 'tcp':
    case 'http':
      return tcpEndpoint(rest, setting);
    case 'ssh':
      return sshEndpoint(rest, setting);
    case 'https':
      throw new UsageError(
        `${named} uses https://; use tcp://host:port with DOCKER_TLS_VERIFY=1 and the certificates in DOCKER_CERT_PATH instead.`,
      );
    default:
      throw new UsageError(`${named} has the unsupported scheme "${scheme}://"; ${example}.`);
  }
}

function tcpEndpoint(rest: string, setting: HostSetting): Endpoint {
  const { named } = setting;
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

  const tls = setting.tls();
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
  // The scheme says TLS on screen: tcp://host:2376 alone would not tell it from plain HTTP.
  const label = `${tls === null ? 'tcp' : 'tcp+tls'}://${bracketed(host)}:${port}`;
  return { kind: 'tcp', host, port, tls, label, source: setting.source };
}

/** A tcp:// or ssh:// endpoint as the config file's "endpoints" compares it: spelling aside. */
export interface EndpointKey {
  kind: 'tcp' | 'ssh';
  /** Lowercase, IPv6 without brackets. */
  host: string;
  /** null: not given, i.e. the default (tcp 2375, or 2376 with TLS; ssh 22). */
  port: number | null;
  /** null: not given, which matches any user. */
  user: string | null;
  /** Written tcp+tls://: it names only a TLS endpoint (and defaults to 2376). */
  tls: boolean;
}

/**
 * The key of an endpoint URL (tcp://, tcp+tls://, http://, ssh://); null for anything else (a
 * socket, a context name) or a URL that does not parse, which then matches by its text only.
 */
export function endpointKey(text: string): EndpointKey | null {
  const value = text.trim();
  const schemeEnd = value.indexOf('://');
  if (schemeEnd <= 0) return null;
  const scheme = value.slice(0, schemeEnd).toLowerCase();
  const rest = value.slice(schemeEnd + 3);
  const setting: HostSetting = { named: value, source: 'default', tls: () => null };
  try {
    if (scheme === 'ssh') {
      const ssh = sshEndpoint(rest, setting);
      if (ssh.kind !== 'ssh') return null;
      return {
        kind: 'ssh',
        host: ssh.host.toLowerCase(),
        port: ssh.port,
        user: ssh.user,
        tls: false,
      };
    }
    if (scheme === 'tcp' || scheme === 'http' || scheme === 'tcp+tls') {
      const tcp = tcpEndpoint(rest, setting);
      if (tcp.kind !== 'tcp') return null;
      // tcpEndpoint fills in a default port; only a written one counts here.
      const explicit = /:\d+\/?$/.test(rest);
      return {
        kind: 'tcp',
        host: tcp.host.toLowerCase(),
        port: explicit ? tcp.port : null,
        user: null,
        tls: scheme === 'tcp+tls',
      };
    }
  } catch (err) {
    if (err instanceof UsageError) return null;
    throw err;
  }
  return null;
}

/** Whether a config entry's key names this endpoint, default ports filled in on both sides. */
export function keyMatches(key: EndpointKey, endpoint: Endpoint): boolean {
  if (endpoint.kind !== key.kind || endpoint.host.toLowerCase() !== key.host) return false;
  if (endpoint.kind === 'tcp') {
    if (key.tls && endpoint.tls === null) return false;
    return (key.port ?? (endpoint.tls === null ? 2375 : 2376)) === endpoint.port;
  }
  if (endpoint.kind !== 'ssh') return false;
  return (
    (key.port ?? 22) === (endpoint.port ?? 22) && (key.user === null || key.user === endpoint.user)
  );
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * ssh://[user@]host[:port], as the docker CLI's ssh helper takes it (docker/cli
 * cli/connhelper/ssh): no password, no query; no path either, since the transport talks to the
 * remote engine's default socket.
 */
function sshEndpoint(rest: string, setting: HostSetting): Endpoint {
  const { named } = setting;
  const example = 'use ssh://[user@]host[:port], e.g. ssh://admin@manager-1';
  const authority = rest.endsWith('/') ? rest.slice(0, -1) : rest;
  if (/[/?#]/.test(authority)) {
    throw new UsageError(
      `${named} has a path or query, which ssh:// endpoints do not take; ${example}.`,
    );
  }
  const at = authority.lastIndexOf('@');
  const rawUser = at === -1 ? null : authority.slice(0, at);
  const user = sshUser(rawUser, named, example);
  const { host, port } = sshHostPort(authority.slice(at + 1), named, example);
  const label = `ssh://${rawUser === null ? '' : `${rawUser}@`}${bracketed(host)}${port === null ? '' : `:${port}`}`;
  return { kind: 'ssh', user, host, port, label, source: setting.source };
}

const SSH_USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

function sshUser(raw: string | null, named: string, example: string): string | null {
  if (raw === null) return null;
  if (raw.includes(':')) {
    throw new UsageError(
      `${named} contains a password, which ssh:// endpoints do not take (use an ssh key or agent); ${example}.`,
    );
  }
  let user: string;
  try {
    // URLs may percent-encode the user name, as Go's url.Parse (the docker CLI) accepts.
    user = decodeURIComponent(raw);
  } catch {
    user = '';
  }
  if (user === '') {
    throw new UsageError(`${named} has no valid user name before the @; ${example}.`);
  }
  // ssh expands the user into %r of ProxyCommand / Match exec (CVE-2023-51385 with OpenSSH < 9.6):
  // only the characters a login name needs, and never a leading "-".
  if (!SSH_USER.test(user)) {
    throw new UsageError(
      `${named} has the user name "${user}", which may hold only letters, digits, ".", "_" and "-" (not first); ${example}.`,
    );
  }
  return user;
}

function sshHostPort(
  hostPort: string,
  named: string,
  example: string,
): { host: string; port: number | null } {
  let host: string;
  let portText: string | null = null;
  if (hostPort.startsWith('[')) {
    // [IPv6] or [IPv6]:port
    const close = hostPort.indexOf(']');
    const after = close === -1 ? null : hostPort.slice(close + 1);
    if (after === null || (after !== '' && !after.startsWith(':'))) {
      throw new UsageError(`${named} has a malformed [IPv6 address]; ${example}.`);
    }
    host = hostPort.slice(1, close);
    if (!isIPv6(host)) {
      throw new UsageError(`${named} has "${host}" in brackets, which is not an IPv6 address.`);
    }
    if (after !== '') portText = after.slice(1);
  } else {
    const colons = hostPort.split(':').length - 1;
    if (colons > 1) {
      throw new UsageError(
        `${named} has an IPv6 address without brackets; write it as ssh://user@[${hostPort}].`,
      );
    }
    [host, portText = null] = hostPort.split(':') as [string, string?];
    if (host === '') throw new UsageError(`${named} names no host; ${example}.`);
    if (!/^[A-Za-z0-9._-]+$/.test(host)) {
      throw new UsageError(`${named} has "${host}", which is not a valid host name; ${example}.`);
    }
  }
  return { host, port: sshPort(portText, named) };
}

/** null for no port, as the docker CLI also takes "host:" to mean none. */
function sshPort(text: string | null, named: string): number | null {
  if (text === null || text === '') return null;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= MAX_PORT)) {
    throw new UsageError(`${named} has port ${text}, which is not between 1 and ${MAX_PORT}.`);
  }
  return port;
}

/**
 * DOCKER_TLS_VERIFY / DOCKER_CERT_PATH: the TLS of the default context only (contexts carry their
 * own, and the docker CLI ignores these for them). All three files are needed, as for docker.
 */
function readEnvTls(env: NodeJS.ProcessEnv, homeDir: string): TlsFiles | null {
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

/**
 * One warning line when DOCKER_CERT_PATH holds a client certificate while a tcp endpoint in use
 * speaks plain HTTP (DOCKER_TLS_VERIFY unset): the user may well believe TLS is on. null if not.
 */
export function plainWithCertsWarning(
  env: NodeJS.ProcessEnv,
  endpoints: readonly Endpoint[],
): string | null {
  const certPath = env['DOCKER_CERT_PATH'];
  if (certPath === undefined || certPath === '') return null;
  const plain = endpoints.find(
    (endpoint) =>
      endpoint.kind === 'tcp' && endpoint.tls === null && !endpoint.source.startsWith('context '),
  );
  if (plain === undefined) return null;
  const present = ['ca.pem', 'cert.pem', 'key.pem'].filter((name) =>
    existsSync(path.join(certPath, name)),
  );
  if (present.length === 0) return null;
  return `DOCKER_CERT_PATH (${certPath}) holds ${present.join(', ')}, but DOCKER_TLS_VERIFY is not set, so ${plain.label} is spoken in plain HTTP without TLS; set DOCKER_TLS_VERIFY=1 to use TLS.`;
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

function forwardCommand(endpoint: Extract<Endpoint, { kind: 'ssh' }>): string {
  const port = endpoint.port === null ? '' : ` -p ${endpoint.port}`;
  const user = endpoint.user === null ? '' : `${endpoint.user}@`;
  return `ssh -NL /tmp/docker.sock:/var/run/docker.sock${port} ${user}${endpoint.host}`;
}

/** A Dockerode client for exactly this endpoint, whatever the environment says. */
export function createDocker(endpoint: Endpoint, options: { agent?: Agent } = {}): Dockerode {
  if (endpoint.kind === 'ssh') {
    // docker-modem's own ssh:// opens a connection per request (DESIGN §4): ssh endpoints get a
    // transport of their own, wired in by dockerode-api.ts.
    throw new SmarmError(
      `Cannot connect to ${endpoint.label}: the ssh transport is created by source/docker/ssh-transport.ts, which this build does not include yet; meanwhile forward the socket (${forwardCommand(endpoint)}) and use --host unix:///tmp/docker.sock.`,
      1,
    );
  }
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
          // Without a CA of the engine's own: the CAs node trusts by default (undefined: node's
          // own default; there is no client certificate when cert and key are undefined).
          ca: endpoint.tls?.ca ?? (endpoint.tls === null ? undefined : defaultTrustedCas()),
          cert: endpoint.tls?.cert ?? undefined,
          key: endpoint.tls?.key ?? undefined,
        };
  // @types/dockerode lags docker-modem 5 (no `agent`), hence the widening cast.
  return withoutModemEnv(() => new Dockerode(modemOptions as Dockerode.DockerOptions));
}
