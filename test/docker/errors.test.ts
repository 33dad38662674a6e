import { describe, expect, it } from 'vitest';
import {
  ConnectionError,
  describeEngineError,
  OutOfSequenceError,
  SmarmError,
  UsageError,
} from '../../source/docker/errors.js';

const SOCK = 'unix:///x';

function nodeError(code: string, message = `connect ${code} /x`): Error {
  return Object.assign(new Error(message), { code, syscall: 'connect' });
}

// What docker-modem builds for a non-2xx answer.
function httpError(statusCode: number, json: unknown, reason = 'unexpected'): Error {
  const message =
    typeof json === 'object' && json !== null && 'message' in json
      ? String((json as { message: unknown }).message)
      : String(json);
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${reason} - ${message} `), {
    statusCode,
    reason,
    json,
  });
}

function timeoutAbort(): Error {
  const cause = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  return Object.assign(new Error('The operation was aborted', { cause }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

describe('describeEngineError', () => {
  it.each<[string, unknown, string]>([
    [
      'no socket',
      nodeError('ENOENT'),
      'Cannot connect to the Docker engine at unix:///x: no such socket. Is dockerd running?',
    ],
    [
      'permission',
      nodeError('EACCES'),
      'Cannot connect to the Docker engine at unix:///x: permission denied; run smarm-top with sudo or add your user to the docker group.',
    ],
    [
      'refused',
      nodeError('ECONNREFUSED'),
      'Cannot connect to the Docker engine: nothing is listening at unix:///x. Is dockerd running?',
    ],
    [
      'reset',
      nodeError('ECONNRESET', 'socket hang up'),
      'The connection to the Docker engine at unix:///x was closed unexpectedly; the engine may have restarted.',
    ],
    [
      'not a manager (503)',
      httpError(503, {
        message:
          'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n',
      }),
      'The Docker engine at unix:///x says: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
    ],
    [
      'leader election (503 from every manager)',
      httpError(503, {
        message:
          "rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.",
      }),
      'The swarm has no leader right now (an election is under way, or too few managers are up for a quorum); the last known state stays on screen.',
    ],
    [
      'other HTTP error',
      httpError(404, { message: 'service foo not found' }, 'no such service'),
      'The Docker engine at unix:///x answered HTTP 404: service foo not found',
    ],
    [
      'HTTP error with a plain-text body',
      httpError(500, Buffer.from('boom\n'), 'server error'),
      'The Docker engine at unix:///x answered HTTP 500: boom',
    ],
    [
      'plain HTTP to a TLS port (Go answers 400)',
      httpError(
        400,
        Buffer.from('Client sent an HTTP request to an HTTPS server.\n'),
        'bad request',
      ),
      "The Docker engine at unix:///x speaks TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to its certificates' folder (ca.pem, cert.pem, key.pem), or use a docker context that has them.",
    ],
    [
      'HTTP error without a body',
      Object.assign(new Error('(HTTP code 502) unexpected - bad gateway '), { statusCode: 502 }),
      'The Docker engine at unix:///x answered HTTP 502: bad gateway',
    ],
    [
      'cancelled by the caller',
      Object.assign(new Error('The operation was aborted'), {
        name: 'AbortError',
        code: 'ABORT_ERR',
      }),
      'The request to the Docker engine at unix:///x was cancelled.',
    ],
    [
      'TLS',
      nodeError('CERT_HAS_EXPIRED', 'certificate has expired'),
      "Cannot verify the TLS certificate of the Docker engine at unix:///x (certificate has expired); check DOCKER_CERT_PATH and the server's certificate.",
    ],
    ['anything else', new Error('weird'), 'Cannot talk to the Docker engine at unix:///x: weird'],
    ['not an Error', 'a string', 'Cannot talk to the Docker engine at unix:///x: a string'],
  ])('%s', (_name, err, sentence) => {
    expect(describeEngineError(err, SOCK)).toBe(sentence);
  });

  it.each<[string, unknown]>([
    ['AbortSignal.timeout wrapped by node', timeoutAbort()],
    ['the TimeoutError itself', new DOMException('timed out', 'TimeoutError')],
    ['ETIMEDOUT', nodeError('ETIMEDOUT')],
  ])('timeouts: %s', (_name, err) => {
    expect(describeEngineError(err, SOCK, { timeoutMs: 10_000 })).toBe(
      'The Docker engine at unix:///x did not answer within 10 s; it may be overloaded or unreachable.',
    );
    expect(describeEngineError(err, SOCK)).toMatch(/did not answer in time/);
  });
});

describe('error classes', () => {
  it('carry their exit codes', () => {
    const usage = new UsageError('bad flag');
    const connection = new ConnectionError('down', { statusCode: 503 });
    expect(usage).toBeInstanceOf(SmarmError);
    expect(usage.exitCode).toBe(2);
    expect(usage.name).toBe('UsageError');
    expect(connection).toBeInstanceOf(SmarmError);
    expect(connection.exitCode).toBe(1);
    expect(connection.statusCode).toBe(503);
    expect(new ConnectionError('x').statusCode).toBeNull();
  });

  it('name themselves, not through their class names (which the build shortens)', () => {
    expect(String(new SmarmError('x', 1))).toBe('SmarmError: x');
    expect(String(new ConnectionError('down'))).toBe('ConnectionError: down');
    expect(new OutOfSequenceError('service web').name).toBe('OutOfSequenceError');
    expect(Object.keys(new UsageError('x'))).not.toContain('name');
  });
});
