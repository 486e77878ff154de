import type { DType, MatmulSpec, TypedArray } from '@logit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { directLayout, matmulKernel } from '../../src/programs/matmul.js';
import { arrayOf, uniformData } from '@logit/conformance';
import { expectClose, runKernel } from '@logit/conformance/vitest';
import { createBackend } from '../../src/index.js';

const webgpu = createBackend();

// Both matmul kernels (the shared-tile one and the direct one, each forced in turn) on every
// transpose pair, over shapes chosen so the direct kernel reads each operand both 4-wide and
// one element at a time, writes C both ways, runs a k tail (k % 4) with 4-wide bindings, and
// spans several workgroups in x and y; batches broadcast one operand (stride 0) or use strides
// that are not multiples of 4. The reference is a float64 triple loop over the same strides.

/** [batch, m, n, k, aBatchStride, bBatchStride]; undefined strides are dense. */
type Case = [number, number, number, number, number?, number?];
const CASES: Case[] = [
  [1, 8, 12, 16], // every axis a multiple of 4
  [1, 70, 132, 36], // m % 4 = 2; 3 x 5 direct workgroups, 2 x 3 shared tiles
  [1, 17, 9, 13], // nothing aligned
  [1, 12, 8, 6], // k tail of 2 with m and n aligned
  [1, 3, 5, 2], // k < 4: the tail only
  [3, 9, 16, 8, 9 * 8, 0], // B broadcast over the batch
  [2, 4, 8, 8, 4 * 8 + 2, 8 * 8 + 1], // batch strides that are not multiples of 4
];

function stored(c: Case, trans: boolean, which: 'a' | 'b'): { rows: number; cols: number; stride: number; length: number } {
  const [batch, m, n, k, as, bs] = c;
  const [r, q] = which === 'a' ? [m, k] : [k, n];
  const stride = (which === 'a' ? as : bs) ?? r * q;
  return { rows: trans ? q : r, cols: trans ? r : q, stride, length: (batch - 1) * stride + r * q };
}

function reference(spec: MatmulSpec, a: TypedArray, b: TypedArray, dtype: DType): TypedArray {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = spec;
  const out = new Float64Array(batch * m * n);
  for (let z = 0; z < batch; z++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = a[z * aBatchStride + (transA ? p * m + i : i * k + p)];
          const bv = b[z * bBatchStride + (transB ? j * k + p : p * n + j)];
          s += av * bv;
        }
        out[(z * m + i) * n + j] = s;
      }
    }
  }
  return dtype === 'int32' ? Int32Array.from(out) : Float32Array.from(out);
}

/** Small integers: every product and sum is exact in float32, so the results must match exactly. */
function integers(n: number, seed: number, dtype: DType): TypedArray {
  return arrayOf(dtype, Array.from(uniformData('float32', n, seed, -4, 5), (v) => Math.floor(v)));
}

const seen = new Set<string>();

describe.each(['tiled', 'direct'] as const)('matmul, %s kernel', (kernel) => {
  afterAll(() => {
    matmulKernel.force = null;
  });

  for (const dtype of ['float32', 'int32'] as const) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${dtype} transA=${transA} transB=${transB}: exact on integer-valued inputs`, async () => {
        matmulKernel.force = kernel;
        const be = await webgpu;
        for (const c of CASES) {
          const [batch, m, n, k] = c;
          const sa = stored(c, transA, 'a');
          const sb = stored(c, transB, 'b');
          const spec: MatmulSpec = { batch, m, n, k, transA, transB, aBatchStride: sa.stride, bBatchStride: sb.stride };
          const a = integers(sa.length, 3 + m, dtype);
          const b = integers(sb.length, 5 + n, dtype);
          const got = await runKernel(be, [[a, dtype], [b, dtype]], ([x, y]) => be.ops.matmul(x, y, spec, dtype));
          expectClose(got, reference(spec, a, b, dtype), {}, `${kernel} ${JSON.stringify(spec)}`);
          const l = directLayout('f32', spec);
          seen.add(`${+transA}${+transB}${+l.vecA}${+l.vecB}${+l.vecC}`);
        }
      });
    }
  }

  it('float32 random values: within float32 accumulation error of float64', async () => {
    matmulKernel.force = kernel;
    const be = await webgpu;
    for (const [transA, transB] of [[false, false], [true, true]] as const) {
      const spec: MatmulSpec = { batch: 1, m: 70, n: 132, k: 36, transA, transB, aBatchStride: 70 * 36, bBatchStride: 36 * 132 };
      const a = uniformData('float32', 70 * 36, 11, -2, 2);
      const b = uniformData('float32', 36 * 132, 12, -2, 2);
      const got = await runKernel(be, [[a, 'float32'], [b, 'float32']], ([x, y]) => be.ops.matmul(x, y, spec, 'float32'));
      // 36 float32 products of magnitude <= 4 summed in order: |error| <= 36 * 2^-24 * sum|a*b| <= 3.5e-4
      // in the worst case; random signs keep it near sqrt(36) * 2^-24 * 4 ~ 1.5e-6, so 2e-5 still catches any wrong term.
      expectClose(got, reference(spec, a, b, 'float32'), { atol: 2e-5 }, `${kernel} random ${transA}${transB}`);
    }
  });

  it('float32 over a long k of 0.1s: blocked sums keep the error far below a running sum\'s', async () => {
    matmulKernel.force = kernel;
    const be = await webgpu;
    // the shared-tile kernel is slow on SwiftShader (a barrier per 16 terms): a shorter k, still 4x past the tolerance before
    const k = kernel === 'tiled' ? 4096 : 16384;
    for (const [transA, transB] of [[false, false], [true, true]] as const) {
      // m = 2, n = 5: one workgroup; A and B hold the same values whatever the transposes
      const spec: MatmulSpec = { batch: 1, m: 2, n: 5, k, transA, transB, aBatchStride: 2 * k, bBatchStride: k * 5 };
      const a = new Float32Array(2 * k).fill(0.1);
      const b = new Float32Array(k * 5).fill(1);
      const got = await runKernel(be, [[a, 'float32'], [b, 'float32']], ([x, y]) => be.ops.matmul(x, y, spec, 'float32'));
      const exact = k * Math.fround(0.1);
      // one running float32 sum gave 3.9e-5 (tiled, k = 4096) and 1.5e-4 (direct, k = 16384) relative
      // here; blocks of 256 terms with a compensated total give 2.4e-6, and stay there as k grows
      for (const v of got) expect(Math.abs(v - exact) / exact, `${kernel} ${transA}${transB}`).toBeLessThan(1e-5);
    }
  });
});

describe('matmul direct kernel layouts', () => {
  it('the cases above reach 4-wide and scalar reads of A and B, and both C writes, for every transpose pair', () => {
    for (const t of ['00', '10', '01', '11']) {
      for (const flag of [2, 3, 4]) {
        for (const v of ['0', '1']) {
          expect([...seen].some((s) => s.startsWith(t) && s[flag] === v), `transposes ${t}, flag ${flag} = ${v}`).toBe(true);
        }
      }
    }
  });
});
