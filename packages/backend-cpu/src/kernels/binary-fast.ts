import type { BinaryOp, Shape, TypedArray } from '@logit/core';
import { sizeOf } from '@logit/core';

/**
 * Monomorphic loops for the four arithmetic ops in the layouts training hits most: same shape,
 * one side a single value (lr * grad), and a trailing-row broadcast (bias add). One loop per op
 * and layout keeps each loop's `+` or `*` inlined instead of a call through a shared callback.
 * Returns false when the layout is not one of these, and the general strided path runs instead.
 */
type Loop = (a: TypedArray, b: TypedArray, out: TypedArray, n: number) => void;
type RowLoop = (a: TypedArray, b: TypedArray, out: TypedArray, rows: number, m: number, bIsRow: boolean) => void;

const same: Partial<Record<BinaryOp, Loop>> = {
  add: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i] + b[i]; },
  sub: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i] - b[i]; },
  mul: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i] * b[i]; },
  div: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i] / b[i]; },
};

const scalarB: Partial<Record<BinaryOp, Loop>> = {
  add: (a, b, o, n) => { const s = b[0]; for (let i = 0; i < n; i++) o[i] = a[i] + s; },
  sub: (a, b, o, n) => { const s = b[0]; for (let i = 0; i < n; i++) o[i] = a[i] - s; },
  mul: (a, b, o, n) => { const s = b[0]; for (let i = 0; i < n; i++) o[i] = a[i] * s; },
  div: (a, b, o, n) => { const s = b[0]; for (let i = 0; i < n; i++) o[i] = a[i] / s; },
};

const scalarA: Partial<Record<BinaryOp, Loop>> = {
  add: (a, b, o, n) => { const s = a[0]; for (let i = 0; i < n; i++) o[i] = s + b[i]; },
  sub: (a, b, o, n) => { const s = a[0]; for (let i = 0; i < n; i++) o[i] = s - b[i]; },
  mul: (a, b, o, n) => { const s = a[0]; for (let i = 0; i < n; i++) o[i] = s * b[i]; },
  div: (a, b, o, n) => { const s = a[0]; for (let i = 0; i < n; i++) o[i] = s / b[i]; },
};

// `row` is the operand of m values repeated over rows; bIsRow says which side it is.
const rowwise: Partial<Record<BinaryOp, RowLoop>> = {
  add: (a, b, o, rows, m, bIsRow) => {
    for (let r = 0, p = 0; r < rows; r++) for (let j = 0; j < m; j++, p++) o[p] = bIsRow ? a[p] + b[j] : a[j] + b[p];
  },
  sub: (a, b, o, rows, m, bIsRow) => {
    for (let r = 0, p = 0; r < rows; r++) for (let j = 0; j < m; j++, p++) o[p] = bIsRow ? a[p] - b[j] : a[j] - b[p];
  },
  mul: (a, b, o, rows, m, bIsRow) => {
    for (let r = 0, p = 0; r < rows; r++) for (let j = 0; j < m; j++, p++) o[p] = bIsRow ? a[p] * b[j] : a[j] * b[p];
  },
  div: (a, b, o, rows, m, bIsRow) => {
    for (let r = 0, p = 0; r < rows; r++) for (let j = 0; j < m; j++, p++) o[p] = bIsRow ? a[p] / b[j] : a[j] / b[p];
  },
};

/** True when `small` (right-aligned) equals the trailing dims of `big` after dropping leading 1s. */
function isTrailingRow(small: Shape, big: Shape): boolean {
  let s = 0;
  while (s < small.length && small[s] === 1) s++;
  const tail = small.length - s;
  if (tail === 0 || tail > big.length) return false;
  for (let i = 0; i < tail; i++) if (small[s + i] !== big[big.length - tail + i]) return false;
  return true;
}

export function binaryFast(
  op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out: TypedArray,
): boolean {
  const n = sizeOf(outShape);
  const na = sizeOf(aShape);
  const nb = sizeOf(bShape);
  if (na === n && nb === n) return run(same[op], a, b, out, n);
  if (na === n && nb === 1) return run(scalarB[op], a, b, out, n);
  if (nb === n && na === 1) return run(scalarA[op], a, b, out, n);
  const loop = rowwise[op];
  if (!loop || n === 0) return false;
  if (na === n && isTrailingRow(bShape, outShape)) {
    loop(a, b, out, n / nb, nb, true);
    return true;
  }
  if (nb === n && isTrailingRow(aShape, outShape)) {
    loop(a, b, out, n / na, na, false);
    return true;
  }
  return false;
}

function run(loop: Loop | undefined, a: TypedArray, b: TypedArray, out: TypedArray, n: number): boolean {
  if (!loop) return false;
  loop(a, b, out, n);
  return true;
}
