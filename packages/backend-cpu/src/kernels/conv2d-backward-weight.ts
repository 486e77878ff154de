import { newArray, type Conv2dSpec, type DType, type TypedArray } from '@logit/core';
import { convDims, im2col } from './conv-windows.js';
import { matmul } from './matmul.js';

/** Fused conv2d weight gradient: sum over samples of dy @ cols^T (grouped), accumulated in doubles. */
export function conv2dBackwardWeight(x: TypedArray, gy: TypedArray, s: Conv2dSpec, dtype: DType): TypedArray {
  const { g, og, k, p, inPlane, outPlane } = convDims(s);
  const acc = new Float64Array(g * og * k);
  const cols = newArray(dtype, g * k * p);
  const spec = { batch: g, m: og, n: k, k: p, transA: false, transB: true, aBatchStride: og * p, bBatchStride: k * p };
  for (let n = 0; n < s.batch; n++) {
    im2col(x, n * inPlane, s, cols);
    const gw = matmul(gy.subarray(n * outPlane, (n + 1) * outPlane), cols, spec, dtype);
    for (let i = 0; i < acc.length; i++) acc[i] += gw[i];
  }
  const out = newArray(dtype, acc.length);
  out.set(acc);
  return out;
}
