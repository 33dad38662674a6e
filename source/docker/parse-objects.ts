// The rest of a swarm's objects: networks, secrets, configs and the swarm itself (its CA and
// settings). What must never leave this file: a secret's value (the engine never sends it), a
// config's data (only its size is kept) and the join tokens of GET /swarm (never copied).
import type { RootCa, SwarmCluster, SwarmConfig, SwarmNetwork, SwarmSecret } from '../model.js';
import {
  array,
  at,
  listOf,
  nonEmpty,
  num,
  numOrNull,
  obj,
  parseTime,
  requireId,
  str,
  stringMap,
  strings,
} from './json.js';
import { certificateFacts, firstPemCertificate } from './certificate.js';

export function parseNetwork(json: unknown): SwarmNetwork {
  const network = obj(json);
  // GET /networks spells it "Id", unlike every swarm object.
  const id = nonEmpty(network['Id']) ?? requireId(json, 'network');
  const options = stringMap(network['Options']);
  return {
    id,
    name: str(network['Name']),
    driver: str(network['Driver']),
    scope: str(network['Scope']),
    attachable: network['Attachable'] === true,
    internal: network['Internal'] === true,
    ingress: network['Ingress'] === true,
    // The overlay driver takes the option's presence as "on", whatever its value (`--opt encrypted`).
    encrypted: 'encrypted' in options,
    ipam: array(at(network, 'IPAM', 'Config')).map((config) => ({
      subnet: str(at(config, 'Subnet')),
      gateway: str(at(config, 'Gateway')),
    })),
    labels: stringMap(network['Labels']),
    options,
    createdAt: parseTime(network['Created']),
  };
}

export function parseSecret(json: unknown): SwarmSecret {
  const secret = obj(json);
  const spec = obj(secret['Spec']);
  return {
    id: requireId(json, 'secret'),
    version: num(at(secret, 'Version', 'Index')),
    name: str(spec['Name']),
    labels: stringMap(spec['Labels']),
    driver: nonEmpty(at(spec, 'Driver', 'Name')),
    templating: nonEmpty(at(spec, 'Templating', 'Name')),
    createdAt: parseTime(secret['CreatedAt']),
    updatedAt: parseTime(secret['UpdatedAt']),
  };
}

/** Bytes a base64 text decodes to, without decoding it (the data itself is not wanted here). */
export function base64Size(text: string): number {
  const clean = text.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

export function parseConfig(json: unknown): SwarmConfig {
  const config = obj(json);
  const spec = obj(config['Spec']);
  return {
    id: requireId(json, 'config'),
    version: num(at(config, 'Version', 'Index')),
    name: str(spec['Name']),
    labels: stringMap(spec['Labels']),
    templating: nonEmpty(at(spec, 'Templating', 'Name')),
    dataBytes: base64Size(str(spec['Data'])),
    createdAt: parseTime(config['CreatedAt']),
    updatedAt: parseTime(config['UpdatedAt']),
  };
}

/** Subject and expiry of the first certificate of a PEM bundle; null when there is none. */
export function parseRootCa(pem: string): RootCa | null {
  const der = firstPemCertificate(pem);
  if (der === null) return null;
  const facts = certificateFacts(der);
  if (facts === null) return { subject: '', notAfter: null };
  return {
    subject: facts.subject.replace(/\n/g, ', '),
    notAfter: Number.isNaN(facts.notAfter.getTime()) ? null : facts.notAfter.toISOString(),
  };
}

/** GET /swarm, its JoinTokens left behind. */
export function parseSwarm(json: unknown): SwarmCluster {
  const swarm = obj(json);
  const spec = obj(swarm['Spec']);
  const raft = obj(spec['Raft']);
  const trustRoot = str(at(swarm, 'TLSInfo', 'TrustRoot'));
  return {
    id: requireId(json, 'swarm'),
    version: num(at(swarm, 'Version', 'Index')),
    createdAt: parseTime(swarm['CreatedAt']),
    updatedAt: parseTime(swarm['UpdatedAt']),
    rootCa: trustRoot === '' ? null : parseRootCa(trustRoot),
    issuerKey: nonEmpty(at(swarm, 'TLSInfo', 'CertIssuerPublicKey')),
    rootRotationInProgress: swarm['RootRotationInProgress'] === true,
    nodeCertExpiryNs: numOrNull(at(spec, 'CAConfig', 'NodeCertExpiry')),
    externalCas: array(at(spec, 'CAConfig', 'ExternalCAs')).map((ca) => ({
      protocol: str(at(ca, 'Protocol')),
      url: str(at(ca, 'URL')),
    })),
    autolock: at(spec, 'EncryptionConfig', 'AutoLockManagers') === true,
    taskHistoryLimit: numOrNull(at(spec, 'Orchestration', 'TaskHistoryRetentionLimit')),
    raft: {
      snapshotInterval: numOrNull(raft['SnapshotInterval']),
      keepOldSnapshots: numOrNull(raft['KeepOldSnapshots']),
      logEntriesForSlowFollowers: numOrNull(raft['LogEntriesForSlowFollowers']),
      electionTick: numOrNull(raft['ElectionTick']),
      heartbeatTick: numOrNull(raft['HeartbeatTick']),
    },
    dispatcherHeartbeatNs: numOrNull(at(spec, 'Dispatcher', 'HeartbeatPeriod')),
    defaultAddrPool: strings(swarm['DefaultAddrPool']),
    subnetSize: numOrNull(swarm['SubnetSize']),
    dataPathPort: numOrNull(swarm['DataPathPort']),
  };
}

export const parseNetworks = listOf(parseNetwork);
export const parseSecrets = listOf(parseSecret);
export const parseConfigs = listOf(parseConfig);
