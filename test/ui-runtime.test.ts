// The program's side of the UI bundle (source/ui-runtime.ts). Run from source, Ink and React are
// plain packages: loading the bundle does nothing, and the build's `ink`/`react` stand-ins, asked
// before it is loaded, say so instead of handing out undefined. The built side (one React, the
// lent chalk) is exercised by every tmux test of the built CLI.
import { describe, expect, it } from 'vitest';
import { loadUi, uiModule } from '../source/ui-runtime.js';
import { HOST_CHALK } from '../source/ui-host.js';

describe('the UI bundle, from source', () => {
  it('is not loaded: nothing is imported and no chalk is lent', async () => {
    await expect(loadUi()).resolves.toBeUndefined();
    expect((globalThis as Record<symbol, unknown>)[HOST_CHALK]).toBeUndefined();
  });

  it('names the package asked for before the bundle was loaded', () => {
    expect(() => uiModule('ink')).toThrow('ink was used before the UI bundle was loaded');
    expect(() => uiModule('react/jsx-runtime')).toThrow(/^react\/jsx-runtime was used before/);
  });
});
