import { sizeOf, stridesOf, type DType, type Shape, type TypedArray } from '@logit/core';
import { finish, stridedOffsets } from './util.js';

/** zeros(outShape), then out[..index[..i..] at axis..] += src[..i..]; sums in doubles. */
export function scatterAdd(index: TypedArray, indexShape: Shape, src: TypedArray, outShape: Shape, axis: number, dtype: DType): TypedArray {
  const os = stridesOf(outShape);
  const axisStride = os[axis];
  os[axis] = 0;
  const offs = stridedOffsets(indexShape, os);
  const acc = new Float64Array(sizeOf(outShape));
  for (let i = 0; i < offs.length; i++) acc[offs[i] + index[i] * axisStride] += src[i];
  return finish(dtype, acc);
}
