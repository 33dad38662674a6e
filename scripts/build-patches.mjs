// The exact replacements build.mjs makes in dependencies while bundling (each one says why).
// A test (test/build-patches.test.ts) checks that the patched code draws what the original does.

import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Replaces exact text in a dependency, failing the build if that text is gone (an upgrade). */
export function patch(source, file, from, to) {
  if (!source.includes(from)) {
    throw new Error(`build: ${file} changed; the patch for this text no longer applies: ${from}`);
  }
  return source.replace(from, () => to);
}

/** Per file (relative to the project): the exact replacements made while bundling. */
export const PATCHES = [
  {
    // meow normalizes package.json (spdx licence tables, semver, hosted-git-info: 150 KB of
    // code to compile at every start), yet smarm-top hands meow its own package data (name,
    // version, description: source/package-info.ts), which has nothing to normalize. Without a
    // caller, esbuild leaves that code out of the bundle.
    file: 'node_modules/meow/build/dependencies.js',
    edits: [
      [
        'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
        'const normalizePackageData = () => undefined;',
      ],
      // A leftover of a bundled helper that runs a command: its only trace is an unused call
      // that makes every start load node:child_process.
      ["import { execFile } from 'node:child_process';\n", ''],
      ['promisify(execFile);\n', ''],
    ],
  },
  {
    // The same for looking for package.json (read-package-up, parse-json with Babel's code
    // frame): meow looks only when it is not handed the package data, and smarm-top hands it.
    file: 'node_modules/meow/build/options.js',
    edits: [
      [
        `const foundPackage = options.pkg ?? readPackageUpSync({
		cwd: path.dirname(fileURLToPath(options.importMeta.url)),
		normalize: false,
	})?.packageJson;`,
        'const foundPackage = options.pkg;',
      ],
    ],
  },
  {
    // string-width builds an Intl.Segmenter (17 ms) and the RGI_Emoji regex (28 ms) at load, yet
    // printable ASCII (all of --once's usual output) never reaches them: both are made on first use.
    file: 'node_modules/string-width/index.js',
    edits: [
      [
        'const segmenter = new Intl.Segmenter();',
        'let segmenterInstance;\nconst segmenter = {segment: (text) => (segmenterInstance ??= new Intl.Segmenter()).segment(text)};',
      ],
      [
        'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
        // Every RGI emoji holds a character shown as emoji by default, U+FE0F or U+20E3 (checked
        // over every code point and every pair of text-style emoji, with and without a joiner):
        // a cluster without one (✗, ▸, ·, …: the app's own marks) skips the RGI regex, whose
        // compiling and matching cost 30 ms of the first frame and then each measured mark.
        "let rgiEmojiInstance;\nconst maybeEmoji = /[\\p{Emoji_Presentation}\\u{FE0F}\\u{20E3}]/u;\nconst rgiEmojiRegex = {test: (text) => maybeEmoji.test(text) && (rgiEmojiInstance ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(text)};",
      ],
    ],
  },
  {
    // Ink tokenizes every line of every frame into styled characters, with caches that live for
    // one frame only, so a frame where one clock changed redoes the whole screen (60 % of idle
    // CPU at 1,000 services). The caches are kept across frames instead, and started afresh
    // after a few screens' worth of lines: a cached line holds an object per character, so a
    // large cap under churn costs memory (20,000 lines measured at +70 MB RSS).
    file: 'node_modules/ink/build/output.js',
    edits: [
      [
        'export default class Output {',
        `let sharedCaches = new OutputCaches();
function reusedCaches() {
    if (sharedCaches.styledChars.size > 600 || sharedCaches.widths.size > 6000) sharedCaches = new OutputCaches();
    return sharedCaches;
}
const blankCell = { type: 'char', value: ' ', fullWidth: false, styles: [] };
let previousRows = [];
export default class Output {`,
      ],
      ['    caches = new OutputCaches();', '    caches = reusedCaches();'],
      // Clipping a line that already fits is the identity, but sliceAnsi tokenizes it anyway.
      [
        '                            return sliceAnsi(line, from, to);',
        '                            return from === 0 && to >= width ? line : sliceAnsi(line, from, to);',
      ],
      // Every frame built a width × height grid of character objects and turned each row back
      // into a string, cell by cell, though under churn a few rows of forty change: a third of
      // the app's CPU per refresh at 1,000 services (issue 17). What each row is written with
      // (positions and lines, in order) is collected first; a row written as in the previous
      // frame is the previous frame's string for it (previousRows, added with the caches
      // above), and only the others are composed.
      [
        `        const output = [];
        for (let y = 0; y < this.height; y++) {
            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }
            output.push(row);
        }`,
        `        const output = [];
        for (let y = 0; y < this.height; y++) {
            output.push([]);
        }`,
      ],
      [
        `                    for (const transformer of transformers) {
                        line = transformer(line, index);
                    }
                    const characters = this.caches.getStyledChars(line);
                    let offsetX = x;`,
        `                    for (const transformer of transformers) {
                        line = transformer(line, index);
                    }
                    currentLine.push(x, line);
                    offsetY++;
                }
            }
        }
        const generatedOutput = output
            .map((pieces, y) => {
            const key = \`\${this.width}\\u0000\${pieces.join('\\u0000')}\`;
            const previous = previousRows[y];
            if (previous !== undefined && previous.key === key) {
                return previous.text;
            }
            const currentLine = [];
            for (let x = 0; x < this.width; x++) {
                currentLine.push(blankCell);
            }
            for (let piece = 0; piece < pieces.length; piece += 2) {
                const characters = this.caches.getStyledChars(pieces[piece + 1]);
                let offsetX = pieces[piece];`,
      ],
      [
        `                        offsetX += characterWidth;
                    }
                    offsetY++;
                }
            }
        }
        const generatedOutput = output
            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })
            .join('\\n');`,
        `                        offsetX += characterWidth;
                    }
            }
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = currentLine.filter(item => item !== undefined);
            const text = styledCharsToString(lineWithoutEmptyItems).trimEnd();
            previousRows[y] = { key, text };
            return text;
        })
            .join('\\n');
        previousRows.length = output.length;`,
      ],
    ],
  },
  {
    // Ink measures every text of every frame with widestLine (string-width over each line: for
    // a styled line, ANSI stripping and grapheme segmentation), though most texts are the ones
    // of the frame before: 5 % of the app's CPU under churn at 1,000 services. Remembered, and
    // started afresh beyond a few screens' worth of texts (as Output's caches).
    file: 'node_modules/widest-line/index.js',
    edits: [
      [
        'export default function widestLine(string) {\n\tlet lineWidth = 0;',
        `let widths = new Map();
export default function widestLine(string) {
\tconst known = widths.get(string);
\tif (known !== undefined) {
\t\treturn known;
\t}
\tif (widths.size > 4000) {
\t\twidths = new Map();
\t}
\tconst width = measuredWidestLine(string);
\twidths.set(string, width);
\treturn width;
}
function measuredWidestLine(string) {
\tlet lineWidth = 0;`,
      ],
    ],
  },
  {
    // A styled character was made by spreading its token: V8 gave each such object a hidden
    // class of its own (47,000 new ones in 3 minutes, 20 MB of the heap held by the line caches
    // above, issue 17's P7). Made as a literal of the same fields in the same order, they share
    // one; characters in one run of styles share the styles array (nothing changes one).
    file: 'node_modules/@alcalzone/ansi-tokenize/build/styledChars.js',
    edits: [
      [
        `    let codes = [];
    const ret = [];
    for (const token of tokens) {
        if (token.type === "ansi") {
            codes = reduceAnsiCodesIncremental(codes, [token]);
        }
        else if (token.type === "char") {
            ret.push({
                ...token,
                styles: [...codes],
            });
        }
    }`,
        `    let codes = [];
    let styles = [];
    const ret = [];
    for (const token of tokens) {
        if (token.type === "ansi") {
            codes = reduceAnsiCodesIncremental(codes, [token]);
            styles = [...codes];
        }
        else if (token.type === "char") {
            ret.push({
                type: token.type,
                value: token.value,
                fullWidth: token.fullWidth,
                styles,
            });
        }
    }`,
      ],
    ],
  },
  {
    // Ink's incremental rendering (only the lines that changed are written: a tenth of the bytes
    // a full redraw sends at every frame, over SSH too) goes back one line too few before a frame
    // that ends with a newline, as each of smarm-top's does (the frame is a row shorter than the
    // terminal, so that Ink does not clear the whole terminal at every frame): every unchanged
    // line would then be drawn one row too low.
    file: 'node_modules/ink/build/log-update.js',
    edits: [
      [
        'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
        "buffer.push(ansiEscapes.cursorUp(previousOutput.endsWith('\\n') ? previousVisible : previousVisible - 1));",
      ],
    ],
  },
  {
    // yoga's wasm is a data: URL inside the bundle, which its loader decodes itself, unless a
    // global fetch exists (Node 18 on): it then fetches the URL, which makes node load its HTTP
    // client (undici) at every start only to decode base64. The data: URL now skips fetch.
    file: 'node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js',
    edits: [
      [
        'function ya(){return w||"function"!=typeof fetch?',
        'function ya(){return w||ua(H)||"function"!=typeof fetch?',
      ],
    ],
  },
  {
    // dockerode loads node:zlib at load for gzipped image build contexts: smarm-top builds none.
    file: 'node_modules/dockerode/lib/util.js',
    edits: [
      ["var zlib = require('zlib');\n", ''],
      ['pack.pipe(zlib.createGzip())', "pack.pipe(require('zlib').createGzip())"],
    ],
  },
  {
    // docker-modem formats every request with util.inspect (showHidden, unlimited depth) for a
    // debug log that is off: on every poll. Only when DEBUG asks for it now.
    file: 'node_modules/docker-modem/lib/modem.js',
    edits: [
      [
        "debug('Sending: %s', util.inspect(options, {",
        "if (debug.enabled) debug('Sending: %s', util.inspect(options, {",
      ],
    ],
  },
  {
    // docker-modem loads node:https (with tls and crypto) at load for https endpoints: most
    // starts are on a unix socket. Its https wrapper is made on first use; its http one as before.
    file: 'node_modules/docker-modem/lib/http.js',
    edits: [
      ["var nativeHttps = require('https'),\n  nativeHttp", 'var nativeHttp'],
      [
        `var protocols = {
  https: nativeHttps,
  http: nativeHttp
};

for (var protocol in protocols) {
  var h = function() {};
  h.prototype = protocols[protocol];`,
        `function wrapProtocol(protocol) {
  var h = function() {};
  h.prototype = protocol === 'https' ? require('https') : nativeHttp;`,
      ],
      [
        `  module.exports[protocol] = h;
}`,
        `  return h;
}
module.exports.http = wrapProtocol('http');
var wrappedHttps;
Object.defineProperty(module.exports, 'https', {
  enumerable: true,
  get: function() { return wrappedHttps || (wrappedHttps = wrapProtocol('https')); }
});`,
      ],
    ],
  },
];

/** In an esbuild plugin's setup: every file of PATCHES is loaded patched (`seen` gets its name). */
export function applyPatches(b, seen = new Set()) {
  for (const { file, edits } of PATCHES) {
    // esbuild loads a file by its real path: a node_modules that is a link must still match.
    const absolute = realpathSync(fileURLToPath(new URL(`../${file}`, import.meta.url)));
    const filter = new RegExp(`^${absolute.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
    b.onLoad({ filter }, async (args) => {
      seen.add(file);
      let contents = await readFile(args.path, 'utf8');
      for (const [from, to] of edits) contents = patch(contents, args.path, from, to);
      return { contents, loader: 'js' };
    });
  }
}
