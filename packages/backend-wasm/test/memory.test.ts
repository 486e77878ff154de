import { BackendError, ValueError, type Backend, type MatmulSpec, type Storage } from '@logit/core';
import { createCpuBackend } from '@logit/backend-cpu';
import { describe, expect, it } from 'vitest';
import { Heap } from '../src/heap.js';
import { createBackend } from '../src/index.js';
import { rng, wasm } from './helpers.js';

describe('Heap (the allocator)', () => {
  it('reuses freed blocks, coalesces neighbours and lowers the top', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 1000);
    const base = heap.used;
    const a = heap.alloc(100);
    const b = heap.alloc(20);
    const c = heap.alloc(300);
    expect([a % 16, b % 16, c % 16]).toEqual([0, 0, 0]);
    expect(b).toBeGreaterThanOrEqual(a + 100);
    heap.release(a, 100);
    expect(heap.alloc(50)).toBe(a); // first fit reuses the hole
    heap.release(a, 50);
    heap.release(b, 20); // merges with the hole before it
    expect(heap.alloc(112 + 32)).toBe(a); // one block spanning both
    heap.release(a, 144);
    heap.release(c, 300); // everything free: the top returns to the base
    expect(heap.used).toBe(base);
  });

  it('grows the memory when the top passes its end', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new Heap(memory, 0);
    const p = heap.alloc(200000);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(p + 200000);
    heap.bytes()[p + 199999] = 7;
    expect(heap.bytes()[p + 199999]).toBe(7);
  });

  it('random alloc/free sequences never hand out overlapping blocks', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 64);
    const r = rng(5);
    const live: [number, number][] = [];
    for (let step = 0; step < 3000; step++) {
      if (live.length > 0 && r() < 0.45) {
        const [off, size] = live.splice(Math.floor(r() * live.length), 1)[0];
        heap.release(off, size);
      } else {
        const size = 1 + Math.floor(r() * 5000);
        const off = heap.alloc(size);
        for (const [o, s] of live) expect(off + size <= o || o + s <= off).toBe(true);
        live.push([off, size]);
      }
    }
    live.forEach(([o, s]) => heap.release(o, s));
    expect(heap.used).toBe(64);
  });
});

describe('backend memory accounting', () => {
  it('memory() counts storages and bytes and returns to baseline after free', () => {
    const before = wasm.memory();
    const a = wasm.alloc('float32', 10);
    const b = wasm.alloc('int32', 3);
    const c = wasm.alloc('bool', 5);
    const d = wasm.alloc('float32', 0);
    expect(wasm.memory()).toEqual({ storages: before.storages + 4, bytes: before.bytes + 40 + 12 + 5 });
    [a, b, c, d].forEach((s) => wasm.free(s));
    expect(wasm.memory()).toEqual(before);
  });

  it('read and readSync return copies; write checks dtype and length', async () => {
    const s = wasm.alloc('float32', 3);
    wasm.write(s, Float32Array.from([1, 2, 3]));
    const copy = wasm.readSync!(s) as Float32Array;
    copy[0] = 99;
    expect(Array.from(await wasm.read(s))).toEqual([1, 2, 3]);
    expect(() => wasm.write(s, Int32Array.from([1, 2, 3]))).toThrow(BackendError);
    expect(() => wasm.write(s, Float32Array.from([1, 2]))).toThrow(/3 elements/);
    wasm.free(s);
    expect(() => wasm.readSync!(s)).toThrow(/already freed/);
    expect(() => wasm.free(s)).toThrow(BackendError);
  });

  it('rejects storages of another backend and dtypes it cannot store', async () => {
    const other = await createBackend();
    const s = other.alloc('float32', 1);
    expect(() => wasm.ops.unary('neg', s, 1, 'float32')).toThrow(/did not allocate/);
    other.free(s);
    const c = createCpuBackend().alloc('float32', 1);
    expect(() => wasm.readSync!(c)).toThrow(/did not allocate/);
    expect(() => wasm.alloc('float64', 1)).toThrow(/cannot store dtype float64/);
    await expect(createBackend({ threads: 0 })).rejects.toThrow(ValueError);
    await expect(createBackend({ threads: 1.5 })).rejects.toThrow(/threads to be a positive integer, got 1.5/);
    await expect(createBackend({ simd: 'relaxed' as 'simd' })).rejects.toThrow(/simd to be 'auto' or 'simd', got relaxed/);
  });

  it('the heap does not grow over 10,000 training-like steps of alloc / kernels / free', () => {
    const be: Backend = wasm;
    const r = rng(1);
    const upload = (size: number): Storage => {
      const s = be.alloc('float32', size);
      be.write(s, Float32Array.from({ length: size }, () => r() - 0.5));
      return s;
    };
    const w1 = upload(100 * 64);
    const w2 = upload(64 * 10);
    const step = (batch: number): void => {
      const x = upload(batch * 100);
      const mm = (a: Storage, b: Storage, m: number, n: number, k: number, transA = false, transB = false): Storage =>
        be.ops.matmul(a, b, { batch: 1, m, n, k, transA, transB, aBatchStride: 0, bBatchStride: 0 } as MatmulSpec, 'float32');
      const h = mm(x, w1, batch, 64, 100);
      const a = be.ops.unary('relu', h, batch * 64, 'float32');
      const y = mm(a, w2, batch, 10, 64);
      const lp = be.fused!.logSoftmax!(y, [batch, 10], 1, 'float32');
      const loss = be.ops.reduce('sum', lp, [batch, 10], [0, 1], 'float32');
      const mask = be.ops.compare('gt', h, [batch, 64], a, [batch, 64], [batch, 64], 'float32');
      const gw = mm(x, h, 100, 64, batch, true, false);
      const upd = be.ops.binary('sub', w1, [100, 64], gw, [100, 64], [100, 64], 'float32');
      [x, h, a, y, lp, loss, mask, gw, upd].forEach((s) => be.free(s));
    };
    for (let i = 0; i < 50; i++) step(1 + (i % 64));
    const baseline = be.memory();
    const bytes = wasm.wasmMemory.buffer.byteLength;
    for (let i = 0; i < 10000; i++) step(1 + Math.floor(r() * 64));
    expect(wasm.wasmMemory.buffer.byteLength).toBe(bytes);
    expect(be.memory()).toEqual(baseline);
    be.free(w1);
    be.free(w2);
  });
});
