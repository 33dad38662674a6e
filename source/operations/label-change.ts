// A change to a node's labels (`L`): the prompt's words (`+key=value` adds or sets, `-key`
// removes), the labels before → after, and what it does to placement: the services whose
// constraints start or stop matching the node, and the pending tasks it would unblock.
// Pure: the labels kind (kinds/labels.ts) feeds it a fresh inspect and fresh lists.
import { isTaskLive } from '../health.js';
import { maskValue } from '../format/mask.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../model.js';
import {
  evaluateConstraints,
  namesNodeLabels,
  nodeMatches,
  shownConstraint,
} from './constraints.js';

/** What the prompt asked for: labels to set (added or changed), and names to remove. */
export interface LabelEdit {
  set: Record<string, string>;
  remove: string[];
}

const HOW = 'Type +key=value to add a label, -key to remove one (several separated by spaces).';

/**
 * The prompt's text as an edit of `labels` (the node's labels now), or the one sentence saying
 * why not. Names are checked as `docker node update --label-add` checks them (not empty, no
 * whitespace); a value may be empty (`+key` or `+key=`) but holds no space (spaces separate).
 */
export function parseLabelEdit(
  text: string,
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): LabelEdit | string {
  const tokens = text.split(/\s+/).filter((token) => token !== '');
  if (tokens.length === 0) return `${HOW} Esc cancels.`;
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const named = new Set<string>();
  for (const token of tokens) {
    const sign = token[0];
    const rest = token.slice(1);
    if (sign !== '+' && sign !== '-') {
      return `"${token}" needs + to add it or - to remove it: ${HOW}`;
    }
    const eq = rest.indexOf('=');
    const key = eq === -1 ? rest : rest.slice(0, eq);
    if (key === '') return `"${token}" has no label name.`;
    if (named.has(key)) return `The label ${key} is named twice: name each label once.`;
    named.add(key);
    if (sign === '+') {
      set[key] = eq === -1 ? '' : rest.slice(eq + 1);
      continue;
    }
    if (eq !== -1) return `"${token}": to remove a label give only its name (-${key}).`;
    if (!Object.hasOwn(labels, key)) return `${nodeName} has no label ${key} to remove.`;
    remove.push(key);
  }
  const changes = Object.entries(set).some(([k, v]) => labels[k] !== v) || remove.length > 0;
  if (!changes)
    return `${nodeName} already has ${plural(tokens.length, 'this label', 'these labels')}: nothing to change.`;
  return { set, remove };
}

/** The labels after the edit (removals, then additions: a key is never in both). */
export function applyLabelEdit(
  labels: Readonly<Record<string, string>>,
  edit: LabelEdit,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels))
    if (!edit.remove.includes(key)) out[key] = value;
  return { ...out, ...edit.set };
}

/** "+zone=mars -rack", values masked unless `reveal`: the operation's title and audit words. */
export function describeEdit(edit: LabelEdit, reveal = false): string {
  return [
    ...Object.entries(edit.set).map(
      ([k, v]) => `+${k}${v === '' ? '' : `=${shownValue(k, v, reveal)}`}`,
    ),
    ...edit.remove.map((k) => `-${k}`),
  ].join(' ');
}

function shownValue(key: string, value: string, reveal: boolean): string {
  return reveal ? value : maskValue(key, value);
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function tasks(n: number): string {
  return n === 1 ? '1 task' : `${n} tasks`;
}

/** Labels as the screen shows them: "zone=mars, rack=r1" (masked), sorted by name. */
export function labelsText(labels: Readonly<Record<string, string>>, reveal: boolean): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return 'none';
  return entries.map(([k, v]) => `${k}=${shownValue(k, v, reveal)}`).join(', ');
}

/** One line per label, before → after: changed ones first, then those kept as they are. */
export function labelLines(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  reveal: boolean,
): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const value = (key: string, labels: Readonly<Record<string, string>>): string => {
    if (!Object.hasOwn(labels, key)) return '(none)';
    const v = shownValue(key, labels[key]!, reveal);
    return v === '' ? '""' : v;
  };
  const changed = keys.filter(
    (k) => before[k] !== after[k] || Object.hasOwn(before, k) !== Object.hasOwn(after, k),
  );
  const kept = keys.filter((k) => !changed.includes(k));
  return [
    ...changed.map((k) => `  ${k}: ${value(k, before)} → ${value(k, after)}`),
    ...kept.map((k) => `  ${k}: ${value(k, before)} (kept)`),
  ];
}

/** A service whose constraints stop matching the node, and its tasks there that will move. */
export interface Stopping {
  service: SwarmService;
  /** Live tasks of the service on the node: swarm shuts them down (and places replicas elsewhere). */
  tasksHere: number;
  /** Why the constraints no longer hold, "node.labels.zone==mars: the node has no label zone". */
  reasons: string[];
}

/** A service whose constraints start matching, and its pending tasks that could now go here. */
export interface Starting {
  service: SwarmService;
  /** Pending tasks (no node yet, or waiting for this one) the node now passes the constraints of. */
  unblocked: number;
}

export interface LabelImpact {
  starting: Starting[];
  stopping: Stopping[];
  /** Pending tasks the change would unblock, over every service. */
  unblocked: number;
}

/** A task waiting for a node: pending while meant to run. */
export function isPendingTask(task: SwarmTask): boolean {
  return task.state === 'pending' && task.desiredState === 'running';
}

/**
 * Which services' placement constraints start or stop matching `node` when its labels become
 * `after`. Only constraints naming node labels can change; `tasks` are the swarm's tasks meant to
 * run (those on the node, and the pending ones).
 */
export function labelImpact(input: {
  node: SwarmNode;
  after: Readonly<Record<string, string>>;
  services: readonly SwarmService[];
  tasks: readonly SwarmTask[];
  reveal: boolean;
}): LabelImpact {
  const { node, services, tasks: all, reveal } = input;
  const changed: SwarmNode = { ...node, labels: { ...input.after } };
  const starting: Starting[] = [];
  const stopping: Stopping[] = [];
  for (const service of services) {
    if (!namesNodeLabels(service.constraints)) continue;
    const before = nodeMatches(service.constraints, node);
    const verdict = evaluateConstraints(service.constraints, changed, { reveal });
    if (before === verdict.matches) continue;
    const own = all.filter((t) => t.serviceId === service.id);
    if (verdict.matches) {
      const unblocked = own.filter(
        (t) => isPendingTask(t) && (t.nodeId === null || t.nodeId === '' || t.nodeId === node.id),
      ).length;
      starting.push({ service, unblocked });
    } else {
      stopping.push({
        service,
        tasksHere: own.filter((t) => t.nodeId === node.id && isTaskLive(t)).length,
        reasons: verdict.results.flatMap((r) => (r.reason === null ? [] : [r.reason])),
      });
    }
  }
  const byName = (a: { service: SwarmService }, b: { service: SwarmService }) =>
    a.service.name < b.service.name ? -1 : a.service.name > b.service.name ? 1 : 0;
  starting.sort(byName);
  stopping.sort(byName);
  return { starting, stopping, unblocked: starting.reduce((sum, s) => sum + s.unblocked, 0) };
}

/** The dialog's lines about placement, and the warnings (tasks that move off the node). */
export function describeImpact(
  impact: LabelImpact,
  node: SwarmNode,
  reveal: boolean,
): { lines: string[]; warnings: string[] } {
  const name = node.hostname;
  const lines: string[] = [];
  const warnings: string[] = [];
  if (impact.starting.length === 0 && impact.stopping.length === 0) {
    lines.push(`No service's placement constraints start or stop matching ${name}.`);
    return { lines, warnings };
  }
  for (const { service, unblocked } of impact.starting) {
    const global = service.mode === 'global' || service.mode === 'global-job';
    const what =
      unblocked > 0
        ? `unblocks ${unblocked} pending ${unblocked === 1 ? 'task' : 'tasks'}`
        : global
          ? `a task of it will start on ${name}`
          : 'its tasks may be placed here';
    lines.push(
      `Starts matching ${name}: ${service.name} (${service.constraints.map((c) => shownConstraint(c, reveal)).join(', ')}) — ${what}.`,
    );
  }
  for (const { service, tasksHere, reasons } of impact.stopping) {
    const why = reasons.length > 0 ? ` (${reasons.join('; ')})` : '';
    lines.push(`Stops matching ${name}: ${service.name}${why}.`);
    if (tasksHere > 0) {
      const global = service.mode === 'global' || service.mode === 'global-job';
      warnings.push(
        global
          ? `${service.name}'s ${tasks(tasksHere)} on ${name} will be shut down.`
          : `${service.name}'s ${tasks(tasksHere)} on ${name} will be shut down and placed elsewhere, if a node fits.`,
      );
    }
  }
  if (impact.unblocked > 0 && (node.availability !== 'active' || node.state !== 'ready')) {
    warnings.push(
      `${name} is ${node.availability !== 'active' ? node.availability : node.state}: the pending tasks stay pending until it takes tasks.`,
    );
  }
  return { lines, warnings };
}
