// The flags and environment node runs smarm-top with: the bundle's first lines pass them
// (build.mjs), and the benchmark starts the app with them, as a user's start does.
//
// V8 lets the young generation grow to 2 × 16 MB under the allocation of a refresh at 1,000
// services; with 4 MB semi-spaces a session at full size under churn holds about 30 MB less RSS
// (issue 17, P7) for the same CPU within the noise. The flag cannot be set from inside a running
// process. Node takes it in NODE_OPTIONS, which is how the image passes it: the stats probe's
// service, started from the same image, sets a smaller one there.
//
// --expose-gc: smarm-top collects the young generation after each megabyte read from the engine
// (source/docker/young-collection.ts says why).
export const NODE_OPTIONS_FLAGS = ['--max-semi-space-size=4', '--expose-gc'];

// V8's garbage collector works on helper threads by default (concurrent marking, parallel
// scavenges and compaction). On a manager with few cores those threads' wake-ups and hand-offs
// cost more CPU than they save: side by side against one engine, one thread did the same work
// for 15-22 % less CPU under churn at 1,000 services and 25-40 % less at idle at 5,000, where
// each refresh's 4.4 MB answer sets off a major collection every few seconds (issue 17). Node
// refuses it in NODE_OPTIONS: the image's entrypoint passes it.
//
// --interrupt-budget (16 × V8's 67,584): a function must run 16 times longer before V8 asks its
// optimizing compiler (TurboFan) for it. When a swarm starts to churn, the new paths it takes
// (the problems, the rows that change, the parse of changed answers) kept the compiler's helper
// threads busy for a third of smarm-top's CPU in the first minute, and again after each
// deoptimization, for code that did not pay it back: with no optimizing compiler at all, the CPU
// per refresh after four minutes of churn was the same. The bench's P2 under change, alternating
// runs: 59 / 58 → 41 / 42 ms per refresh (64 × gave the same as 16 ×). Loops that are truly hot
// are still optimized: log ingest keeps its 1.3 M lines/s (0.5 M with no optimizing compiler).
// Node refuses it in NODE_OPTIONS too.
export const COMMAND_LINE_FLAGS = ['--single-threaded-gc', '--interrupt-budget=1081344'];

export const NODE_FLAGS = [...NODE_OPTIONS_FLAGS, ...COMMAND_LINE_FLAGS];

// glibc gives threads that allocate at the same time arenas of their own (up to 8 per core):
// V8's helper threads and libuv's pool then keep freed memory in several of them. Two arenas:
// 4-6 MB less RSS after 10-15 minutes at full size under churn, CPU the same (two side-by-side
// runs of five sessions each, issue 17). A value the user set is kept.
export const NODE_ENV_DEFAULTS = { MALLOC_ARENA_MAX: '2' };
