// Services grouped by the stack that deployed them (the com.docker.stack.namespace label, as
// `docker stack ls` groups them). Services deployed without a stack form one group of their own.
import type { SwarmService } from '../model.js';
import { compareText } from '../format/compare.js';
import { memoLast } from '../format/memo.js';
import { isServiceDown, runningTarget } from '../health.js';

export interface StackRow {
  /** The stack's name; '' for the services that belong to no stack. */
  id: string;
  name: string;
  services: number;
  /** Services below their desired count, with a paused / rolling-back update, or failing jobs. */
  degraded: number;
  /** Tasks running and desired, summed over the stack's services (a job wants what it runs). */
  running: number;
  desired: number;
  /** Services rolling out or rolling back right now. */
  updating: number;
}

export const NO_STACK_NAME = '(no stack)';

const ROLLING = new Set(['updating', 'rollback_started']);

function stackOf(service: SwarmService): string {
  return service.stack ?? '';
}

/**
 * One row per stack. Stacks with degraded services come first (the incident order of every
 * list), then by name; within each group the services of no stack come last.
 */
export const stackRows = memoLast(
  (services: SwarmService[], flagged: ReadonlySet<string> = new Set()): StackRow[] => {
    const rows = new Map<string, StackRow>();
    for (const service of services) {
      const id = stackOf(service);
      let row = rows.get(id);
      if (row === undefined) {
        row = {
          id,
          name: id === '' ? NO_STACK_NAME : id,
          services: 0,
          degraded: 0,
          running: 0,
          desired: 0,
          updating: 0,
        };
        rows.set(id, row);
      }
      row.services += 1;
      if (isServiceDown(service, flagged)) row.degraded += 1;
      if (ROLLING.has(service.updateState ?? '')) row.updating += 1;
      row.running += service.running;
      row.desired += runningTarget(service);
    }
    return [...rows.values()].sort(
      (a, b) =>
        Number(b.degraded > 0) - Number(a.degraded > 0) ||
        Number(a.id === '') - Number(b.id === '') ||
        compareText(a.name, b.name),
    );
  },
);

/** The services of one stack ('' for those of no stack), in the order given. */
export function servicesOfStack(services: SwarmService[], stack: string): SwarmService[] {
  return services.filter((service) => stackOf(service) === stack);
}
