// GET /services/{id} read for the inspect view's header: mounts, networks and VIPs, secrets and
// configs, healthcheck, restart policy, resources and placement (model.ts ServiceSpecDetail).
import type {
  ServiceHealthcheck,
  ServiceMount,
  ServiceNetworkRef,
  ServiceRestartPolicy,
  ServiceSpecDetail,
} from '../model.js';
import {
  array,
  at,
  nonEmpty,
  numOrNull,
  obj,
  positiveOrNull,
  str,
  stringMap,
  strings,
} from './json.js';
import { parseService, resources } from './parse.js';

function parseMount(json: unknown): ServiceMount {
  const type = str(at(json, 'Type'), 'volume');
  return {
    type,
    source: str(at(json, 'Source')),
    target: str(at(json, 'Target')),
    readOnly: at(json, 'ReadOnly') === true,
    volumeDriver: nonEmpty(at(json, 'VolumeOptions', 'DriverConfig', 'Name')),
    volumeOptions: stringMap(at(json, 'VolumeOptions', 'DriverConfig', 'Options')),
    tmpfsSizeBytes: positiveOrNull(at(json, 'TmpfsOptions', 'SizeBytes')),
  };
}

/** TaskTemplate.Networks (the current form) or the deprecated Spec.Networks, with their VIPs. */
function parseNetworks(spec: unknown, endpoint: unknown): ServiceNetworkRef[] {
  const listed = array(at(spec, 'TaskTemplate', 'Networks'));
  const attachments = listed.length > 0 ? listed : array(at(spec, 'Networks'));
  const vips = new Map<string, string>();
  for (const vip of array(at(endpoint, 'VirtualIPs'))) {
    const id = str(at(vip, 'NetworkID'));
    const addr = str(at(vip, 'Addr'));
    if (id !== '' && addr !== '') vips.set(id, addr);
  }
  return attachments.flatMap((attachment) => {
    const id = str(at(attachment, 'Target'));
    if (id === '') return [];
    return [{ id, aliases: strings(at(attachment, 'Aliases')), vip: vips.get(id) ?? null }];
  });
}

function parseHealthcheck(json: unknown): ServiceHealthcheck | null {
  if (Object.keys(obj(json)).length === 0) return null;
  return {
    test: strings(at(json, 'Test')),
    intervalNs: positiveOrNull(at(json, 'Interval')),
    timeoutNs: positiveOrNull(at(json, 'Timeout')),
    retries: positiveOrNull(at(json, 'Retries')),
    startPeriodNs: positiveOrNull(at(json, 'StartPeriod')),
  };
}

function parseRestartPolicy(json: unknown): ServiceRestartPolicy | null {
  if (Object.keys(obj(json)).length === 0) return null;
  return {
    condition: str(at(json, 'Condition')),
    delayNs: numOrNull(at(json, 'Delay')),
    maxAttempts: numOrNull(at(json, 'MaxAttempts')),
    windowNs: numOrNull(at(json, 'Window')),
  };
}

/** The header's facts from a service's engine JSON. Throws only for an object without an ID. */
export function parseServiceSpecDetail(json: unknown): ServiceSpecDetail {
  const service = parseService(json);
  const spec = at(json, 'Spec');
  const taskTemplate = at(spec, 'TaskTemplate');
  const containerSpec = at(taskTemplate, 'ContainerSpec');
  const endpoint = at(json, 'Endpoint');
  return {
    name: service.name,
    mode: service.mode,
    image: service.image,
    mounts: array(at(containerSpec, 'Mounts')).map(parseMount),
    // The engine's default is vip; Endpoint.Spec is what it applied.
    endpointMode:
      nonEmpty(at(endpoint, 'Spec', 'Mode')) ?? nonEmpty(at(spec, 'EndpointSpec', 'Mode')) ?? 'vip',
    networks: parseNetworks(spec, endpoint),
    secrets: service.secrets,
    configs: service.configs,
    healthcheck: parseHealthcheck(at(containerSpec, 'Healthcheck')),
    restartPolicy: parseRestartPolicy(at(taskTemplate, 'RestartPolicy')),
    limits: resources(at(taskTemplate, 'Resources', 'Limits')),
    reservations: resources(at(taskTemplate, 'Resources', 'Reservations')),
    constraints: service.constraints,
    maxReplicasPerNode: service.maxReplicasPerNode,
  };
}
