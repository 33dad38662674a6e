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
export const COMMAND_LINE_FLAGS = ['--single-threaded-gc'];

export const NODE_FLAGS = [...NODE_OPTIONS_FLAGS, ...COMMAND_LINE_FLAGS];

// glibc gives threads that allocate at the same time arenas of their own (up to 8 per core):
// V8's helper threads and libuv's pool then keep freed memory in several of them. Two arenas:
// 4-6 MB less RSS after 10-15 minutes at full size under churn, CPU the same (two side-by-side
// runs of five sessions each, issue 17). A value the user set is kept.
export const NODE_ENV_DEFAULTS = { MALLOC_ARENA_MAX: '2' };

// Node reads the file NODE_EXTRA_CA_CERTS names at start, before any JavaScript, and builds its
// whole store of trusted CAs with it: 40-50 ms of CPU here, about as much as the rest of a bare
// node's start (issue 17). smarm-top needs those CAs only for an engine reached over TLS without
// a CA of its own, so the first line hands the setting over under this name instead; the app
// puts it back for what it starts and reads the file only for that connection
// (source/docker/extra-ca.ts). Not when NODE_OPTIONS asks for OpenSSL's store of CAs, which the
// app could not rebuild (it knows only node's own roots).
export const HANDED_OVER_ENV = { NODE_EXTRA_CA_CERTS: 'SMARM_EXTRA_CA_CERTS' };
export const HAND_OVER_UNLESS_NODE_OPTIONS = '--use-openssl-ca';

/** The environment node runs smarm-top with, as the first line makes it from the user's. */
export function startEnvironment(env) {
  const out = { ...env };
  for (const [name, value] of Object.entries(NODE_ENV_DEFAULTS)) {
    if (out[name] === undefined || out[name] === '') out[name] = value;
  }
  if ((out['NODE_OPTIONS'] ?? '').includes(HAND_OVER_UNLESS_NODE_OPTIONS)) return out;
  for (const [name, handedTo] of Object.entries(HANDED_OVER_ENV)) {
    if (out[name] === undefined) continue;
    out[handedTo] = out[name];
    delete out[name];
  }
  return out;
}
