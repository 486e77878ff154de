import type { ValueCheck } from '../backend/types.js';
import { IndexError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/**
 * The flat index of the first element outside `check`'s range (nan never passes), or -1: the
 * scan a synchronous backend's `validate` runs before throwing `check.error(data[i], i)`.
 */
export function firstViolation(data: ArrayLike<number>, check: ValueCheck): number {
  const { min, max, except } = check;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= min && v <= max) && v !== except) return i;
  }
  return -1;
}

/**
 * Checks user-supplied values on their own backend: a synchronous backend throws at once, an
 * asynchronous device at its next read or sync (see `Primitives.validate`). Values core made
 * itself are never passed here.
 */
export function validateValues(t: Tensor, check: ValueCheck): void {
  const n = t.numel();
  if (n === 0) return;
  t._ref().backend.ops.validate(t._storage(), n, t.dtype, check);
}

/** Every element of an int32 index tensor in [0, size), as torch.gather and index_select demand. */
export function validateIndices(op: string, index: Tensor, size: number, what: string): void {
  validateValues(index, {
    min: 0,
    max: size - 1,
    except: null,
    error: (v) => new IndexError(`${op}: index ${v} is out of bounds for ${what} (expected 0 <= index < ${size})`),
  });
}
