import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { resolveEndpoint } from '../../source/docker/connection.js';
import { DockerodeSwarmApi } from '../../source/docker/dockerode-api.js';
import { parseNode } from '../../source/docker/parse.js';
import { inspectLines, specText } from '../../source/format/inspect-text.js';
import { MASK } from '../../source/format/mask.js';
import { nodeDetailLines } from '../../source/state/node-capacity.js';
import { docker } from '../helpers/docker-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// inspectObject against the real lab, with the docker CLI as the witness; and the inspect text of
// services whose specs carry hostile bytes. The shared lab services are only read; the one
// service this file creates is its own and is removed afterwards.

const lab = inject('lab');
const host = lab?.dockerHost ?? 'unix:///nonexistent';

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function cliInspect(...args: string[]): Record<string, unknown> {
  return (JSON.parse(docker(host, ...args)) as Record<string, unknown>[])[0]!;
}

describeWithLab('inspect against the lab', () => {
  const api = new DockerodeSwarmApi(
    resolveEndpoint({ hosts: [host], env: {}, homeDir: '/nonexistent' }),
  );
  const name = `t-inspect-${randomBytes(4).toString('hex')}`;
  const ESC = '\x1b';

  beforeAll(() => {
    // Real control bytes (not their backslash spellings) in a label, an env value and an arg.
    docker(
      host,
      'service',
      'create',
      '--detach',
      '--name',
      name,
      '--label',
      `evil=a${ESC}]0;pwned\x07b${ESC}[2Jc\u009b31m`,
      '--label',
      'db.password=hunter2',
      '--env',
      `API_TOKEN=tok${ESC}]52;c;aGk=\x07`,
      '--env',
      'DATABASE_URL=postgres://app:s3cret@db/app',
      '--reserve-cpu',
      '0.01',
      '--reserve-memory',
      '4MB',
      'lab/busybox:1',
      'sh',
      '-c',
      `echo "${ESC}]0;title${ESC}\\\\"; sleep 3600`,
    );
  });

  afterAll(() => {
    api.close();
    try {
      docker(host, 'service', 'rm', name);
    } catch {
      // Already gone; nothing to clean.
    }
  });

  it('answers for a service what docker service inspect says', async () => {
    const raw = await api.inspectObject('service', 'web');
    const cli = cliInspect('service', 'inspect', 'web');
    expect(raw['ID']).toBe(cli['ID']);
    expect(raw['Spec']).toEqual(cli['Spec']);
    expect(raw['Version']).toEqual(cli['Version']);
  });

  it('answers for a node what docker node inspect says', async () => {
    const id = docker(host, 'node', 'inspect', '--format', '{{.ID}}', 'manager-1');
    const raw = await api.inspectObject('node', id);
    const cli = cliInspect('node', 'inspect', id);
    expect(raw['Spec']).toEqual(cli['Spec']);
    expect(raw['Description']).toMatchObject({ Hostname: 'manager-1' });
    expect(raw['ManagerStatus']).toBeDefined();
    const node = parseNode(raw);
    const lines = nodeDetailLines(
      node,
      await api.listTasks({ nodeId: id, desiredRunningOnly: true }),
      new Map(),
    );
    expect(lines[0]).toMatch(/^manager-1 · manager \(\w+\) · \w+ · ready$/);
    expect(lines[1]).toMatch(/^CPU \d/);
  });

  it('answers for a task what docker inspect --type task says, reservations included', async () => {
    const taskId = await waitFor(
      'a task of the test service',
      () => docker(host, 'service', 'ps', '-q', '--no-trunc', name).split('\n')[0] || undefined,
      { timeoutMs: 30_000 },
    );
    const raw = await api.inspectObject('task', taskId);
    const cli = cliInspect('inspect', '--type', 'task', taskId);
    expect(raw['ID']).toBe(taskId);
    expect(raw['Spec']).toEqual(cli['Spec']);
    expect(raw['ServiceID']).toBe(cli['ServiceID']);
    const [task] = (await api.listTasks({ serviceId: String(raw['ServiceID']) })).filter(
      (t) => t.id === taskId,
    );
    expect(task).toMatchObject({ reservedNanoCpus: 1e7, reservedMemoryBytes: 4 * 1024 * 1024 });
  });

  it('says a removed object no longer exists', async () => {
    await expect(api.inspectObject('service', 'no-such-service-here')).rejects.toThrow(
      /^The service no-such-service-here no longer exists \(the engine says: service no-such-service-here not found\)\.$/,
    );
  });

  it('renders the lab hostile service without control bytes', async () => {
    const raw = await api.inspectObject('service', 'hostile');
    const lines = inspectLines(raw, { revealSecrets: true });
    expect(lines).toContain('  Name: hostile');
    for (const line of lines) expect(line).not.toMatch(CONTROL);
  });

  it('renders a spec with real control bytes inert and masked', async () => {
    const raw = await api.inspectObject('service', name);
    for (const reveal of [false, true]) {
      const lines = inspectLines(raw, { revealSecrets: reveal });
      for (const line of lines) expect(line).not.toMatch(CONTROL);
      const text = lines.join('\n');
      expect(text).not.toContain('pwned');
      // The C1 CSI (0x9B) and its parameters go with the other escape sequences.
      expect(text).toContain('evil: abc\n');
      expect(text.includes('hunter2')).toBe(reveal);
      expect(text.includes('s3cret')).toBe(reveal);
      expect(specText(raw, { revealSecrets: reveal })).not.toMatch(CONTROL);
    }
    expect(inspectLines(raw, { revealSecrets: false })).toContain(`        - API_TOKEN=${MASK}`);
  });
});
