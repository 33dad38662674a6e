// Env variables and labels often carry credentials, and smarm-top shows specs on screens that get
// shared and screenshotted. Masking errs towards hiding: a hidden harmless value costs a glance at
// `docker service inspect`, a shown password costs a rotation.

export const MASK = '••••';

// Words that mark a secret wherever they appear, even glued to others ("DBPASSWORD").
const SECRET_SUBSTRINGS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'CREDENTIAL'];

// Short words that mark a secret only as a whole word, so that KEYBOARD, MONKEY, BYPASS or
// PASSENGER stay visible.
const SECRET_WORDS = new Set([
  'PASS',
  'KEY',
  'KEYS',
  'APIKEY',
  'ACCESSKEY',
  'SECRETKEY',
  'PRIVATEKEY',
  'TOKEN',
  'TOKENS',
  'AUTHTOKEN',
  'AUTH',
  'CREDS',
  'PRIVATE',
  'SALT',
]);

// Docker's convention for secrets is FOO_PASSWORD_FILE=/run/secrets/foo: the value is a path, and
// seeing which path changed is exactly what a rollback diff is for.
const PATH_SUFFIXES = new Set(['FILE', 'PATH']);

/** Splits on _ - . and camelCase humps: "com.example.apiKey" → COM EXAMPLE API KEY. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[_.\-\s]+/)
    .filter((word) => word !== '');
}

/** True for env/label names that look like they hold a secret (case-insensitive). */
export function isSecretName(name: string): boolean {
  const parts = words(name);
  const last = parts.at(-1);
  if (last !== undefined && parts.length > 1 && PATH_SUFFIXES.has(last)) return false;
  if (parts.some((word) => SECRET_WORDS.has(word))) return true;
  // "API" + "KEY" written as two words is caught above; these catch the glued forms.
  const upper = parts.join('');
  return SECRET_SUBSTRINGS.some((word) => upper.includes(word));
}

/**
 * Masks the password in URLs such as postgres://app:hunter2@db/app, because connection strings
 * live under innocent names (DATABASE_URL) that no name list catches.
 */
export function maskUrlCredentials(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s/@]+)(@)/gi, `$1${MASK}$3`);
}

/** The value as it may be shown for `name`: masked entirely, or with URL passwords masked. */
export function maskValue(name: string, value: string): string {
  // An empty value is shown as empty: "the password is unset" is worth seeing and leaks nothing.
  if (value === '') return value;
  return isSecretName(name) ? MASK : maskUrlCredentials(value);
}

/** "DB_PASSWORD=x" → "DB_PASSWORD=••••"; an entry without "=" (no value) is returned as it is. */
export function maskEnvEntry(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq === -1) return entry;
  const name = entry.slice(0, eq);
  return `${name}=${maskValue(name, entry.slice(eq + 1))}`;
}
