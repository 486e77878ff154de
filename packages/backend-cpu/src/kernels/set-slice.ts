import { sizeOf, type Shape, type TypedArray } from '@logit/core';
import { windowOffsets } from './slice.js';

/** A copy of base with the strided window (begin, step, srcShape) replaced by src. */
export function setSlice(base: TypedArray, shape: Shape, src: TypedArray, srcShape: Shape, begin: readonly number[], step: readonly number[]): TypedArray {
  const out = base.slice(0, sizeOf(shape));
  const offs = windowOffsets(shape, begin, step, srcShape);
  for (let i = 0; i < offs.length; i++) out[offs[i]] = src[i];
  return out;
}
