// In the build, Ink, React and yoga are a bundle of their own, dist/ui.mjs (an ES module: yoga
// waits for its WebAssembly with a top-level await, which the CommonJS program cannot hold),
// loaded once the first frame is out. The program's own UI code reaches them through here:
// scripts/build.mjs makes its `ink`, `react` and `react/jsx-runtime` imports read uiModule(), so
// one React serves Ink and the app, and the app's chalk is lent to Ink (ui-host-chalk.ts), so a
// colour level set by the app is Ink's too. Run from source (the tests, tsx) they are plain
// packages, and loadUi() does nothing.
import { HOST_CHALK, type UiModules } from './ui-host.js';

/** The UI bundle's file in dist/, written in by the build. */
declare const SMARM_UI_BUNDLE: string | undefined;
/** The launcher's import() (launcher.ts): the program, compiled by vm.Script, has none. */
declare const __smarmImportBuilt: (file: string) => Promise<unknown>;

let loaded: UiModules | undefined;

/** Loads the UI bundle, once, before any UI code runs. */
export async function loadUi(): Promise<void> {
  if (typeof SMARM_UI_BUNDLE !== 'string' || loaded !== undefined) return;
  const { default: chalk } = await import('chalk');
  (globalThis as Record<symbol, unknown>)[HOST_CHALK] = chalk;
  loaded = ((await __smarmImportBuilt(SMARM_UI_BUNDLE)) as { modules: UiModules }).modules;
}

/** One of the UI bundle's packages, for the build's `ink`, `react` and `react/jsx-runtime`. */
export function uiModule(name: keyof UiModules): unknown {
  if (loaded === undefined) throw new Error(`${name} was used before the UI bundle was loaded`);
  return loaded[name];
}
