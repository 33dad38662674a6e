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
  // traefik's basicauth.users / digestauth.users hold htpasswd lines.
  'BASICAUTH',
  'DIGESTAUTH',
  'CREDS',
  'PRIVATE',
  'SALT',
]);

// Glued forms ("DBPASS", "MYAPIKEY", "GHTOKEN") end with one of these; the words that merely end
// the same way are listed so that they stay visible. "PWD" alone is the shell's working folder.
const SECRET_SUFFIXES = ['PASS', 'PWD', 'APIKEY', 'TOKEN', 'AUTHKEY', 'PRIVKEY'];
const NOT_SECRET_WORDS = new Set(['BYPASS', 'COMPASS', 'SURPASS', 'OVERPASS', 'UNDERPASS', 'PWD']);

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

function gluedSecret(word: string): boolean {
  return !NOT_SECRET_WORDS.has(word) && SECRET_SUFFIXES.some((suffix) => word.endsWith(suffix));
}

/** True for env/label names that look like they hold a secret (case-insensitive). */
export function isSecretName(name: string): boolean {
  const parts = words(name);
  const last = parts.at(-1);
  if (last !== undefined && parts.length > 1 && PATH_SUFFIXES.has(last)) return false;
  if (parts.some((word) => SECRET_WORDS.has(word) || gluedSecret(word))) return true;
  // "DB_PWD" is a password, "PWD" alone is not.
  if (parts.length > 1 && parts.includes('PWD')) return true;
  // "API" + "KEY" written as two words is caught above; these catch the glued forms.
  const upper = parts.join('');
  return SECRET_SUBSTRINGS.some((word) => upper.includes(word));
}

// scheme://user:password@host. The password may hold "@" and "/" (an unescaped one is common in
// hand-written strings): it runs to the last "@" that is followed by a plain host. It stops at
// whitespace, "," (lists of URLs) and at the next "://".
const URL_CREDENTIALS =
  /([a-z][a-z0-9+.-]*:\/\/[^\s:/@,]*:)((?:(?!:\/\/)[^\s,])+?)(@[^\s@/,?#]*(?=[/,?#\s]|$))/gi;

/**
 * Masks the password in URLs such as postgres://app:hunter2@db/app, because connection strings
 * live under innocent names (DATABASE_URL) that no name list catches.
 */
export function maskUrlCredentials(value: string): string {
  return value.replace(URL_CREDENTIALS, `$1${MASK}$3`);
}

// name=value pairs inside a longer value: volume options "username=u,password=p", .NET
// connection strings "Server=db;Password=p;", query strings "?token=t", "-Ddb.password=p" and
// "--db-password=p". The name must not be glued to a word or dot before it.
const SECRET_PAIR =
  /(?<![\w.-])(-{0,2})([A-Za-z][\w.-]*)(\s*=\s*)(?!=)("[^"]*"|'[^']*'|[^\s,;&"']+)/g;

// An HTTP header on a command line ("-H 'Authorization: Bearer t'").
const AUTH_HEADER = /(authorization:\s*(?:(?:bearer|basic|token|digest)\s+)?)[^\s"']+/gi;

// "--password x" / "-u admin:pw" inside one string (a shell command line in a healthcheck).
const SPACED_FLAG = /(?<!\S)(--?[A-Za-z][\w-]*)(\s+)("[^"]*"|'[^']*'|[^\s"'-][^\s"']*)/g;

/** Flags whose value is a secret: --*pass*, --*pwd*, --*token*, --*secret*, --*key*, --*credential*. */
export function isSecretFlag(flag: string): boolean {
  return /^--?[\w-]*(?:pass|pwd|token|secret|key|credential)/i.test(flag);
}

/** "-u admin:pw" (curl, wget --user): the part after the colon is a password. */
function isUserFlag(flag: string): boolean {
  // Short flags combine: curl -fsu admin:pw.
  return /^-[A-Za-z]*u$/.test(flag) || flag === '--user' || flag === '--proxy-user';
}

function maskUserPassword(value: string): string {
  const colon = value.indexOf(':');
  return colon === -1 ? value : `${value.slice(0, colon + 1)}${MASK}`;
}

function maskFlagValue(flag: string, value: string): string | null {
  if (isSecretFlag(flag)) return MASK;
  if (isUserFlag(flag)) return maskUserPassword(value);
  return null;
}

/**
 * Any value as it may be shown: URL passwords, secret-looking name=value pairs and the values of
 * secret-looking flags masked. Used for every string that is not masked whole by its name.
 */
export function maskText(value: string): string {
  if (value === '') return value;
  let out = maskUrlCredentials(value);
  if (out.includes('=')) {
    out = out.replace(SECRET_PAIR, (whole, dashes: string, name: string, eq: string) =>
      // Inside a value "Pwd=" is a connection string's password, not the shell's folder.
      isSecretName(name) ||
      /^pwd$/i.test(name) ||
      (dashes !== '' && isSecretFlag(`${dashes}${name}`))
        ? `${dashes}${name}${eq}${MASK}`
        : whole,
    );
  }
  if (out.includes('-')) {
    out = out.replace(SPACED_FLAG, (whole, flag: string, space: string, v: string) => {
      const shown = maskFlagValue(flag, v);
      return shown === null ? whole : `${flag}${space}${shown}`;
    });
  }
  if (/authorization:/i.test(out)) out = out.replace(AUTH_HEADER, `$1${MASK}`);
  return out;
}

/**
 * A command line (Command, Args, Healthcheck.Test) as it may be shown: every argument through
 * maskText, and the argument after a secret-looking flag ("--token", "x") masked too.
 */
export function maskArgv(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const flag = argv[i - 1];
    const takesValue = flag !== undefined && !flag.includes('=') && /^--?[A-Za-z]/.test(flag);
    if (takesValue && arg !== '' && !arg.startsWith('-')) {
      const shown = maskFlagValue(flag, arg);
      if (shown !== null) return shown;
    }
    return maskText(arg);
  });
}

/** The value as it may be shown for `name`: masked entirely, or with what it carries masked. */
export function maskValue(name: string, value: string): string {
  // An empty value is shown as empty: "the password is unset" is worth seeing and leaks nothing.
  if (value === '') return value;
  return isSecretName(name) ? MASK : maskText(value);
}

/** "DB_PASSWORD=x" → "DB_PASSWORD=••••"; an entry without "=" (no value) is returned as it is. */
export function maskEnvEntry(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq === -1) return entry;
  const name = entry.slice(0, eq);
  return `${name}=${maskValue(name, entry.slice(eq + 1))}`;
}

/**
 * Labels as every view shows them (status line, inspect, --once, the rollback diff): values
 * masked by their names unless `reveal` (--show-secrets). Keys are kept, in their order.
 */
export function shownLabels(
  labels: Readonly<Record<string, string>>,
  reveal: boolean,
): Record<string, string> {
  if (reveal) return { ...labels };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) out[key] = maskValue(key, value);
  return out;
}
