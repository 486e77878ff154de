// The one iteration scheme every layout-aware kernel shares. The JS side (src/strided.ts)
// coalesces dims and writes a parameter block:
//   [0] n: length of the innermost dim     [1] rows: product of the outer dims
//   [2] R: number of outer dims            [3 .. 3+R) outer shape
//   then per operand k: [inner stride, delta[0..R)] where delta[d] is what to add to the
//   operand's offset when the odometer carries into dim d (stride[d] minus the rewind of the
//   dims after it), and finally R ints of odometer scratch.
// A kernel walks rows; within a row each operand advances by its inner stride.

import { arg, setArg } from './util';

@inline export function rowLen(p: usize): i32 {
  return arg(p, 0);
}

@inline export function rowCount(p: usize): i32 {
  return arg(p, 1);
}

@inline function outerRank(p: usize): i32 {
  return arg(p, 2);
}

@inline function operandBase(p: usize, k: i32): i32 {
  const r = outerRank(p);
  return 3 + r + k * (r + 1);
}

/** Inner (last-dim) stride of operand k, in elements. */
@inline export function innerStride(p: usize, k: i32): i32 {
  return arg(p, operandBase(p, k));
}

/** Offset change of operand k when the odometer carried into dim d (d >= 0). */
@inline export function carryDelta(p: usize, k: i32, d: i32): i32 {
  return arg(p, operandBase(p, k) + 1 + d);
}

/** Zeroes the odometer; call once before the first row. */
export function resetOdometer(p: usize, operands: i32): void {
  const r = outerRank(p);
  const idx = operandBase(p, operands);
  for (let d = 0; d < r; d++) setArg(p, idx + d, 0);
}

/** Steps the odometer to the next row; returns the dim that was incremented (-1 past the end). */
export function advance(p: usize, operands: i32): i32 {
  const r = outerRank(p);
  const idx = operandBase(p, operands);
  for (let d = r - 1; d >= 0; d--) {
    const i = arg(p, idx + d) + 1;
    if (i < arg(p, 3 + d)) {
      setArg(p, idx + d, i);
      return d;
    }
    setArg(p, idx + d, 0);
  }
  return -1;
}
