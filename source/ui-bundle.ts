// The entry of dist/ui.mjs, the UI bundle (scripts/build.mjs, ui-runtime.ts says why).
import * as ink from 'ink';
import * as react from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import type { UiModules } from './ui-host.js';

export const modules: UiModules = { ink, react, 'react/jsx-runtime': jsxRuntime };
