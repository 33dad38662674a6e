import { describe, expect, it } from 'vitest';
import {
  isSecretName,
  MASK,
  maskEnvEntry,
  maskUrlCredentials,
  maskValue,
} from '../../source/format/mask.js';

describe('isSecretName', () => {
  it.each([
    'PASSWORD',
    'DB_PASSWORD',
    'MYSQL_ROOT_PASSWORD',
    'DBPASSWORD',
    'db_passwd',
    'SMTP_PASS',
    'GPG_PASSPHRASE',
    'CLIENT_SECRET',
    'JWT_SECRET_KEY',
    'GITHUB_TOKEN',
    'AUTH_TOKEN',
    'API_KEY',
    'APIKEY',
    'api-key',
    'PRIVATE_KEY',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'REGISTRY_CREDS',
    'REDIS_AUTH',
    'PASSWORD_SALT',
    'com.example.apiKey',
    'com.example.db-password',
    'traefik.http.middlewares.auth.basicauth.users.secret',
  ])('%s looks secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    'VERSION',
    'PATH',
    'HOME',
    'KEYBOARD_LAYOUT',
    'MONKEY',
    'DONKEY_COUNT',
    'PASSENGER_LIMIT',
    'BYPASS_CACHE',
    'COMPASS_URL',
    'TOKENIZER',
    'LOG_LEVEL',
    'com.docker.stack.namespace',
    // Docker's secrets convention: the value is a path, not the secret.
    'MYSQL_PASSWORD_FILE',
    'TLS_KEY_PATH',
    // Certificates are public; their keys are caught by KEY.
    'TLS_CERT',
    '',
  ])('%s does not look secret', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('maskEnvEntry', () => {
  it('masks the value of a secret-looking name', () => {
    expect(maskEnvEntry('DB_PASSWORD=hunter2')).toBe(`DB_PASSWORD=${MASK}`);
    expect(maskEnvEntry('api_key=a=b=c')).toBe(`api_key=${MASK}`);
  });

  it('keeps empty values and entries without a value visible', () => {
    expect(maskEnvEntry('DB_PASSWORD=')).toBe('DB_PASSWORD=');
    expect(maskEnvEntry('DB_PASSWORD')).toBe('DB_PASSWORD');
  });

  it('leaves other values alone', () => {
    expect(maskEnvEntry('VERSION=2')).toBe('VERSION=2');
    expect(maskEnvEntry('=x')).toBe('=x');
  });

  it('masks passwords inside connection URLs under innocent names', () => {
    expect(maskEnvEntry('DATABASE_URL=postgres://app:hunter2@db:5432/app')).toBe(
      `DATABASE_URL=postgres://app:${MASK}@db:5432/app`,
    );
  });
});

describe('maskUrlCredentials', () => {
  it.each([
    ['redis://:s3cret@cache:6379', `redis://:${MASK}@cache:6379`],
    ['amqp://u:p@a,amqp://v:q@b', `amqp://u:${MASK}@a,amqp://v:${MASK}@b`],
    ['http://host:8080/path', 'http://host:8080/path'],
    ['http://user@host/', 'http://user@host/'],
    ['mail me: a:b@c', 'mail me: a:b@c'],
  ])('%s → %s', (value, expected) => {
    expect(maskUrlCredentials(value)).toBe(expected);
  });

  it('is what maskValue applies to non-secret names', () => {
    expect(maskValue('UPSTREAM', 'https://u:p@x')).toBe(`https://u:${MASK}@x`);
    expect(maskValue('TOKEN', '')).toBe('');
  });
});
