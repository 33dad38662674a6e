// One ESM file: Ink unbundled is hundreds of small modules, and startup time matters on a
// stressed manager. ESM because Ink (yoga-layout) uses top-level await.
import { build } from 'esbuild';
import { chmod, readFile, rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { applyPatches, PATCHES } from './build-patches.mjs';
import {
  HAND_OVER_UNLESS_NODE_OPTIONS,
  HANDED_OVER_ENV,
  NODE_ENV_DEFAULTS,
  NODE_FLAGS,
} from './node-flags.mjs';

/** `: "${NAME:=value}"; export NAME;` for each default: the user's own value is kept. */
const shellDefaults = Object.entries(NODE_ENV_DEFAULTS)
  .map(([name, value]) => `: "\${${name}:=${value}}"; export ${name};`)
  .join(' ');
/** `[ -z "${NAME+x}" ] || { export TO="$NAME"; unset NAME; };` for each setting handed over. */
const shellHandOver = `case "\${NODE_OPTIONS-}" in *${HAND_OVER_UNLESS_NODE_OPTIONS}*) ;; *) ${Object.entries(
  HANDED_OVER_ENV,
)
  .map(([name, to]) => `[ -z "\${${name}+x}" ] || { export ${to}="$${name}"; unset ${name}; };`)
  .join(' ')} ;; esac;`;
const stub = (name) => fileURLToPath(new URL(`./stubs/${name}`, import.meta.url));
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Startup is measured (issue 5, P1): code the first frame never runs is not loaded, and what is
 * loaded does no work at load that it may never need.
 */
/** The patched files esbuild loaded: one it never loads means the patch silently did nothing. */
const patched = new Set();

const startupDiet = {
  name: 'startup-diet',
  setup(b) {
    // docker-modem requires ssh2 (600 KB with its crypto) at load for ssh:// endpoints, which
    // smarm-top reaches through its own transport: only docker-modem's import is stubbed.
    b.onResolve({ filter: /^ssh2$/ }, (args) =>
      /[\\/]docker-modem[\\/]/.test(args.importer) ? { path: stub('no-ssh2.cjs') } : undefined,
    );
    // dockerode's BuildKit session (image builds) loads node's crypto at start, about 10 ms of
    // CPU that a start on a unix socket otherwise does without: smarm-top builds no image.
    b.onResolve({ filter: /^\.\/session$/ }, (args) =>
      /[\\/]dockerode[\\/]lib[\\/]/.test(args.importer)
        ? { path: stub('no-buildkit.cjs') }
        : undefined,
    );
    applyPatches(b, patched);
  },
};

// Built beside dist and swapped in: a fresh folder keeps old chunks from piling up under their
// old hashes, and the swap keeps dist/cli.js there for a run (a test, the bench) that is using it.
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const fresh = `${dist}.building-${process.pid}`;
const old = `${dist}.old-${process.pid}`;
await rm(fresh, { recursive: true, force: true });

await build({
  // The demo (smarm-top --demo: a simulated swarm) is a file of its own, dist/demo.js, loaded by
  // cli.js's import() only when asked for: a normal start never reads it.
  entryPoints: { cli: 'source/cli.tsx', demo: 'source/demo/index.ts' },
  outdir: fresh,
  // The interactive app (Ink, React, yoga) is its own chunk: --once never compiles it.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  minify: false,
  sourcemap: false,
  logLevel: 'warning',
  // Native addons of ssh2 are optional (it falls back to JavaScript); they are never bundled.
  external: ['*.node', 'cpu-features'],
  plugins: [startupDiet],
  // Strings, not an object: an object define is re-initialised in every module of the bundle.
  define: {
    // React and Ink pick their development builds (slower, with extra checks) when unset.
    'process.env.NODE_ENV': '"production"',
    SMARM_PACKAGE_VERSION: JSON.stringify(pkg.version),
    SMARM_PACKAGE_DESCRIPTION: JSON.stringify(pkg.description),
  },
  alias: {
    // dockerode's image builds (tar archives, BuildKit over gRPC/protobuf): never used here.
    protobufjs: stub('no-buildkit.cjs'),
    'tar-fs': stub('no-buildkit.cjs'),
    '@balena/dockerignore': stub('no-buildkit.cjs'),
    'readable-stream': stub('node-stream.cjs'),
    'react-devtools-core': stub('empty.js'),
    'is-in-ci': stub('not-in-ci.js'),
    '@grpc/grpc-js': stub('no-buildkit.cjs'),
    '@grpc/proto-loader': stub('no-buildkit.cjs'),
  },
  // Bundled CommonJS (dockerode, ssh2) expects these.
  banner: {
    js: [
      // Both shell and JavaScript: sh runs node with NODE_FLAGS on this file ("env -S" would do
      // it in one line, but BusyBox's env has no -S); to JavaScript the second line is a string
      // and a comment. A plain `node cli.js` also works, with node's defaults.
      '#!/bin/sh',
      `":" //# ; ${shellDefaults} ${shellHandOver} exec node ${NODE_FLAGS.join(' ')} "$0" "$@"`,
      "import { createRequire as __smarmCreateRequire } from 'node:module';",
      "import { fileURLToPath as __smarmFileURLToPath } from 'node:url';",
      "import { dirname as __smarmDirname } from 'node:path';",
      'const require = __smarmCreateRequire(import.meta.url);',
      'const __filename = __smarmFileURLToPath(import.meta.url);',
      'const __dirname = __smarmDirname(__filename);',
    ].join('\n'),
  },
});

const unpatched = PATCHES.map((p) => p.file).filter((file) => !patched.has(file));
if (unpatched.length > 0) {
  await rm(fresh, { recursive: true, force: true });
  throw new Error(`build: these patches were never applied (not loaded): ${unpatched.join(', ')}`);
}

// Executable, so that a copied dist (scp to a manager) also runs as ./dist/cli.js with its shebang.
await chmod(`${fresh}/cli.js`, 0o755);

await rename(dist, old).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(fresh, dist);
await rm(old, { recursive: true, force: true });
