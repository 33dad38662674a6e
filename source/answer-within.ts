/**
 * `promise`'s value, or null when it fails or has not settled within `ms`: for a wait that must
 * not hold things up (a first frame, a manager probed during a failover).
 */
export function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    const settle = (value: T | null): void => {
      clearTimeout(timer);
      resolve(value);
    };
    promise.then(settle, () => settle(null));
  });
}
