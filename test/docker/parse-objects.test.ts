// Networks, secrets, configs and the swarm, parsed from the lab's own answers (recorded with
// scripts/record-fixtures.ts; the swarm's join tokens were replaced by fake ones, which must
// never come through).
import { fixture } from '../helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import {
  base64Size,
  parseConfigs,
  parseNetworks,
  parseRootCa,
  parseSecrets,
  parseSwarm,
} from '../../source/docker/parse-objects.js';

describe('parse objects', () => {
  it('reads swarm networks: ingress, encrypted, attachable, internal, subnets', () => {
    const networks = parseNetworks(fixture('networks.json'));
    const byName = new Map(networks.map((n) => [n.name, n]));
    const ingress = byName.get('ingress')!;
    expect(ingress).toMatchObject({ driver: 'overlay', scope: 'swarm', ingress: true });
    expect(ingress.ipam[0]?.subnet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(byName.get('fx-secure')).toMatchObject({
      encrypted: true,
      attachable: false,
      labels: { tier: 'back' },
    });
    expect(byName.get('fx-attach')).toMatchObject({
      encrypted: false,
      attachable: true,
      internal: true,
      ipam: [{ subnet: '10.77.0.0/24', gateway: '10.77.0.1' }],
    });
    expect(networks.every((n) => n.id.length > 0)).toBe(true);
  });

  it('reads secrets without any value and configs with their size only', () => {
    const [secret] = parseSecrets(fixture('secrets.json'));
    expect(secret).toMatchObject({ name: 'fx-db-password', driver: null, templating: null });
    expect(JSON.stringify(secret)).not.toContain('s3cr3t');
    const [config] = parseConfigs(fixture('configs.json'));
    expect(config).toMatchObject({ name: 'fx-nginx', dataBytes: 'listen 80;\n'.length });
    // The data is not kept, only counted.
    expect(JSON.stringify(config)).not.toContain('bGlzdGVu');
  });

  it('counts base64 bytes with and without padding', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'listen 80;\n']) {
      expect(base64Size(Buffer.from(text).toString('base64'))).toBe(text.length);
    }
  });

  it('reads the swarm: CA subject and expiry, settings, and never a join token', () => {
    const swarm = parseSwarm(fixture('swarm.json'));
    expect(swarm.rootCa?.subject).toContain('swarm-ca');
    expect(Date.parse(swarm.rootCa!.notAfter!)).toBeGreaterThan(Date.parse('2040-01-01'));
    expect(swarm.issuerKey).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(swarm.autolock).toBe(false);
    expect(swarm.rootRotationInProgress).toBe(false);
    expect(swarm.taskHistoryLimit).toBe(5);
    expect(swarm.raft.electionTick).toBe(10);
    expect(swarm.dataPathPort).toBe(4789);
    expect(swarm.defaultAddrPool).toEqual(['10.0.0.0/8']);
    expect(JSON.stringify(swarm)).not.toMatch(/SWMTKN|JoinTokens|fixture/i);
  });

  it('answers no CA for text that holds no certificate, and an empty subject for a broken one', () => {
    expect(parseRootCa('nothing here')).toBeNull();
    expect(
      parseRootCa('-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----'),
    ).toEqual({ subject: '', notAfter: null });
  });
});
