import { readFileSync } from 'node:fs';

// scripts/lab.sh writes this file last and atomically: its presence means a lab swarm is up.
export const LAB_ENV_FILE = `${process.env['SMARM_LAB_PARENT'] || '/tmp/smarm-lab'}/current.env`;

export interface LabEnv {
  /** unix:// URL of the first manager. */
  dockerHost: string;
  /** unix:// URLs, managers first as in the file. */
  managerSockets: string[];
  workerSockets: string[];
  /** Node hostnames: manager-1 ... worker-N, then worker-new when it is in the lab. */
  nodes: string[];
  /** unix:// URL of worker-new (Docker 26.1, also in workerSockets), null when it was left out. */
  newSocket: string | null;
}

function words(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((word) => word !== '');
}

/** Parses the KEY=VALUE lines scripts/lab.sh writes. */
export function parseLabEnv(text: string): LabEnv | null {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    values.set(match[1], match[2].trim().replace(/^(["'])(.*)\1$/, '$2'));
  }
  const dockerHost = values.get('DOCKER_HOST');
  if (dockerHost === undefined || dockerHost === '') return null;
  return {
    dockerHost,
    managerSockets: words(values.get('LAB_MANAGER_SOCKETS')),
    workerSockets: words(values.get('LAB_WORKER_SOCKETS')),
    nodes: words(values.get('LAB_NODES')),
    newSocket: values.get('LAB_NEW_SOCKET') || null,
  };
}

/** The running lab, or null when none is up. */
export function labEnv(file: string = LAB_ENV_FILE): LabEnv | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return parseLabEnv(text);
}
