import { newArray, type DType, type Shape, type TypedArray } from '@logit/core';
import { aroundAxis } from './util.js';

/**
 * softmax along axis: exp(x - max) / sum, in doubles. Non-finite rows give exp(logSoftmax):
 * nan everywhere for a nan or an all -inf row; nan at each +inf and 0 elsewhere when a +inf is present.
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
        e[j] = max === Infinity ? (x[p] === Infinity ? NaN : 0) : Math.exp(x[p] - max);
        sum += e[j];
      }
      if (max === Infinity) sum = 1;
      for (let j = 0, p = start; j < len; j++, p += inner) out[p] = e[j] / sum;
    }
  }
  return out;
}
