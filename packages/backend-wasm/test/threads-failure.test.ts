import { BackendError } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { compileKernels, instantiate } from '../src/load.js';
import { CTL_BYTES, ThreadPool } from '../src/threads.js';
import { expectSame } from '@logit/conformance/vitest';

// The pool driven directly, with addresses laid out by hand: the public API never hands a kernel
// a bad pointer, so this is how a trapping call (a kernel bug) is made to happen.
describe('threads: a trap inside a threaded product', () => {
  it('throws a BackendError instead of hanging, and the pool refuses later products', async () => {
    const compiled = await compileKernels(true, true);
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 32768, shared: true });
    const k = (await instantiate(compiled, memory)).exports;
    const n = 96;
    const at = (offset: number): number => Math.ceil((k.heapBase() + offset) / 64) * 64;
    const ctl = at(0);
    const a = at(CTL_BYTES), b = a + n * n * 4, c = b + n * n * 4, c1 = c + n * n * 4, scratch = c1 + n * n * 4;
    const f32 = new Float32Array(memory.buffer);
    for (let i = 0; i < n * n; i++) {
      f32[a / 4 + i] = Math.sin(i);
      f32[b / 4 + i] = Math.cos(i);
    }
    expect(scratch + k.gemmThreadsScratchBytes(n, n, n, 2)).toBeLessThan(memory.buffer.byteLength);
    const pool = await ThreadPool.start(1, compiled.module, memory, ctl);
    try {
      // first a good product, the same bits as one thread
      pool.gemm(k, a, n, 1, b, n, 1, c, n, n, n, scratch);
      k.gemm(a, n, 1, b, n, 1, c1, n, n, n, scratch);
      expectSame(new Float32Array(memory.buffer, c, n * n).slice(), new Float32Array(memory.buffer, c1, n * n).slice());
      // A far outside the memory: packing B works, the first thread to compute a block traps
      const outside = memory.buffer.byteLength + (1 << 20);
      const bad = (): void => pool.gemm(k, outside, n, 1, b, n, 1, c, n, n, n, scratch);
      expect(bad).toThrow(BackendError);
      expect(bad).toThrow(/wasm: matmul failed on (the calling thread: RuntimeError: memory access out of bounds|a worker thread); this backend's threads are stopped/);
      expect(() => pool.gemm(k, a, n, 1, b, n, 1, c, n, n, n, scratch)).toThrow(/threads are stopped/);
    } finally {
      pool.terminate();
    }
  });

  it('a trap on a worker alone is reported too: the caller stops waiting for that task', async () => {
    const compiled = await compileKernels(true, true);
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
    const k = (await instantiate(compiled, memory)).exports;
    const n = 96;
    const ctl = Math.ceil(k.heapBase() / 64) * 64;
    const a = ctl + CTL_BYTES, b = a + n * n * 4, c = b + n * n * 4;
    // Each thread's own scratch (packed rows of A) comes last, thread 0 first: end thread 0's at
    // the end of the memory, so that only the worker (thread 1) packs A out of bounds.
    const perThread = k.gemmThreadsScratchBytes(n, n, n, 2) - k.gemmThreadsScratchBytes(n, n, n, 1);
    expect(perThread).toBeGreaterThan(0);
    const scratch = memory.buffer.byteLength - (k.gemmThreadsScratchBytes(n, n, n, 2) - perThread);
    expect(scratch).toBeGreaterThan(c + n * n * 4);
    const pool = await ThreadPool.start(1, compiled.module, memory, ctl);
    try {
      // the worker traps on the first row block it takes; the caller alone never does
      let error: unknown = null;
      for (let attempt = 0; attempt < 200 && error === null; attempt++) {
        try {
          pool.gemm(k, a, n, 1, b, n, 1, c, n, n, n, scratch);
        } catch (e) {
          error = e;
        }
      }
      expect(error).toBeInstanceOf(BackendError);
      expect(String(error)).toMatch(/wasm: matmul failed on a worker thread; this backend's threads are stopped/);
    } finally {
      pool.terminate();
    }
  });
});
