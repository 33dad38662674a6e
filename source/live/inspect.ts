// The inspect view's answers, framework-free: the object's engine JSON and, for a node, what runs
// on it; and the lines they make. hooks/use-inspect.ts refetches and keeps them.
import { parseNode } from '../docker/parse.js';
import type { InspectKind, SwarmReads } from '../docker/swarm-api.js';
import { inspectLines } from '../format/inspect-text.js';
import type { SwarmTask } from '../model.js';
import { nodeDetailLines } from '../state/node-capacity.js';

/** What one refresh brought: the object and, for a node, what runs on it. */
export interface Answer {
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
    return { raw, nodeTasks: null, serviceNames: new Map(), fingerprint: JSON.stringify(raw) };
  }
  const [raw, nodeTasks] = await Promise.all([
    api.inspectObject('node', target.id),
    api.listTasks({ nodeId: target.id, desiredRunningOnly: true }),
  ]);
  const serviceNames = await serviceNamesOf(api, nodeTasks);
  const fingerprint = JSON.stringify([raw, nodeTasks, [...serviceNames]]);
  return { raw, nodeTasks, serviceNames, fingerprint };
}

export function renderAnswer(answer: Answer, revealSecrets: boolean): string[] {
  const spec = inspectLines(answer.raw, { revealSecrets });
  if (answer.nodeTasks === null) return spec;
  const detail = nodeDetailLines(parseNode(answer.raw), answer.nodeTasks, answer.serviceNames, {
    revealSecrets,
  });
  return [...detail, '', ...spec];
}
