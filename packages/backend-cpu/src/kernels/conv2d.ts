import { newArray, type Conv2dSpec, type DType, type TypedArray } from '@logit/core';
import { convDims, im2col } from './conv-windows.js';
import { matmul } from './matmul.js';

/** Fused conv2d: per sample, im2col into one buffer and a grouped matmul with the weight, plus bias. */
export function conv2d(x: TypedArray, w: TypedArray, bias: TypedArray | null, s: Conv2dSpec, dtype: DType): TypedArray {
  const { g, og, k, p, inPlane, outPlane } = convDims(s);
  const out = newArray(dtype, s.batch * outPlane);
  const cols = newArray(dtype, g * k * p);
  const spec = { batch: g, m: og, n: p, k, transA: false, transB: false, aBatchStride: og * k, bBatchStride: k * p };
  for (let n = 0; n < s.batch; n++) {
    im2col(x, n * inPlane, s, cols);
    const y = matmul(w, cols, spec, dtype);
    const base = n * outPlane;
    if (bias) for (let i = 0; i < outPlane; i++) y[i] += bias[Math.floor(i / p)];
    out.set(y, base);
  }
  return out;
}
