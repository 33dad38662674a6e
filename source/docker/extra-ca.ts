// NODE_EXTRA_CA_CERTS, handed over by cli.js's first line (scripts/node-flags.mjs says why): node
// would read the file and build its whole store of trusted CAs at start, before any JavaScript,
// whatever the engine. Here the file is read only for an engine reached over TLS without a CA of
// its own, which is the one connection the system's CAs serve.
import { readFileSync } from 'node:fs';
import { lazyTls } from './lazy-builtins.js';

/** The variable cli.js's first line moves NODE_EXTRA_CA_CERTS to (scripts/node-flags.mjs). */
export const HANDED_OVER_CA_VARIABLE = 'SMARM_EXTRA_CA_CERTS';

let handedOver: string | null = null;

/**
 * Takes the handed-over setting and puts NODE_EXTRA_CA_CERTS back as the user set it, for the
 * processes smarm-top starts (ssh). Called once, first thing; without the hand-over (a plain
 * `node cli.js`) node has read the file itself and nothing changes.
 */
export function takeHandedOverCaFile(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[HANDED_OVER_CA_VARIABLE];
  if (file === undefined) return;
  delete env[HANDED_OVER_CA_VARIABLE];
  env['NODE_EXTRA_CA_CERTS'] = file;
  handedOver = file === '' ? null : file;
}

/**
 * The CAs node trusts by default when the setting was handed over: its own roots and the file's,
 * as node would have them. undefined: node's default holds (nothing handed over, or a file that
 * cannot be read, which node too only warns about and leaves out).
 */
export function defaultTrustedCas(
  file: string | null = handedOver,
  read: (file: string) => string = (name) => readFileSync(name, 'utf8'),
): string[] | undefined {
  if (file === null) return undefined;
  let extra: string;
  try {
    extra = read(file);
  } catch {
    return undefined;
  }
  return [...lazyTls().rootCertificates, extra];
}
