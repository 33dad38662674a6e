// A throwaway OpenSSH server on 127.0.0.1 whose sessions reach the lab swarm, and throwaway ssh
// clients for it: the ssh:// transport is tested against the real ssh and sshd, host keys
// checked as always. Needs root (tests run as root) and Debian's openssh-server.
//
// How a client is configured: as a user would, with an ssh config file (key, known_hosts). ssh
// reads ~/.ssh/config from the passwd entry's home, not from $HOME, so HOME cannot point it at a
// temporary one; each client is instead a directory holding a `ssh` wrapper that adds
// `-F <its config>`, put first on PATH. smarm-top, like the docker CLI, runs `ssh` from PATH and
// passes no config of its own, so what the wrapper adds is exactly what ~/.ssh/config would.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './wait-for.js';

export const SSHD = '/usr/sbin/sshd';
const SSH = '/usr/bin/ssh';

export interface SshClientOptions {
  /** Whether the server's host key is in the client's known_hosts (default true). */
  knowsHostKey?: boolean;
  /** Whether the client's key is authorized on the server (default true). */
  authorized?: boolean;
}

export interface SshClient {
  /** Environment for smarm-top (or anything that runs `ssh`): PATH with the wrapper first. */
  env: Record<string, string>;
  /** One line per ssh process started through this client. */
  spawnLog: string;
  /** How many ssh processes were started through this client so far. */
  spawned(): number;
  /** Their process ids (the wrapper execs ssh, keeping its pid). */
  pids(): number[];
}

export interface Sshd {
  port: number;
  /** ssh://root@127.0.0.1:<port> */
  url: string;
  /** What sshd logged (it runs with -e). */
  log(): string;
  client(options?: SshClientOptions): SshClient;
  stop(): Promise<void>;
}

function keygen(file: string, comment: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('latin1').startsWith('SSH-'));
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts sshd on a free port of 127.0.0.1. Every session gets DOCKER_HOST=`dockerHost`, so
 * `docker system dial-stdio` on this "remote" reaches that engine.
 */
export async function startSshd(dockerHost: string): Promise<Sshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smarm-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519_key');
  const hostPub = keygen(hostKey, 'smarm-test-host');
  const authorizedKey = path.join(dir, 'client_ed25519');
  const authorizedPub = keygen(authorizedKey, 'smarm-test-client');
  const otherKey = path.join(dir, 'other_ed25519');
  keygen(otherKey, 'smarm-test-stranger');
  writeFileSync(path.join(dir, 'authorized_keys'), `${authorizedPub}\n`);
  // sshd refuses to start without its privilege separation directory (made by the service unit).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PrintMotd no',
      'PrintLastLog no',
      `SetEnv DOCKER_HOST=${dockerHost} SHLVL=1`,
      '',
    ].join('\n'),
  );

  let log = '';
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    log += text;
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    await waitFor(
      `sshd to listen on 127.0.0.1:${port}`,
      async () => {
        if (exited) throw new Error(`sshd exited: ${log}`);
        return answers(port);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  } catch (err) {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  let clients = 0;
  const client = ({ knowsHostKey = true, authorized = true }: SshClientOptions = {}): SshClient => {
    const home = path.join(dir, `client-${clients++}`);
    mkdirSync(home);
    const knownHosts = path.join(home, 'known_hosts');
    writeFileSync(knownHosts, knowsHostKey ? `[127.0.0.1]:${port} ${hostPub}\n` : '');
    const sshConfig = path.join(home, 'config');
    writeFileSync(
      sshConfig,
      [
        'Host *',
        `  IdentityFile ${authorized ? authorizedKey : otherKey}`,
        '  IdentitiesOnly yes',
        // Only this client's files: no agent, no system-wide known hosts.
        '  IdentityAgent none',
        `  UserKnownHostsFile ${knownHosts}`,
        '  GlobalKnownHostsFile /dev/null',
        '',
      ].join('\n'),
    );
    const spawnLog = path.join(home, 'spawned.log');
    writeFileSync(spawnLog, '');
    const wrapper = path.join(home, 'ssh');
    writeFileSync(
      wrapper,
      `#!/bin/sh\necho "$$" >> '${spawnLog}'\nexec ${SSH} -F '${sshConfig}' "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const pids = (): number[] =>
      readFileSync(spawnLog, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map(Number);
    return {
      env: { PATH: `${home}:${process.env['PATH'] ?? '/usr/bin:/bin'}` },
      spawnLog,
      spawned: () => pids().length,
      pids,
    };
  };

  return {
    port,
    url: `ssh://root@127.0.0.1:${port}`,
    log: () => log,
    client,
    stop: async () => {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
