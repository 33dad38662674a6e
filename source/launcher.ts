// The program's entry in the build (dist/cli.js, scripts/build.mjs). The program itself is
// dist/main.js, one CommonJS file: the launcher compiles it with V8's code cache
// (code-cache.ts), so that from the second start on its compiled code is read rather than
// compiled, and node's ES module loader, which a CommonJS start never loads, is left to the UI
// bundle (ui-runtime.ts). Node 20 has no code cache of its own for either (issue 17).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { codeCacheDir, codeCacheName, openCodeCache, startKind } from './code-cache.js';
import { setProgramFlags } from './v8-flags.js';

/** dist/main.js's content hash, written in by the build. */
declare const SMARM_MAIN_HASH: string;

type Program = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
  importBuilt: (file: string) => Promise<unknown>,
  keepCode: () => void,
) => void;

/** dist/main.js; a copy of dist/ without it gets one sentence, not a stack trace. */
function programText(): string {
  try {
    return readFileSync(program, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    process.stderr.write(
      `smarm-top: cannot read ${program} (${code}): copy the whole dist/ folder, whose files belong together.\n`,
    );
    process.exit(1);
  }
}

// Before compiling: V8 rejects a code cache made under other flags, and the program sets these.
setProgramFlags();

const program = path.join(__dirname, 'main.js');
const dir = codeCacheDir(process.env, os.homedir());
const cache =
  dir === null
    ? null
    : openCodeCache(
        dir,
        codeCacheName(
          SMARM_MAIN_HASH,
          process.version,
          process.arch,
          [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''],
          startKind(process.argv.slice(2)),
        ),
      );
const cachedData = cache?.read();
// The wrapper keeps the program's line numbers: it adds nothing before the first line. The
// program is ASCII (the build checks it): read as latin1, it is V8's one-byte text, half the
// memory of UTF-8's two-byte text and read in half the time here.
const script = new Script(
  `(function (exports, require, module, __filename, __dirname, __smarmImportBuilt, __smarmKeepCode) {${programText()}\n})`,
  { filename: program, cachedData },
);
// Kept only from a run that got as far as its first output (compiled-code.ts): a `--version` or
// a usage error compiles a fraction of the program, and its cache would be read, thin, by every
// start after it. Kept a few seconds after that output (or at exit, if sooner), so that it holds
// what the start compiled, the UI's first frames too: by the end of a long session V8 has dropped
// the compiled code of functions only the start ran (a cache written after minutes held 536 KB
// of 869, and the first frame read from it came about 30 ms later, issue 17).
const KEEP_AFTER_MS = 3000;
const writing = cache !== null && (cachedData === undefined || script.cachedDataRejected === true);
let representative = false;
let kept = false;
const keep = (): void => {
  if (kept || !writing) return;
  kept = true;
  cache.write(script.createCachedData());
};
if (writing) {
  process.once('exit', () => {
    if (representative) keep();
  });
}
const module = { exports: {} };
(script.runInThisContext() as Program)(
  module.exports,
  createRequire(program),
  module,
  program,
  __dirname,
  // Code compiled by vm.Script cannot import(): the ES module it needs (the UI bundle) is
  // imported from here.
  (file) => import(pathToFileURL(path.join(__dirname, file)).href),
  () => {
    if (representative) return;
    representative = true;
    if (writing) setTimeout(keep, KEEP_AFTER_MS).unref();
  },
);
