import type { CompareOp, Shape, TypedArray } from '@logit/core';
import { sizeOf } from '@logit/core';
import { map2 } from './binary.js';

// JS comparisons already give nan's answers: false, except !== which is true.
const FNS: Record<CompareOp, (a: number, b: number) => number> = {
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
};

/** Broadcast comparison; the output is bool whatever the input dtype. */
export function compare(
  op: CompareOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape,
): Uint8Array {
  const out = new Uint8Array(sizeOf(outShape));
  map2(FNS[op], a, aShape, b, bShape, outShape, out);
  return out;
}
