import { manualSeed, nn, optim, randint, randn, setBackend, tidy, type Backend, type MatmulSpec } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';
import { randomData, rng } from '@logit/conformance';
import { expectSame, runKernelSync } from '@logit/conformance/vitest';

const wasm = await createBackend();
const wasmSimd = await createBackend({ simd: 'simd' });

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
      const one = runKernelSync(wasm, [[a, 'float32'], [b, 'float32']], ([x, y]) => wasm.ops.matmul(x, y, spec, 'float32'));
      const three = runKernelSync(mt, [[a, 'float32'], [b, 'float32']], ([x, y]) => mt.ops.matmul(x, y, spec, 'float32'));
      // each column of C is computed by one thread with the same packing and order, so the bits match
      expectSame(three, one, `${m}x${n}x${k}`);
    }
  });

  it('products of several k-blocks and column blocks, and a 5-row product split by columns, match one thread bit for bit', async () => {
    // k > 256 and n > 512 make several phases (packed B double-buffered, later k-blocks adding to
    // C); m = 5 leaves one row task, so the threads split the columns instead
    // 80^3 and 81x79x83 sit at the threading threshold (80^3 multiply-adds)
    const shapes = [[150, 1100, 600, false, false], [64, 530, 777, true, false], [5, 2000, 800, false, true], [300, 40, 700, true, true],
      [80, 80, 80, false, false], [81, 79, 83, true, false]] as const;
    for (const [threads, simd, ref] of [[2, 'auto', wasm], [3, 'auto', wasm], [2, 'simd', wasmSimd]] as const) {
      // the plain-SIMD build has 5-row micro-tiles (6 in the relaxed one): other task edges
      const mt = await createBackend({ threads, simd });
      for (const [m, n, k, transA, transB] of shapes) {
        const spec: MatmulSpec = { batch: 1, m, n, k, transA, transB, aBatchStride: 0, bBatchStride: 0 };
        const a = randomData('float32', m * k, m + k);
        const b = randomData('float32', k * n, n + k);
        const one = runKernelSync(ref, [[a, 'float32'], [b, 'float32']], ([x, y]) => ref.ops.matmul(x, y, spec, 'float32'));
        const many = runKernelSync(mt, [[a, 'float32'], [b, 'float32']], ([x, y]) => mt.ops.matmul(x, y, spec, 'float32'));
        expectSame(many, one, `threads=${threads} simd=${simd} ${m}x${n}x${k}`);
      }
    }
  });

  it('200 products in a row, each handed out while the previous job is closing, all match one thread', async () => {
    const mt = await createBackend({ threads: 2 });
    const shapes = [[192, 192, 192], [256, 200, 300], [200, 256, 193]] as const;
    const inputs = shapes.map(([m, n, k]) => [randomData('float32', m * k, m), randomData('float32', k * n, n)] as const);
    const expected = shapes.map(([m, n, k], i) => {
      const spec: MatmulSpec = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      return runKernelSync(wasm, [[inputs[i][0], 'float32'], [inputs[i][1], 'float32']], ([x, y]) => wasm.ops.matmul(x, y, spec, 'float32'));
    });
    const stored = inputs.map(([a, b]) => {
      const sa = mt.alloc('float32', a.length), sb = mt.alloc('float32', b.length);
      mt.write(sa, a);
      mt.write(sb, b);
      return [sa, sb] as const;
    });
    for (let call = 0; call < 200; call++) {
      const i = call % shapes.length;
      const [m, n, k] = shapes[i];
      const spec: MatmulSpec = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      const c = mt.ops.matmul(stored[i][0], stored[i][1], spec, 'float32');
      const got = mt.readSync!(c);
      mt.free(c);
      if (call % 10 === 0 || call >= 197) expectSame(got, expected[i], `call ${call}`);
    }
    for (const [sa, sb] of stored) {
      mt.free(sa);
      mt.free(sb);
    }
    expect(mt.memory()).toEqual({ storages: 0, bytes: 0 });
  });

  it('training a 784-128-10 MLP on two threads gives the one-thread losses and weights bit for bit', async () => {
    // batch 64: the first layer's forward (64x784x128) and weight-gradient (784x64x128, A
    // transposed) products are over the threading threshold, the rest are not
    const run = (be: Backend): { losses: number[]; weight: Float32Array } => {
      setBackend(be);
      manualSeed(3);
      const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
      const x = randn([64, 784]);
      const y = randint(0, 10, [64], { dtype: 'int32' });
      const lossFn = new nn.CrossEntropyLoss();
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
      const losses: number[] = [];
      for (let step = 0; step < 15; step++) {
        tidy(() => {
          opt.zeroGrad();
          const loss = lossFn.forward(model.forward(x), y);
          loss.backward();
          opt.step();
          losses.push(loss.itemSync());
        });
      }
      const weight = model.parameters()[0].dataSync() as Float32Array;
      opt.zeroGrad();
      for (const t of [x, y, ...model.parameters()]) t.dispose();
      return { losses, weight };
    };
    const one = run(wasm);
    const two = run(await createBackend({ threads: 2 }));
    expect(two.losses).toEqual(one.losses);
    expect(one.losses[14]).toBeLessThan(one.losses[0]);
    expectSame(two.weight, one.weight, 'first layer weight after 15 steps');
  });

  it('the shared heap does not grow over 1,000 threaded products of varying shapes (scratch is reused)', async () => {
    const mt = await createBackend({ threads: 2 });
    const r = rng(5);
    const step = (): void => {
      const m = 80 + Math.floor(r() * 120), n = 80 + Math.floor(r() * 120), k = 80 + Math.floor(r() * 300);
      const a = mt.alloc('float32', m * k), b = mt.alloc('float32', k * n);
      const c = mt.ops.matmul(a, b, { batch: 1, m, n, k, transA: r() < 0.5, transB: r() < 0.5, aBatchStride: 0, bBatchStride: 0 }, 'float32');
      [a, b, c].forEach((s) => mt.free(s));
    };
    for (let i = 0; i < 50; i++) step();
    const bytes = mt.wasmMemory.buffer.byteLength;
    for (let i = 0; i < 1000; i++) step();
    expect(mt.wasmMemory.buffer.byteLength).toBe(bytes);
    expect(mt.memory()).toEqual({ storages: 0, bytes: 0 });
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
    const one = runKernelSync(wasm, [[a, 'float32'], [b, 'float32']], ([x, y]) => wasm.ops.matmul(x, y, spec, 'float32'));
    const two = runKernelSync(mt, [[a, 'float32'], [b, 'float32']], ([x, y]) => mt.ops.matmul(x, y, spec, 'float32'));
    expectSame(two, one);
    mt.free(big);
  });

  it('threads: 1 (the default) uses an unshared memory', async () => {
    expect(wasm.threads).toBe(1);
    expect(wasm.wasmMemory.buffer).toBeInstanceOf(ArrayBuffer);
  });
});
