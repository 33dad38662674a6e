// V8 optimizes a function with TurboFan, on helper threads, once it has run long enough. When a
// swarm starts to churn, the new paths smarm-top takes (the problems, the rows that change, the
// parse of changed answers) kept those threads busy for a third of its CPU in the first minute,
// and again after each deoptimization, for code that did not pay it back: with no optimizing
// compiler at all, the CPU per refresh after four minutes of churn was the same (issue 17). So
// the budget a function must spend before it is optimized is raised 16-fold; loops that are truly
// hot (log ingest) are still optimized.
//
// It is set from inside (v8-flags.ts), not on node's command line: node refuses a V8 flag it does
// not know, and newer V8s count invocations instead (--interrupt-budget is gone there). A V8 it
// was not measured on is left as it is.

/** V8 11's default budget (66 KB of bytecode run), 16 times. */
export const INTERRUPT_BUDGET = 16 * 67_584;

/** The flags for this V8 (`process.versions.v8`): none for a V8 they were not measured on. */
export function tieringFlags(v8Version: string): string[] {
  const major = Number(/^(\d+)\./.exec(v8Version)?.[1]);
  return major === 11 ? [`--interrupt-budget=${INTERRUPT_BUDGET}`] : [];
}
