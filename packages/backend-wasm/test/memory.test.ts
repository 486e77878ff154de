import { ValueError, type Backend, type MatmulSpec, type Storage } from '@logit/core';
import { rng } from '@logit/conformance';
import { describe, expect, it } from 'vitest';
import { Heap } from '../src/heap.js';
import { createBackend } from '../src/index.js';

const wasm = await createBackend();

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

// memory() accounting, copies on read, refused storages and writes: the kit's storage checks
// (test/kernels.test.ts). Here: what only this backend has, its options and its heap.
describe('the wasm backend', () => {
  it('the default build is the relaxed-SIMD one on this Node, the other plain SIMD', async () => {
    expect([wasm.variant, (await createBackend({ simd: 'simd' })).variant]).toEqual(['relaxed', 'simd']);
  });

  it('refuses bad options', async () => {
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
