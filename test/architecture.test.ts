// The house rules of source/, checked on every run: no import circle (type imports count: a
// type-only circle is the same tangle, erased or not), and no import that runs up a layer.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'source');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm;

/** The specifiers a file imports or re-exports from, as written. */
export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((match) => match[1]!);
}

/** The source file a relative specifier names (`./x.js` is `./x.ts` or `./x.tsx`). */
function resolve(from: string, specifier: string, files: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`]) if (files.has(candidate)) return candidate;
  return null;
}

type Graph = Map<string, string[]>;

function buildGraph(): Graph {
  const files = sourceFiles(SOURCE);
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      importsOf(readFileSync(file, 'utf8'))
        .map((specifier) => resolve(file, specifier, known))
        .filter((target): target is string => target !== null),
    ]),
  );
}

/** Strongly connected components with more than one file (or a file importing itself). */
export function circles(graph: Graph): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    order.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, order.get(next)!));
      }
    }
    if (low.get(node) !== order.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component);
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

const rel = (file: string) => path.relative(ROOT, file);

describe('architecture', () => {
  it('finds a circle when there is one (the check can fail)', () => {
    const graph: Graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(graph).map((c) => c.sort())).toEqual([['a', 'b', 'c']]);
    expect(importsOf("import type { A } from './a.js';\nexport { b } from '../b.js';")).toEqual([
      './a.js',
      '../b.js',
    ]);
  });

  it('source/ has no import circle', () => {
    const found = circles(buildGraph()).map((component) => component.map(rel).sort());
    expect(found, 'import circles in source/').toEqual([]);
  });

  it('pure layers import no React, Ink, components or hooks; only docker/ imports dockerode', () => {
    const pure =
      /^source\/(state|views|live|format|operations|recording)\/|^source\/(health|layout|model)\.ts$/;
    const wrong: string[] = [];
    for (const [file, targets] of buildGraph()) {
      const name = rel(file);
      const specifiers = importsOf(readFileSync(file, 'utf8'));
      if (pure.test(name)) {
        for (const s of specifiers) if (s === 'ink' || s === 'react') wrong.push(`${name} → ${s}`);
        for (const t of targets) {
          if (/^source\/(components|hooks)\//.test(rel(t))) wrong.push(`${name} → ${rel(t)}`);
        }
      }
      if (!name.startsWith('source/docker/')) {
        for (const s of specifiers) {
          if (s === 'dockerode' || s === 'docker-modem') wrong.push(`${name} → ${s}`);
        }
      }
    }
    expect(wrong, 'imports that run up a layer').toEqual([]);
  });
});
