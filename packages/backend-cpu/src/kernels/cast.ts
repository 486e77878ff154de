import { newArray, type DType, type TypedArray } from '@logit/core';

/**
 * Converts between dtypes. Typed-array `set` already does what the contract asks for numbers:
 * float -> int32 truncates toward zero (nan -> 0), float64 -> float32 rounds to nearest even.
 * Only -> bool needs its own loop: (x != 0), so nan -> true.
 */
export function cast(x: TypedArray, size: number, from: DType, to: DType): TypedArray {
  if (from === to) return x.slice(0, size);
  const out = newArray(to, size);
  if (to === 'bool') {
    for (let i = 0; i < size; i++) out[i] = x[i] !== 0 ? 1 : 0;
  } else {
    out.set(x.subarray(0, size));
  }
  return out;
}
