// The flight recorder as a swarm service, as docs/recording.md says to run it: the project's
// image (built offline and loaded on every node, test/helpers/project-image.ts), `record --dir
// /rec`, global on the managers, the engine's socket mounted, a volume for the recording. The lab's
// nodes each have their own socket, so the bind source names the node ({{.Node.Hostname}}) where
// a real swarm has /var/run/docker.sock on every node. The docker CLI is the witness: where the
// service runs, and what each manager's volume holds (read with busybox in a throwaway container).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/describe-lab.js';
import { docker } from '../helpers/docker-cli.js';
import {
  buildProjectImage,
  labRoot,
  labSocketOf,
  removeProjectImage,
} from '../helpers/project-image.js';
import { waitFor } from '../helpers/wait-for.js';

interface Header {
  k: 'hdr';
  recorder: string;
  endpoint: string;
}

describeWithLab('smarm-top record as a swarm service on the managers', (lab) => {
  const host = lab.dockerHost;
  const cli = (...args: string[]) => docker(host, ...args);
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const image = `smarm-top:rec-${suffix}`;
  const name = `smarm-recorder-${suffix}`;
  const volume = `smarm-recordings-${suffix}`;
  const managers = () =>
    cli('node', 'ls', '--filter', 'role=manager', '--format', '{{.Hostname}}')
      .split('\n')
      .filter(Boolean)
      .sort();

  /** The text of every segment in `node`'s volume, and its file names, through busybox. */
  const volumeOf = (node: string): { files: string[]; text: string } => {
    const socket = labSocketOf(lab, node);
    const run = (...command: string[]) =>
      docker(
        socket,
        'run',
        '--rm',
        '--network',
        'none',
        '-v',
        `${volume}:/rec:ro`,
        'lab/busybox:1',
        ...command,
      );
    const files = run('ls', '/rec').split('\n').filter(Boolean);
    const segments = files.filter((f) => /^seg-\d+-\d+\.jsonl$/.test(f));
    const text = segments.length === 0 ? '' : run('cat', ...segments.map((f) => `/rec/${f}`));
    return { files, text };
  };

  beforeAll(() => {
    buildProjectImage(lab, image);
  });

  afterAll(() => {
    try {
      cli('service', 'rm', name);
    } catch {
      // already removed by the test
    }
    for (const node of lab.nodes) {
      const socket = labSocketOf(lab, node);
      try {
        // The task's container goes shortly after the service; the volume only after it.
        for (let i = 0; i < 30; i++) {
          const left = docker(
            socket,
            'ps',
            '-aq',
            '--filter',
            `label=com.docker.swarm.service.name=${name}`,
          );
          if (left === '') break;
          execSleep(1);
        }
        docker(socket, 'volume', 'rm', '-f', volume);
      } catch {
        // never made on this node
      }
    }
    removeProjectImage(lab, image);
  });

  it('runs once on every manager and nowhere else, each writing its own recording into its own volume', async () => {
    // The recipe of docs/recording.md; the socket's source names the lab node's own socket.
    cli(
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      '--name',
      name,
      '--mode',
      'global',
      '--constraint',
      'node.role==manager',
      '--mount',
      `type=bind,source=${labRoot(lab)}/{{.Node.Hostname}}/docker.sock,target=/var/run/docker.sock`,
      '--mount',
      `type=volume,source=${volume},target=/rec`,
      image,
      'record',
      '--dir',
      '/rec',
    );
    const expected = managers();
    expect(expected.length).toBeGreaterThanOrEqual(3);

    // Running on exactly the managers, one task each, as docker service ps says.
    const running = () =>
      cli(
        'service',
        'ps',
        name,
        '--filter',
        'desired-state=running',
        '--format',
        '{{.Node}} {{.CurrentState}}',
      )
        .split('\n')
        .filter(Boolean);
    await waitFor(
      'a running recorder on every manager',
      () => {
        const rows = running();
        return rows.length === expected.length && rows.every((r) => / Running /.test(r));
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    expect(
      running()
        .map((r) => r.split(' ')[0])
        .sort(),
    ).toEqual(expected);
    expect(cli('service', 'ls', '--filter', `name=${name}`, '--format', '{{.Replicas}}')).toBe(
      `${expected.length}/${expected.length}`,
    );

    // Each manager's volume gets a recording: a header and a key frame of the whole swarm.
    await waitFor(
      'a key frame in every manager volume',
      () => expected.every((node) => volumeOf(node).text.includes('"k":"snap"')),
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    const recorders = new Set<string>();
    for (const node of expected) {
      const { files, text } = volumeOf(node);
      expect(files, node).toContain('recorder.lock');
      const headers = text
        .split('\n')
        .filter((l) => l.startsWith('{"k":"hdr"'))
        .map((l) => JSON.parse(l) as Header);
      expect(headers.length, node).toBeGreaterThan(0);
      // One recorder per folder: every segment in it was written by the same one.
      expect(new Set(headers.map((h) => h.recorder)).size, node).toBe(1);
      expect(headers[0]!.endpoint).toBe('unix:///var/run/docker.sock');
      recorders.add(headers[0]!.recorder);
      // The whole swarm as the docker CLI lists it.
      const snap = JSON.parse(text.split('\n').find((l) => l.startsWith('{"k":"snap"'))!) as {
        nodes: { hostname: string }[];
      };
      expect(snap.nodes.map((n) => n.hostname).sort()).toEqual(
        cli('node', 'ls', '--format', '{{.Hostname}}').split('\n').filter(Boolean).sort(),
      );
    }
    // Two recorders never share a folder: each manager's folder is its own recorder's.
    expect(recorders.size).toBe(expected.length);
    const mountpoints = expected.map((node) =>
      docker(labSocketOf(lab, node), 'volume', 'inspect', volume, '--format', '{{.Mountpoint}}'),
    );
    expect(new Set(mountpoints).size).toBe(expected.length);

    cli('service', 'rm', name);
    expect(cli('service', 'ls', '--filter', `name=${name}`, '-q')).toBe('');
  }, 240_000);
});

function execSleep(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}
