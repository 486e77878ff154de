import { aroundAxis, newArray, type DType, type Shape, type TypedArray } from '@logit/core';

/**
 * softmax along axis: exp(x - max) / sum, in doubles. As in PyTorch, a row holding nan or +inf,
 * or only -inf, is nan everywhere.
 */
export function softmax(x: TypedArray, shape: Shape, axis: number, dtype: DType): TypedArray {
  const { outer, len, inner } = aroundAxis(shape, axis);
  const out = newArray(dtype, outer * len * inner);
  const e = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * len * inner + i;
      let max = -Infinity;
      for (let j = 0, p = start; j < len; j++, p += inner) {
        const v = x[p];
        if (v > max || v !== v) max = v;
        if (v !== v) break;
      }
      let sum = 0;
      for (let j = 0, p = start; j < len; j++, p += inner) {
        e[j] = Math.exp(x[p] - max);
        sum += e[j];
      }
      for (let j = 0, p = start; j < len; j++, p += inner) out[p] = e[j] / sum;
    }
  }
  return out;
}
