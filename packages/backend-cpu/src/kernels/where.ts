import { newArray, sizeOf, type DType, type Shape, type TypedArray } from '@logit/core';
import { broadcastIndex } from './util.js';

/** out = cond ? a : b, all three broadcast to outShape. Values are copied, never converted. */
export function where(
  cond: TypedArray, condShape: Shape, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape,
  outShape: Shape, dtype: DType,
): TypedArray {
  const size = sizeOf(outShape);
  const ic = broadcastIndex(condShape, outShape);
  const ia = broadcastIndex(aShape, outShape);
  const ib = broadcastIndex(bShape, outShape);
  const out = newArray(dtype, size);
  for (let i = 0; i < size; i++) {
    out[i] = cond[ic === null ? i : ic[i]] ? a[ia === null ? i : ia[i]] : b[ib === null ? i : ib[i]];
  }
  return out;
}
