import { fillRandom, type DType, type RandomSpec, type TypedArray } from '@logit/core';
import { finish, scratch } from './util.js';

/** Philox 4x32-10 values from core's reference `fillRandom`, stored into the dtype's array. */
export function random(spec: RandomSpec, size: number, dtype: DType): TypedArray {
  const out = scratch(dtype, size);
  fillRandom(spec, size, out);
  return finish(dtype, out);
}
