// The CPU profile of `--once` (BENCH_PROFILE=0 skips it), self time summed by bundled package and
// by function. The size sweep uses the same summary for a profile of the interactive app.

import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target } from '../lib/engines.js';
import { CLI, DIST_URL, ROOT, TMP } from '../lib/env.js';
import { run } from '../lib/processes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

type ModuleMap = Array<{ line: number; module: string }>;
const moduleMaps = new Map<string, ModuleMap>();

/** Bundle line → the module esbuild put there (its "// node_modules/x/y.js" comments). */
function bundleModules(file: string): ModuleMap {
  let map = moduleMaps.get(file);
  if (map !== undefined) return map;
  map = [];
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  for (const [i, text] of lines.entries()) {
    // "// node_modules/pkg/x.js", or "// ../../elsewhere/node_modules/pkg/x.js" when symlinked.
    if (!text.startsWith('// ')) continue;
    const module =
      /^\/\/ \S*?node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(text)?.[1] ??
      /^\/\/ (source)\//.exec(text)?.[1];
    if (module !== undefined) map.push({ line: i, module });
  }
  moduleMaps.set(file, map);
  return map;
}

const sourceMaps = new Map<string, SourceMap | null>();

/** A bundle's source map beside it (dist/main.js.map: its names are shortened), or null. */
function sourceMapOf(file: string): SourceMap | null {
  let map = sourceMaps.get(file);
  if (map !== undefined) return map;
  const mapFile = `${file}.map`;
  map = existsSync(mapFile)
    ? new SourceMap(
        JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0],
      )
    : null;
  sourceMaps.set(file, map);
  return map;
}

/** The package (or smarm-top's source) a path in a source map belongs to. */
function moduleOfSource(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
  if (pkg !== undefined) return pkg;
  return source.startsWith('../source/') ? 'smarm-top source' : path.basename(source);
}

/** Where a function of a bundle was written: module and place, through its source map if any. */
function placeInBundle(bundled: string, frame: ProfileNode['callFrame']) {
  const original = sourceMapOf(bundled)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (original !== undefined && 'originalSource' in original) {
    return {
      where: moduleOfSource(original.originalSource),
      at: ` ${original.originalSource.replace(/^(\.\.\/)+/, '')}:${original.originalLine + 1}`,
    };
  }
  const modules = bundleModules(bundled);
  return {
    where: modules.length > 0 ? moduleAt(modules, frame.lineNumber) : path.basename(bundled),
    at: ` ${path.relative(ROOT, bundled)}:${frame.lineNumber + 1}`,
  };
}

function moduleAt(modules: ModuleMap, line: number): string {
  let found = '(esbuild runtime)';
  for (const entry of modules) {
    if (entry.line > line) break;
    found = entry.module;
  }
  return found === 'source' ? 'smarm-top source' : found;
}

/** With `lastMs`, only the samples of the profile's last `lastMs` (an idle window before exit). */
export function summarizeProfile(file: string, { lastMs = Infinity } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const from = profile.endTime - lastMs * 1000;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) return;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  for (const [id, time] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    total += time;
    // Bundled code (dist/cli.js, dist/main.js, the UI bundle) is attributed to the module esbuild
    // put there (dist/main.js's, written without comments or long names, through its source
    // map); dist/main.js, compiled by the launcher, is named by its path.
    const bundled = frame.url.startsWith(DIST_URL)
      ? fileURLToPath(frame.url)
      : frame.url.startsWith(fileURLToPath(DIST_URL))
        ? frame.url
        : null;
    let where: string;
    let at = '';
    if (bundled !== null) ({ where, at } = placeInBundle(bundled, frame));
    else if (frame.url.startsWith('node:')) where = 'node internals';
    else if (frame.url === '') where = frame.functionName || '(native)';
    else where = path.basename(frame.url);
    const name = `${frame.functionName || '(anonymous)'} [${where}${at}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    byModule.set(where, (byModule.get(where) ?? 0) + time);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, time]) => ({ name, ms: Math.round(time * 10) / 10 }));
  return { totalMs: Math.round(total), modules: top(byModule, 12), functions: top(byFunction, 12) };
}

export async function profileOnce(target: Target) {
  const dir = path.join(TMP, `profile-${target.name}`);
  mkdirSync(dir, { recursive: true });
  await run(process.execPath, [
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    CLI,
    '--once',
    '--host',
    target.host,
  ]);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  return file === undefined
    ? null
    : { target: target.name, ...summarizeProfile(path.join(dir, file)) };
}

export type Profile = NonNullable<Awaited<ReturnType<typeof profileOnce>>>;

/** Under the table: where the time went, by module and the top functions. */
export function printProfile(
  title: string,
  profile: ReturnType<typeof summarizeProfile>,
  functions = 6,
): void {
  console.log('');
  console.log(`${title}: ${profile.totalMs} ms sampled; self time by module:`);
  console.log(`  ${profile.modules.map((m) => `${m.name} ${Math.round(m.ms)}`).join(', ')}`);
  console.log(
    `  top functions: ${profile.functions
      .slice(0, functions)
      .map((f) => `${f.name} ${Math.round(f.ms)}`)
      .join(', ')}`,
  );
}
