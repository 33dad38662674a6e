import { cellWidth, padEnd } from '../format/cells.js';
import { taskName } from '../format/task-name.js';
import { formatBytes, formatCpus } from '../format/bytes.js';
import { shownLabels } from '../format/mask.js';
import { sanitizeLine } from '../format/sanitize.js';
import type { SwarmNode, SwarmTask } from '../model.js';

// Node detail above the raw spec in the inspect view: how much of the node the scheduler has
// already promised (reservations are what decides whether another task fits, not live usage),
// its labels (what placement constraints match) and what is meant to run there.

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "(19 %)" of `total`; nothing when the total is unknown (0). */
function share(part: number, total: number): string {
  return total > 0 ? ` (${Math.round((part / total) * 100)} %)` : '';
}

/**
 * "CPU 4 · reserved 1.5 (38 %) by 3 running tasks": what `perTask` reserves of `total` (0: the
 * engine does not say) over the tasks that reserve any.
 */
function reservationLine(
  label: string,
  total: number,
  perTask: number[],
  format: (amount: number) => string,
): string {
  const shownTotal = total > 0 ? format(total) : 'unknown';
  const reserving = perTask.filter((amount) => amount > 0);
  if (reserving.length === 0) return `${label} ${shownTotal} · nothing reserved`;
  const reserved = reserving.reduce((sum, amount) => sum + amount, 0);
  return `${label} ${shownTotal} · reserved ${format(reserved)}${share(reserved, total)} by ${plural(reserving.length, 'running task')}`;
}

function labelsLine(labels: Record<string, string>, revealSecrets: boolean): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return 'labels: none';
  const masked = shownLabels(labels, revealSecrets);
  const shown = entries.map(([key]) => `${sanitizeLine(key)}=${sanitizeLine(masked[key] ?? '')}`);
  return `labels: ${shown.join(', ')}`;
}

/** As operators name tasks: service.slot, or service.hostname for global services. */
function taskLabel(task: SwarmTask, node: SwarmNode, serviceNames: Map<string, string>): string {
  const service = serviceNames.get(task.serviceId) ?? task.serviceId.slice(0, 12);
  return sanitizeLine(taskName(service, task, node.hostname));
}

function reservation(task: SwarmTask): string {
  const parts: string[] = [];
  if (task.reservedNanoCpus > 0) parts.push(`${formatCpus(task.reservedNanoCpus)} CPU`);
  if (task.reservedMemoryBytes > 0) parts.push(formatBytes(task.reservedMemoryBytes));
  return parts.length === 0 ? '' : `reserves ${parts.join(' + ')}`;
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

/**
 * The node's capacity against what its tasks reserve, its labels and its tasks. Only tasks on
 * this node whose desired state is running count: shut-down history reserves nothing.
 */
export function nodeDetailLines(
  node: SwarmNode,
  tasks: SwarmTask[],
  serviceNames: Map<string, string>,
  options: { revealSecrets?: boolean } = {},
): string[] {
  const running = tasks.filter(
    (task) => task.nodeId === node.id && task.desiredState === 'running',
  );
  const manager =
    node.manager === null
      ? ''
      : ` (${node.manager.reachability === 'leader' ? 'leader' : node.manager.reachability})`;
  const lines = [
    sanitizeLine(
      `${node.hostname || node.id} · ${node.role}${manager} · ${node.availability} · ${node.state}`,
    ),
    reservationLine(
      'CPU',
      node.nanoCpus,
      running.map((task) => task.reservedNanoCpus),
      formatCpus,
    ),
    reservationLine(
      'memory',
      node.memoryBytes,
      running.map((task) => task.reservedMemoryBytes),
      formatBytes,
    ),
    labelsLine(node.labels, options.revealSecrets === true),
  ];
  if (running.length === 0) {
    lines.push('tasks: none meant to run here');
    return lines;
  }
  lines.push(`tasks: ${running.length} meant to run here`);
  const rows = running
    .map((task) => ({ name: taskLabel(task, node, serviceNames), task }))
    .sort((a, b) => compareText(a.name, b.name));
  const nameWidth = Math.max(...rows.map((row) => cellWidth(row.name)));
  const stateWidth = Math.max(...rows.map((row) => cellWidth(sanitizeLine(row.task.state))));
  for (const { name, task } of rows) {
    const text = `  ${padEnd(name, nameWidth)}  ${padEnd(sanitizeLine(task.state), stateWidth)}  ${reservation(task)}`;
    lines.push(text.trimEnd());
  }
  return lines;
}
