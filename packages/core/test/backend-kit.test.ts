import { describe, expect, test } from 'vitest';
import { BackendError, StorageLedger, aroundAxis, broadcastStrides, type DType } from '@logit/core';

// The shared pieces every backend builds on: broadcast strides, the (outer, len, inner) view of
// an axis, and the storage ledger with its one set of error messages.

class Box {
  constructor(readonly dtype: DType, readonly size: number) {}
}

describe('shape helpers', () => {
  test('broadcastStrides: right-aligned, 0 along broadcast and missing dims', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([4], [3, 4])).toEqual([0, 1]);
    expect(broadcastStrides([2, 3, 4], [2, 3, 4])).toEqual([12, 4, 1]);
    expect(broadcastStrides([], [2, 2])).toEqual([0, 0]);
    expect(broadcastStrides([1, 5], [0, 5])).toEqual([0, 1]);
  });

  test('aroundAxis: the sizes before, at and after an axis', () => {
    expect(aroundAxis([2, 3, 4], 1)).toEqual({ outer: 2, len: 3, inner: 4 });
    expect(aroundAxis([2, 3, 4], 0)).toEqual({ outer: 1, len: 2, inner: 12 });
    expect(aroundAxis([2, 3, 4], 2)).toEqual({ outer: 6, len: 4, inner: 1 });
    expect(aroundAxis([5, 0, 2], 2)).toEqual({ outer: 0, len: 2, inner: 1 });
  });
});

describe('StorageLedger', () => {
  const make = () => new StorageLedger<Box>('toy', ['float32', 'int32', 'bool']);

  test('counts live storages and their logical bytes, and frees return to zero', () => {
    const l = make();
    const a = l.add(new Box('float32', 3));
    const b = l.add(new Box('bool', 5));
    const c = l.add(new Box('int32', 0));
    expect(l.memory()).toEqual({ storages: 3, bytes: 12 + 5 });
    expect(l.remove(a)).toBe(a);
    expect(l.memory()).toEqual({ storages: 2, bytes: 5 });
    l.remove(b);
    l.remove(c);
    expect(l.memory()).toEqual({ storages: 0, bytes: 0 });
  });

  test('a freed storage is refused by name, and a second free does not double count', () => {
    const l = make();
    const a = l.add(new Box('float32', 2));
    expect(l.get(a, 'read')).toBe(a);
    l.remove(a);
    expect(() => l.get(a, 'read')).toThrow(new BackendError('toy: read was given a storage that was already freed'));
    expect(() => l.remove(a)).toThrow(/toy: free was given a storage that was already freed/);
    expect(l.memory()).toEqual({ storages: 0, bytes: 0 });
    expect(l.owns(a)).toBe(false);
  });

  test('a storage of another ledger, or no storage at all, is refused', () => {
    const one = make();
    const two = make();
    const a = one.add(new Box('float32', 2));
    expect(one.owns(a)).toBe(true);
    expect(() => two.get(a, 'unary')).toThrow(new BackendError('toy: unary was given a storage that this toy backend did not allocate'));
    expect(() => two.remove({})).toThrow(BackendError);
    expect(() => two.get(null as never, 'write')).toThrow(/did not allocate/);
    expect(one.memory().storages).toBe(1);
  });

  test('writes must match the dtype and the size', () => {
    const l = make();
    const a = l.add(new Box('float32', 2));
    expect(() => l.checkWrite(a, Float32Array.of(1, 2))).not.toThrow();
    expect(() => l.checkWrite(a, Float64Array.of(1, 2))).toThrow(new BackendError('toy: write expected a float32 array of 2 elements, got float64 of 2'));
    expect(() => l.checkWrite(a, Float32Array.of(1))).toThrow(/float32 array of 2 elements, got float32 of 1/);
    expect(() => l.checkWrite(a, [1, 2] as never)).toThrow(/got an unsupported array of 2/);
  });

  test('a dtype the backend does not store is a BackendError that lists what it stores', () => {
    expect(() => make().checkDType('float64')).toThrow(new BackendError('toy: cannot store dtype float64; this backend stores float32, int32, bool'));
    expect(make().checkDType('bool')).toBe('bool');
  });
});
