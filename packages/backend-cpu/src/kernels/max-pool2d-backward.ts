import { newArray, type DType, type Pool2dSpec, type TypedArray } from '@logit/core';

/** Gradient of max pooling: each output's gradient added at its argmax, summed in doubles. */
export function maxPool2dBackward(gy: TypedArray, indices: Int32Array, s: Pool2dSpec, dtype: DType): TypedArray {
  const plane = s.inSize[0] * s.inSize[1];
  const outPlane = s.outSize[0] * s.outSize[1];
  const acc = new Float64Array(s.planes * plane);
  for (let q = 0; q < s.planes; q++) {
    for (let o = q * outPlane; o < (q + 1) * outPlane; o++) acc[q * plane + indices[o]] += gy[o];
  }
  const out = newArray(dtype, acc.length);
  out.set(acc);
  return out;
}
