// One ESM file: Ink unbundled is hundreds of small modules, and startup time matters on a
// stressed manager. ESM because Ink (yoga-layout) uses top-level await.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const stub = (name) => fileURLToPath(new URL(`./stubs/${name}`, import.meta.url));

await build({
  entryPoints: { cli: 'source/cli.tsx' },
  outdir: 'dist',
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
  alias: {
    'react-devtools-core': stub('empty.js'),
    'is-in-ci': stub('not-in-ci.js'),
    '@grpc/grpc-js': stub('no-buildkit.cjs'),
    '@grpc/proto-loader': stub('no-buildkit.cjs'),
  },
  // Bundled CommonJS (dockerode, ssh2) expects these.
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __smarmCreateRequire } from 'node:module';",
      "import { fileURLToPath as __smarmFileURLToPath } from 'node:url';",
      "import { dirname as __smarmDirname } from 'node:path';",
      'const require = __smarmCreateRequire(import.meta.url);',
      'const __filename = __smarmFileURLToPath(import.meta.url);',
      'const __dirname = __smarmDirname(__filename);',
    ].join('\n'),
  },
});
