/** Remembers the last result; recomputes only when an argument changes by identity. */
export function memoLast<Args extends unknown[], R>(
  compute: (...args: Args) => R,
): (...args: Args) => R {
  let lastArgs: Args | null = null;
  let lastResult: R;
  return (...args: Args): R => {
    if (lastArgs !== null && args.every((arg, i) => Object.is(arg, lastArgs![i]))) {
      return lastResult;
    }
    lastResult = compute(...args);
    lastArgs = args;
    return lastResult;
  };
}
