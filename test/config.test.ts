import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  defaultConfigPath,
  endpointNames,
  endpointsReadOnly,
  loadConfig,
  parseConfig,
  unmatchedEndpoints,
  type Config,
} from '../source/config.js';
import { resolveEndpoint, type Endpoint } from '../source/docker/connection.js';
import { UsageError } from '../source/docker/errors.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'smarm-config-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function writeConfig(text: string): string {
  const file = path.join(home, '.config', 'smarm-top', 'config.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('the config file itself', () => {
  it.each([
    ['{"readOnly": true, "theme": "dark", "readOnly": false}', '"readOnly"'],
    [
      '{"endpoints": {"prod": {"readOnly": true}, "prod": {"readOnly": false}}}',
      '"endpoints" › "prod"',
    ],
    [
      '{"endpoints": {"prod": {"readOnly": true, "readOnly": false}}}',
      '"endpoints" › "prod" › "readOnly"',
    ],
    ['{"keys": {"logs": ["L", "M"], "logs": "N"}}', '"keys" › "logs"'],
    ['{"read\\u004fnly": true, "readOnly": false}', '"readOnly"'],
  ])('refuses duplicate keys at any depth: %s', (text, key) => {
    expect(errorOf(() => parseConfig(text, 'c.json')).message).toBe(
      `c.json: the key ${key} appears twice in one object; keep only the one you mean.`,
    );
  });

  it('keeps keys that are only alike, or repeated in separate objects', () => {
    const text =
      '{"endpoints": {"a": {"readOnly": true}, "b": {"readOnly": true}, "a:\\"b": {"readOnly": false}}}';
    expect(() => parseConfig(text, 'c.json')).not.toThrow(/twice/);
  });

  it('refuses a file over 1 MB before parsing it', () => {
    const file = writeConfig(`{"theme": "dark"}${' '.repeat(1024 * 1024)}`);
    expect(errorOf(() => loadConfig({}, home)).message).toBe(
      `The config file ${file} is ${1024 * 1024 + 17} bytes, over the limit of 1048576 (1 MB); a config holds a few settings.`,
    );
  });

  it('refuses a file that is not a regular file (a FIFO does not hang it)', () => {
    const file = writeConfig('');
    rmSync(file);
    execFileSync('mkfifo', [file]);
    expect(errorOf(() => loadConfig({}, home)).message).toBe(
      `The config file ${file} is not a regular file; make it one (a JSON object, like {"readOnly": true}).`,
    );
  });

  it('refuses a folder in its place with one sentence', () => {
    const file = writeConfig('');
    rmSync(file);
    mkdirSync(file);
    expect(errorOf(() => loadConfig({}, home)).message).toBe(
      `Could not read the config file ${file}: it is a folder.`,
    );
  });
});

describe('defaultConfigPath', () => {
  it('uses XDG_CONFIG_HOME when it is set and absolute', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/a')).toBe(
      '/cfg/smarm-top/config.json',
    );
  });

  it.each([{}, { XDG_CONFIG_HOME: '' }, { XDG_CONFIG_HOME: 'rel' }])('falls back for %j', (env) => {
    expect(defaultConfigPath(env, '/home/a')).toBe('/home/a/.config/smarm-top/config.json');
  });
});

describe('loadConfig', () => {
  it('gives the defaults when there is no file', () => {
    const defaults = {
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
    expect(loadConfig({}, home)).toEqual(defaults);
    expect(DEFAULT_CONFIG).toEqual(defaults);
  });

  it('reads settings over the defaults', () => {
    writeConfig('{"readOnly": true}');
    expect(loadConfig({}, home)).toEqual({ ...DEFAULT_CONFIG, readOnly: true });
    writeConfig('{"scaleCeiling": 50, "readOnly": false}');
    expect(loadConfig({}, home)).toEqual({ ...DEFAULT_CONFIG, scaleCeiling: 50 });
  });

  it('reads from XDG_CONFIG_HOME', () => {
    const xdg = path.join(home, 'xdg');
    mkdirSync(path.join(xdg, 'smarm-top'), { recursive: true });
    writeFileSync(path.join(xdg, 'smarm-top', 'config.json'), '{"scaleCeiling": 7}');
    expect(loadConfig({ XDG_CONFIG_HOME: xdg }, home).scaleCeiling).toBe(7);
  });

  it('treats an empty file as the defaults', () => {
    writeConfig(' \n');
    expect(loadConfig({}, home)).toEqual(DEFAULT_CONFIG);
  });

  it('names the file and the key for a wrong value', () => {
    const file = writeConfig('{"scaleCeiling": 2.5}');
    expect(errorOf(() => loadConfig({}, home)).message).toBe(
      `${file}: "scaleCeiling" must be a whole number from 1 to 100000.`,
    );
    writeConfig('{"readOnly": "yes"}');
    expect(errorOf(() => loadConfig({}, home)).message).toBe(
      `${file}: "readOnly" must be true or false.`,
    );
  });

  it.each([0, -1, 100_001, '10', null, true])('rejects scaleCeiling %s', (value) => {
    expect(() => parseConfig(`{"scaleCeiling": ${JSON.stringify(value)}}`, 'c.json')).toThrow(
      'c.json: "scaleCeiling" must be a whole number from 1 to 100000.',
    );
  });

  it('accepts the bounds of scaleCeiling', () => {
    expect(parseConfig('{"scaleCeiling": 1}', 'c').scaleCeiling).toBe(1);
    expect(parseConfig('{"scaleCeiling": 100000}', 'c').scaleCeiling).toBe(100_000);
  });

  it('takes record as a boolean and recordMaxBytes from 1 MiB', () => {
    expect(parseConfig('{"record": false}', 'c').record).toBe(false);
    expect(parseConfig('{"recordMaxBytes": 1048576}', 'c').recordMaxBytes).toBe(1_048_576);
    expect(() => parseConfig('{"record": "no"}', 'c')).toThrow('"record" must be true or false');
    expect(() => parseConfig('{"recordMaxBytes": 1000}', 'c')).toThrow('"recordMaxBytes" must be');
  });

  it('takes logBufferBytes from 1 MiB to 1 GiB and nothing else', () => {
    expect(parseConfig('{"logBufferBytes": 1048576}', 'c').logBufferBytes).toBe(1_048_576);
    expect(parseConfig('{"logBufferBytes": 1073741824}', 'c').logBufferBytes).toBe(2 ** 30);
    for (const bad of ['1048575', '1073741825', '"64M"', '2097152.5']) {
      expect(() => parseConfig(`{"logBufferBytes": ${bad}}`, 'c')).toThrow(
        /logBufferBytes.*must be a whole number of bytes from 1048576 \(1 MiB\) to 1073741824 \(1 GiB\)/,
      );
    }
  });

  it('rejects unknown keys, naming the known ones', () => {
    const file = writeConfig('{"readonly": true}');
    expect(errorOf(() => loadConfig({}, home)).message).toBe(
      `${file}: "readonly" is not a setting; the settings are "readOnly", "scaleCeiling", "logBufferLines", "logBufferBytes", "theme", "refreshSeconds", "endpoints", "keys", "record", "recordMaxBytes", "probeImage" and "probeSocket".`,
    );
    expect(() => parseConfig('{"__proto__": {"readOnly": true}}', 'c')).toThrow(
      'c: "__proto__" is not a setting',
    );
  });

  it('names the file for invalid JSON and for a non-object', () => {
    const file = writeConfig('{"readOnly": true,}');
    const message = errorOf(() => loadConfig({}, home)).message;
    expect(message.startsWith(`${file} is not valid JSON (`)).toBe(true);
    expect(message.endsWith(').')).toBe(true);
    expect(errorOf(() => parseConfig('[1]', 'c.json')).message).toBe(
      'c.json must hold a JSON object, like {"readOnly": true}.',
    );
  });

  it('names the file when it cannot be read', () => {
    const file = path.join(home, '.config', 'smarm-top', 'config.json');
    mkdirSync(file, { recursive: true });
    expect(errorOf(() => loadConfig({}, home)).message).toBe(
      `Could not read the config file ${file}: it is a folder.`,
    );
  });
});

describe('theme and refreshSeconds', () => {
  it('reads them', () => {
    expect(parseConfig('{"theme": "light", "refreshSeconds": 0.5}', 'c')).toMatchObject({
      theme: 'light',
      refreshSeconds: 0.5,
    });
    expect(parseConfig('{"refreshSeconds": 3600}', 'c').refreshSeconds).toBe(3600);
  });

  it.each(['Light', 'solarized', '', 1, null])('rejects the theme %j', (value) => {
    expect(
      errorOf(() => parseConfig(`{"theme": ${JSON.stringify(value)}}`, 'c.json')).message,
    ).toBe('c.json: "theme" must be "dark", "light" or "mono".');
  });

  it.each([0, 0.4, 3601, '2', null, -1])('rejects refreshSeconds %j', (value) => {
    expect(
      errorOf(() => parseConfig(`{"refreshSeconds": ${JSON.stringify(value)}}`, 'c.json')).message,
    ).toBe('c.json: "refreshSeconds" must be a number of seconds from 0.5 to 3600.');
  });
});

describe('endpoints', () => {
  it('reads read-only endpoints by URL, socket path and context name', () => {
    const config = parseConfig(
      JSON.stringify({
        endpoints: {
          'tcp://10.0.0.5:2376': { readOnly: true },
          '/run/prod.sock': { readOnly: true },
          'prod-eu_1.a': { readOnly: true },
          staging: { readOnly: false },
          dev: {},
        },
      }),
      'c',
    );
    expect(config.endpoints).toEqual({
      'tcp://10.0.0.5:2376': { readOnly: true },
      '/run/prod.sock': { readOnly: true },
      'prod-eu_1.a': { readOnly: true },
      staging: { readOnly: false },
      dev: { readOnly: false },
    });
  });

  it.each([
    [[], 'c.json: "endpoints" must be an object of endpoints, like {"prod": {"readOnly": true}}.'],
    [
      { 'tpc://x:1': { readOnly: true } },
      'c.json: "endpoints" › "tpc://x:1" is neither an endpoint URL (unix://, tcp://, ssh://) nor a docker context name.',
    ],
    [
      { 'my prod': { readOnly: true } },
      'c.json: "endpoints" › "my prod" is neither an endpoint URL (unix://, tcp://, ssh://) nor a docker context name.',
    ],
    [{ prod: true }, 'c.json: "endpoints" › "prod" must be an object, like {"readOnly": true}.'],
    [
      { prod: { readonly: true } },
      'c.json: "endpoints" › "prod": "readonly" is not an endpoint setting; the only one is "readOnly".',
    ],
    [
      { prod: { readOnly: 'yes' } },
      'c.json: "endpoints" › "prod": "readOnly" must be true or false.',
    ],
  ])('rejects %j', (value, message) => {
    expect(errorOf(() => parseConfig(JSON.stringify({ endpoints: value }), 'c.json')).message).toBe(
      message,
    );
  });
});

describe('endpointNames and endpointsReadOnly', () => {
  const unix: Endpoint = {
    kind: 'unix',
    socketPath: '/run/prod.sock',
    label: 'unix:///run/prod.sock',
    source: 'DOCKER_HOST',
  };
  const tcp: Endpoint = {
    kind: 'tcp',
    host: 'localhost',
    port: 2376,
    tls: null,
    label: 'tcp://localhost:2376',
    source: 'context prod',
  };

  it('names an endpoint by its URL, socket path, given text and context', () => {
    expect(endpointNames(unix, 'unix:///run/prod.sock/')).toEqual([
      'unix:///run/prod.sock',
      '/run/prod.sock',
      'unix:///run/prod.sock',
    ]);
    expect(endpointNames(tcp)).toEqual(['tcp://localhost:2376', 'prod']);
  });

  it('is read-only when any endpoint in use matches a read-only entry', () => {
    const config = (endpoints: Config['endpoints']): Config => ({ ...DEFAULT_CONFIG, endpoints });
    const inUse = [{ endpoint: unix }, { endpoint: tcp }];
    expect(endpointsReadOnly(config({ prod: { readOnly: true } }), inUse)).toBe(true);
    expect(endpointsReadOnly(config({ '/run/prod.sock': { readOnly: true } }), inUse)).toBe(true);
    expect(endpointsReadOnly(config({ 'tcp://localhost:2376/': { readOnly: true } }), inUse)).toBe(
      true,
    );
    expect(endpointsReadOnly(config({ prod: { readOnly: false } }), inUse)).toBe(false);
    expect(endpointsReadOnly(config({ staging: { readOnly: true } }), inUse)).toBe(false);
    expect(endpointsReadOnly(config({}), inUse)).toBe(false);
  });
});

describe('endpoints compared canonically', () => {
  const config = (endpoints: Config['endpoints']): Config => ({ ...DEFAULT_CONFIG, endpoints });
  const readOnlyFor = (entry: string, host: string, env: NodeJS.ProcessEnv = {}): boolean =>
    endpointsReadOnly(config({ [entry]: { readOnly: true } }), [
      { endpoint: resolveEndpoint({ hosts: [host], env, homeDir: '/nonexistent' }), given: host },
    ]);

  it.each([
    ['ssh://ops@swarm-eu-1', 'ssh://ops@SWARM-EU-1'],
    ['ssh://ops@swarm-eu-1', 'ssh://ops@swarm-eu-1:22'],
    ['ssh://ops@swarm-eu-1:22', 'ssh://ops@swarm-eu-1'],
    ['ssh://swarm-eu-1', 'ssh://ops@swarm-eu-1'],
    ['SSH://SWARM-EU-1', 'ssh://swarm-eu-1'],
    ['tcp://prod-mgr', 'tcp://prod-mgr:2375'],
    ['tcp://prod-mgr', 'tcp://PROD-MGR:2375'],
    ['tcp://prod-mgr:2375', 'TCP://prod-mgr'],
    ['tcp://[2001:DB8::1]', 'tcp://[2001:db8::1]:2375'],
  ])('the entry %s makes %s read-only', (entry, host) => {
    expect(readOnlyFor(entry, host)).toBe(true);
  });

  it.each([
    ['ssh://ops@swarm-eu-1', 'ssh://root@swarm-eu-1'],
    ['ssh://ops@swarm-eu-1', 'ssh://ops@swarm-eu-1:2222'],
    ['ssh://swarm-eu-1', 'ssh://swarm-eu-2'],
    ['tcp://prod-mgr', 'tcp://prod-mgr:2376'],
    ['tcp://prod-mgr:2375', 'ssh://prod-mgr'],
  ])('the entry %s does not name %s', (entry, host) => {
    expect(readOnlyFor(entry, host)).toBe(false);
  });

  it('fills in 2376 for a TLS endpoint, and tcp+tls:// names only TLS', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-certs-'));
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(dir, name), 'x');
    const tls = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir };
    expect(readOnlyFor('tcp://prod-mgr', 'tcp://prod-mgr', tls)).toBe(true);
    expect(readOnlyFor('tcp://prod-mgr', 'tcp://prod-mgr:2375', tls)).toBe(false);
    expect(readOnlyFor('tcp+tls://prod-mgr', 'tcp://PROD-MGR:2376', tls)).toBe(true);
    expect(readOnlyFor('tcp+tls://prod-mgr:2375', 'tcp://prod-mgr:2375')).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the entries that matched no endpoint in use', () => {
    const host = 'ssh://ops@swarm-eu-1';
    const inUse = [{ endpoint: resolveEndpoint({ hosts: [host], env: {}, homeDir: '/x' }) }];
    const file = config({
      'ssh://OPS@swarm-eu-1:22': { readOnly: false },
      'ssh://swarm-eu-1': { readOnly: true },
      'tcp://prod-mgr': { readOnly: true },
      staging: { readOnly: true },
    });
    expect(unmatchedEndpoints(file, inUse)).toEqual([
      'ssh://OPS@swarm-eu-1:22',
      'tcp://prod-mgr',
      'staging',
    ]);
  });
});

describe('keys', () => {
  it('keeps the remapping for the key table', () => {
    expect(parseConfig('{"keys": {"logs": "V", "move-down": ["n", "down"]}}', 'c').keys).toEqual({
      logs: 'V',
      'move-down': ['n', 'down'],
    });
  });

  it.each([
    ['[]', 'c.json: "keys" must be an object of command names, like {"logs": "ctrl+l"}.'],
    ['{"log": "L"}', 'c.json: "keys": "log" is not a command; did you mean "logs"?'],
    [
      '{"logs": "j"}',
      'c.json: "keys": "j" is already the key of "move-down"; pick another key for "logs", or give "move-down" another key too.',
    ],
    [
      '{"help": "ctrl+c"}',
      'c.json: "keys": "C-c" cannot be given to "help": it always means "quit".',
    ],
  ])('rejects %s, naming the file', (keys, message) => {
    expect(errorOf(() => parseConfig(`{"keys": ${keys}}`, 'c.json')).message).toBe(message);
  });
});
