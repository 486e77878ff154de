import { newArray, stridesOf, type DType, type Shape, type TypedArray } from '@logit/core';
import { stridedOffsets } from './util.js';

/** torch.gather: out[..i..] = x[..index[..i..] at axis..]; out has indexShape. */
export function gather(x: TypedArray, xShape: Shape, axis: number, index: TypedArray, indexShape: Shape, dtype: DType): TypedArray {
  const xs = stridesOf(xShape);
  const axisStride = xs[axis];
  xs[axis] = 0;
  const offs = stridedOffsets(indexShape, xs);
  const out = newArray(dtype, offs.length);
  for (let i = 0; i < offs.length; i++) out[i] = x[offs[i] + index[i] * axisStride];
  return out;
}
