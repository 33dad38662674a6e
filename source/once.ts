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
import { explainPending, verdictText, type Placement } from './operations/placement.js';
import { healthyLine, problemRows, type ProblemRow } from './views/problem-rows.js';
import { sortedNodes, sortedServices, taskRows, type TaskRow } from './state/selectors.js';
import { LAST_WORDS_GROUPS, readLastWords } from './live/last-words.js';
import { lastWordsText } from './format/last-words.js';
import type { LastWords } from './model.js';
import { octalMode, rowsOfInput, type SecretRow } from './views/secret-rows.js';
import { secretColumns } from './views/secrets.js';
import { swarmColumns, swarmRows, swarmSection } from './views/swarm.js';
import { networkColumns, networkRows, NETWORK_SORTS, vipOn } from './views/networks.js';
import { portRows } from './views/port-rows.js';
import { portColumns } from './views/ports.js';

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
  // The engine keeps a removed service's tasks until its task reaper runs: they are no service's
  // problem, and the interactive app (which asks for tasks by service) never sees them either.
  const serviceIds = new Set(services.map((service) => service.id));
  const snapshot: Snapshot = {
    nodes,
    services,
    tasks: tasks.filter(
      (task) =>
        serviceIds.has(task.serviceId) && (isReportedTask(task, now) || jobFailures.has(task)),
    ),
    networks,
    secrets,
    configs,
    swarm,
    placements: tasks.filter(isMeantToRun),
  };
  return { ...snapshot, lastWords: await lastWordsOf(api, snapshot, now) };
}

/** Requests for last words in flight at once (--once waits for them all). */
const LAST_WORDS_PARALLEL = 4;

/**
 * The last lines of the crashed task each problem names, read as the app reads them: once per
 * task, at most LAST_WORDS_GROUPS of them.
 */
async function lastWordsOf(
  api: SwarmReads,
  snapshot: Snapshot,
  now: number,
): Promise<Record<string, LastWords>> {
  const ids = [
    ...new Set(
      snapshotProblems(snapshot, new Date(now)).flatMap((p) =>
        p.lastWords ? [p.lastWords.taskId] : [],
      ),
    ),
  ].slice(0, LAST_WORDS_GROUPS);
  const found: Record<string, LastWords> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < ids.length; i = next++) {
      const id = ids[i]!;
      const logs = snapshot.tasks.find((t) => t.id === id)?.readableLogs;
      found[id] = await readLastWords(api, id, { logs });
    }
  };
  await Promise.all(Array.from({ length: Math.min(LAST_WORDS_PARALLEL, ids.length) }, worker));
  return found;
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
    lastWords: snapshot.lastWords ?? {},
    taskHistory: snapshot.swarm?.taskHistoryLimit ?? null,
  });
}

/** "  └ crashy.1 (exit 3: …) said: stderr: failing", under the first problem naming the task. */
function saidLines(p: ProblemRow, said: Set<string>): string[] {
  const words = p.lastWords;
  if (words === undefined || words.words === null || said.has(words.taskId)) return [];
  said.add(words.taskId);
  const meaning = words.meaning ? ` (${words.meaning})` : '';
  return [sanitizeLine(`  └ ${words.task}${meaning} said: ${lastWordsText(words.words)}`)];
}

/** The secrets and configs of a snapshot, each with who mounts it and where it is delivered. */
function secretRowsOf(snapshot: Snapshot): SecretRow[] {
  return rowsOfInput({
    secrets: snapshot.secrets ?? null,
    configs: snapshot.configs ?? null,
    services: snapshot.services,
    nodes: snapshot.nodes,
    placements: snapshot.placements ?? null,
  });
}

/** A table of secrets or configs: absent when not asked for, one line when it could not be read. */
function secretSection(
  snapshot: Snapshot,
  kind: 'secrets' | 'configs',
  now: Date,
  revealSecrets: boolean,
): string[] {
  const list = snapshot[kind];
  if (list === undefined) return [];
  const heading = kind.toUpperCase();
  if (list === null) return [heading, '(could not be read)', ''];
  const rows = secretRowsOf(snapshot).filter((row) => `${row.kind}s` === kind);
  const columns = secretColumns(makeTheme('mono'), now, revealSecrets).filter(
    (column) => kind === 'configs' || column.key !== 'size',
  );
  return [heading, ...plainTable(columns, rows), ''];
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
      also: verdict.also,
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
      lines.push(sanitizeLine(`  ${verdict.node.hostname}: ${verdictText(verdict)}`));
    }
  }
  return lines.length === 0
    ? []
    : ['', 'WHY PENDING (per node, the first rule that excludes it, and any after it)', ...lines];
}

export function formatSnapshotText(
  snapshot: Snapshot,
  now: Date,
  { revealSecrets = false }: { revealSecrets?: boolean } = {},
): string {
  const theme = makeTheme('mono');
  const sorted = rowsOf(snapshot);
  const problems = snapshotProblems(snapshot, now);
  const said = new Set<string>();
  const pending = pendingPlacements(snapshot, revealSecrets);
  return [
    'PROBLEMS',
    ...(problems.length === 0
      ? [healthyLine(snapshot.nodes, snapshot.services)]
      : problems.flatMap((p) => [
          sanitizeLine(`${p.severity === 'bad' ? '✗' : '!'} ${p.what} — ${p.detail}`),
          ...saidLines(p, said),
        ])),
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
    ...networkSections(snapshot, now),
    ...secretSection(snapshot, 'secrets', now, revealSecrets),
    ...secretSection(snapshot, 'configs', now, revealSecrets),
    'SWARM',
    ...(snapshot.swarm
      ? plainTable(swarmColumns(theme), swarmRows(snapshot.swarm, snapshot.nodes, now.getTime()))
      : ['not read (the endpoint is not a manager, or the engine refused GET /swarm)']),
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
    // What its logs need is for reading them here, not part of the snapshot's shape.
    const task = { ...row.task };
    delete task.readableLogs;
    return {
      ...task,
      name: row.name,
      serviceName: row.serviceName,
      nodeName: row.nodeName,
      ...(placement === undefined ? {} : { placement: placementJson(placement) }),
    };
  });
  const problems = snapshotProblems(snapshot, now).map(
    ({ kind, severity, what, detail, count, lastWords }) => ({
      kind,
      severity,
      what,
      detail,
      count,
      // The crashed task the problem names, what its exit means, and its last lines.
      ...(lastWords
        ? {
            lastWords: {
              taskId: lastWords.taskId,
              task: lastWords.task,
              meaning: lastWords.meaning,
              lines: lastWords.words?.lines ?? null,
              error: lastWords.words?.error ?? null,
            },
          }
        : {}),
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
  // Who mounts each secret and config, and the nodes it is delivered to; never a config's data.
  const mounted = new Map(secretRowsOf(snapshot).map((row) => [row.id, row]));
  const usage = (id: string) => {
    const row = mounted.get(id);
    return {
      services: (row?.mounts ?? []).map((m) => ({
        id: m.serviceId,
        name: m.serviceName,
        file: m.path,
        uid: m.uid,
        gid: m.gid,
        mode: octalMode(m.mode),
      })),
      nodes: row?.nodes ?? null,
      unused: row?.unused ?? true,
    };
  };
  const objects = {
    ...(snapshot.secrets === undefined
      ? {}
      : {
          secrets:
            snapshot.secrets?.map((secret) => ({
              ...secret,
              labels: shownLabels(secret.labels, revealSecrets),
              ...usage(secret.id),
            })) ?? null,
        }),
    ...(snapshot.configs === undefined
      ? {}
      : {
          configs:
            snapshot.configs?.map((config) => ({
              ...config,
              labels: shownLabels(config.labels, revealSecrets),
              ...usage(config.id),
            })) ?? null,
        }),
  };
  const swarm = swarmSection(snapshot.swarm ?? null, snapshot.nodes, now.getTime());
  const rest = { ...networkJson(snapshot, revealSecrets), ...objects, swarm };
  return `${safeJson({ problems, nodes, services, tasks, ...rest })}\n`;
}

/** Where the snapshot's services run: its running tasks (the snapshot has no other placements). */
const runningOf = (snapshot: Snapshot) => snapshot.tasks.filter((t) => t.state === 'running');

function networkRowsOf(snapshot: Snapshot) {
  const rows = networkRows(
    snapshot.networks ?? [],
    snapshot.services,
    snapshot.nodes,
    runningOf(snapshot),
  );
  return [...rows].sort(NETWORK_SORTS[0]!.compare);
}

/** NETWORKS and PUBLISHED PORTS, as the views show them (a list the engine refused says so). */
function networkSections(snapshot: Snapshot, now: Date): string[] {
  const theme = makeTheme('mono');
  const flagged = new Set(snapshotProblems(snapshot, now).flatMap((p) => p.serviceIds));
  const ports = portRows(snapshot.services, snapshot.nodes, runningOf(snapshot));
  return [
    'NETWORKS (swarm scope)',
    ...(snapshot.networks === null || snapshot.networks === undefined
      ? ['could not be read']
      : plainTable(networkColumns(theme, now, flagged), networkRowsOf(snapshot))),
    '',
    'PUBLISHED PORTS (ingress: every node answers; host: the nodes running a task)',
    ...(ports.length === 0
      ? ['no service publishes a port']
      : plainTable(portColumns(theme), ports)),
    '',
  ];
}

/** The JSON's networks (options and labels masked as labels are) and published ports. */
function networkJson(snapshot: Snapshot, revealSecrets: boolean) {
  const networks =
    snapshot.networks === null || snapshot.networks === undefined
      ? null
      : networkRowsOf(snapshot).map(({ network, services, nodes, unused }) => ({
          ...network,
          labels: shownLabels(network.labels, revealSecrets),
          options: shownLabels(network.options, revealSecrets),
          services: services.map((s) => ({
            id: s.id,
            name: s.name,
            endpointMode: s.endpointMode,
            vip: vipOn(s, network) || null,
          })),
          nodes,
          unused,
        }));
  const ports = portRows(snapshot.services, snapshot.nodes, runningOf(snapshot)).map((row) => ({
    published: row.published,
    protocol: row.protocol,
    target: row.target,
    mode: row.mode,
    serviceId: row.serviceId,
    serviceName: row.serviceName,
    nodes: row.nodes,
    conflicts: row.conflicts,
    overreach: row.overreach,
  }));
  return { networks, ports };
}
