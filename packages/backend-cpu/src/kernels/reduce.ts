import { sizeOf, stridesOf, type DType, type ReduceOp, type Shape, type TypedArray } from '@logit/core';
import { finish, stridedOffsets } from './util.js';

type Fn2 = (acc: number, x: number) => number;

const INIT: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

// max/min: once the accumulator is nan nothing replaces it, and a nan x always does.
const FNS: Record<ReduceOp, Fn2> = {
  sum: (acc, x) => acc + x,
  prod: (acc, x) => acc * x,
  max: (acc, x) => (x > acc || x !== x ? x : acc),
  min: (acc, x) => (x < acc || x !== x ? x : acc),
};

/** int32 products wrap like C (the double product could pass 2^53 first). */
const INT_FNS: Partial<Record<ReduceOp, Fn2>> = { prod: Math.imul };

/**
 * Reduces over `axes` (sorted, unique). Accumulates in doubles (float32 is rounded once, on
 * store); every input element is routed to its output slot by a strided map with stride 0 on
 * the reduced axes.
 */
export function reduce(op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], dtype: DType): TypedArray {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const outStrides = stridesOf(outShape);
  let j = 0;
  const strides = shape.map((_, d) => (axes.includes(d) ? 0 : outStrides[j++]));
  const f = (dtype === 'int32' && INT_FNS[op]) || FNS[op];
  const acc = new Float64Array(sizeOf(outShape)).fill(INIT[op]);
  const size = sizeOf(shape);
  if (axes.length > 0 && axes.every((a, i) => a === shape.length - axes.length + i)) {
    // trailing axes: each output reduces one contiguous run
    const run = acc.length === 0 ? 0 : size / acc.length;
    for (let o = 0, p = 0; o < acc.length; o++) {
      let v = acc[o];
      for (let e = p + run; p < e; p++) v = f(v, x[p]);
      acc[o] = v;
    }
  } else {
    const map = stridedOffsets(shape, strides);
    for (let i = 0; i < size; i++) acc[map[i]] = f(acc[map[i]], x[i]);
  }
  return finish(dtype, acc);
}
