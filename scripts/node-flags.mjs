// The flags and environment node runs smarm-top with: the bundle's first lines pass them
// (build.mjs), and the benchmark starts the app with them, as a user's start does.
//
// V8 lets the young generation grow to 2 × 16 MB under the allocation of a refresh at 1,000
// services; with 4 MB semi-spaces a session at full size under churn holds about 30 MB less RSS
// (issue 17, P7) for the same CPU within the noise. The flag cannot be set from inside a running
// process.
export const NODE_FLAGS = ['--max-semi-space-size=4'];

// glibc gives threads that allocate at the same time arenas of their own (up to 8 per core):
// V8's helper threads and libuv's pool then keep freed memory in several of them. Two arenas:
// 4-6 MB less RSS after 10-15 minutes at full size under churn, CPU the same (two side-by-side
// runs of five sessions each, issue 17). A value the user set is kept.
export const NODE_ENV_DEFAULTS = { MALLOC_ARENA_MAX: '2' };
