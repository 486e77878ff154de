// Reductions, argmax/argmin and the fused softmax family. Like backend-cpu they accumulate in
// doubles in input order (so a float32 sum is rounded once, on store, and matches bit for bit).
// Op codes and the per-op dispatch are generated from REDUCE_OPS in @logit/core
// (assembly/generated/ops.ts): ReduceInit and ReduceStep below must name every op.

import { F32, I32, loadF64, storeF64 } from './util';
import { advance, carryDelta, innerStride, resetOdometer, rowCount, rowLen } from './strided';
import { REDUCE_PROD, reduceInit, reduceRowsOf, reduceStep } from './generated/ops';

/** The value each reduction starts from: what an empty reduction gives. */
export namespace ReduceInit {
  export const sum: f64 = 0;
  export const prod: f64 = 1;
  export const max: f64 = -Infinity;
  export const min: f64 = Infinity;
}

/** One accumulation step of each reduction. */
export namespace ReduceStep {
  @inline export function sum(acc: f64, x: f64): f64 { return acc + x; }
  @inline export function prod(acc: f64, x: f64): f64 { return acc * x; }
  // once the accumulator is nan nothing replaces it, and a nan x always does
  @inline export function max(acc: f64, x: f64): f64 { return x > acc || x != x ? x : acc; }
  @inline export function min(acc: f64, x: f64): f64 { return x < acc || x != x ? x : acc; }
}

@inline function step(op: i32, intProd: bool, acc: f64, x: f64): f64 {
  return intProd ? <f64>(<i32>acc * <i32>x) : reduceStep(op, acc, x); // int32 products wrap like Math.imul
}

@inline function rows(op: i32, dtype: i32, p: usize, x: usize, acc: usize): void {
  const n = rowLen(p), count = rowCount(p);
  const s = innerStride(p, 0);
  const intProd = dtype == I32 && op == REDUCE_PROD;
  resetOdometer(p, 1);
  let oa: i32 = 0;
  let ix: i32 = 0;
  for (let r = 0; r < count; r++) {
    if (s == 0) {
      const pa = acc + (<usize>oa << 3);
      let v = load<f64>(pa);
      for (let j = 0; j < n; j++) v = step(op, intProd, v, loadF64(dtype, x, ix + j));
      store<f64>(pa, v);
    } else {
      for (let j = 0; j < n; j++) {
        const pa = acc + (<usize>(oa + j) << 3);
        store<f64>(pa, step(op, intProd, load<f64>(pa), loadF64(dtype, x, ix + j)));
      }
    }
    ix += n;
    const d = advance(p, 1);
    if (d >= 0) oa += carryDelta(p, 0, d);
  }
}

/** rows() with a constant op (from the generated ladder) and a constant dtype: one specialised loop each. */
@inline export function reduceRows(op: i32, dtype: i32, p: usize, x: usize, acc: usize): void {
  if (dtype == F32) rows(op, F32, p, x, acc);
  else if (dtype == I32) rows(op, I32, p, x, acc);
  else rows(op, 2, p, x, acc);
}

/**
 * Reduces x (contiguous, walked by the strided block p whose one operand is the accumulator,
 * stride 0 along reduced dims) into outSize f64 accumulators at acc, then stores them into out.
 */
export function reduce(op: i32, dtype: i32, p: usize, x: usize, acc: usize, out: usize, outSize: i32): void {
  const v0 = reduceInit(op);
  for (let i = 0; i < outSize; i++) store<f64>(acc + (<usize>i << 3), v0);
  reduceRowsOf(op, dtype, p, x, acc);
  for (let i = 0; i < outSize; i++) storeF64(dtype, out, i, load<f64>(acc + (<usize>i << 3)));
}

/** Index of the max (sign 1) or min (sign -1) along the middle dim; first on ties; a nan wins. */
export function argReduce(sign: f64, dtype: i32, outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = len > 0 ? loadF64(dtype, x, base) * sign : 0;
      let at = 0;
      for (let j = 1; j < len && best == best; j++) {
        const v = loadF64(dtype, x, base + j * inner) * sign;
        if (v > best || v != v) {
          best = v;
          at = j;
        }
      }
      store<i32>(out + (<usize>(o * inner + i) << 2), at);
    }
  }
}

/** The row max as backend-cpu finds it: a nan stops the scan and becomes the max. */
@inline function rowMax(x: usize, start: i32, len: i32, inner: i32): f64 {
  let m = -Infinity;
  for (let j = 0, q = start; j < len; j++, q += inner) {
    const v = <f64>load<f32>(x + (<usize>q << 2));
    if (v > m || v != v) m = v;
    if (v != v) break;
  }
  return m;
}

/** float32 log(softmax(x)) of one row (len values, `inner` apart), in doubles, as backend-cpu's logSoftmaxRow. */
export function logSoftmaxRow(x: usize, out: usize, start: i32, len: i32, inner: i32): void {
  const m = rowMax(x, start, len, inner);
  let sum: f64 = 0;
  for (let j = 0, q = start; j < len; j++, q += inner) sum += Math.exp(<f64>load<f32>(x + (<usize>q << 2)) - m);
  const logSum = Math.log(sum);
  for (let j = 0, q = start; j < len; j++, q += inner) {
    const at = <usize>q << 2;
    store<f32>(out + at, <f32>(<f64>load<f32>(x + at) - m - logSum));
  }
}

/**
 * float32 log(softmax(x)) (log = true) or softmax along the middle dim of (outer, len, inner), in
 * doubles: a nan or +inf in a row, or a row of only -inf, gives nan everywhere, as in PyTorch.
 */
export function softmax(log: bool, outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * len * inner + i;
      if (log) {
        logSoftmaxRow(x, out, start, len, inner);
        continue;
      }
      const m = rowMax(x, start, len, inner);
      let sum: f64 = 0;
      for (let j = 0, q = start; j < len; j++, q += inner) sum += Math.exp(<f64>load<f32>(x + (<usize>q << 2)) - m);
      for (let j = 0, q = start; j < len; j++, q += inner) {
        const at = <usize>q << 2;
        store<f32>(out + at, <f32>(Math.exp(<f64>load<f32>(x + at) - m) / sum));
      }
    }
  }
}
