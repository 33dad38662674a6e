import { useEffect, useRef, useState } from 'react';

export interface TickingOptions<T> {
  /** What is shown, from the wall clock. */
  read: (now: number) => T;
  /** How often it is read again, in milliseconds. */
  everyMs: number;
}

/**
 * `read(now)` re-evaluated every `everyMs`; the component re-renders only when the value
 * changes, since an unchanged frame still costs Ink a full screen.
 */
export function useTicking<T>({ read, everyMs }: TickingOptions<T>): T {
  const [value, setValue] = useState(() => read(Date.now()));
  const readFirst = useRef(read);
  useEffect(() => {
    const tick = (): void => setValue(read(Date.now()));
    // A new `read` (not the one the first value came from) is due now, not a tick later.
    if (read !== readFirst.current) tick();
    const timer = setInterval(tick, everyMs);
    return () => clearInterval(timer);
  }, [read, everyMs]);
  return value;
}
