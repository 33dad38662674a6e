/**
 * Runs an async job so that it is never in flight twice: a trigger while it runs asks for one
 * more run right after, however many triggers came in meanwhile.
 */
export interface CoalescedRun {
  trigger(): void;
  readonly running: boolean;
}

export function coalescedRun(job: () => Promise<void>): CoalescedRun {
  let running = false;
  let again = false;
  const start = (): void => {
    running = true;
    again = false;
    job()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) start();
      });
  };
  return {
    trigger() {
      if (running) again = true;
      else start();
    },
    get running() {
      return running;
    },
  };
}
