// A certificate's subject and expiry, read from its DER. Node's X509Certificate reads them too,
// but loading node:crypto for it (its whole module tree) is about 10 ms of CPU at every `--once`,
// for two fields of the swarm's root CA. Only what those two need is read: the TBSCertificate's
// validity and subject (RFC 5280 §4.1), with the subject written as node writes it (OpenSSL's
// RFC 2253 escaping, short attribute names, one line per RDN, " + " inside one).
//
// Pure.

export interface CertificateFacts {
  /** As node's X509Certificate.subject: "C=DE\nO=Acme\, Inc.\nCN=swarm-ca". */
  subject: string;
  notAfter: Date;
}

interface Tlv {
  tag: number;
  /** Where the content starts and ends. */
  start: number;
  end: number;
}

class Malformed extends Error {}

function tlv(der: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new Malformed('truncated');
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > limit) throw new Malformed('length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  if (start + length > limit) throw new Malformed('truncated');
  return { tag, start, end: start + length };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = tlv(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

function tagged(node: Tlv | undefined, tag: number): Tlv {
  if (node === undefined || node.tag !== tag) throw new Malformed(`expected tag ${tag}`);
  return node;
}

const text = (der: Uint8Array, node: Tlv, encoding: 'utf8' | 'latin1' | 'utf16be'): string => {
  const bytes = der.subarray(node.start, node.end);
  if (encoding !== 'utf16be') return Buffer.from(bytes).toString(encoding);
  const swapped = Buffer.from(bytes);
  swapped.swap16();
  return swapped.toString('utf16le');
};

/** UTCTime "YYMMDDHHMMSSZ" or GeneralizedTime "YYYYMMDDHHMMSS[.fff]Z" (DER's forms). */
function time(der: Uint8Array, node: Tlv): Date {
  const value = text(der, node, 'latin1');
  const match =
    node.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(value)
      : node.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(value)
        : null;
  if (match === null) throw new Malformed('time');
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  // RFC 5280 §4.1.2.5.1: a two-digit year of 50 or more is 19xx.
  const year = node.tag === UTC_TIME ? (y! >= 50 ? 1900 : 2000) + y! : y!;
  return new Date(Date.UTC(year, mo! - 1, d!, h!, mi!, s!));
}

function oid(der: Uint8Array, node: Tlv): string {
  const parts: number[] = [];
  let value = 0;
  for (let at = node.start; at < node.end; at++) {
    const byte = der[at]!;
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (parts.length === 0)
      parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else parts.push(value);
    value = 0;
  }
  return parts.join('.');
}

/** OpenSSL's short names, which node prints (anything else as its dotted OID). */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.46': 'dnQualifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

function attributeValue(der: Uint8Array, node: Tlv): string {
  switch (node.tag) {
    case 0x0c: // UTF8String
      return text(der, node, 'utf8');
    case 0x1e: // BMPString
      return text(der, node, 'utf16be');
    default: // PrintableString, IA5String, T61String, VisibleString…
      return text(der, node, 'latin1');
  }
}

/** OpenSSL's ASN1_STRFLGS_ESC_2253 | ESC_CTRL, as node's subject has it. */
function escaped(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f)
      out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (',+"\\<>;'.includes(c)) out += `\\${c}`;
    else if ((i === 0 && (c === '#' || c === ' ')) || (i === value.length - 1 && c === ' ')) {
      out += `\\${c}`;
    } else out += c;
  }
  return out;
}

function name(der: Uint8Array, node: Tlv): string {
  return children(der, tagged(node, SEQUENCE))
    .map((rdn) =>
      children(der, tagged(rdn, SET))
        .map((attribute) => {
          const [type, value] = children(der, tagged(attribute, SEQUENCE));
          const id = oid(der, tagged(type, OID));
          if (value === undefined) throw new Malformed('attribute');
          return `${SHORT_NAMES[id] ?? id}=${escaped(attributeValue(der, value))}`;
        })
        .join(' + '),
    )
    .join('\n');
}

/** The first certificate of a PEM text as DER; null when there is none. */
export function firstPemCertificate(pem: string): Uint8Array | null {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  return body === undefined ? null : Buffer.from(body.replace(/\s+/g, ''), 'base64');
}

/** Subject and expiry of a DER certificate; null when it is not one. */
export function certificateFacts(der: Uint8Array): CertificateFacts | null {
  try {
    const certificate = tlv(der, 0, der.length);
    const tbs = tagged(children(der, tagged(certificate, SEQUENCE))[0], SEQUENCE);
    const fields = children(der, tbs);
    // [0] version, then serial number, signature algorithm, issuer, validity, subject.
    const at = fields[0]?.tag === 0xa0 ? 1 : 0;
    const validity = children(der, tagged(fields[at + 3], SEQUENCE));
    const until = validity[1];
    if (until === undefined) throw new Malformed('validity');
    return { subject: name(der, tagged(fields[at + 4], SEQUENCE)), notAfter: time(der, until) };
  } catch (error) {
    if (error instanceof Malformed || error instanceof RangeError) return null;
    throw error;
  }
}
