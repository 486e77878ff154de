import { newArray, type DType, type Shape, type TypedArray } from '@logit/core';
import { aroundAxis } from './util.js';

/**
 * log(softmax(x)) of one row (len values, `stride` apart), in doubles:
 * x - max - log(sum(exp(x - max))). Non-finite rows follow PyTorch: a nan anywhere gives nan
 * everywhere; a row of only -inf gives nan (-inf - -inf); a row holding +inf gives nan at each
 * +inf and -inf elsewhere.
 */
export function logSoftmaxRow(x: TypedArray, out: TypedArray, start: number, len: number, stride: number): void {
  let max = -Infinity;
  for (let j = 0, p = start; j < len; j++, p += stride) {
    const v = x[p];
    if (v > max || v !== v) max = v;
    if (v !== v) break;
  }
  if (max === Infinity) {
    for (let j = 0, p = start; j < len; j++, p += stride) out[p] = x[p] === Infinity ? NaN : -Infinity;
    return;
  }
  let sum = 0;
  for (let j = 0, p = start; j < len; j++, p += stride) sum += Math.exp(x[p] - max);
  const logSum = Math.log(sum);
  for (let j = 0, p = start; j < len; j++, p += stride) out[p] = x[p] - max - logSum;
}

/** log(softmax(x)) along axis, numerically stable, for any (outer, axis, inner) layout. */
export function logSoftmax(x: TypedArray, shape: Shape, axis: number, dtype: DType): TypedArray {
  const { outer, len, inner } = aroundAxis(shape, axis);
  const out = newArray(dtype, outer * len * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) logSoftmaxRow(x, out, o * len * inner + i, len, inner);
  }
  return out;
}
