// The swarm root CA's subject and expiry, read without node:crypto, against what node's own
// X509Certificate reads from the same files (a real swarm CA, UTCTime and GeneralizedTime, a
// subject with every character OpenSSL escapes, UTF-8, a multi-valued RDN).
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { certificateFacts, firstPemCertificate } from '../../source/docker/certificate.js';
import { parseRootCa } from '../../source/docker/parse-objects.js';

const fixtures = fileURLToPath(new URL('../fixtures/certificates', import.meta.url));
const pems = [
  ...readdirSync(fixtures).map((file) => path.join(fixtures, file)),
  fileURLToPath(new URL('../fixtures/tls/engine-cert.pem', import.meta.url)),
];

describe('certificateFacts', () => {
  it.each(pems.map((file) => [path.basename(file), file]))(
    'reads %s as node does',
    (_name, file) => {
      const pem = readFileSync(file, 'utf8');
      const node = new X509Certificate(pem);
      const ours = certificateFacts(firstPemCertificate(pem)!);
      expect(ours).not.toBeNull();
      expect(ours!.subject).toBe(node.subject);
      expect(ours!.notAfter.toISOString()).toBe(new Date(node.validTo).toISOString());
    },
  );

  it('has the fixtures it names: escapes, UTF-8, both time forms, several values in an RDN', () => {
    const subjects = pems.map((file) => new X509Certificate(readFileSync(file)).subject).join('\n');
    for (const part of ['\\,', '\\;', '\\<', '\\"', '\\\\', '\\#', 'Ü', ' + ', 'CN=swarm-ca']) {
      expect(subjects).toContain(part);
    }
    const years = pems.map((file) => new Date(new X509Certificate(readFileSync(file)).validTo));
    // UTCTime ends in 2049; from 2050 on, GeneralizedTime.
    expect(years.some((d) => d.getUTCFullYear() < 2050)).toBe(true);
    expect(years.some((d) => d.getUTCFullYear() >= 2050)).toBe(true);
  });

  it('says null for what is not a certificate, whole or cut short', () => {
    const der = firstPemCertificate(readFileSync(pems[0]!, 'utf8'))!;
    expect(certificateFacts(der.subarray(0, der.length / 2))).toBeNull();
    expect(certificateFacts(der.subarray(0, 1))).toBeNull();
    expect(certificateFacts(new Uint8Array(0))).toBeNull();
    expect(certificateFacts(Buffer.from('not a certificate at all'))).toBeNull();
    // A length that runs past the end.
    expect(
      certificateFacts(Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30])),
    ).toBeNull();
  });
});

describe('parseRootCa', () => {
  it('gives the subject on one line and the expiry as ISO time', () => {
    const pem = readFileSync(path.join(fixtures, 'swarm-root-ca.pem'), 'utf8');
    const node = new X509Certificate(pem);
    expect(parseRootCa(pem)).toEqual({
      subject: 'CN=swarm-ca',
      notAfter: new Date(node.validTo).toISOString(),
    });
  });

  it('says null without a certificate, and nothing known for a broken one', () => {
    expect(parseRootCa('')).toBeNull();
    expect(parseRootCa('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toEqual({
      subject: '',
      notAfter: null,
    });
  });
});
