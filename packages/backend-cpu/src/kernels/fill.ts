import { newArray, type DType, type TypedArray } from '@logit/core';

/** A new array of `size` copies of value (bool stores value != 0; int32 truncates). */
export function fill(value: number, size: number, dtype: DType): TypedArray {
  return newArray(dtype, size).fill(dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
}
