import { newArray, type Conv2dSpec, type DType, type TypedArray } from '@logit/core';
import { col2im, convDims } from './conv-windows.js';
import { matmul } from './matmul.js';

/** Fused conv2d input gradient: per sample, W^T @ dy (grouped) into im2col layout, then col2im. */
export function conv2dBackwardInput(gy: TypedArray, w: TypedArray, s: Conv2dSpec, dtype: DType): TypedArray {
  const { g, og, k, p, inPlane, outPlane } = convDims(s);
  const out = newArray(dtype, s.batch * inPlane);
  const acc = new Float64Array(inPlane);
  const spec = { batch: g, m: k, n: p, k: og, transA: true, transB: false, aBatchStride: og * k, bBatchStride: og * p };
  for (let n = 0; n < s.batch; n++) {
    const cols = matmul(w, gy.subarray(n * outPlane, (n + 1) * outPlane), spec, dtype);
    acc.fill(0);
    col2im(cols, s, acc);
    out.set(acc, n * inPlane);
  }
  return out;
}
