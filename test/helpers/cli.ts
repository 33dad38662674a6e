import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it (npm test builds it first). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The built CLI with pipes for stdin and stdout (no terminal), asynchronously so that an engine
 * or proxy in this process can answer it. `asNobody` (when running as root) drops to uid 65534,
 * for the permission cases a root test run cannot otherwise reach.
 */
export function runCliAsync(
  args: string[],
  env: NodeJS.ProcessEnv,
  { asNobody = false } = {},
): Promise<CliResult> {
  const nobody = asNobody && process.getuid?.() === 0;
  const command = nobody ? 'setpriv' : process.execPath;
  const argv = nobody
    ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args]
    : [CLI, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end();
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
