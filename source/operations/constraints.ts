// Placement constraints, parsed and evaluated against one node as swarmkit does
// (moby/swarmkit manager/constraint/constraint.go), each with the reason it does not hold.
//
// The facts this follows:
// - An expression is `key op value` with op `==` or `!=` (`==` is looked for first); key and value
//   are trimmed. The key must match [A-Za-z_][A-Za-z0-9-_.]+; the value may hold letters, digits,
//   spaces and : - _ . * ( ) ? + [ ] \ ^ $ | / (no other operator characters).
// - Keys compare case-insensitively: node.id, node.hostname, node.ip, node.role,
//   node.platform.os, node.platform.arch, node.labels.<name>, engine.labels.<name>. A label's
//   name is case-sensitive; every value compares case-insensitively (EqualFold), as a whole string.
// - What the node does not have compares as "": `==` fails and `!=` holds (a missing label, an
//   unset platform). node.ip takes an address or a CIDR; a malformed one never holds.
// - A key outside that list never holds, whatever the operator.
// - When any expression of a task does not parse, swarmkit's constraint filter is off for it: every
//   node passes (the engine's API refuses such specs, so this is rare).
//
// Pure: issue 14's per-node placement explanation reuses it.
import { maskText, maskValue } from '../format/mask.js';
import type { SwarmNode } from '../model.js';

export type ConstraintOperator = '==' | '!=';

/** One parsed expression. */
export interface Constraint {
  /** The expression as the service spec has it. */
  text: string;
  /** Trimmed, as written (case kept: a label's name is case-sensitive). */
  key: string;
  operator: ConstraintOperator;
  /** Trimmed, as written. */
  value: string;
}

/** What a node offers to constraints. */
export type ConstraintNode = Pick<
  SwarmNode,
  'id' | 'hostname' | 'role' | 'address' | 'platform' | 'labels' | 'engineLabels'
>;

/** One expression against one node. */
export interface ConstraintResult {
  constraint: Constraint;
  holds: boolean;
  /** Why it does not hold, "node.labels.zone==mars: the node has no label zone"; null when it holds. */
  reason: string | null;
}

/** A task's constraints against one node. */
export interface ConstraintsVerdict {
  /** Whether swarmkit's constraint filter lets the node through. */
  matches: boolean;
  /** One per expression, in the spec's order (empty when they do not parse). */
  results: ConstraintResult[];
  /** Why the expressions do not parse (then the filter is off and every node matches), else null. */
  parseError: string | null;
}

export interface EvaluateOptions {
  /** --show-secrets: label values whose names look secret are shown instead of masked. */
  reveal?: boolean;
}

const OPERATORS: readonly ConstraintOperator[] = ['==', '!='];
const KEY = /^[a-z_][a-z0-9\-_.]+$/i;
const VALUE = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;
const NODE_LABELS = 'node.labels.';
const ENGINE_LABELS = 'engine.labels.';

/** One expression, or the sentence saying why it does not parse. */
export function parseConstraint(text: string): Constraint | string {
  const operator = OPERATORS.find((op) => text.includes(op));
  if (operator === undefined) {
    return `"${text}" has no operator: a constraint is key==value or key!=value.`;
  }
  const at = text.indexOf(operator);
  const key = text.slice(0, at).trim();
  const value = text.slice(at + operator.length).trim();
  if (!KEY.test(key)) return `"${text}": the key "${key}" is not valid.`;
  if (!VALUE.test(value)) return `"${text}": the value "${value}" is not valid.`;
  return { text, key, operator, value };
}

/** Every expression, or the first sentence saying why one does not parse. */
export function parseConstraints(
  texts: readonly string[],
): { constraints: Constraint[]; error: null } | { constraints: null; error: string } {
  const constraints: Constraint[] = [];
  for (const text of texts) {
    const parsed = parseConstraint(text);
    if (typeof parsed === 'string') return { constraints: null, error: parsed };
    constraints.push(parsed);
  }
  return { constraints, error: null };
}

/** strings.EqualFold for what constraints hold: case-insensitive, whole strings. */
function equalFold(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

function hasPrefix(key: string, prefix: string): boolean {
  return key.length > prefix.length && key.slice(0, prefix.length).toLowerCase() === prefix;
}

/** What the node has for a key: its value (null: it has none), or the key is not a known one. */
type Lookup =
  | { kind: 'value'; value: string | null; what: string; name?: string }
  | { kind: 'ip' }
  | { kind: 'unknown' };

function lookup(key: string, node: ConstraintNode): Lookup {
  const lower = key.toLowerCase();
  if (lower === 'node.id') return { kind: 'value', value: node.id, what: 'ID' };
  if (lower === 'node.hostname') {
    return { kind: 'value', value: node.hostname || null, what: 'hostname' };
  }
  if (lower === 'node.ip') return { kind: 'ip' };
  if (lower === 'node.role') return { kind: 'value', value: node.role, what: 'role' };
  if (lower === 'node.platform.os') {
    return { kind: 'value', value: node.platform.os || null, what: 'OS' };
  }
  if (lower === 'node.platform.arch') {
    return { kind: 'value', value: node.platform.arch || null, what: 'architecture' };
  }
  if (hasPrefix(key, NODE_LABELS)) {
    const name = key.slice(NODE_LABELS.length);
    return { kind: 'value', value: node.labels[name] ?? null, what: 'label', name };
  }
  if (hasPrefix(key, ENGINE_LABELS)) {
    const name = key.slice(ENGINE_LABELS.length);
    return { kind: 'value', value: node.engineLabels[name] ?? null, what: 'engine label', name };
  }
  return { kind: 'unknown' };
}

/** An IPv4 or IPv6 address as 4 or 16 bytes, or null. */
function ipBytes(text: string): number[] | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? bytes : null;
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const tail = ipBytes(piece);
        if (tail === null || tail.length !== 4) return null;
        out.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        out.push(parseInt(piece, 16));
      } else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 255]);
}

/** IPv4 as its IPv4-mapped IPv6 form, so the two compare as Go's net.IP.Equal does. */
const V4_MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255];
function as16(bytes: number[]): number[] {
  return bytes.length === 16 ? bytes : [...V4_MAPPED, ...bytes];
}

/** node.ip: whether the node's address is the address, or inside the CIDR; null when malformed. */
function ipMatches(expected: string, address: string): boolean | null {
  const node = ipBytes(address);
  const single = ipBytes(expected);
  if (single !== null) return node !== null && as16(single).every((b, i) => b === as16(node)[i]);
  const slash = expected.indexOf('/');
  if (slash === -1) return null;
  const net = ipBytes(expected.slice(0, slash));
  const bitsText = expected.slice(slash + 1);
  if (net === null || !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  if (bits > net.length * 8) return null;
  if (node === null) return false;
  // Go's IPNet.Contains: an IPv4 address (or its IPv4-mapped form) only in an IPv4 network.
  const mapped = node.length === 16 && node.slice(0, 12).join() === V4_MAPPED.join();
  const ip = mapped ? node.slice(12) : node;
  if (ip.length !== net.length) return false;
  for (let bit = 0; bit < bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((ip[byte]! & mask) !== (net[byte]! & mask)) return false;
  }
  return true;
}

function shown(name: string, value: string, reveal: boolean): string {
  return reveal ? value : maskValue(name, value);
}

/** One expression against one node, and why it does not hold. */
export function evaluateConstraint(
  constraint: Constraint,
  node: ConstraintNode,
  options: EvaluateOptions = {},
): ConstraintResult {
  const reveal = options.reveal === true;
  const eq = constraint.operator === '==';
  // The expression as it is written in the reason, its value masked as a label value would be.
  const label = `${constraint.key}${constraint.operator}${shown(constraint.key, constraint.value, reveal)}`;
  const fail = (why: string): ConstraintResult => ({
    constraint,
    holds: false,
    reason: `${label}: ${why}`,
  });
  const pass: ConstraintResult = { constraint, holds: true, reason: null };
  const found = lookup(constraint.key, node);
  if (found.kind === 'unknown') {
    return fail(`"${constraint.key}" is not a key swarm constraints know, so no node matches it`);
  }
  if (found.kind === 'ip') {
    const within = ipMatches(constraint.value, node.address);
    if (within === null) return fail(`"${constraint.value}" is neither an address nor a network`);
    if (within === eq) return pass;
    const address = node.address || 'none';
    if (eq) return fail(`the node's address is ${address}`);
    return fail(
      constraint.value.includes('/')
        ? `the node's address ${address} is in ${constraint.value}`
        : `the node's address is ${address}`,
    );
  }
  const actual = found.value;
  const equal = equalFold(constraint.value, actual ?? '');
  if (equal === eq) return pass;
  const name = found.name;
  const subject = name === undefined ? found.what : `${found.what} ${name}`;
  if (eq && actual === null) return fail(`the node has no ${subject}`);
  const value = shown(constraint.key, actual ?? '', reveal);
  return fail(`the node's ${subject} is ${value === '' ? 'empty' : value}`);
}

/**
 * A task's constraints against one node, as swarmkit's constraint filter decides it: every
 * expression must hold; none that parse means no filter (every node matches).
 */
export function evaluateConstraints(
  texts: readonly string[],
  node: ConstraintNode,
  options: EvaluateOptions = {},
): ConstraintsVerdict {
  const parsed = parseConstraints(texts);
  if (parsed.error !== null) return { matches: true, results: [], parseError: parsed.error };
  const results = parsed.constraints.map((c) => evaluateConstraint(c, node, options));
  return { matches: results.every((r) => r.holds), results, parseError: null };
}

/** Whether a node passes a task's constraints (evaluateConstraints without the reasons). */
export function nodeMatches(texts: readonly string[], node: ConstraintNode): boolean {
  return evaluateConstraints(texts, node).matches;
}

/** An expression as it may be shown: its value masked as a label of that name would be. */
export function shownConstraint(text: string, reveal = false): string {
  const parsed = parseConstraint(text);
  if (reveal) return text;
  if (typeof parsed === 'string') return maskText(text);
  return `${parsed.key}${parsed.operator}${maskValue(parsed.key, parsed.value)}`;
}

/** Whether the constraints name node labels at all (only those can change with `L`). */
export function namesNodeLabels(texts: readonly string[]): boolean {
  return texts.some((text) => {
    const parsed = parseConstraint(text);
    return typeof parsed !== 'string' && hasPrefix(parsed.key, NODE_LABELS);
  });
}
