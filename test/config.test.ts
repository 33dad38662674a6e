import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, defaultConfigPath, loadConfig, parseConfig } from '../source/config.js';
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
      theme: 'dark',
      refreshSeconds: 2,
      endpoints: {},
      keys: {},
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

  it('rejects unknown keys, naming the known ones', () => {
    const file = writeConfig('{"readonly": true}');
    expect(errorOf(() => loadConfig({}, home)).message).toBe(
      `${file}: "readonly" is not a setting; the settings are "readOnly", "scaleCeiling", "logBufferLines", "theme", "refreshSeconds", "endpoints" and "keys".`,
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
