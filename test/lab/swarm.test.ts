// The swarm's trust and settings against the real lab swarm: `--once --json` says what
// `docker info` says; autolock toggled with the docker CLI shows; a CA rotation shows in progress,
// then done, every node's certificate issuer converging on the new root; and no output holds a
// join token. The docker CLI is the witness; the swarm's settings are restored at the end.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { docker } from '../helpers/docker-cli.js';
import { runCli } from '../helpers/cli.js';
import { labNode } from '../helpers/lab-node.js';
import { waitFor } from '../helpers/wait-for.js';

interface OnceSwarm {
  id: string;
  autolock: boolean;
  rootRotationInProgress: boolean;
  issuerKey: string | null;
  rootCa: { subject: string; notAfter: string | null } | null;
  rootCaDaysLeft: number | null;
  nodesOnOldCa: string[];
  taskHistoryLimit: number | null;
  dataPathPort: number | null;
  raft: { snapshotInterval: number | null; heartbeatTick: number | null };
  managers: { count: number; quorum: number };
}

interface DockerCluster {
  ID: string;
  Spec: {
    EncryptionConfig: { AutoLockManagers: boolean };
    Orchestration: { TaskHistoryRetentionLimit: number };
    Raft: { SnapshotInterval: number; HeartbeatTick: number };
  };
  TLSInfo: { TrustRoot: string; CertIssuerPublicKey: string };
  RootRotationInProgress: boolean;
  DataPathPort: number;
}

describeWithLab('the swarm view against the lab swarm', (lab) => {
  const host = lab.dockerHost;
  const cli = (...args: string[]) => docker(host, ...args);
  /** A docker command whose output is dropped unread (the unlock key, a new root certificate). */
  const quietly = (...args: string[]) =>
    execFileSync('docker', ['-H', host, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
    });
  const cluster = () =>
    JSON.parse(cli('info', '--format', '{{json .Swarm.Cluster}}')) as DockerCluster;
  /** Every output of ours, kept for the token check at the end. */
  const outputs: string[] = [];
  const once = (...flags: string[]): string => {
    const result = runCli(['--once', ...flags, '--host', host]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    outputs.push(result.stdout);
    return result.stdout;
  };
  const swarm = (): OnceSwarm => (JSON.parse(once('--json')) as { swarm: OnceSwarm }).swarm;
  const autolockBefore = cluster().Spec.EncryptionConfig.AutoLockManagers;

  afterAll(() => {
    // Restore what the tests changed, whatever happened.
    quietly('swarm', 'update', `--autolock=${autolockBefore}`);
  });

  it('says what docker info says about the swarm', () => {
    const theirs = cluster();
    const ours = swarm();
    expect(ours.id).toBe(theirs.ID);
    expect(ours.autolock).toBe(theirs.Spec.EncryptionConfig.AutoLockManagers);
    expect(ours.taskHistoryLimit).toBe(theirs.Spec.Orchestration.TaskHistoryRetentionLimit);
    expect(ours.raft.snapshotInterval).toBe(theirs.Spec.Raft.SnapshotInterval);
    expect(ours.raft.heartbeatTick).toBe(theirs.Spec.Raft.HeartbeatTick);
    expect(ours.dataPathPort).toBe(theirs.DataPathPort);
    expect(ours.issuerKey).toBe(theirs.TLSInfo.CertIssuerPublicKey);
    const cert = new X509Certificate(theirs.TLSInfo.TrustRoot);
    expect(ours.rootCa?.subject).toBe(cert.subject.replace(/\n/g, ', '));
    expect(Date.parse(ours.rootCa!.notAfter!)).toBe(Date.parse(cert.validTo));
    const managers = cli('node', 'ls', '--filter', 'role=manager', '-q')
      .split('\n')
      .filter(Boolean);
    expect(ours.managers.count).toBe(managers.length);
    expect(ours.managers.quorum).toBe(Math.floor(managers.length / 2) + 1);
    const text = once();
    expect(text).toMatch(new RegExp(`cluster\\s+cluster ID\\s+${theirs.ID}`));
  });

  it('autolock turned on and off with the docker CLI shows in --once', async () => {
    try {
      quietly('swarm', 'update', '--autolock=true');
      expect(cluster().Spec.EncryptionConfig.AutoLockManagers).toBe(true);
      await waitFor('autolock on in --once --json', () => swarm().autolock === true, {
        timeoutMs: 30_000,
      });
      expect(once()).toMatch(/security\s+autolock\s+on/);
    } finally {
      quietly('swarm', 'update', '--autolock=false');
    }
    expect(cluster().Spec.EncryptionConfig.AutoLockManagers).toBe(false);
    await waitFor('autolock off in --once --json', () => swarm().autolock === false, {
      timeoutMs: 30_000,
    });
    expect(once()).toMatch(/security\s+autolock\s+off/);
  });

  it(
    'a CA rotation shows in progress (worker-2 on the old CA while it is down), then done',
    { timeout: 600_000 },
    async () => {
      const before = cluster().TLSInfo.CertIssuerPublicKey;
      // A rotation finishes only when every node holds a certificate from the new root: with
      // worker-2's daemon stopped it stays in progress, so both states can be seen.
      labNode('stop-node', 'worker-2');
      try {
        await waitFor(
          'worker-2 down',
          () => cli('node', 'inspect', 'worker-2', '--format', '{{.Status.State}}') === 'down',
          { timeoutMs: 120_000, intervalMs: 1000 },
        );
        quietly('swarm', 'ca', '--rotate', '--detach');
        expect(cluster().RootRotationInProgress).toBe(true);
        const during = swarm();
        expect(during.rootRotationInProgress).toBe(true);
        expect(during.nodesOnOldCa).toContain('worker-2');
        expect(once()).toMatch(/CA\s+CA rotation\s+in progress/);
      } finally {
        labNode('start-node', 'worker-2');
      }
      await waitFor(
        'the rotation to finish (docker info)',
        () => !cluster().RootRotationInProgress,
        {
          timeoutMs: 480_000,
          intervalMs: 1000,
        },
      );
      const after = cluster();
      expect(after.TLSInfo.CertIssuerPublicKey).not.toBe(before);
      const done = await waitFor(
        'the rotation done in --once --json',
        () => {
          const s = swarm();
          return !s.rootRotationInProgress && s.issuerKey === after.TLSInfo.CertIssuerPublicKey
            ? s
            : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      // Every node's certificate comes from the new root: the docker CLI's word and ours.
      const issuers = cli('node', 'ls', '-q')
        .split('\n')
        .filter(Boolean)
        .map(
          (id) =>
            JSON.parse(
              cli(
                'node',
                'inspect',
                id,
                '--format',
                '{{json .Description.TLSInfo.CertIssuerPublicKey}}',
              ),
            ) as string,
        );
      expect(new Set(issuers)).toEqual(new Set([after.TLSInfo.CertIssuerPublicKey]));
      expect(done.nodesOnOldCa).toEqual([]);
      expect(once()).toMatch(/CA\s+CA rotation\s+none/);
    },
  );

  it('no output holds a join token', () => {
    once('--json', '--show-secrets');
    const tokens = [
      cli('swarm', 'join-token', '-q', 'worker'),
      cli('swarm', 'join-token', '-q', 'manager'),
    ];
    expect(tokens.every((t) => t.startsWith('SWMTKN-'))).toBe(true);
    expect(outputs.length).toBeGreaterThan(4);
    for (const output of outputs) {
      expect(output).not.toMatch(/SWMTKN/);
      for (const token of tokens) expect(output.includes(token)).toBe(false);
    }
  });
});
