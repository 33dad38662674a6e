import { describe, expect, it } from 'vitest';
import { deepEqual, shareList } from '../../source/format/same.js';

const item = (id: string, value = 1) => ({ id, value, nested: { list: [value] } });

describe('deepEqual', () => {
  it('compares values, arrays and objects by content', () => {
    expect(deepEqual(item('a'), item('a'))).toBe(true);
    expect(deepEqual(item('a'), item('a', 2))).toBe(false);
    expect(deepEqual([1, [2]], [1, [2]])).toBe(true);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(deepEqual(NaN, NaN)).toBe(true);
  });
});

describe('shareList: the previous objects where nothing changed', () => {
  it('answers the previous list itself when the items are equal and in the same order', () => {
    const previous = [item('a'), item('b')];
    expect(shareList(previous, [item('a'), item('b')])).toBe(previous);
    expect(shareList(previous, [...previous])).toBe(previous);
  });

  it('keeps the equal items as the old objects in a new list when one changed', () => {
    const previous = [item('a'), item('b'), item('c')];
    const next = shareList(previous, [item('a'), item('b', 2), item('c')]);
    expect(next).not.toBe(previous);
    expect(next[0]).toBe(previous[0]);
    expect(next[1]).toEqual(item('b', 2));
    expect(next[2]).toBe(previous[2]);
  });

  it('finds moved items by id, and a new list when the order or the length changed', () => {
    const previous = [item('a'), item('b'), item('c')];
    const moved = shareList(previous, [item('c'), item('a'), item('b')]);
    expect(moved).not.toBe(previous);
    expect(moved).toEqual([previous[2], previous[0], previous[1]]);
    expect(moved[0]).toBe(previous[2]);
    expect(moved[1]).toBe(previous[0]);
    const shorter = shareList(previous, [item('a'), item('b')]);
    expect(shorter).not.toBe(previous);
    expect(shorter[1]).toBe(previous[1]);
    const replaced = shareList(previous, [item('a'), item('x'), item('c')]);
    expect(replaced).not.toBe(previous);
    expect(replaced[1]).toEqual(item('x'));
  });
});
