// Node's modules that only some starts need, loaded at their first use: crypto (with tls and
// https, which load it) is about 10 ms of CPU to load, and a start on a unix socket reaches its
// first frame without it; child_process serves only ssh:// endpoints (issue 17).
import { createRequire } from 'node:module';

const load = <T>(name: string): (() => T) => {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(import.meta.url)(name) as T);
};

export const lazyCrypto = load<typeof import('node:crypto')>('node:crypto');
export const lazyHttps = load<typeof import('node:https')>('node:https');
export const lazyTls = load<typeof import('node:tls')>('node:tls');
export const lazyChildProcess = load<typeof import('node:child_process')>('node:child_process');
