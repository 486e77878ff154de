import type { MatmulSpec } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';
import { expectSame, randomData, runOn, wasm } from './helpers.js';

describe('threads', () => {
  it('threads: 3 in Node runs matmul on shared memory with two workers and gives the single-thread bits', async () => {
    const mt = await createBackend({ threads: 3 });
    expect(mt.threads).toBe(3);
    expect(mt.wasmMemory.buffer).toBeInstanceOf(SharedArrayBuffer);
    // big enough to be split (m * n * k over the threshold), odd sizes so ranges end mid-panel
    for (const [m, n, k, transA, transB] of [[200, 301, 250, false, false], [97, 515, 300, true, true], [256, 256, 256, false, true]] as const) {
      const spec: MatmulSpec = { batch: 2, m, n, k, transA, transB, aBatchStride: m * k, bBatchStride: 0 };
      const a = randomData('float32', 2 * m * k, m);
      const b = randomData('float32', k * n, n);
      const kernel = (be: typeof mt, s: unknown[]) => be.ops.matmul(s[0] as never, s[1] as never, spec, 'float32');
      const one = runOn(wasm, [[a, 'float32'], [b, 'float32']], (be, s) => kernel(be as typeof mt, s));
      const three = runOn(mt, [[a, 'float32'], [b, 'float32']], (be, s) => kernel(be as typeof mt, s));
      // each column of C is computed by one thread with the same packing and order, so the bits match
      expectSame(three, one, `${m}x${n}x${k}`);
    }
  });

  it('workers keep working after the shared memory grows (tensors at high addresses)', async () => {
    const mt = await createBackend({ threads: 2 });
    const before = mt.wasmMemory.buffer.byteLength;
    const big = mt.alloc('float32', 40_000_000); // 160 MB: forces several grows
    expect(mt.wasmMemory.buffer.byteLength).toBeGreaterThanOrEqual(Math.max(before, 160e6));
    const [m, n, k] = [192, 256, 320];
    const spec: MatmulSpec = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
    const a = randomData('float32', m * k, 1);
    const b = randomData('float32', k * n, 2);
    const one = runOn(wasm, [[a, 'float32'], [b, 'float32']], (be, s) => be.ops.matmul(s[0], s[1], spec, 'float32'));
    const two = runOn(mt, [[a, 'float32'], [b, 'float32']], (be, s) => be.ops.matmul(s[0], s[1], spec, 'float32'));
    expectSame(two, one);
    mt.free(big);
  });

  it('threads: 1 (the default) uses an unshared memory', async () => {
    expect(wasm.threads).toBe(1);
    expect(wasm.wasmMemory.buffer).toBeInstanceOf(ArrayBuffer);
  });
});
