import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../source/model.js';
import { checkSwarmManager } from '../../source/docker/preflight.js';

const AT = 'unix:///var/run/docker.sock';

function info(overrides: Partial<EngineInfo>): EngineInfo {
  return {
    hostname: 'box',
    serverVersion: '28.0.0',
    localNodeState: 'active',
    nodeId: 'n1',
    controlAvailable: true,
    remoteManagers: [],
    clusterId: 'c1',
    ...overrides,
  };
}

describe('checkSwarmManager', () => {
  it('passes an active manager', () => {
    expect(checkSwarmManager(info({}), AT)).toBeNull();
  });

  it.each<[string, Partial<EngineInfo>, string]>([
    [
      'not in a swarm',
      { localNodeState: 'inactive', controlAvailable: false, nodeId: null, clusterId: null },
      'The Docker engine at unix:///var/run/docker.sock is not part of a swarm. Run `docker swarm init` to create one, or point smarm-top at a manager with --host.',
    ],
    [
      'a worker, listing the managers by their swarm addresses',
      {
        controlAvailable: false,
        remoteManagers: [
          { nodeId: 'm1', address: '10.0.0.2:2377' },
          { nodeId: 'm2', address: '10.0.0.3:2377' },
          { nodeId: 'm3', address: '[fd00::4]:2377' },
        ],
      },
      "The Docker engine at unix:///var/run/docker.sock is a swarm worker, and smarm-top needs a manager: run it on a manager (swarm addresses 10.0.0.2:2377, 10.0.0.3:2377, [fd00::4]:2377) or point --host at a manager's Docker endpoint.",
    ],
    [
      'a worker that knows no managers',
      { controlAvailable: false },
      "The Docker engine at unix:///var/run/docker.sock is a swarm worker, and smarm-top needs a manager: run it on a manager node or point --host at a manager's Docker endpoint.",
    ],
    [
      'pending',
      { localNodeState: 'pending', controlAvailable: false },
      'The Docker engine at unix:///var/run/docker.sock is still joining a swarm (state "pending"); wait until `docker info` there shows it active, or point smarm-top at a manager with --host.',
    ],
    [
      'locked',
      { localNodeState: 'locked', controlAvailable: false },
      'The swarm on unix:///var/run/docker.sock is locked; run `docker swarm unlock` there with the unlock key, then start smarm-top again.',
    ],
    [
      'error',
      { localNodeState: 'error', controlAvailable: false },
      'The Docker engine at unix:///var/run/docker.sock reports a swarm error (state "error"); check `docker info` on that host, or point smarm-top at a healthy manager with --host.',
    ],
    [
      'a state we do not know',
      { localNodeState: 'weird' },
      'The Docker engine at unix:///var/run/docker.sock is in swarm state "weird", not an active manager; point smarm-top at a manager with --host.',
    ],
  ])('%s', (_name, overrides, sentence) => {
    expect(checkSwarmManager(info(overrides), AT)).toBe(sentence);
  });
});
