import { newArray, stridesOf, type DType, type Shape, type TypedArray } from '@logit/core';
import { stridedOffsets } from './util.js';

/** out = x.permute(perm), materialized: output element i reads x at the permuted strides. */
export function permute(x: TypedArray, shape: Shape, perm: readonly number[], dtype: DType): TypedArray {
  const xs = stridesOf(shape);
  const offs = stridedOffsets(perm.map((p) => shape[p]), perm.map((p) => xs[p]));
  const out = newArray(dtype, offs.length);
  for (let i = 0; i < offs.length; i++) out[i] = x[offs[i]];
  return out;
}
