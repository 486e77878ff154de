import type { MatmulSpec } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { expectSame, onAll, randomData, WASMS } from './helpers.js';

const F32_EPS = 2 ** -24;

/** Element (t, i, j) of op(A) @ op(B) in doubles, and the sum of |products| that bounds rounding error. */
function reference(a: ArrayLike<number>, b: ArrayLike<number>, s: MatmulSpec): { value: Float64Array; mag: Float64Array } {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = s;
  const value = new Float64Array(batch * m * n);
  const mag = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let v = 0;
        let g = 0;
        for (let p = 0; p < k; p++) {
          const x = a[t * aBatchStride + (transA ? p * m + i : i * k + p)];
          const y = b[t * bBatchStride + (transB ? j * k + p : p * n + j)];
          v += x * y;
          g += Math.abs(x * y);
        }
        value[(t * m + i) * n + j] = v;
        mag[(t * m + i) * n + j] = g;
      }
    }
  }
  return { value, mag };
}

const SIZES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 8, 16], [5, 9, 3], [17, 9, 33], [130, 70, 300], [8, 257, 600], [7, 530, 9], [0, 4, 3], [3, 0, 4], [3, 4, 0],
];

describe('matmul float32', () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`transA=${transA} transB=${transB}: every size and batch layout within float32 rounding of the double product`, () => {
        for (const [m, n, k] of SIZES) {
          for (const [batch, aB, bB] of [[1, 1, 1], [3, 1, 1], [3, 0, 1], [3, 1, 0]]) {
            const aBatchStride = aB * m * k;
            const bBatchStride = bB * k * n;
            const spec: MatmulSpec = { batch, m, n, k, transA, transB, aBatchStride, bBatchStride };
            const a = randomData('float32', Math.max(1, batch * aB) * m * k, m * 7 + k);
            const b = randomData('float32', Math.max(1, batch * bB) * k * n, n * 5 + k);
            const [ref, outs] = onAll([[a, 'float32'], [b, 'float32']], (be, [sa, sb]) => be.ops.matmul(sa, sb, spec, 'float32'));
            const { value, mag } = reference(a, b, spec);
            expect(ref.length).toBe(value.length);
            // f32 accumulation over k terms: |error| <= k * eps * sum|products| (plus the final rounding)
            for (const out of outs) {
              for (let i = 0; i < value.length; i++) {
                const tol = (k + 1) * F32_EPS * mag[i] + 1e-30;
                if (!(Math.abs(out[i] - value[i]) <= tol)) {
                  expect.fail(`${JSON.stringify(spec)} element ${i}: got ${out[i]}, expected ${value[i]} (tol ${tol})`);
                }
              }
            }
          }
        }
      });
    }
  }

  it('propagates nan and inf like the double product', () => {
    const a = Float32Array.from([1, NaN, 2, 3, Infinity, 1, 0, 0, 1]);
    const b = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const spec: MatmulSpec = { batch: 1, m: 3, n: 3, k: 3, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
    const [ref, outs] = onAll([[a, 'float32'], [b, 'float32']], (be, [sa, sb]) => be.ops.matmul(sa, sb, spec, 'float32'));
    outs.forEach((o) => expectSame(o, ref));
  });

  it('small integer-valued products are exact', () => {
    const spec: MatmulSpec = { batch: 2, m: 9, n: 13, k: 300, transA: true, transB: false, aBatchStride: 9 * 300, bBatchStride: 300 * 13 };
    const a = Float32Array.from({ length: 2 * 9 * 300 }, (_, i) => (i % 7) - 3);
    const b = Float32Array.from({ length: 2 * 300 * 13 }, (_, i) => (i % 5) - 2);
    const [ref, outs] = onAll([[a, 'float32'], [b, 'float32']], (be, [sa, sb]) => be.ops.matmul(sa, sb, spec, 'float32'));
    outs.forEach((o) => expectSame(o, ref));
  });

  it('the default build is the relaxed-SIMD one on this Node, the other plain SIMD', () => {
    expect(WASMS.map((w) => w.variant)).toEqual(['relaxed', 'simd']);
  });
});

describe('matmul int32 and bool', () => {
  it('int32 matches backend-cpu exactly, all transposes and batch strides', () => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const spec: MatmulSpec = { batch: 2, m: 5, n: 6, k: 7, transA, transB, aBatchStride: 35, bBatchStride: 0 };
        const a = Int32Array.from({ length: 70 }, (_, i) => (i * 7919) % 13 - 6);
        const b = Int32Array.from({ length: 42 }, (_, i) => (i * 104729) % 11 - 5);
        const [ref, outs] = onAll([[a, 'int32'], [b, 'int32']], (be, [sa, sb]) => be.ops.matmul(sa, sb, spec, 'int32'));
        outs.forEach((o) => expectSame(o, ref));
      }
    }
  });

  it('bool is (sum of products != 0)', () => {
    const spec: MatmulSpec = { batch: 1, m: 2, n: 2, k: 3, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
    const a = Uint8Array.from([1, 0, 1, 0, 0, 0]);
    const b = Uint8Array.from([0, 1, 0, 0, 1, 0]);
    const [ref, outs] = onAll([[a, 'bool'], [b, 'bool']], (be, [sa, sb]) => be.ops.matmul(sa, sb, spec, 'bool'));
    expect(Array.from(ref)).toEqual([1, 1, 0, 0]);
    outs.forEach((o) => expectSame(o, ref));
  });
});
