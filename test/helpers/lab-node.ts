// Stops or starts one lab node's dockerd (scripts/lab.sh), for the tests of faults and for a
// node the lab's 20.10 engine leaves stuck.
import { execFileSync } from 'node:child_process';

export function labNode(command: 'stop-node' | 'start-node', name: string): void {
  execFileSync('bash', ['scripts/lab.sh', command, name], { stdio: 'pipe', timeout: 120_000 });
}
