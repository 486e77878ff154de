import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { matmulBenchmark } from '../src/benchmarks/matmul.js';
import { getBackend } from '@logit/core';
import type { WasmBackend } from '@logit/backend-wasm';
import { CONTENDERS, selectContenders, type Contender } from '../src/contenders/index.js';
import type { BenchContext } from '../src/benchmarks/index.js';

const quick = { warmup: 1, samples: 1, minSampleMs: 0 };
const context = (contenders: Contender[], sizes: number[]): BenchContext => ({ contenders, timing: quick, options: { sizes }, log: () => {} });

/** A float64 reference product, independent of both libraries, and the sums of |products| that bound float32 rounding. */
function naiveMatmul(n: number, a: Float32Array, b: Float32Array): { value: Float64Array; mag: Float64Array } {
  const value = new Float64Array(n * n);
  const mag = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    let g = 0;
    for (let k = 0; k < n; k++) {
      s += a[i * n + k] * b[k * n + j];
      g += Math.abs(a[i * n + k] * b[k * n + j]);
    }
    value[i * n + j] = s;
    mag[i * n + j] = g;
  }
  return { value, mag };
}

describe('bench matmul', () => {
  /** A @ B of contender at size n, compared with the float64 product. */
  async function expectProduct(contender: Contender, n: number): Promise<void> {
    const a = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: n * n }, (_, i) => Math.cos(3 * i));
    await contender.activate();
    const prepared = contender.matmul(n, a, b);
    const got = await prepared.result();
    prepared.dispose();
    const { value, mag } = naiveMatmul(n, a, b);
    for (let i = 0; i < value.length; i++) {
      // float32 accumulation over n terms: |error| <= (n + 1) * eps * sum|products|
      const tol = (n + 1) * 2 ** -24 * mag[i];
      if (!(Math.abs(got[i] - value[i]) <= tol)) expect.fail(`${contender.name} N=${n} element ${i}: got ${got[i]}, expected ${value[i]} (tol ${tol})`);
    }
  }

  it.each(CONTENDERS.map((c) => [c.name, c] as const))('%s computes A @ B', async (_, contender) => {
    await expectProduct(contender, 33);
  });

  it('logit-wasm-2t runs on two threads and splits a large product between them correctly', async () => {
    const contender = CONTENDERS.find((c) => c.name === 'logit-wasm-2t')!;
    // 200^3 multiply-adds is above backend-wasm's threading threshold (80^3)
    await expectProduct(contender, 200);
    expect((getBackend() as WasmBackend).threads).toBe(2);
  });

  it('runs every contender by default in matmul and mlp, logit-wasm-2t included', () => {
    expect(selectContenders(undefined, 'matmul').map((c) => c.name)).toEqual(CONTENDERS.map((c) => c.name));
    expect(selectContenders(undefined, 'mlp').map((c) => c.name)).toEqual(CONTENDERS.map((c) => c.name));
    expect(selectContenders(['logit-wasm-2t'], 'mlp').map((c) => c.name)).toEqual(['logit-wasm-2t']);
  });

  it('fills one GFLOP/s column per contender and the logit/tfjs ratios', async () => {
    const report = await matmulBenchmark.run(context(selectContenders(undefined, 'matmul'), [16, 32]));
    const names = ['logit-cpu', 'tfjs-cpu', 'logit-wasm', 'logit-wasm-2t', 'tfjs-wasm'];
    const ratios = ['logit-cpu/tfjs-cpu', 'logit-wasm/tfjs-wasm', 'logit-wasm-2t/tfjs-wasm'];
    expect(report.table.columns).toEqual(['N', ...names, ...ratios]);
    expect(report.table.headers?.['logit-wasm-2t/tfjs-wasm']).toBe('logit-wasm-2t/\ntfjs-wasm');
    expect(report.table.rows.map((r) => r.N)).toEqual([16, 32]);
    for (const row of report.table.rows) {
      for (const name of names) expect(row[name]).toBeGreaterThan(0);
      for (const ratio of ratios) {
        const [of, to] = ratio.split('/');
        expect(row[ratio]).toBeCloseTo((row[of] as number) / (row[to] as number), 12);
      }
    }
    const m = report.measurements.find((x) => x.contender === 'logit-cpu' && x.size.N === 32)!;
    expect(m.score).toBeCloseTo((2 * 32 ** 3) / (m.medianMs * 1e6), 9);
  });

  it('refuses to time a contender whose answer is wrong', async () => {
    const [logit] = CONTENDERS;
    const wrong: Contender = {
      ...logit,
      name: 'wrong',
      matmul(n, a, b) {
        const inner = logit.matmul(n, a, b);
        return { ...inner, result: async () => (await inner.result()).map((v) => v + 1) };
      },
    };
    await expect(matmulBenchmark.run(context([logit, wrong], [8]))).rejects.toThrow(/wrong disagrees with logit-cpu/);
  });

  describe('--output kept', () => {
    it('times the kernel alone: each timed call runs one product and frees it', async () => {
      const contenders = selectContenders(['logit-cpu', 'logit-wasm', 'tfjs-cpu', 'tfjs-wasm'], 'matmul');
      const report = await matmulBenchmark.run({ ...context(contenders, [24]), options: { sizes: [24], output: 'kept' } });
      expect(report.table.title).toContain('kernel only');
      for (const c of contenders) expect(report.table.rows[0][c.name]).toBeGreaterThan(0);
      const a = Float32Array.from({ length: 24 * 24 }, (_, i) => Math.sin(i));
      // a logit call is one backend matmul and leaves no storage behind
      const logit = contenders[1];
      await logit.activate();
      const p = logit.matmul(24, a, a);
      const backend = getBackend();
      const before = backend.memory();
      const spy = vi.spyOn(backend.ops, 'matmul');
      p.compute!();
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      expect(backend.memory()).toEqual(before);
      p.dispose();
      // a tfjs call runs its matmul kernel and leaves no tensor behind
      const tfjs = contenders[3];
      await tfjs.activate();
      const q = tfjs.matmul(24, a, a);
      const tensors = tf.memory().numTensors;
      const profile = await tf.profile(() => q.compute!());
      expect(profile.kernelNames).toContain('BatchMatMul');
      expect(tf.memory().numTensors).toBe(tensors);
      q.dispose();
    });

    it('refuses a contender that computes asynchronously, and a value other than read or kept', async () => {
      const [logit] = CONTENDERS;
      const asynchronous: Contender = {
        ...logit,
        name: 'async-one',
        matmul: (n, a, b) => ({ ...logit.matmul(n, a, b), compute: undefined }),
      };
      await expect(matmulBenchmark.run({ ...context([asynchronous], [8]), options: { sizes: [8], output: 'kept' } }))
        .rejects.toThrow(/async-one computes asynchronously/);
      const option = matmulBenchmark.options.find((o) => o.flags.startsWith('--output'))!;
      expect(() => option.parse('none')).toThrow(/expected 'read' or 'kept', got 'none'/);
    });
  });
});
