import type { DType, MatmulSpec } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { randomData, rng, toDType } from '@logit/conformance';
import { expectClose, runKernelSync } from '@logit/conformance/vitest';
import { createCpuBackend } from '../src/index.js';

const be = createCpuBackend();

/** C = A @ B per batch item, in doubles, reading A and B through the same layout rules. */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, s: MatmulSpec, dtype: DType): number[] {
  const out: number[] = [];
  for (let t = 0; t < s.batch; t++) {
    for (let i = 0; i < s.m; i++) {
      for (let j = 0; j < s.n; j++) {
        let acc = 0;
        for (let p = 0; p < s.k; p++) {
          const av = a[t * s.aBatchStride + (s.transA ? p * s.m + i : i * s.k + p)];
          const bv = b[t * s.bBatchStride + (s.transB ? j * s.k + p : p * s.n + j)];
          acc += av * bv;
        }
        out.push(toDType(acc, dtype));
      }
    }
  }
  return out;
}

function check(spec: MatmulSpec, dtype: DType, seed: number): void {
  const aItems = spec.aBatchStride === 0 ? 1 : spec.batch;
  const bItems = spec.bBatchStride === 0 ? 1 : spec.batch;
  const a = randomData(dtype, aItems * spec.m * spec.k, seed);
  const b = randomData(dtype, bItems * spec.k * spec.n, seed + 1);
  const got = runKernelSync(be, [[a, dtype], [b, dtype]], ([x, y]) => be.ops.matmul(x, y, spec, dtype));
  // float32: a few ulps of the row's magnitude (any float32 matmul that sums in float32 passes too)
  expectClose(got, naive(a, b, spec, dtype), { rtol: dtype === 'float32' ? 1e-6 : 1e-13, atol: dtype === 'float32' ? 1e-5 : 1e-12 });
}

const spec = (batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, aBatch: boolean, bBatch: boolean): MatmulSpec =>
  ({ batch, m, n, k, transA, transB, aBatchStride: aBatch ? m * k : 0, bBatchStride: bBatch ? k * n : 0 });

describe('matmul', () => {
  const combos = [false, true].flatMap((ta) => [false, true].map((tb) => [ta, tb] as const));
  describe.each(['float32', 'float64'] as DType[])('%s', (dtype) => {
    it.each(combos)('transA=%s transB=%s, random sizes 1..70', (ta, tb) => {
      const r = rng(ta ? (tb ? 1 : 2) : tb ? 3 : 4);
      const dim = () => 1 + Math.floor(r() * 70);
      for (let trial = 0; trial < 12; trial++) check(spec(1, dim(), dim(), dim(), ta, tb, true, true), dtype, trial);
    });
    it.each(combos)('transA=%s transB=%s, batch strides 0 and full', (ta, tb) => {
      for (const [aFull, bFull] of [[true, true], [true, false], [false, true], [false, false]]) {
        check(spec(3, 5, 6, 7, ta, tb, aFull, bFull), dtype, 9);
        check(spec(4, 9, 2, 3, ta, tb, aFull, bFull), dtype, 10);
      }
    });
    it.each(combos)('transA=%s transB=%s, beyond one cache block (m > 96, k > 256, n > 512)', (ta, tb) => {
      check(spec(2, 131, 9, 600, ta, tb, true, false), dtype, 5);
      check(spec(1, 3, 70, 257, ta, tb, true, true), dtype, 6);
      check(spec(2, 4, 1030, 300, ta, tb, true, false), dtype, 7);
      check(spec(3, 2, 601, 50, ta, tb, false, false), dtype, 8);
    });
  });
  it('edge sizes: k = 0 gives zeros, m or n = 0 gives an empty result', () => {
    const z = (m: number, n: number, k: number) =>
      runKernelSync(be, [[new Float32Array(m * k), 'float32'], [new Float32Array(k * n), 'float32']], ([x, y]) =>
        be.ops.matmul(x, y, spec(2, m, n, k, false, false, false, false), 'float32'));
    expect(Array.from(z(2, 3, 0))).toEqual(new Array(12).fill(0));
    expect(z(0, 3, 4).length).toBe(0);
    expect(z(3, 0, 4).length).toBe(0);
    expect(z(1, 1, 1).length).toBe(2);
  });
  it('float32 sums in doubles across k-blocks: C is the float64 sum rounded once', () => {
    // float32 products are exact in doubles, so the double sums differ from the reference only by
    // summation order (~1e-13 here); C must then be the nearest float32 of that sum.
    const s = spec(1, 7, 10, 1000, false, true, true, true);
    const a = randomData('float32', s.m * s.k, 21);
    const b = randomData('float32', s.k * s.n, 22);
    const got = runKernelSync(be, [[a, 'float32'], [b, 'float32']], ([x, y]) => be.ops.matmul(x, y, s, 'float32'));
    const want = naive(a, b, s, 'float64');
    for (let i = 0; i < want.length; i++) {
      expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(Math.abs(Math.fround(want[i]) - want[i]) + 1e-9);
    }
  });
  it('int32 small values are exact', () => check(spec(2, 7, 5, 9, true, false, true, true), 'int32', 3));
  it('nan and inf propagate', () => {
    const a = Float32Array.of(NaN, 1, Infinity, 1);
    const b = Float32Array.of(1, 0, 0, 1);
    const got = runKernelSync(be, [[a, 'float32'], [b, 'float32']], ([x, y]) => be.ops.matmul(x, y, spec(1, 2, 2, 2, false, false, true, true), 'float32'));
    expectClose(got, [NaN, NaN, Infinity, NaN]);
  });
});
