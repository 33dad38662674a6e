import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  defaultTrustedCas,
  HANDED_OVER_CA_VARIABLE,
  takeHandedOverCaFile,
} from '../../source/docker/extra-ca.js';

describe('the handed-over NODE_EXTRA_CA_CERTS', () => {
  it('puts the variable back as the user set it, for the processes smarm-top starts', () => {
    const env: NodeJS.ProcessEnv = { [HANDED_OVER_CA_VARIABLE]: '/etc/ssl/extra.pem' };
    takeHandedOverCaFile(env);
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem' });
  });

  it('leaves the environment alone when nothing was handed over (node cli.js)', () => {
    const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem' };
    takeHandedOverCaFile(env);
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem' });
  });

  it("trusts node's own roots and the file's CAs, as node would", () => {
    const cas = defaultTrustedCas('/etc/ssl/extra.pem', (file) => `PEM of ${file}`);
    expect(cas).toEqual([...tls.rootCertificates, 'PEM of /etc/ssl/extra.pem']);
  });

  it("keeps node's default when there is no file, or it cannot be read (node only warns)", () => {
    expect(defaultTrustedCas(null)).toBeUndefined();
    const unreadable = defaultTrustedCas('/nowhere.pem', () => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    });
    expect(unreadable).toBeUndefined();
  });
});
