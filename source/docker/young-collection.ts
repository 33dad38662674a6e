// Node hands each socket read to JavaScript in a buffer of its own, outside V8's heap, and V8
// counts those bytes against the old generation's limit (as allocated since its last full
// collection) until a young-generation collection finds the buffers dead. An idle refresh at
// 5,000 services reads 4.4 MB and allocates almost nothing else, so young collections are rare
// and a couple of refreshes' reads set off a full collection (a whole-heap mark) every 3-4 s. A
// young collection after each megabyte read frees the reads first, for about a millisecond: at
// 5,000 services idle, about 35 → 18 ms of CPU per refresh (issue 17, the size sweep).
//
// `gc` exists when node runs with --expose-gc, as cli.js's first lines, the image and the bench
// start it; without it (a plain `node cli.js`) nothing is collected early.

/** Bytes read from the engine between two young collections. */
export const BYTES_PER_YOUNG_COLLECTION = 2 ** 20;

export type Collect = (options: { type: 'minor' }) => void;

/** A function to call with the size of each answer read; it collects the young generation. */
export function youngCollector(
  collect: Collect | undefined = (globalThis as { gc?: Collect }).gc,
  every = BYTES_PER_YOUNG_COLLECTION,
): (bytesRead: number) => void {
  let since = 0;
  return (bytesRead) => {
    if (collect === undefined) return;
    since += bytesRead;
    if (since < every) return;
    since = 0;
    collect({ type: 'minor' });
  };
}
