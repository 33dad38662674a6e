import { describe, expect, it } from 'vitest';
import {
  isSecretName,
  MASK,
  maskArgv,
  maskEnvEntry,
  maskText,
  maskUrlCredentials,
  maskValue,
  shownLabels,
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
    // One word for traefik, and glued forms.
    'traefik.http.middlewares.admin.basicauth.users',
    'traefik.http.middlewares.admin.digestauth.users',
    'DBPASS',
    'MYAPIKEY',
    'GHTOKEN',
    'DB_PWD',
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
    // The shell's working folder, and words that merely end like a secret.
    'PWD',
    'COMPASS',
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
    // A password holding "@" is masked to the last "@" before the host; one holding "/" too.
    ['postgres://app:p@ss@db/app', `postgres://app:${MASK}@db/app`],
    ['redis://:ab/cd@cache', `redis://:${MASK}@cache`],
  ])('%s → %s', (value, expected) => {
    expect(maskUrlCredentials(value)).toBe(expected);
  });

  it('is what maskValue applies to non-secret names', () => {
    expect(maskValue('UPSTREAM', 'https://u:p@x')).toBe(`https://u:${MASK}@x`);
    expect(maskValue('TOKEN', '')).toBe('');
  });
});

describe('maskText: secrets carried inside any value', () => {
  it.each([
    // Volume driver options (the option's name "o" says nothing).
    ['username=u,password=p,vers=4', `username=u,password=${MASK},vers=4`],
    // .NET connection strings.
    ['Server=db;User Id=sa;Password=hunter2;', `Server=db;User Id=sa;Password=${MASK};`],
    ['Data Source=x;Pwd=hunter2', `Data Source=x;Pwd=${MASK}`],
    ['https://x/cb?token=abc&page=2', `https://x/cb?token=${MASK}&page=2`],
    ['secret=s3', `secret=${MASK}`],
    // Flags inside one string, both forms.
    ['--password=abc --verbose', `--password=${MASK} --verbose`],
    ['run --token abc --verbose', `run --token ${MASK} --verbose`],
    ['-Ddb.password=x -Xmx1g', `-Ddb.password=${MASK} -Xmx1g`],
    ['--api-key=k1', `--api-key=${MASK}`],
    // Healthchecks.
    [
      'curl -fsu admin:pw http://x/ || curl -u admin:pw http://x/',
      `curl -fsu admin:${MASK} http://x/ || curl -u admin:${MASK} http://x/`,
    ],
    [
      "curl -H 'Authorization: Bearer abc.def' http://x",
      `curl -H 'Authorization: Bearer ${MASK}' http://x`,
    ],
  ])('%s → %s', (value, expected) => {
    expect(maskText(value)).toBe(expected);
  });

  it.each(['vers=4,soft', 'node.labels.zone==b', '--name web --replicas 3', 'KEYBOARD=us', ''])(
    'leaves %j alone',
    (value) => {
      expect(maskText(value)).toBe(value);
    },
  );

  it('is what maskValue applies under innocent names', () => {
    expect(maskValue('o', 'addr=10.0.0.1,username=u,password=p')).toBe(
      `addr=10.0.0.1,username=u,password=${MASK}`,
    );
    expect(maskEnvEntry('ConnectionStrings__Default=Server=db;Password=p')).toBe(
      `ConnectionStrings__Default=Server=db;Password=${MASK}`,
    );
  });
});

describe('maskArgv', () => {
  it('masks the argument after a secret-looking flag, and what every argument carries', () => {
    expect(
      maskArgv([
        '--token',
        'x',
        '--db-password',
        'y',
        '--name',
        'web',
        '-u',
        'admin:pw',
        '--db',
        'postgres://app:NEW@db/app',
        '--secret=s',
      ]),
    ).toEqual([
      '--token',
      MASK,
      '--db-password',
      MASK,
      '--name',
      'web',
      '-u',
      `admin:${MASK}`,
      '--db',
      `postgres://app:${MASK}@db/app`,
      `--secret=${MASK}`,
    ]);
  });

  it('keeps a flag followed by another flag, and an empty value', () => {
    expect(maskArgv(['--token', '--verbose', '--key', ''])).toEqual([
      '--token',
      '--verbose',
      '--key',
      '',
    ]);
  });
});

describe('shownLabels', () => {
  it('masks by name unless revealed', () => {
    const labels = { 'db.password': 'hunter2', zone: 'b', url: 'https://u:p@x' };
    expect(shownLabels(labels, false)).toEqual({
      'db.password': MASK,
      zone: 'b',
      url: `https://u:${MASK}@x`,
    });
    expect(shownLabels(labels, true)).toEqual(labels);
  });
});
