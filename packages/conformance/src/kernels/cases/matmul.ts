import type { DType, MatmulSpec } from '@logit/core';
import { arrayOf, randomData } from '../data.js';
import type { KernelCase } from '../types.js';
import { call, kernelCase } from './define.js';

// matmul over every transpose pair, sizes that reach micro-kernel tails and several blocks, size-0
// dims, and batch layouts: dense, one operand broadcast (stride 0), strides that are not dense.

const SIZES: readonly [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 8, 16], [5, 9, 3], [17, 9, 33], [130, 70, 300], [8, 257, 600], [7, 530, 9], [0, 4, 3], [3, 0, 4], [3, 4, 0],
];
/** [batch, a items (1: broadcast), b items] */
const LAYOUTS: readonly [number, number, number][] = [[1, 1, 1], [3, 1, 1], [3, 0, 1], [3, 1, 0]];

/** Small integers for int32 and bool: every product and sum is exact, so results must match exactly. */
function data(dtype: DType, n: number, seed: number): ArrayLike<number> {
  if (dtype === 'int32') return Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 13) - 6);
  return randomData(dtype, n, seed);
}

function matmulCall(spec: MatmulSpec, aLen: number, bLen: number, dtype: DType, seed: number) {
  const what = `batch ${spec.batch} m ${spec.m} n ${spec.n} k ${spec.k} transA ${spec.transA} transB ${spec.transB} strides ${spec.aBatchStride},${spec.bBatchStride}`;
  const c = call(what, [data(dtype, aLen, seed), data(dtype, bLen, seed + 1)], (be, [a, b], d) => be.ops.matmul(a, b, spec, d));
  // float32 accumulation of k products of mean magnitude 2.25 (inputs uniform in [-3, 3)): a few ulps per term
  return { ...c, tol: { rtol: 4e-6, atol: 4 * (spec.k + 1) * 2 ** -24 * 2.25 } };
}

// bool is not a matmul dtype: core refuses it before dispatch. One case per transpose pair.
function matmulCase(transA: boolean, transB: boolean) {
  return kernelCase('matmul', `matmul transA ${transA} transB ${transB}, every size and batch layout`, ['float32', 'float64', 'int32'], (dtype) => {
    const calls = [];
    for (const [m, n, k] of SIZES) {
      for (const [batch, aItems, bItems] of LAYOUTS) {
        // big products once per transpose pair, in float32 and float64: their size is what they test
        if (m * n * k > 1e4 && (batch > 1 || dtype === 'int32')) continue;
        const spec: MatmulSpec = { batch, m, n, k, transA, transB, aBatchStride: aItems * m * k, bBatchStride: bItems * k * n };
        calls.push(matmulCall(spec, Math.max(1, batch * aItems) * m * k, Math.max(1, batch * bItems) * k * n, dtype, m * 7 + k));
      }
    }
    // batch strides that are not multiples of 4 and leave gaps between items
    const spec: MatmulSpec = { batch: 2, m: 4, n: 8, k: 8, transA, transB, aBatchStride: 4 * 8 + 2, bBatchStride: 8 * 8 + 1 };
    calls.push(matmulCall(spec, 4 * 8 + 2 + 32, 8 * 8 + 1 + 64, dtype, 3));
    // small integers as floats: every product and partial sum is exact, so any summation order gives every bit
    const ints = (len: number, seed: number) => Array.from({ length: len }, (_, i) => ((i * 7919 + seed) % 7) - 3);
    const intSpec: MatmulSpec = { batch: 2, m: 9, n: 13, k: 300, transA, transB, aBatchStride: 9 * 300, bBatchStride: 300 * 13 };
    calls.push({ ...call('integer-valued products are exact', [ints(2 * 9 * 300, 1), ints(2 * 300 * 13, 2)], (be, [a, b], d) => be.ops.matmul(a, b, intSpec, d)), tol: { rtol: 0, atol: 0 } });
    calls.push(call('nan and inf propagate like the double product', [arrayOf(dtype, [1, NaN, 2, 3, Infinity, 1, 0, 0, 1]), [1, 2, 3, 4, 5, 6, 7, 8, 9]],
      (be, [a, b], d) => be.ops.matmul(a, b, { batch: 1, m: 3, n: 3, k: 3, transA, transB, aBatchStride: 0, bBatchStride: 0 }, d)));
    return calls;
  }, {
    tol: { float64: { rtol: 1e-12, atol: 1e-11 } },
    inexact: 'a float32 product sums k terms in its own order (and with FMA), not in doubles',
  });
}

export const matmulKernelCases = (): KernelCase[] => [false, true].flatMap((ta) => [false, true].map((tb) => matmulCase(ta, tb)));
