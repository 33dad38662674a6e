import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { INTERRUPT_BUDGET, slowTiering, tieringFlags } from '../source/jit-tiering.js';

describe('the optimizing compiler waits longer', () => {
  it('asks V8 11 (Node 20, where it was measured) for a 16-fold budget', () => {
    expect(INTERRUPT_BUDGET).toBe(1_081_344);
    expect(tieringFlags('11.3.244.8-node.38')).toEqual(['--interrupt-budget=1081344']);
  });

  it('leaves a V8 it was not measured on as it is (its flags may be gone or mean else)', () => {
    for (const version of ['10.2.154.26-node.36', '12.4.254.21-node.33', '13.6.233.10-node.2']) {
      expect(tieringFlags(version)).toEqual([]);
    }
    expect(tieringFlags('')).toEqual([]);
    expect(tieringFlags('not a version')).toEqual([]);
  });

  it('sets each flag for the V8 at hand', () => {
    const set: string[] = [];
    slowTiering('11.3.244.8-node.38', (flag) => set.push(flag));
    expect(set).toEqual(['--interrupt-budget=1081344']);
    slowTiering('13.6.233.10-node.2', (flag) => set.push(flag));
    expect(set).toHaveLength(1);
  });

  it("is a flag this node's V8 knows: setting it writes no complaint", () => {
    // V8 writes "Error: unrecognized flag" to stderr for a flag it does not know, and goes on.
    const stderrOf = (flags: string[]) =>
      spawnSync(
        process.execPath,
        [
          '-e',
          `for (const f of ${JSON.stringify(flags)}) require('node:v8').setFlagsFromString(f)`,
        ],
        { encoding: 'utf8' },
      ).stderr;
    expect(stderrOf(['--no-such-flag-at-all'])).toMatch(/unrecognized flag/);
    // (Only that complaint counts: node may warn of other things, such as extra CA certificates.)
    expect(stderrOf(tieringFlags(process.versions.v8))).not.toMatch(/unrecognized flag/);
  });
});
