import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { INTERRUPT_BUDGET, tieringFlags } from '../source/jit-tiering.js';
import { LINEAR_REGEXP_FLAG, programFlags, setProgramFlags } from '../source/v8-flags.js';

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

  it('sets each flag of the program for the V8 at hand: the budget, then the linear regexps', () => {
    const set: string[] = [];
    setProgramFlags('11.3.244.8-node.38', (flag) => set.push(flag));
    expect(set).toEqual(['--interrupt-budget=1081344', LINEAR_REGEXP_FLAG]);
    setProgramFlags('13.6.233.10-node.2', (flag) => set.push(flag));
    expect(set).toEqual(['--interrupt-budget=1081344', LINEAR_REGEXP_FLAG, LINEAR_REGEXP_FLAG]);
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
    expect(stderrOf(programFlags())).not.toMatch(/unrecognized flag/);
  });
});
