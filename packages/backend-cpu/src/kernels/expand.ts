import { newArray, sizeOf, type DType, type Shape, type TypedArray } from '@logit/core';
import { broadcastIndex } from './util.js';

/** Broadcasts x (shape, right-aligned) to outShape, materialized. */
export function expand(x: TypedArray, shape: Shape, outShape: Shape, dtype: DType): TypedArray {
  const size = sizeOf(outShape);
  const idx = broadcastIndex(shape, outShape);
  if (idx === null) return x.slice(0, size);
  const out = newArray(dtype, size);
  for (let i = 0; i < size; i++) out[i] = x[idx[i]];
  return out;
}
