import { newArray, stridesOf, type DType, type Shape, type TypedArray } from '@logit/core';
import { stridedOffsets } from './util.js';

/** The offsets, in a tensor of `shape`, of the window (begin, step) of `windowShape`. */
export function windowOffsets(shape: Shape, begin: readonly number[], step: readonly number[], windowShape: Shape): Int32Array {
  const xs = stridesOf(shape);
  const base = xs.reduce((acc, s, d) => acc + s * begin[d], 0);
  return stridedOffsets(windowShape, xs.map((s, d) => s * step[d]), base);
}

/** Strided window: out[i] = x[begin + i * step] per axis. */
export function slice(x: TypedArray, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape, dtype: DType): TypedArray {
  const offs = windowOffsets(shape, begin, step, outShape);
  const out = newArray(dtype, offs.length);
  for (let i = 0; i < offs.length; i++) out[i] = x[offs[i]];
  return out;
}
