// The inspect view's answers, framework-free: the object's engine JSON and, for a node, what runs
// on it; and the lines they make (a node's or a service's readable header above the JSON).
// hooks/use-inspect.ts refetches and keeps them.
import { parseNode } from '../docker/parse.js';
import { parseServiceSpecDetail } from '../docker/parse-service-detail.js';
import type { InspectKind, SwarmReads } from '../docker/swarm-api.js';
import { inspectLines } from '../format/inspect-text.js';
import type { SwarmTask } from '../model.js';
import { nodeDetailLines } from '../state/node-capacity.js';
import { serviceDetailLines } from '../state/service-detail.js';

/** What one refresh brought: the object and, for a node, what runs on it. */
export interface Answer {
  kind: InspectKind;
  raw: Record<string, unknown>;
  nodeTasks: SwarmTask[] | null;
  serviceNames: Map<string, string>;
  /** Equal fingerprints: nothing to redraw. */
  fingerprint: string;
}

/** Names for the services of a node's tasks; best effort (ids stay when it fails). */
async function serviceNamesOf(api: SwarmReads, tasks: SwarmTask[]): Promise<Map<string, string>> {
  const ids = [...new Set(tasks.map((task) => task.serviceId))].sort();
  if (ids.length === 0) return new Map();
  try {
    const services = await api.listServices(ids);
    return new Map(services.map((service) => [service.id, service.name]));
  } catch {
    return new Map();
  }
}

export async function fetchAnswer(
  api: SwarmReads,
  target: { kind: InspectKind; id: string },
): Promise<Answer> {
  if (target.kind !== 'node') {
    const raw = await api.inspectObject(target.kind, target.id);
    return {
      kind: target.kind,
      raw,
      nodeTasks: null,
      serviceNames: new Map(),
      fingerprint: JSON.stringify(raw),
    };
  }
  const [raw, nodeTasks] = await Promise.all([
    api.inspectObject('node', target.id),
    api.listTasks({ nodeId: target.id, desiredRunningOnly: true }),
  ]);
  const serviceNames = await serviceNamesOf(api, nodeTasks);
  const fingerprint = JSON.stringify([raw, nodeTasks, [...serviceNames]]);
  return { kind: 'node', raw, nodeTasks, serviceNames, fingerprint };
}

/**
 * The answer's lines: a header (node, service) above the JSON. `networkName` names a service's
 * networks by ID (their IDs' first 12 characters without it).
 */
export function renderAnswer(
  answer: Answer,
  revealSecrets: boolean,
  networkName?: (id: string) => string | undefined,
): string[] {
  const spec = inspectLines(answer.raw, { revealSecrets });
  if (answer.kind === 'service') {
    let header: string[];
    try {
      header = serviceDetailLines(parseServiceSpecDetail(answer.raw), {
        revealSecrets,
        ...(networkName === undefined ? {} : { networkName }),
      });
    } catch {
      // An answer without an ID has no header to give; its JSON still shows.
      return spec;
    }
    return [...header, '', ...spec];
  }
  if (answer.nodeTasks === null) return spec;
  const detail = nodeDetailLines(parseNode(answer.raw), answer.nodeTasks, answer.serviceNames, {
    revealSecrets,
  });
  return [...detail, '', ...spec];
}
