import type { BinaryOp, DType, Shape, TypedArray } from '@logit/core';
import { sizeOf } from '@logit/core';
import { broadcastIndex, finish, scratch } from './util.js';
import { binaryFast } from './binary-fast.js';

type Fn2 = (a: number, b: number) => number;

// Math.max/min already propagate nan, as torch.maximum/minimum do.
const FNS: Record<BinaryOp, Fn2> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powC,
  maximum: Math.max,
  minimum: Math.min,
};

/**
 * C's pow, as PyTorch computes it: 1 ** y is 1 and (-1) ** ±inf is 1 even for nan or infinite y,
 * where JavaScript's Math.pow gives nan.
 */
function powC(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return Math.pow(a, b);
}

/** int32 products wrap like C; a double product could pass 2^53 first. */
const INT_FNS: Partial<Record<BinaryOp, Fn2>> = { mul: Math.imul };

/**
 * Applies `f` to a and b broadcast to outShape, into `out`. The shared loop of binary, compare
 * and where-like kernels: the same-shape case indexes directly.
 */
export function map2(
  f: Fn2, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out: TypedArray,
): void {
  const ia = broadcastIndex(aShape, outShape);
  const ib = broadcastIndex(bShape, outShape);
  const size = sizeOf(outShape);
  if (ia === null && ib === null) {
    for (let i = 0; i < size; i++) out[i] = f(a[i], b[i]);
  } else if (ia === null) {
    for (let i = 0; i < size; i++) out[i] = f(a[i], b[ib![i]]);
  } else if (ib === null) {
    for (let i = 0; i < size; i++) out[i] = f(a[ia[i]], b[i]);
  } else {
    for (let i = 0; i < size; i++) out[i] = f(a[ia[i]], b[ib[i]]);
  }
}

/** Elementwise op of two broadcast inputs; bool is treated as 0/1 and stored as (v != 0). */
export function binary(
  op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, dtype: DType,
): TypedArray {
  const f = (dtype === 'int32' && INT_FNS[op]) || FNS[op];
  const out = scratch(dtype, sizeOf(outShape));
  // int32 products must wrap (Math.imul), so ints take the general path for mul
  const fast = dtype !== 'bool' && !(dtype === 'int32' && op === 'mul');
  if (!fast || !binaryFast(op, a, aShape, b, bShape, outShape, out)) map2(f, a, aShape, b, bShape, outShape, out);
  return finish(dtype, out);
}
