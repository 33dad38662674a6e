import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDocker,
  plainWithCertsWarning,
  resolveEndpoint,
  resolveEndpoints,
  type Endpoint,
} from '../../source/docker/connection.js';
import { SmarmError, UsageError } from '../../source/docker/errors.js';

const HOME = '/home/nobody-here';

function resolve(hosts: string[], env: NodeJS.ProcessEnv = {}, homeDir = HOME): Endpoint {
  return resolveEndpoint({ hosts, env, homeDir });
}

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveEndpoint: where the endpoint comes from', () => {
  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    ['default socket', [], {}, 'unix:///var/run/docker.sock'],
    ['empty DOCKER_HOST is unset', [], { DOCKER_HOST: '' }, 'unix:///var/run/docker.sock'],
    ['DOCKER_HOST', [], { DOCKER_HOST: 'unix:///tmp/d.sock' }, 'unix:///tmp/d.sock'],
    [
      '--host beats DOCKER_HOST',
      ['unix:///a.sock'],
      { DOCKER_HOST: 'tcp://127.0.0.1' },
      'unix:///a.sock',
    ],
    ['first --host wins', ['unix:///a.sock', 'unix:///b.sock'], {}, 'unix:///a.sock'],
    ['unix:// alone is the default socket', ['unix://'], {}, 'unix:///var/run/docker.sock'],
    ['tcp with port', ['tcp://127.0.0.1:2400'], {}, 'tcp://127.0.0.1:2400'],
    ['tcp default port', ['tcp://127.0.0.1'], {}, 'tcp://127.0.0.1:2375'],
    ['http like tcp', ['http://localhost:2375'], {}, 'tcp://localhost:2375'],
    ['trailing slash', ['tcp://127.0.0.1:2375/'], {}, 'tcp://127.0.0.1:2375'],
    ['surrounding spaces', ['  unix:///a.sock '], {}, 'unix:///a.sock'],
    ['IPv6 loopback', ['tcp://[::1]:2375'], {}, 'tcp://[::1]:2375'],
  ])('%s', (_name, hosts, env, label) => {
    expect(resolve(hosts, env).label).toBe(label);
  });

  it('gives the parts of a unix endpoint', () => {
    expect(resolve(['unix:///run/user/1000/docker.sock'])).toEqual({
      kind: 'unix',
      socketPath: '/run/user/1000/docker.sock',
      label: 'unix:///run/user/1000/docker.sock',
      source: '--host',
    });
  });

  it('gives the parts of a tcp endpoint, host unbracketed', () => {
    expect(resolve([], { DOCKER_HOST: 'tcp://[::1]:2999' })).toEqual({
      kind: 'tcp',
      host: '::1',
      port: 2999,
      tls: null,
      label: 'tcp://[::1]:2999',
      source: 'DOCKER_HOST',
    });
  });

  it('checks every --host for failover, not only the first', () => {
    expect(
      resolveEndpoints({ hosts: ['unix:///a.sock', 'tcp://127.0.0.1:1'], env: {}, homeDir: HOME }),
    ).toHaveLength(2);
    const err = usageError(() => resolve(['unix:///a.sock', 'tcp://']));
    expect(err.message).toContain('"tcp://"');
  });

  it('ignores TLS settings for unix sockets', () => {
    const endpoint = resolve(['unix:///a.sock'], {
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/nope',
    });
    expect(endpoint.kind).toBe('unix');
  });
});

describe('resolveEndpoint: malformed values are usage errors with one clear sentence', () => {
  it.each<[string, string, RegExp]>([
    ['foo', 'foo', /^The --host value "foo" is not a Docker endpoint URL; use unix:\/\/\/path/],
    ['empty', '', /is not a Docker endpoint URL/],
    ['no host', 'tcp://', /"tcp:\/\/" names no host/],
    [
      'port too large',
      'tcp://127.0.0.1:99999',
      /"tcp:\/\/127\.0\.0\.1:99999" is not a valid address/,
    ],
    ['port zero', 'tcp://127.0.0.1:0', /has port 0, which is not between 1 and 65535/],
    ['port not a number', 'tcp://127.0.0.1:abc', /is not a valid address/],
    ['unknown scheme', 'fd://3', /has the unsupported scheme "fd:\/\/"/],
    ['npipe', 'npipe:////./pipe/docker_engine', /unsupported scheme "npipe:\/\/"/],
    ['https', 'https://127.0.0.1:2376', /use tcp:\/\/host:port with DOCKER_TLS_VERIFY=1/],
    ['credentials', 'tcp://user:pw@127.0.0.1:2375', /contains credentials/],
    ['path', 'tcp://127.0.0.1:2375/v1.41', /has a path or query/],
    ['scheme only', '://x', /is not a Docker endpoint URL/],
  ])('%s', (_name, value, message) => {
    const err = usageError(() => resolve([value]));
    expect(err.message).toMatch(message);
    expect(err.exitCode).toBe(2);
    // One sentence, no stack-trace-like noise.
    expect(err.message).not.toContain('\n');
  });

  it('names DOCKER_HOST when the value came from there', () => {
    const err = usageError(() => resolve([], { DOCKER_HOST: 'foo' }));
    expect(err.message).toMatch(/^DOCKER_HOST="foo" is not a Docker endpoint URL/);
  });

  it('refuses DOCKER_TLS without verification rather than connecting unverified', () => {
    const err = usageError(() => resolve(['tcp://127.0.0.1'], { DOCKER_TLS: '1' }));
    expect(err.message).toMatch(/DOCKER_TLS is set without DOCKER_TLS_VERIFY/);
  });
});

describe('resolveEndpoint: TLS files', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'smarm-tls-'));
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) {
      writeFileSync(path.join(dir, name), `-----${name}-----\n`);
    }
    writeFileSync(path.join(dir, 'partial-ca.pem'), 'x');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads ca/cert/key from DOCKER_CERT_PATH and defaults to port 2376', () => {
    const endpoint = resolve([], {
      DOCKER_HOST: 'tcp://127.0.0.1',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: dir,
    });
    expect(endpoint.kind === 'tcp' && endpoint.port).toBe(2376);
    // The label says TLS: the header shows it, and tcp://host:2376 could be plain HTTP.
    expect(endpoint.label).toBe('tcp+tls://127.0.0.1:2376');
    expect(endpoint.kind === 'tcp' && endpoint.tls?.ca?.toString()).toBe('-----ca.pem-----\n');
    expect(endpoint.kind === 'tcp' && endpoint.tls?.cert?.toString()).toBe('-----cert.pem-----\n');
    expect(endpoint.kind === 'tcp' && endpoint.tls?.key?.toString()).toBe('-----key.pem-----\n');
  });

  it('applies DOCKER_TLS_VERIFY to a --host value too, keeping an explicit port', () => {
    const endpoint = resolve(['tcp://127.0.0.1:3000'], {
      DOCKER_TLS_VERIFY: 'yes',
      DOCKER_CERT_PATH: dir,
    });
    expect(endpoint.kind === 'tcp' && endpoint.port).toBe(3000);
    expect(endpoint.kind === 'tcp' && endpoint.tls).not.toBeNull();
  });

  it('defaults the certificate folder to ~/.docker', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'smarm-home-'));
    try {
      const err = usageError(() => resolve(['tcp://127.0.0.1'], { DOCKER_TLS_VERIFY: '1' }, home));
      expect(err.message).toContain(path.join(home, '.docker', 'ca.pem'));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('names the missing file', () => {
    const certDir = mkdtempSync(path.join(tmpdir(), 'smarm-tls-partial-'));
    try {
      writeFileSync(path.join(certDir, 'ca.pem'), 'ca');
      writeFileSync(path.join(certDir, 'cert.pem'), 'cert');
      const err = usageError(() =>
        resolve(['tcp://127.0.0.1'], { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir }),
      );
      expect(err.message).toBe(
        `DOCKER_TLS_VERIFY is set but the TLS file ${path.join(certDir, 'key.pem')} does not exist; put ca.pem, cert.pem and key.pem there or point DOCKER_CERT_PATH at their folder.`,
      );
    } finally {
      rmSync(certDir, { recursive: true, force: true });
    }
  });
});

describe('resolveEndpoint: ssh://[user@]host[:port]', () => {
  type Ssh = Extract<Endpoint, { kind: 'ssh' }>;

  it.each<[string, string, Omit<Ssh, 'kind' | 'source'>]>([
    ['host only', 'ssh://box', { user: null, host: 'box', port: null, label: 'ssh://box' }],
    ['user', 'ssh://me@box', { user: 'me', host: 'box', port: null, label: 'ssh://me@box' }],
    ['port', 'ssh://box:2222', { user: null, host: 'box', port: 2222, label: 'ssh://box:2222' }],
    [
      'user and port',
      'ssh://me@10.0.0.1:22',
      { user: 'me', host: '10.0.0.1', port: 22, label: 'ssh://me@10.0.0.1:22' },
    ],
    [
      'IPv6 in brackets',
      'ssh://me@[2001:db8::1]:2200',
      { user: 'me', host: '2001:db8::1', port: 2200, label: 'ssh://me@[2001:db8::1]:2200' },
    ],
    [
      'IPv6 without port',
      'ssh://[::1]',
      { user: null, host: '::1', port: null, label: 'ssh://[::1]' },
    ],
    [
      'trailing slash',
      'SSH://me@box/',
      { user: 'me', host: 'box', port: null, label: 'ssh://me@box' },
    ],
    [
      'empty port, as docker',
      'ssh://box:',
      { user: null, host: 'box', port: null, label: 'ssh://box' },
    ],
    [
      'percent-encoded user',
      'ssh://first%2Elast@box',
      { user: 'first.last', host: 'box', port: null, label: 'ssh://first%2Elast@box' },
    ],
  ])('%s', (_name, value, parts) => {
    expect(resolve([value])).toEqual({ kind: 'ssh', ...parts, source: '--host' });
  });

  it('records DOCKER_HOST as the source', () => {
    expect(resolve([], { DOCKER_HOST: 'ssh://me@box' }).source).toBe('DOCKER_HOST');
  });

  it.each<[string, string, string]>([
    ['port too large', 'ssh://box:70000', 'has port 70000, which is not between 1 and 65535.'],
    ['port zero', 'ssh://me@box:0', 'has port 0, which is not between 1 and 65535.'],
    ['port not a number', 'ssh://box:ssh', 'has port ssh, which is not between 1 and 65535.'],
    ['no host', 'ssh://', 'names no host;'],
    ['user but no host', 'ssh://me@', 'names no host;'],
    ['empty user', 'ssh://@box', 'has no valid user name before the @;'],
    [
      'backticks in the user',
      'ssh://%60id%60@mgr',
      'has the user name "`id`", which may hold only letters, digits, ".", "_" and "-" (not first);',
    ],
    [
      'a leading dash',
      'ssh://-oProxyCommand@mgr',
      'has the user name "-oProxyCommand", which may hold only',
    ],
    ['a dollar', 'ssh://$(id)@mgr', 'has the user name "$(id)", which may hold only'],
    ['a space', 'ssh://a%20b@mgr', 'has the user name "a b", which may hold only'],
    ['a percent sign', 'ssh://a%25r@mgr', 'has the user name "a%r", which may hold only'],
    ['password', 'ssh://me:secret@box', 'contains a password, which ssh:// endpoints do not take'],
    ['path', 'ssh://me@box/var/run/docker.sock', 'has a path or query'],
    ['query', 'ssh://me@box?x=1', 'has a path or query'],
    [
      'bare IPv6',
      'ssh://me@::1',
      'has an IPv6 address without brackets; write it as ssh://user@[::1].',
    ],
    ['unclosed bracket', 'ssh://[::1', 'has a malformed [IPv6 address];'],
    ['junk after bracket', 'ssh://[::1]x', 'has a malformed [IPv6 address];'],
    [
      'not IPv6 in brackets',
      'ssh://[box]:22',
      'has "box" in brackets, which is not an IPv6 address.',
    ],
    ['bad host name', 'ssh://me@bo x', 'has "bo x", which is not a valid host name;'],
  ])('refuses %s with one sentence', (_name, value, message) => {
    const err = usageError(() => resolve([value]));
    expect(err.message).toContain(`The --host value "${value}" ${message}`);
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toContain('\n');
  });
});

describe('createDocker', () => {
  it('targets exactly the endpoint, whatever DOCKER_HOST says', () => {
    const saved = process.env['DOCKER_HOST'];
    // docker-modem would throw on this at construction if it saw it.
    process.env['DOCKER_HOST'] = 'tcp://127.0.0.1:99999';
    try {
      const docker = createDocker(resolve(['unix:///tmp/x.sock']));
      const modem = docker.modem as unknown as Record<string, unknown>;
      expect(modem['socketPath']).toBe('/tmp/x.sock');
      expect(modem['host']).toBeUndefined();
      expect(modem['timeout']).toBeUndefined();
      expect(process.env['DOCKER_HOST']).toBe('tcp://127.0.0.1:99999');
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
    }
  });

  it('refuses an ssh endpoint with one sentence naming the transport that opens it', () => {
    const endpoint = resolve(['ssh://me@box:2222']);
    expect(() => createDocker(endpoint)).toThrow(SmarmError);
    expect(() => createDocker(endpoint)).toThrow(
      'Cannot connect to ssh://me@box:2222: the ssh transport is created by source/docker/ssh-transport.ts, which this build does not include yet; meanwhile forward the socket (ssh -NL /tmp/docker.sock:/var/run/docker.sock -p 2222 me@box) and use --host unix:///tmp/docker.sock.',
    );
  });

  it('leaves the CA and client certificate unset when a context has none (system CAs)', () => {
    const docker = createDocker({
      kind: 'tcp',
      host: 'engine.example',
      port: 2376,
      tls: { ca: null, cert: null, key: null },
      label: 'tcp://engine.example:2376',
      source: 'context prod',
    });
    const modem = docker.modem as unknown as Record<string, unknown>;
    expect(modem['protocol']).toBe('https');
    expect(modem['ca']).toBeUndefined();
    expect(modem['cert']).toBeUndefined();
  });

  it('uses https with the TLS files for a verified tcp endpoint', () => {
    const tls = { ca: Buffer.from('ca'), cert: Buffer.from('cert'), key: Buffer.from('key') };
    const docker = createDocker({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 2376,
      tls,
      label: 'tcp://127.0.0.1:2376',
      source: '--host',
    });
    const modem = docker.modem as unknown as Record<string, unknown>;
    expect(modem['protocol']).toBe('https');
    expect(modem['host']).toBe('127.0.0.1');
    expect(modem['port']).toBe(2376);
    expect(modem['ca']).toBe(tls.ca);
  });
});

describe('plainWithCertsWarning: certificates present while TLS is off', () => {
  let certs: string;
  beforeAll(() => {
    certs = mkdtempSync(path.join(tmpdir(), 'smarm-plain-'));
    for (const name of ['ca.pem', 'cert.pem', 'key.pem'])
      writeFileSync(path.join(certs, name), 'x');
  });
  afterAll(() => rmSync(certs, { recursive: true, force: true }));

  it('warns when DOCKER_CERT_PATH holds certificates but DOCKER_TLS_VERIFY is unset', () => {
    const env = { DOCKER_HOST: 'tcp://mgr:2376', DOCKER_CERT_PATH: certs };
    const endpoints = resolveEndpoints({ hosts: [], env, homeDir: HOME });
    expect(endpoints[0]?.label).toBe('tcp://mgr:2376');
    expect(plainWithCertsWarning(env, endpoints)).toBe(
      `DOCKER_CERT_PATH (${certs}) holds ca.pem, cert.pem, key.pem, but DOCKER_TLS_VERIFY is not set, so tcp://mgr:2376 is spoken in plain HTTP without TLS; set DOCKER_TLS_VERIFY=1 to use TLS.`,
    );
  });

  it('says nothing with TLS on, without certificates, or for other kinds of endpoint', () => {
    const tls = { DOCKER_HOST: 'tcp://mgr', DOCKER_CERT_PATH: certs, DOCKER_TLS_VERIFY: '1' };
    expect(
      plainWithCertsWarning(tls, resolveEndpoints({ hosts: [], env: tls, homeDir: HOME })),
    ).toBeNull();
    const empty = { DOCKER_HOST: 'tcp://mgr', DOCKER_CERT_PATH: path.join(certs, 'none') };
    expect(
      plainWithCertsWarning(empty, resolveEndpoints({ hosts: [], env: empty, homeDir: HOME })),
    ).toBeNull();
    const ssh = { DOCKER_HOST: 'ssh://mgr', DOCKER_CERT_PATH: certs };
    expect(
      plainWithCertsWarning(ssh, resolveEndpoints({ hosts: [], env: ssh, homeDir: HOME })),
    ).toBeNull();
  });
});
