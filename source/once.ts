// `--once`: a plain snapshot for pipes, scripts and tickets. It never loads Ink.
import type { Snapshot, SwarmTask } from './model.js';
import type { SwarmReads } from './docker/swarm-api.js';
import { nodeColumns } from './views/nodes.js';
import { replicasText, serviceColumns } from './views/services.js';
import { taskColumns } from './views/tasks.js';
import type { Column } from './views/column.js';
import { makeTheme } from './format/palette.js';
import { cellWidth } from './format/cells.js';
import { safeJson } from './format/inspect-text.js';
import { shownLabels } from './format/mask.js';
import { sanitizeLine } from './format/sanitize.js';
import { initialState } from './state/state.js';
import { failedJobSlots, isJobUnfinished, isMeantToRun, isTaskProblem } from './health.js';
import { explainPending, type Placement } from './operations/placement.js';
import { healthyLine, problemRows, type ProblemRow } from './views/problem-rows.js';
import { sortedNodes, sortedServices, taskRows, type TaskRow } from './state/selectors.js';

/** Running tasks, and those the problems view would list (failed recently, stuck pending). */
export function isReportedTask(task: SwarmTask, now: number): boolean {
  return task.state === 'running' || isTaskProblem(task, now);
}

export async function collectSnapshot(api: SwarmReads, now: number): Promise<Snapshot> {
  // The rest of the swarm is told as far as it can be read: a list the engine refuses (an
  // authorization plugin, say) is null, and the snapshot still comes.
  const optional = <T>(read: () => Promise<T>): Promise<T | null> => read().catch(() => null);
  const [nodes, services, tasks, networks, secrets, configs, swarm] = await Promise.all([
    api.listNodes(),
    api.listServices(),
    api.listTasks({}),
    optional(() => api.listNetworks()),
    optional(() => api.listSecrets()),
    optional(() => api.listConfigs()),
    optional(() => api.inspectSwarm()),
  ]);
  // A job that gave up failing longer ago than the window is still failing: keep its evidence.
  const jobFailures = new Set(
    services.filter(isJobUnfinished).flatMap((job) => failedJobSlots(job, tasks)),
  );
  return {
    nodes,
    services,
    tasks: tasks.filter((task) => isReportedTask(task, now) || jobFailures.has(task)),
    networks,
    secrets,
    configs,
    swarm,
    placements: tasks.filter(isMeantToRun),
  };
}

function rowsOf(snapshot: Snapshot): TaskRow[] {
  return taskRows({
    ...initialState,
    view: 'tasks',
    nodes: snapshot.nodes,
    services: snapshot.services,
    tasks: { scopeKey: 'all', items: snapshot.tasks },
    showHistory: true,
  });
}

/** Like the docker CLI's tables: columns as wide as their widest cell, nothing cut. */
function plainTable<Row>(columns: Column<Row>[], rows: Row[]): string[] {
  const shown = columns.filter((column) => column.key !== 'mark');
  const cells = rows.map((row) => shown.map((column) => sanitizeLine(column.cell(row))));
  const widths = shown.map((column, i) =>
    Math.max(cellWidth(column.header), ...cells.map((line) => cellWidth(line[i] ?? ''))),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) =>
        i === values.length - 1 ? value : value + ' '.repeat(widths[i]! - cellWidth(value)),
      )
      .join('   ')
      .trimEnd();
  return [line(shown.map((column) => column.header)), ...cells.map(line)];
}

function snapshotProblems(snapshot: Snapshot, now: Date): ProblemRow[] {
  return problemRows({
    ...snapshot,
    troubled: [...new Set(snapshot.tasks.map((t) => t.serviceId))],
    nowMs: now.getTime(),
  });
}

/** Why each pending task waits (the snapshot's tasks meant to run hold the nodes). */
function pendingPlacements(snapshot: Snapshot, reveal: boolean): Map<string, Placement> {
  return explainPending(
    snapshot.tasks,
    snapshot.nodes,
    snapshot.services,
    snapshot.placements ?? snapshot.tasks,
    { reveal },
  );
}

function placementJson(placement: Placement) {
  return {
    summary: placement.summary,
    engine: placement.engineText,
    nodes: placement.verdicts.map((verdict) => ({
      hostname: verdict.node.hostname,
      fits: verdict.rule === null,
      rule: verdict.rule,
      reason: verdict.reason,
    })),
  };
}

/** One block per pending task: its summary, then each node and its first failing rule. */
function pendingText(rows: TaskRow[], pending: Map<string, Placement>): string[] {
  const lines: string[] = [];
  for (const row of rows) {
    const placement = pending.get(row.id);
    if (placement === undefined) continue;
    lines.push(sanitizeLine(`${row.name}: ${placement.summary}`));
    for (const verdict of placement.verdicts) {
      lines.push(sanitizeLine(`  ${verdict.node.hostname}: ${verdict.reason}`));
    }
  }
  return lines.length === 0
    ? []
    : ['', 'WHY PENDING (per node, the first rule that excludes it)', ...lines];
}

export function formatSnapshotText(
  snapshot: Snapshot,
  now: Date,
  { revealSecrets = false }: { revealSecrets?: boolean } = {},
): string {
  const theme = makeTheme('mono');
  const sorted = rowsOf(snapshot);
  const problems = snapshotProblems(snapshot, now);
  const pending = pendingPlacements(snapshot, revealSecrets);
  return [
    'PROBLEMS',
    ...(problems.length === 0
      ? [healthyLine(snapshot.nodes, snapshot.services)]
      : problems.map((p) =>
          sanitizeLine(`${p.severity === 'bad' ? '✗' : '!'} ${p.what} — ${p.detail}`),
        )),
    '',
    'NODES',
    ...plainTable(nodeColumns(theme), sortedNodes(snapshot.nodes)),
    '',
    'SERVICES',
    ...plainTable(serviceColumns(theme, now), sortedServices(snapshot.services)),
    '',
    'TASKS (running, stuck pending, or failed in the last 15 minutes)',
    ...plainTable(taskColumns(theme, now), sorted),
    ...pendingText(sorted, pending),
    '',
  ].join('\n');
}

/**
 * The JSON snapshot: our model types, tasks with the names people use for them. Labels are masked
 * by name unless `revealSecrets` (--show-secrets), as on screen; every string is the engine's
 * text, with the characters that could act on a terminal written as \u escapes.
 */
export function formatSnapshotJson(
  snapshot: Snapshot,
  now: Date = new Date(),
  { revealSecrets = false }: { revealSecrets?: boolean } = {},
): string {
  const pending = pendingPlacements(snapshot, revealSecrets);
  const tasks = rowsOf(snapshot).map((row) => {
    const placement = pending.get(row.id);
    return {
      ...row.task,
      name: row.name,
      serviceName: row.serviceName,
      nodeName: row.nodeName,
      ...(placement === undefined ? {} : { placement: placementJson(placement) }),
    };
  });
  const problems = snapshotProblems(snapshot, now).map(
    ({ kind, severity, what, detail, count }) => ({
      kind,
      severity,
      what,
      detail,
      count,
    }),
  );
  const nodes = snapshot.nodes.map((node) => ({
    ...node,
    labels: shownLabels(node.labels, revealSecrets),
    engineLabels: shownLabels(node.engineLabels, revealSecrets),
  }));
  const services = snapshot.services.map((service) => ({
    ...service,
    // The REPLICAS column of `docker service ls`, jobs' progress included.
    replicas: replicasText(service),
    labels: shownLabels(service.labels, revealSecrets),
  }));
  return `${safeJson({ problems, nodes, services, tasks })}\n`;
}
