import { aroundAxis, newArray, type DType, type Shape, type TypedArray } from '@logit/core';

/**
 * log(softmax(x)) of one row (len values, `stride` apart), in doubles:
 * x - max - log(sum(exp(x - max))). Non-finite rows follow PyTorch, by the same arithmetic: a
 * nan or a +inf anywhere gives nan everywhere (inf - inf); a row of only -inf gives nan.
 */
export function logSoftmaxRow(x: TypedArray, out: TypedArray, start: number, len: number, stride: number): void {
  let max = -Infinity;
  for (let j = 0, p = start; j < len; j++, p += stride) {
    const v = x[p];
    if (v > max || v !== v) max = v;
    if (v !== v) break;
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
