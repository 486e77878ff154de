import { BackendError, ValueError } from '../errors.js';
import { newArray, type DType, type TypedArray } from '../dtype.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * PyTorch's overflow check when a number becomes an int32 element: truncated toward zero (as
 * torch.full(..., 2.5, dtype=torch.int32) gives 2) it must fit in int32; nan and +-inf never do.
 * A JS Int32Array store would wrap instead (2**31 -> -2147483648, nan -> 0).
 */
export function checkInt32(op: string, value: number, where = ''): void {
  const t = Math.trunc(value);
  if (!(t >= INT32_MIN && t <= INT32_MAX)) {
    throw new ValueError(`${op}: value ${value}${where} cannot be converted to type int32 without overflow`);
  }
}

/** A host array of n elements of dtype; a BackendError (never a raw RangeError) where the host cannot hold it. */
export function hostArray(op: string, dtype: DType, n: number): TypedArray {
  try {
    return newArray(dtype, n);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new BackendError(`${op}: cannot hold ${n} ${dtype} elements in host memory (${e.message})`);
  }
}
