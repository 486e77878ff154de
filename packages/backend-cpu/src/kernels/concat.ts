import { aroundAxis, newArray, sizeOf, type DType, type Shape, type TypedArray } from '@logit/core';

/** Joins inputs along axis: per outer index, each input contributes one contiguous run. */
export function concat(inputs: readonly TypedArray[], shapes: readonly Shape[], axis: number, dtype: DType): TypedArray {
  const total = shapes.reduce((acc, s) => acc + s[axis], 0);
  const outShape = shapes[0].map((d, i) => (i === axis ? total : d));
  const { outer, inner } = aroundAxis(outShape, axis);
  const out = newArray(dtype, sizeOf(outShape));
  const row = total * inner;
  let at = 0;
  inputs.forEach((x, n) => {
    const run = shapes[n][axis] * inner;
    for (let o = 0; o < outer; o++) out.set(x.subarray(o * run, (o + 1) * run), o * row + at);
    at += run;
  });
  return out;
}
