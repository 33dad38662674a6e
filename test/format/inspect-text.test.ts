import { describe, expect, it } from 'vitest';
import { inspectLines, safeJson, specText } from '../../source/format/inspect-text.js';
import { MASK } from '../../source/format/mask.js';

const ESC = '\x1b';

/** A service as GET /services/{id} answers it, with secrets and hostile text planted in it. */
function serviceJson(): Record<string, unknown> {
  return {
    ID: 'svc1',
    Version: { Index: 42 },
    CreatedAt: '2026-11-25T06:33:53Z',
    PreviousSpec: { Name: 'web', TaskTemplate: { ContainerSpec: { Env: ['API_TOKEN=old'] } } },
    Spec: {
      Name: 'web',
      Labels: { 'com.example.team': 'ops', 'db.password': 'hunter2' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'lab/busybox:1@sha256:abc',
          Args: ['sh', '-c', 'echo one\necho two'],
          Env: [
            'DB_PASSWORD=hunter2',
            'DATABASE_URL=postgres://app:s3cret@db/app',
            'MODE=fast',
            'EMPTY_SECRET=',
          ],
          Labels: { 'vault.token': 'abc' },
        },
        Resources: { Reservations: { NanoCPUs: 500_000_000, MemoryBytes: 536_870_912 } },
        LogDriver: {
          Name: 'splunk',
          Options: { 'splunk-token': 'tok', 'splunk-url': 'https://s' },
        },
        RestartPolicy: { Condition: 'any', Delay: 5_000_000_000 },
        Placement: {},
      },
      Mode: { Replicated: { Replicas: 2 } },
      EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080 }] },
    },
    UpdateStatus: { State: 'paused', Message: `update paused ${ESC}]0;pwned\x07due to failure` },
    ServiceStatus: { RunningTasks: 1, DesiredTasks: 2 },
    Endpoint: { Spec: {} },
  };
}

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('inspectLines', () => {
  it('lays the object out as indented keys: ID and version, the spec, status, previous spec last', () => {
    const lines = inspectLines(serviceJson(), { revealSecrets: false });
    const top = lines.filter((line) => /^\S/.test(line)).map((line) => line.split(':')[0]);
    expect(top).toEqual([
      'ID',
      'Version',
      'Spec',
      'UpdateStatus',
      'ServiceStatus',
      'Endpoint',
      'CreatedAt',
      'PreviousSpec',
    ]);
    expect(lines).toContain('  Name: web');
    expect(lines).toContain('    ContainerSpec:');
    expect(lines).toContain('      Image: lab/busybox:1@sha256:abc');
    expect(lines).toContain('    Placement: {}');
    expect(lines).toContain('  Spec: {}');
    expect(lines).toContain('ID: svc1');
    expect(lines).toContain('  RunningTasks: 1');
  });

  it('writes array items with "- ", objects inside them on the item line, multi-line strings as |', () => {
    const lines = inspectLines(serviceJson(), { revealSecrets: true });
    const args = lines.indexOf('      Args:');
    expect(lines.slice(args, args + 6)).toEqual([
      '      Args:',
      '        - sh',
      '        - -c',
      '        - |',
      '            echo one',
      '            echo two',
    ]);
    const ports = lines.indexOf('    Ports:');
    expect(lines.slice(ports, ports + 4)).toEqual([
      '    Ports:',
      '      - Protocol: tcp',
      '        TargetPort: 80',
      '        PublishedPort: 8080',
    ]);
  });

  it('puts readable figures beside sizes, CPUs and durations', () => {
    const lines = inspectLines(serviceJson(), { revealSecrets: false }).map((line) => line.trim());
    expect(lines).toContain('NanoCPUs: 500000000 (0.5 CPU)');
    expect(lines).toContain('MemoryBytes: 536870912 (512 MiB)');
    expect(lines).toContain('Delay: 5000000000 (5 s)');
  });

  it('masks secret-looking env values, labels, driver options and URL passwords', () => {
    const text = inspectLines(serviceJson(), { revealSecrets: false }).join('\n');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('tok\n');
    expect(text).not.toMatch(/vault\.token: abc/);
    expect(text).toContain(`- DB_PASSWORD=${MASK}`);
    expect(text).toContain(`- DATABASE_URL=postgres://app:${MASK}@db/app`);
    expect(text).toContain('- MODE=fast');
    expect(text).toContain('- EMPTY_SECRET=');
    expect(text).toContain(`db.password: ${MASK}`);
    expect(text).toContain('com.example.team: ops');
    expect(text).toContain(`splunk-token: ${MASK}`);
    expect(text).toContain('splunk-url: https://s');
    // The previous spec is masked as well.
    expect(text).toContain(`- API_TOKEN=${MASK}`);
  });

  it('masks secrets in command lines: flags, pairs, curl -u, URL passwords with @ and /', () => {
    const raw = {
      Spec: {
        TaskTemplate: {
          ContainerSpec: {
            Args: ['--token', 'tok1', '--password=pw2', '--db', 'postgres://a:p@ss@db/x'],
            Healthcheck: {
              Test: ['CMD-SHELL', 'curl -fu admin:pw3 http://x/ && curl -u admin:pw4 x'],
            },
            Mounts: [
              {
                VolumeOptions: {
                  DriverConfig: { Options: { o: 'addr=nas,username=u,password=pw5' } },
                },
              },
            ],
          },
        },
        Labels: { 'traefik.http.middlewares.x.basicauth.users': 'admin:$apr1$h' },
      },
    };
    const text = inspectLines(raw, { revealSecrets: false }).join('\n');
    expect(text).not.toMatch(/tok1|pw2|p@ss|pw3|pw4|pw5|apr1/);
    expect(text).toContain(`postgres://a:${MASK}@db/x`);
    expect(text).toContain(`password=${MASK}`);
  });

  it('shows everything with revealSecrets', () => {
    const text = inspectLines(serviceJson(), { revealSecrets: true }).join('\n');
    expect(text).toContain('- DB_PASSWORD=hunter2');
    expect(text).toContain('db.password: hunter2');
    expect(text).toContain('postgres://app:s3cret@db/app');
    expect(text).not.toContain(MASK);
  });

  it('never lets control bytes through, in values or in keys', () => {
    const raw = serviceJson();
    raw['Spec'] = {
      Name: `web${ESC}[2J`,
      Labels: { [`evil${ESC}]52;c;aGk=\x07key`]: `v${ESC}[31mred\u202eflip`, 'x\u009b31m': 'c1' },
      TaskTemplate: {
        ContainerSpec: {
          Args: ['printf "safe\\rEVIL"', `safe\rEVIL`, `back okay\b\b\b\bEVIL`, 'tab\there'],
        },
      },
    };
    for (const reveal of [false, true]) {
      const lines = inspectLines(raw, { revealSecrets: reveal });
      for (const line of lines) expect(line).not.toMatch(CONTROL);
      const text = lines.join('\n');
      expect(text).toContain('Name: web');
      expect(text).toContain('update paused due to failure');
      expect(text).not.toContain('pwned');
    }
  });

  it('shows empty values as such', () => {
    expect(
      inspectLines({ Spec: { A: '', B: null, C: [], D: {}, E: false } }, { revealSecrets: false }),
    ).toEqual(['Spec:', '  A: ""', '  B: null', '  C: []', '  D: {}', '  E: false']);
    expect(inspectLines({}, { revealSecrets: false })).toEqual([]);
  });

  it('does not change the object it is given', () => {
    const raw = serviceJson();
    const before = structuredClone(raw);
    inspectLines(raw, { revealSecrets: false });
    specText(raw, { revealSecrets: false });
    expect(raw).toEqual(before);
  });
});

describe('specText', () => {
  it('is the spec as pretty JSON, masked like the view', () => {
    const text = specText(serviceJson(), { revealSecrets: false });
    const spec = JSON.parse(text) as {
      Name: string;
      TaskTemplate: { ContainerSpec: { Env: string[] } };
    };
    expect(spec.Name).toBe('web');
    expect(spec.TaskTemplate.ContainerSpec.Env).toContain(`DB_PASSWORD=${MASK}`);
    expect(text).not.toContain('hunter2');
    expect(text).toContain('\n  "Name": "web",\n');
    expect(JSON.parse(specText(serviceJson(), { revealSecrets: true }))).toEqual(
      serviceJson()['Spec'],
    );
  });

  it('escapes every control and invisible character while staying the same JSON', () => {
    const raw = { Spec: { Name: `a${ESC}]0;x\x07b\u009bc\u202ed\u200be` } };
    const text = specText(raw, { revealSecrets: true });
    expect(text).not.toMatch(CONTROL);
    expect(text).not.toContain('\u200b');
    expect(JSON.parse(text)).toEqual(raw.Spec);
  });

  it('escapes tag characters and the other invisible ones the sanitizer strips', () => {
    const raw = { Spec: { Name: 'web\udb40\udc41x\u034fy\u17b4z\ufe0f' } };
    const text = specText(raw, { revealSecrets: true });
    expect(text).toContain('web\\udb40\\udc41x\\u034fy\\u17b4z\\ufe0f');
    expect(JSON.parse(text)).toEqual(raw.Spec);
    expect(safeJson({ a: '\u0085' }, 0)).toBe('{"a":"\\u0085"}');
  });

  it('is {} when the object has no spec', () => {
    expect(specText({ ID: 'x' }, { revealSecrets: false })).toBe('{}');
  });
});

describe('a config (Spec.Data, base64)', () => {
  const content = [
    'worker_processes 4;',
    'auth_password hunter2;',
    'db:',
    '  password: s3cret',
    'url = postgres://app:pw1@db/app',
    '"api_key": "k-123",',
  ].join('\n');
  const configJson = () => ({
    ID: 'c1',
    Version: { Index: 3 },
    Spec: {
      Name: 'app_conf',
      Labels: { 'vault.token': 'abc' },
      Data: Buffer.from(content).toString('base64'),
    },
  });

  it('is shown decoded, its secret-looking values masked', () => {
    const lines = inspectLines(configJson(), { revealSecrets: false });
    const text = lines.join('\n');
    expect(lines).toContain('  Data: |');
    expect(lines).toContain('    worker_processes 4;');
    expect(lines).toContain(`    auth_password ${MASK}`);
    expect(lines).toContain(`      password: ${MASK}`);
    expect(lines).toContain(`    url = postgres://app:${MASK}@db/app`);
    expect(lines).toContain(`    "api_key": ${MASK}`);
    expect(text).not.toMatch(/hunter2|s3cret|pw1|k-123/);
    // Nor in its base64 form.
    expect(text).not.toContain(configJson().Spec.Data);
  });

  it('is shown whole with --show-secrets', () => {
    const text = inspectLines(configJson(), { revealSecrets: true }).join('\n');
    expect(text).toContain('auth_password hunter2;');
    expect(text).toContain('  password: s3cret');
  });

  it('that is not text is shown as its size', () => {
    const raw = configJson();
    raw.Spec.Data = Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64');
    expect(inspectLines(raw, { revealSecrets: true })).toContain('  Data: (4 bytes, not text)');
  });

  it('is never copied, --show-secrets or not', () => {
    for (const revealSecrets of [false, true]) {
      const copied = specText(configJson(), { revealSecrets });
      expect(JSON.parse(copied)).toMatchObject({ Name: 'app_conf', Data: MASK });
      expect(copied).not.toMatch(/hunter2|worker_processes/);
      expect(copied).not.toContain(configJson().Spec.Data);
    }
  });
});
