// readable-stream 3 is a copy of Node's own streams for old Node versions (83 KB to compile at
// every start); on Node ≥ 20 the built-in module is the same API.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module by nature
module.exports = require('node:stream');
