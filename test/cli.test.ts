// The built CLI's answers to bad input: one sentence, the contract's exit code, nothing sent.
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const missingSocket = 'unix:///tmp/smarm-top-test-no-such.sock';

describe('smarm-top command line', () => {
  it('prints help and exits 0', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--refresh SECONDS');
    expect(result.stdout).toContain('Exit codes');
  });

  it.each([
    [['--bogus'], /Unknown option --bogus/],
    [['--refresh', 'abc'], /--refresh must be a number of seconds/],
    [['--refresh', '-1'], /--refresh must be a number of seconds/],
    [['--refresh', '0'], /--refresh must be a number of seconds/],
    [['--json'], /--json only goes with --once/],
    [['stray'], /Unexpected argument "stray"/],
    [['--once', '--host', 'bogus://x'], /unsupported scheme/],
    [['--once', '--host', 'tcp://'], /--host/],
  ])('refuses %j with one sentence and exit code 2', (args, message) => {
    const result = runCli(args, { DOCKER_HOST: missingSocket });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a malformed DOCKER_HOST naming the variable', () => {
    const result = runCli(['--once'], { DOCKER_HOST: 'tcp://host:99999' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/DOCKER_HOST/);
  });

  it('needs a terminal unless --once is given', () => {
    const result = runCli([], { DOCKER_HOST: missingSocket });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/needs a terminal.*--once/);
  });

  it('names the endpoint it tried when nothing answers, exit code 1', () => {
    const result = runCli(['--once', '--host', missingSocket]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(missingSocket);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
