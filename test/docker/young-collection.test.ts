import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_YOUNG_COLLECTION,
  youngCollector,
} from '../../source/docker/young-collection.js';

describe('youngCollector', () => {
  it('collects the young generation once per megabyte read, counting across answers', () => {
    const calls: unknown[] = [];
    const read = youngCollector((options) => calls.push(options));
    read(BYTES_PER_YOUNG_COLLECTION / 2);
    expect(calls).toEqual([]);
    read(BYTES_PER_YOUNG_COLLECTION / 2);
    expect(calls).toEqual([{ type: 'minor' }]);
    // the count starts again after a collection
    read(BYTES_PER_YOUNG_COLLECTION - 1);
    expect(calls).toHaveLength(1);
    read(4 * BYTES_PER_YOUNG_COLLECTION);
    expect(calls).toHaveLength(2);
  });

  it('does nothing when node runs without --expose-gc', () => {
    const read = youngCollector(undefined);
    expect(() => read(10 * BYTES_PER_YOUNG_COLLECTION)).not.toThrow();
  });
});
