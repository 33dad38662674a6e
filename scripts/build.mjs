// Bundled: Ink unbundled is hundreds of small modules, and startup time matters on a stressed
// manager. dist/cli.js (the launcher) runs dist/main.js (the program, CommonJS, with V8's code
// cache); dist/ui.mjs (Ink, React, yoga: ESM, as yoga uses top-level await) is loaded after the
// first frame, dist/demo.js only for --demo.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/** What every bundle shares. */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // Without spaces and comments the program is 30 % smaller: less to read and compile at each
  // start (issue 17).
  minifyWhitespace: true,
  sourcemap: false,
  logLevel: 'warning',
  // Native addons of ssh2 are optional (it falls back to JavaScript); they are never bundled.
  external: ['*.node', 'cpu-features'],
  alias: {
    // dockerode's image builds (tar archives, BuildKit over gRPC/protobuf): never used here.
    protobufjs: stub('no-buildkit.cjs'),
    'tar-fs': stub('no-buildkit.cjs'),
    '@balena/dockerignore': stub('no-buildkit.cjs'),
    'readable-stream': stub('node-stream.cjs'),
    debug: stub('no-debug.cjs'),
    'react-devtools-core': stub('empty.js'),
    'is-in-ci': stub('not-in-ci.js'),
    '@grpc/grpc-js': stub('no-buildkit.cjs'),
    '@grpc/proto-loader': stub('no-buildkit.cjs'),
  },
};
// Strings, not an object: an object define is re-initialised in every module of the bundle.
// React and Ink pick their development builds (slower, with extra checks) when unset.
const production = { 'process.env.NODE_ENV': '"production"' };

const UI_BUNDLE = 'ui.mjs';
const source = (file) => fileURLToPath(new URL(`../source/${file}`, import.meta.url));

/**
 * The program's `ink`, `react` and `react/jsx-runtime` are the UI bundle's (source/ui-runtime.ts):
 * one React for Ink and the app.
 */
const fromUiBundle = {
  name: 'from-ui-bundle',
  setup(b) {
    b.onResolve({ filter: /^(ink|react|react\/jsx-runtime)$/ }, (args) => ({
      path: args.path,
      namespace: 'ui-bundle',
    }));
    b.onLoad({ filter: /.*/, namespace: 'ui-bundle' }, (args) => ({
      contents: `module.exports = require('./ui-runtime.ts').uiModule(${JSON.stringify(args.path)});`,
      resolveDir: source('.'),
      loader: 'js',
    }));
  },
};

/** The demo (smarm-top --demo: a simulated swarm) is dist/demo.js, read only when asked for. */
const demoApart = {
  name: 'demo-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/demo\/index\.js$/ }, () => ({ path: './demo.js', external: true }));
  },
};

// The program and the demo: CommonJS. The program is compiled by the launcher's vm.Script
// (source/launcher.ts), which cannot import(): dynamic imports are require()s in a promise (the
// demo is required by the program), and the one ES module, the UI bundle, comes through the
// launcher.
const program = {
  ...common,
  outdir: fresh,
  format: 'cjs',
  supported: { 'dynamic-import': false },
};

// The program: one file, compiled by the launcher with V8's code cache.
await build({
  ...program,
  entryPoints: { main: 'source/cli.tsx' },
  // Short names too: 0.79 → 0.53 MB to read, hold as a string and compile at every start, and a
  // smaller code cache (issue 17). The names are in main.js.map (no sources in it), which the
  // bench's CPU profile reads; node never loads it unless asked (--enable-source-maps).
  minifyIdentifiers: true,
  minifySyntax: true,
  sourcemap: 'external',
  sourcesContent: false,
  plugins: [startupDiet, fromUiBundle, demoApart],
  define: {
    ...production,
    SMARM_PACKAGE_VERSION: JSON.stringify(pkg.version),
    SMARM_PACKAGE_DESCRIPTION: JSON.stringify(pkg.description),
    SMARM_UI_BUNDLE: JSON.stringify(UI_BUNDLE),
    'import.meta': '__smarmImportMeta',
  },
  banner: {
    js: "var __smarmImportMeta = { url: require('node:url').pathToFileURL(__filename).href };",
  },
});
const main = await readFile(`${fresh}/main.js`, 'utf8');
const mainProblem = /\bimport\(/.test(main)
  ? 'holds an import(), which code compiled by vm.Script cannot run'
  : // eslint-disable-next-line no-control-regex
    /[^\x00-\x7f]/.test(main)
    ? 'is not ASCII, which the launcher reads it as (escape the character in the source)'
    : null;
if (mainProblem !== null) {
  await rm(fresh, { recursive: true, force: true });
  throw new Error(`build: dist/main.js ${mainProblem}`);
}

await build({
  ...program,
  entryPoints: { demo: 'source/demo/index.ts' },
  plugins: [startupDiet],
  define: production,
});

// Ink, React and yoga: an ES module (yoga's top-level await), loaded after the first frame. Its
// chalk is the program's (source/ui-host-chalk.ts).
await build({
  ...common,
  entryPoints: [source('ui-bundle.ts')],
  outfile: `${fresh}/${UI_BUNDLE}`,
  format: 'esm',
  plugins: [
    {
      name: 'ui-bundle',
      setup(b) {
        b.onResolve({ filter: /^chalk$/ }, () => ({ path: source('ui-host-chalk.ts') }));
        // React's devtools (DEV=true) are not part of smarm-top.
        b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
          /[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: stub('empty.js') } : undefined,
        );
        applyPatches(b, patched);
      },
    },
  ],
  define: production,
  // Bundled CommonJS (React) expects require.
  banner: {
    js: [
      "import { createRequire as __smarmCreateRequire } from 'node:module';",
      'const require = __smarmCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});

// The launcher, dist/cli.js: what runs as `smarm-top`.
await build({
  ...common,
  entryPoints: { cli: 'source/launcher.ts' },
  outdir: fresh,
  format: 'cjs',
  define: {
    SMARM_MAIN_HASH: JSON.stringify(createHash('sha256').update(main).digest('hex').slice(0, 16)),
  },
  banner: {
    js: [
      // Both shell and JavaScript: sh runs node with NODE_FLAGS on this file ("env -S" would do
      // it in one line, but BusyBox's env has no -S); to JavaScript the second line is a string
      // and a comment. A plain `node cli.js` also works, with node's defaults.
      '#!/bin/sh',
      `":" //# ; ${shellDefaults} ${shellHandOver} exec node ${NODE_FLAGS.join(' ')} "$0" "$@"`,
    ].join('\n'),
  },
});
// The files above are CommonJS but for ui.mjs; the project's own package.json says "module".
await writeFile(`${fresh}/package.json`, '{ "type": "commonjs" }\n');

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
