import { BackendError } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { createBackend, createCpuBackend } from '../src/index.js';

describe('cpu backend', () => {
  it('names itself and its dtypes; createBackend is async', async () => {
    const be = await createBackend();
    expect(be.name).toBe('cpu');
    expect([...be.dtypes].sort()).toEqual(['bool', 'float32', 'float64', 'int32']);
    expect(typeof be.readSync).toBe('function');
    expect(typeof be.fused?.logSoftmax).toBe('function');
  });

  it('write, read and readSync round-trip, and reads are copies', async () => {
    const be = createCpuBackend();
    const s = be.alloc('float32', 3);
    expect(Array.from(be.readSync!(s))).toEqual([0, 0, 0]);
    be.write(s, Float32Array.of(1, 2, 3));
    const a = await be.read(s);
    expect(a).toBeInstanceOf(Float32Array);
    a[0] = 99;
    const b = be.readSync!(s);
    b[1] = 99;
    expect(Array.from(await be.read(s))).toEqual([1, 2, 3]);
    be.free(s);
  });

  it('memory() counts allocations and kernel outputs, and returns to baseline after free', () => {
    const be = createCpuBackend();
    expect(be.memory()).toEqual({ storages: 0, bytes: 0 });
    const a = be.alloc('float64', 4);
    const b = be.alloc('int32', 2);
    const c = be.alloc('bool', 5);
    expect(be.memory()).toEqual({ storages: 3, bytes: 32 + 8 + 5 });
    const sum = be.ops.binary('add', a, [4], a, [4], [4], 'float64');
    const mask = be.ops.compare('lt', a, [4], a, [4], [4], 'float64');
    const idx = be.ops.argReduce('argmax', a, [4], 0, 'float64');
    const sm = be.fused!.softmax!(a, [4], 0, 'float64');
    expect(be.memory()).toEqual({ storages: 7, bytes: 45 + 32 + 4 + 4 + 32 });
    for (const s of [a, b, c, sum, mask, idx, sm]) be.free(s);
    expect(be.memory()).toEqual({ storages: 0, bytes: 0 });
  });

  it('freeing twice throws a BackendError and never double counts', () => {
    const be = createCpuBackend();
    const s = be.alloc('float32', 8);
    be.free(s);
    expect(() => be.free(s)).toThrow(BackendError);
    expect(be.memory()).toEqual({ storages: 0, bytes: 0 });
    expect(() => be.readSync!(s)).toThrow(/already freed/);
    expect(() => be.ops.unary('neg', s, 8, 'float32')).toThrow(BackendError);
  });

  it('rejects storages of another backend and writes of the wrong dtype or size', () => {
    const one = createCpuBackend();
    const two = createCpuBackend();
    const s = one.alloc('float32', 2);
    expect(() => two.free(s)).toThrow(BackendError);
    expect(() => two.free({})).toThrow(BackendError);
    expect(() => one.write(s, Float64Array.of(1, 2))).toThrow(/float32 array of 2/);
    expect(() => one.write(s, Float32Array.of(1))).toThrow(BackendError);
    one.free(s);
    expect(one.memory().storages).toBe(0);
  });

  it('kernels never modify their inputs', () => {
    const be = createCpuBackend();
    const x = be.alloc('float32', 6);
    be.write(x, Float32Array.of(1, -2, 3, -4, 5, -6));
    const outs = [
      be.ops.unary('relu', x, 6, 'float32'),
      be.ops.setSlice(x, [6], x, [2], [0], [3], 'float32'),
      be.ops.expand(x, [6], [6], 'float32'),
      be.ops.cast(x, 6, 'float32', 'float32'),
    ];
    expect(Array.from(be.readSync!(x))).toEqual([1, -2, 3, -4, 5, -6]);
    outs.forEach((o) => be.free(o));
    be.free(x);
  });
});
