import { describe, expect, it } from 'vitest';
import {
  evaluateConstraint,
  evaluateConstraints,
  namesNodeLabels,
  nodeMatches,
  parseConstraint,
  parseConstraints,
  type Constraint,
} from '../../source/operations/constraints.js';
import { node } from '../helpers/factories.js';

const worker = node({
  id: 'abc123',
  hostname: 'worker-1',
  role: 'worker',
  address: '192.168.5.7',
  platform: { os: 'linux', arch: 'x86_64' },
  labels: { zone: 'Mars', disk: 'ssd', empty: '', api_token: 's3cret' },
  engineLabels: { storage: 'nvme' },
});

function one(text: string, subject = worker, reveal = false) {
  const parsed = parseConstraint(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return evaluateConstraint(parsed, subject, { reveal });
}

describe('parseConstraint', () => {
  it('splits key, operator and value, trimmed', () => {
    expect(parseConstraint(' node.labels.zone == mars ')).toEqual<Constraint>({
      text: ' node.labels.zone == mars ',
      key: 'node.labels.zone',
      operator: '==',
      value: 'mars',
    });
    expect(parseConstraint('node.role!=manager')).toMatchObject({
      key: 'node.role',
      operator: '!=',
      value: 'manager',
    });
  });

  it('looks for == before != as swarmkit does', () => {
    // "a!==b" contains "==": the key is "a!", which is not a valid key.
    expect(parseConstraint('node.labels.a!==b')).toMatch(/key "node.labels.a!" is not valid/);
  });

  it('refuses an expression without an operator, a bad key or a bad value', () => {
    expect(parseConstraint('node.labels.zone=mars')).toMatch(/no operator/);
    expect(parseConstraint('9abc==x')).toMatch(/key "9abc" is not valid/);
    expect(parseConstraint('x==y')).toMatch(/key "x" is not valid/); // two characters at least
    expect(parseConstraint('node.labels.zone==')).toMatch(/value "" is not valid/);
    expect(parseConstraint('node.labels.zone==a>b')).toMatch(/value "a>b" is not valid/);
    expect(parseConstraint('node.labels.zone==a~b')).toMatch(/not valid/);
  });

  it('takes the value characters swarmkit allows', () => {
    expect(parseConstraint('node.labels.x==a b:c-d_e.f*(g)?+[h]\\^$|/i')).toMatchObject({
      value: 'a b:c-d_e.f*(g)?+[h]\\^$|/i',
    });
  });

  it('parses a list or names the first bad one', () => {
    expect(parseConstraints(['node.role==worker', 'node.labels.a==b']).error).toBeNull();
    expect(parseConstraints(['node.role==worker', 'nope', 'x']).error).toMatch(/"nope"/);
  });
});

describe('evaluateConstraint', () => {
  it('node.id, node.hostname, node.role with == and !=', () => {
    expect(one('node.id==abc123').holds).toBe(true);
    expect(one('node.id==ABC123').holds).toBe(true);
    expect(one('node.id!=abc123')).toEqual(
      expect.objectContaining({ holds: false, reason: "node.id!=abc123: the node's ID is abc123" }),
    );
    expect(one('node.hostname==worker-1').holds).toBe(true);
    expect(one('node.hostname==worker-2').reason).toBe(
      "node.hostname==worker-2: the node's hostname is worker-1",
    );
    expect(one('node.hostname!=worker-2').holds).toBe(true);
    expect(one('node.role==worker').holds).toBe(true);
    expect(one('node.role==WORKER').holds).toBe(true);
    expect(one('node.role==manager').reason).toBe("node.role==manager: the node's role is worker");
    expect(one('node.role!=worker').holds).toBe(false);
  });

  it('compares keys case-insensitively', () => {
    expect(one('Node.Role==worker').holds).toBe(true);
    expect(one('NODE.LABELS.zone==mars').holds).toBe(true);
    expect(one('Engine.Labels.storage==nvme').holds).toBe(true);
  });

  it('compares values case-insensitively, as whole strings, and label names case-sensitively', () => {
    expect(one('node.labels.zone==mars').holds).toBe(true);
    expect(one('node.labels.zone==MARS').holds).toBe(true);
    expect(one('node.labels.zone==mar').holds).toBe(false);
    expect(one('node.labels.zone==ma*').holds).toBe(false); // no globbing
    expect(one('node.labels.Zone==mars').reason).toBe(
      'node.labels.Zone==mars: the node has no label Zone',
    );
  });

  it('a missing label: == fails, != holds', () => {
    expect(one('node.labels.rack==r1')).toEqual(
      expect.objectContaining({
        holds: false,
        reason: 'node.labels.rack==r1: the node has no label rack',
      }),
    );
    expect(one('node.labels.rack!=r1').holds).toBe(true);
    expect(one('engine.labels.gpu==yes').reason).toBe(
      'engine.labels.gpu==yes: the node has no engine label gpu',
    );
    expect(one('engine.labels.gpu!=yes').holds).toBe(true);
  });

  it('a label with another value or an empty one says what it is', () => {
    expect(one('node.labels.disk==hdd').reason).toBe(
      "node.labels.disk==hdd: the node's label disk is ssd",
    );
    expect(one('node.labels.disk!=ssd').reason).toBe(
      "node.labels.disk!=ssd: the node's label disk is ssd",
    );
    expect(one('node.labels.empty==x').reason).toBe(
      "node.labels.empty==x: the node's label empty is empty",
    );
    expect(one('node.labels.empty!=x').holds).toBe(true);
  });

  it('engine labels and the platform', () => {
    expect(one('engine.labels.storage==NVMe').holds).toBe(true);
    expect(one('engine.labels.storage!=nvme').holds).toBe(false);
    expect(one('node.platform.os==linux').holds).toBe(true);
    expect(one('node.platform.os==windows').reason).toBe(
      "node.platform.os==windows: the node's OS is linux",
    );
    expect(one('node.platform.arch==X86_64').holds).toBe(true);
    expect(one('node.platform.arch==aarch64').reason).toBe(
      "node.platform.arch==aarch64: the node's architecture is x86_64",
    );
    const bare = node({ id: 'n', platform: { os: '', arch: '' } });
    expect(one('node.platform.os==linux', bare).reason).toBe(
      'node.platform.os==linux: the node has no OS',
    );
    expect(one('node.platform.os!=linux', bare).holds).toBe(true);
  });

  it('node.ip takes an address or a network; a malformed one never holds', () => {
    expect(one('node.ip==192.168.5.7').holds).toBe(true);
    expect(one('node.ip!=192.168.5.7').holds).toBe(false);
    expect(one('node.ip==192.168.5.8').reason).toBe(
      "node.ip==192.168.5.8: the node's address is 192.168.5.7",
    );
    expect(one('node.ip==192.168.0.0/16').holds).toBe(true);
    expect(one('node.ip!=192.168.0.0/16').reason).toBe(
      "node.ip!=192.168.0.0/16: the node's address 192.168.5.7 is in 192.168.0.0/16",
    );
    expect(one('node.ip==192.168.4.0/24').holds).toBe(false);
    expect(one('node.ip!=192.168.4.0/24').holds).toBe(true);
    expect(one('node.ip==bogus').holds).toBe(false);
    expect(one('node.ip!=bogus').holds).toBe(false);
    expect(one('node.ip!=bogus').reason).toMatch(/neither an address nor a network/);
    const v6 = node({ id: 'v6', address: '2001:db8::2' });
    expect(one('node.ip==2001:db8::2', v6).holds).toBe(true);
    expect(one('node.ip==2001:db8:0:0:0:0:0:2', v6).holds).toBe(true);
    expect(one('node.ip==2001:db8::/32', v6).holds).toBe(true);
    expect(one('node.ip==2001:db9::/32', v6).holds).toBe(false);
    expect(one('node.ip==192.168.0.0/16', v6).holds).toBe(false);
    const mapped = node({ id: 'm', address: '::ffff:192.168.5.7' });
    expect(one('node.ip==192.168.5.7', mapped).holds).toBe(true);
    expect(one('node.ip==192.168.0.0/16', mapped).holds).toBe(true);
  });

  it('a key swarm does not know never holds, whatever the operator', () => {
    expect(one('node.name==worker-1').holds).toBe(false);
    expect(one('node.name!=worker-1').reason).toMatch(/"node.name" is not a key swarm/);
    // A bare prefix is no label.
    expect(one('node.labels.==x').holds).toBe(false);
  });

  it('masks a secret-looking label value in the reason unless revealed', () => {
    const masked = one('node.labels.api_token==other').reason!;
    expect(masked).not.toContain('s3cret');
    expect(masked).not.toContain('other');
    expect(one('node.labels.api_token==other', worker, true).reason).toBe(
      "node.labels.api_token==other: the node's label api_token is s3cret",
    );
  });
});

describe('evaluateConstraints', () => {
  it('every expression must hold; each says why not', () => {
    const verdict = evaluateConstraints(
      ['node.role==worker', 'node.labels.zone==venus', 'node.labels.rack==r1'],
      worker,
    );
    expect(verdict.matches).toBe(false);
    expect(verdict.parseError).toBeNull();
    expect(verdict.results.map((r) => r.holds)).toEqual([true, false, false]);
    expect(verdict.results.map((r) => r.reason)).toEqual([
      null,
      "node.labels.zone==venus: the node's label zone is Mars",
      'node.labels.rack==r1: the node has no label rack',
    ]);
  });

  it('no constraints: every node matches', () => {
    expect(evaluateConstraints([], worker)).toEqual({
      matches: true,
      results: [],
      parseError: null,
    });
  });

  it('constraints that do not parse turn the filter off, as swarmkit does', () => {
    const verdict = evaluateConstraints(['node.role==manager', 'garbage'], worker);
    expect(verdict.matches).toBe(true);
    expect(verdict.parseError).toMatch(/"garbage" has no operator/);
  });

  it('nodeMatches and namesNodeLabels', () => {
    expect(nodeMatches(['node.labels.zone==mars'], worker)).toBe(true);
    expect(nodeMatches(['node.labels.zone!=mars'], worker)).toBe(false);
    expect(namesNodeLabels(['node.role==worker'])).toBe(false);
    expect(namesNodeLabels(['node.role==worker', 'Node.Labels.zone!=x'])).toBe(true);
    expect(namesNodeLabels(['engine.labels.zone==x'])).toBe(false);
  });
});
