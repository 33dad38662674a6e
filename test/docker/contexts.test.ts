// Endpoint choice through the docker CLI's contexts: the same precedence as docker (cli/command
// resolveContextName), the same store layout (contexts/meta/<sha256>/meta.json and
// contexts/tls/<sha256>/docker/*.pem), and one sentence for every bad context.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoint, type Endpoint } from '../../source/docker/connection.js';
import { contextDirName, dockerConfigDir } from '../../source/docker/contexts.js';
import { UsageError } from '../../source/docker/errors.js';

let root: string;
/** A DOCKER_CONFIG folder of our own; HOME points elsewhere so it can only be found via the env. */
let config: string;
let home: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'smarm-contexts-'));
  config = path.join(root, 'docker-config');
  home = path.join(root, 'home');
  mkdirSync(config, { recursive: true });
  mkdirSync(home, { recursive: true });
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

interface ContextSpec {
  host?: unknown;
  skipTlsVerify?: unknown;
  /** File name → content under contexts/tls/<hash>/docker/; {} makes an empty TLS folder. */
  tls?: Record<string, string>;
  /** Replaces the whole meta.json text. */
  metaText?: string;
}

/** Writes a context as `docker context create` does. */
function writeContext(name: string, spec: ContextSpec, dir = config): string {
  const metaDir = path.join(dir, 'contexts', 'meta', contextDirName(name));
  mkdirSync(metaDir, { recursive: true });
  const endpoint: Record<string, unknown> = { Host: spec.host ?? 'unix:///ctx.sock' };
  if (spec.skipTlsVerify !== undefined) endpoint['SkipTLSVerify'] = spec.skipTlsVerify;
  const meta = { Name: name, Metadata: {}, Endpoints: { docker: endpoint } };
  const metaFile = path.join(metaDir, 'meta.json');
  writeFileSync(metaFile, spec.metaText ?? JSON.stringify(meta));
  if (spec.tls !== undefined) {
    const tlsDir = path.join(dir, 'contexts', 'tls', contextDirName(name), 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const [file, content] of Object.entries(spec.tls)) {
      writeFileSync(path.join(tlsDir, file), content);
    }
  }
  return metaFile;
}

function writeConfig(content: unknown, dir = config): string {
  const file = path.join(dir, 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

interface Setup {
  hosts?: string[];
  context?: string;
  env?: NodeJS.ProcessEnv;
}

function resolve(setup: Setup = {}): Endpoint {
  return resolveEndpoint({
    hosts: setup.hosts ?? [],
    context: setup.context,
    env: { DOCKER_CONFIG: config, ...setup.env },
    homeDir: home,
  });
}

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const usage = err as UsageError;
    expect(usage.exitCode).toBe(2);
    expect(usage.message).not.toContain('\n');
    return usage;
  }
  throw new Error('expected a UsageError');
}

describe('the context store layout', () => {
  it('names a context folder by the SHA-256 of the name, as the docker CLI does', () => {
    // The docker CLI's well-known folder for the name "default".
    expect(contextDirName('default')).toBe(
      '37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f',
    );
  });

  it('finds the config folder in DOCKER_CONFIG, else in ~/.docker', () => {
    expect(dockerConfigDir({ DOCKER_CONFIG: '/etc/dc' }, '/home/u')).toBe('/etc/dc');
    expect(dockerConfigDir({ DOCKER_CONFIG: '' }, '/home/u')).toBe('/home/u/.docker');
    expect(dockerConfigDir({}, '/home/u')).toBe('/home/u/.docker');
  });

  it('reads ~/.docker when DOCKER_CONFIG is unset', () => {
    writeContext('home-ctx', { host: 'unix:///home.sock' }, path.join(home, '.docker'));
    writeConfig({ currentContext: 'home-ctx' }, path.join(home, '.docker'));
    const endpoint = resolveEndpoint({ hosts: [], env: {}, homeDir: home });
    expect(endpoint.label).toBe('unix:///home.sock');
  });

  it('reads DOCKER_CONFIG and not ~/.docker when it is set', () => {
    writeContext('ctx', { host: 'unix:///from-home.sock' }, path.join(home, '.docker'));
    writeContext('ctx', { host: 'unix:///from-docker-config.sock' });
    expect(resolve({ context: 'ctx' }).label).toBe('unix:///from-docker-config.sock');
  });
});

describe('precedence, pair by pair, as the docker CLI', () => {
  // Every source set at once, each naming a different engine; each case removes some.
  beforeEach(() => {
    writeContext('flag-ctx', { host: 'unix:///flag-ctx.sock' });
    writeContext('env-ctx', { host: 'unix:///env-ctx.sock' });
    writeContext('current-ctx', { host: 'unix:///current-ctx.sock' });
    writeConfig({ currentContext: 'current-ctx' });
  });

  const HOST = ['unix:///flag-host.sock'];
  const DOCKER_HOST = 'unix:///env-host.sock';

  it.each<[string, Setup, string, string]>([
    [
      '--host over DOCKER_HOST',
      { hosts: HOST, env: { DOCKER_HOST } },
      'unix:///flag-host.sock',
      '--host',
    ],
    [
      '--host over DOCKER_CONTEXT',
      { hosts: HOST, env: { DOCKER_CONTEXT: 'env-ctx' } },
      'unix:///flag-host.sock',
      '--host',
    ],
    ['--host over currentContext', { hosts: HOST }, 'unix:///flag-host.sock', '--host'],
    [
      '--context over DOCKER_HOST (an explicit flag wins, as in docker)',
      { context: 'flag-ctx', env: { DOCKER_HOST } },
      'unix:///flag-ctx.sock',
      'context flag-ctx',
    ],
    [
      'DOCKER_HOST over DOCKER_CONTEXT',
      { env: { DOCKER_HOST, DOCKER_CONTEXT: 'env-ctx' } },
      'unix:///env-host.sock',
      'DOCKER_HOST',
    ],
    ['DOCKER_HOST over currentContext', { env: { DOCKER_HOST } }, DOCKER_HOST, 'DOCKER_HOST'],
    [
      '--context over DOCKER_CONTEXT',
      { context: 'flag-ctx', env: { DOCKER_CONTEXT: 'env-ctx' } },
      'unix:///flag-ctx.sock',
      'context flag-ctx',
    ],
    [
      '--context over currentContext',
      { context: 'flag-ctx' },
      'unix:///flag-ctx.sock',
      'context flag-ctx',
    ],
    [
      'DOCKER_CONTEXT over currentContext',
      { env: { DOCKER_CONTEXT: 'env-ctx' } },
      'unix:///env-ctx.sock',
      'context env-ctx',
    ],
    ['currentContext over the local socket', {}, 'unix:///current-ctx.sock', 'context current-ctx'],
    [
      'an empty DOCKER_HOST counts as unset',
      { env: { DOCKER_HOST: '', DOCKER_CONTEXT: 'env-ctx' } },
      'unix:///env-ctx.sock',
      'context env-ctx',
    ],
    [
      'an empty DOCKER_CONTEXT counts as unset',
      { env: { DOCKER_CONTEXT: '' } },
      'unix:///current-ctx.sock',
      'context current-ctx',
    ],
  ])('%s', (_name, setup, label, source) => {
    const endpoint = resolve(setup);
    expect(endpoint.label).toBe(label);
    expect(endpoint.source).toBe(source);
  });

  it('refuses --host together with --context, as the docker CLI does', () => {
    const err = usageError(() => resolve({ hosts: HOST, context: 'flag-ctx' }));
    expect(err.message).toBe(
      '--host and --context cannot be used together; give only one of them.',
    );
  });

  it('uses the local socket when nothing names an engine', () => {
    rmSync(path.join(config, 'config.json'));
    expect(resolve()).toEqual({
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      label: 'unix:///var/run/docker.sock',
      source: 'default',
    });
  });

  it('refuses an empty --context', () => {
    const err = usageError(() => resolve({ context: ' ' }));
    expect(err.message).toMatch(/^--context needs a context name/);
  });
});

describe('the context "default"', () => {
  beforeEach(() => writeContext('other', { host: 'unix:///other.sock' }));

  it.each<[string, Setup, string, string]>([
    [
      '--context default is the local socket',
      { context: 'default' },
      'unix:///var/run/docker.sock',
      'default',
    ],
    [
      '--context default still honours DOCKER_HOST',
      { context: 'default', env: { DOCKER_HOST: 'unix:///env-host.sock' } },
      'unix:///env-host.sock',
      'DOCKER_HOST',
    ],
    [
      'DOCKER_CONTEXT=default over currentContext',
      { env: { DOCKER_CONTEXT: 'default' } },
      'unix:///var/run/docker.sock',
      'default',
    ],
  ])('%s', (_name, setup, label, source) => {
    writeConfig({ currentContext: 'other' });
    const endpoint = resolve(setup);
    expect(endpoint.label).toBe(label);
    expect(endpoint.source).toBe(source);
  });

  it('is the local socket as the current context too', () => {
    writeConfig({ currentContext: 'default' });
    expect(resolve().source).toBe('default');
  });

  it('never reads a stored context of that name', () => {
    writeContext('default', { host: 'unix:///not-me.sock' });
    expect(resolve({ context: 'default' }).label).toBe('unix:///var/run/docker.sock');
  });
});

describe('what a context holds', () => {
  it('gives a tcp endpoint without TLS when the context has no TLS folder, like docker', () => {
    writeContext('plain', { host: 'tcp://10.0.0.5' });
    expect(resolve({ context: 'plain' })).toEqual({
      kind: 'tcp',
      host: '10.0.0.5',
      port: 2375,
      tls: null,
      label: 'tcp://10.0.0.5:2375',
      source: 'context plain',
    });
  });

  it('reads ca.pem, cert.pem and key.pem and defaults the port to 2376', () => {
    writeContext('secure', {
      host: 'tcp://10.0.0.5',
      tls: { 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY' },
    });
    const endpoint = resolve({ context: 'secure' });
    expect(endpoint.kind === 'tcp' && endpoint.port).toBe(2376);
    const tls = endpoint.kind === 'tcp' ? endpoint.tls : null;
    expect(tls?.ca?.toString()).toBe('CA');
    expect(tls?.cert?.toString()).toBe('CERT');
    expect(tls?.key?.toString()).toBe('KEY');
  });

  it('takes a CA alone (no client certificate), and an empty TLS folder as TLS with the system CAs', () => {
    writeContext('ca-only', { host: 'tcp://h:3000', tls: { 'ca.pem': 'CA' } });
    writeContext('empty-tls', { host: 'tcp://h', tls: {} });
    const caOnly = resolve({ context: 'ca-only' });
    expect(caOnly.kind === 'tcp' && caOnly.tls).toEqual({
      ca: Buffer.from('CA'),
      cert: null,
      key: null,
    });
    const empty = resolve({ context: 'empty-tls' });
    expect(empty.kind === 'tcp' && empty.tls).toEqual({ ca: null, cert: null, key: null });
    expect(empty.kind === 'tcp' && empty.port).toBe(2376);
  });

  it('ignores DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, which belong to the default context', () => {
    writeContext('plain', { host: 'tcp://h:2375' });
    const endpoint = resolve({
      context: 'plain',
      env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nowhere' },
    });
    expect(endpoint.kind === 'tcp' && endpoint.tls).toBeNull();
  });

  it('gives an ssh endpoint for an ssh:// host', () => {
    writeContext('remote', { host: 'ssh://admin@manager-1:2222' });
    expect(resolve({ context: 'remote' })).toEqual({
      kind: 'ssh',
      user: 'admin',
      host: 'manager-1',
      port: 2222,
      label: 'ssh://admin@manager-1:2222',
      source: 'context remote',
    });
  });

  it('gives the local socket for a context without a host, like docker', () => {
    writeContext('bare', { metaText: '{"Name":"bare","Endpoints":{"docker":{}}}' });
    expect(resolve({ context: 'bare' }).label).toBe('unix:///var/run/docker.sock');
  });

  it('matches meta.json keys ignoring case, as Go does', () => {
    writeContext('lower', {
      metaText: '{"name":"lower","endpoints":{"docker":{"host":"unix:///lower.sock"}}}',
    });
    expect(resolve({ context: 'lower' }).label).toBe('unix:///lower.sock');
  });

  it('names the context and its meta.json when its host is bad', () => {
    const metaFile = writeContext('typo', { host: 'tcp//h' });
    const err = usageError(() => resolve({ context: 'typo' }));
    expect(err.message).toBe(
      `The docker endpoint "tcp//h" of context "typo" (${metaFile}) is not a Docker endpoint URL; use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host.`,
    );
  });
});

describe('bad contexts: one sentence each', () => {
  it('names an unknown context and where contexts were looked for', () => {
    const err = usageError(() => resolve({ context: 'nope' }));
    expect(err.message).toBe(
      `Context "nope" (from --context) was not found among the docker CLI contexts in ${path.join(config, 'contexts')} (there is no meta/${contextDirName('nope')}/meta.json); see docker context ls for the names.`,
    );
  });

  it('says DOCKER_CONTEXT named an unknown context', () => {
    const err = usageError(() => resolve({ env: { DOCKER_CONTEXT: 'nope' } }));
    expect(err.message).toMatch(/^Context "nope" \(from DOCKER_CONTEXT\) was not found/);
    expect(err.message).toMatch(/unset DOCKER_CONTEXT/);
  });

  it('says the current context in config.json is unknown', () => {
    const file = writeConfig({ currentContext: 'gone' });
    const err = usageError(() => resolve());
    expect(err.message).toContain(`Context "gone" (the current context in ${file})`);
    expect(err.message).toMatch(/run docker context use default/);
  });

  it('refuses SkipTLSVerify: verification is never turned off', () => {
    writeContext('insecure', {
      host: 'tcp://10.0.0.5:2376',
      skipTlsVerify: true,
      tls: { 'ca.pem': 'CA' },
    });
    const err = usageError(() => resolve({ context: 'insecure' }));
    expect(err.message).toBe(
      'Context "insecure" sets SkipTLSVerify, but smarm-top never turns off verification of the engine\'s certificate; give the context the engine\'s CA instead (docker context update insecure --docker "host=tcp://10.0.0.5:2376,ca=ca.pem,cert=cert.pem,key=key.pem" leaves skip-tls-verify off).',
    );
  });

  it('lets SkipTLSVerify pass where no TLS is used (sockets and ssh), as docker ignores it there', () => {
    writeContext('local', { host: 'unix:///x.sock', skipTlsVerify: true });
    expect(resolve({ context: 'local' }).kind).toBe('unix');
  });

  it('names the missing half of a client certificate', () => {
    writeContext('half', { host: 'tcp://h', tls: { 'ca.pem': 'CA', 'cert.pem': 'CERT' } });
    const keyFile = path.join(
      config,
      'contexts',
      'tls',
      contextDirName('half'),
      'docker',
      'key.pem',
    );
    const err = usageError(() => resolve({ context: 'half' }));
    expect(err.message).toContain(`the TLS file ${keyFile} does not exist`);
    writeContext('other-half', { host: 'tcp://h', tls: { 'key.pem': 'KEY' } });
    expect(usageError(() => resolve({ context: 'other-half' })).message).toMatch(
      /cert\.pem does not exist/,
    );
  });

  it.skipIf(process.getuid?.() === 0)('names an unreadable TLS file', () => {
    writeContext('locked', { host: 'tcp://h', tls: { 'ca.pem': 'CA' } });
    const ca = path.join(config, 'contexts', 'tls', contextDirName('locked'), 'docker', 'ca.pem');
    chmodSync(ca, 0);
    expect(usageError(() => resolve({ context: 'locked' })).message).toBe(
      `The TLS file ${ca} of context "locked" cannot be read (EACCES); check its permissions.`,
    );
  });

  it('names a TLS file that is a folder', () => {
    writeContext('odd', { host: 'tcp://h', tls: {} });
    const ca = path.join(config, 'contexts', 'tls', contextDirName('odd'), 'docker', 'ca.pem');
    mkdirSync(ca);
    expect(usageError(() => resolve({ context: 'odd' })).message).toBe(
      `The TLS file ${ca} of context "odd" is a folder, not a file.`,
    );
  });

  it.each<[string, string, RegExp]>([
    ['not JSON', '{"Name": "x", ', /meta\.json is not a valid JSON object;/],
    ['not an object', '[]', /is not a valid JSON object/],
    ['no docker endpoint', '{"Name":"x","Endpoints":{}}', /has no docker endpoint/],
    ['no endpoints at all', '{"Name":"x"}', /has no docker endpoint/],
    ['a Host that is a number', '{"Endpoints":{"docker":{"Host":5}}}', /Host that is not a string/],
    [
      'a SkipTLSVerify that is a string',
      '{"Endpoints":{"docker":{"Host":"tcp://h","SkipTLSVerify":"no"}}}',
      /SkipTLSVerify that is neither true nor false/,
    ],
  ])('refuses a meta.json with %s', (_name, metaText, message) => {
    const metaFile = writeContext('broken', { metaText });
    const err = usageError(() => resolve({ context: 'broken' }));
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/^Context "broken" is malformed: /);
    expect(err.message).toContain(metaFile);
  });

  it('refuses a malformed config.json when it must be read', () => {
    const file = writeConfig('{ not json');
    expect(usageError(() => resolve()).message).toBe(
      `${file} is not a valid JSON object; fix it, or choose the engine with --host or --context.`,
    );
    writeConfig({ currentContext: 7 });
    expect(usageError(() => resolve()).message).toMatch(/^currentContext in .* is not a string/);
  });

  it('does not read config.json when --host, DOCKER_HOST, --context or DOCKER_CONTEXT decide', () => {
    writeConfig('{ not json');
    writeContext('ok', { host: 'unix:///ok.sock' });
    expect(resolve({ hosts: ['unix:///a.sock'] }).label).toBe('unix:///a.sock');
    expect(resolve({ env: { DOCKER_HOST: 'unix:///b.sock' } }).label).toBe('unix:///b.sock');
    expect(resolve({ context: 'ok' }).label).toBe('unix:///ok.sock');
    expect(resolve({ env: { DOCKER_CONTEXT: 'ok' } }).label).toBe('unix:///ok.sock');
  });

  it('takes a config.json without currentContext, or with an empty one, as no context', () => {
    writeConfig({ auths: {} });
    expect(resolve().source).toBe('default');
    writeConfig({ currentContext: '' });
    expect(resolve().source).toBe('default');
  });
});
