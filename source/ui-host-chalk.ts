// The UI bundle's `chalk` (scripts/build.mjs): the program's own, so that one colour level holds
// for the app and Ink (ui-runtime.ts).
import type { ChalkInstance } from 'chalk';
import { HOST_CHALK } from './ui-host.js';

export default (globalThis as Record<symbol, unknown>)[HOST_CHALK] as ChalkInstance;
