import { DTypeError, ValueError } from '../../errors.js';
import { isFloat } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

/** Shared argument checks of the nn layers and their functional forms. */

export function requireFloat(op: string, x: Tensor, what = 'input'): void {
  if (!isFloat(x.dtype)) {
    throw new DTypeError(`${op}: ${what} must be floating point (float32 or float64), got dtype ${x.dtype}; cast with .to('float32') first`);
  }
}

export function requireSameDType(op: string, x: Tensor, p: Tensor | null | undefined, what: string): void {
  if (p && p.dtype !== x.dtype) {
    throw new DTypeError(`${op}: ${what} has dtype ${p.dtype} but the input has dtype ${x.dtype}; they must match`);
  }
}

/** An integer >= min, named in the error when it is not. */
export function checkInt(op: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${op}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

/** A number or a pair of numbers (PyTorch's int-or-tuple arguments) as [h, w]. */
export function pair(op: string, name: string, v: number | readonly number[], min: number): [number, number] {
  const list = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : null;
  if (!list || list.length !== 2) {
    throw new ValueError(`${op}: ${name} must be an integer or a pair of integers, got ${JSON.stringify(v)}`);
  }
  return [checkInt(op, name, list[0], min), checkInt(op, name, list[1], min)];
}
