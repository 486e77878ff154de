// Elementwise ops of two broadcast inputs (and comparisons). Op codes and the per-op dispatch are
// generated from BINARY_OPS and COMPARE_OPS in @logit/core (assembly/generated/ops.ts):
// BinaryF64 and Compare below must name every op. float32 add/sub/mul/div/max/min are computed
// in f32, which equals backend-cpu's "double, then round" exactly (a correctly rounded f32 op of
// f32 inputs); every other op goes through f64. int32 wraps like a JS Int32Array store; bool
// computes on 0/1 and stores v != 0.

import { F32, I32, toInt32 } from './util';
import { advance, carryDelta, innerStride, resetOdometer, rowCount, rowLen } from './strided';
import {
  BINARY_ADD, BINARY_DIV, BINARY_MAXIMUM, BINARY_MINIMUM, BINARY_MUL, BINARY_SUB,
  binaryF64, binaryRowBoolOf, binaryRowF32Of, binaryRowI32Of, compareOp, compareRowOf,
} from './generated/ops';

// C's pow, as PyTorch: 1 ** y and (-1) ** ±inf are 1 even for nan/inf y
@inline function powC(a: f64, b: f64): f64 {
  if (a == 1.0 || (a == -1.0 && (b == Infinity || b == -Infinity))) return 1.0;
  return Math.pow(a, b);
}

/** Every op of core's BINARY_OPS on doubles, under its core name. */
export namespace BinaryF64 {
  @inline export function add(a: f64, b: f64): f64 { return a + b; }
  @inline export function sub(a: f64, b: f64): f64 { return a - b; }
  @inline export function mul(a: f64, b: f64): f64 { return a * b; }
  @inline export function div(a: f64, b: f64): f64 { return a / b; }
  @inline export function pow(a: f64, b: f64): f64 { return powC(a, b); }
  @inline export function maximum(a: f64, b: f64): f64 { return max<f64>(a, b); }
  @inline export function minimum(a: f64, b: f64): f64 { return min<f64>(a, b); }
}

/** The ops whose f32 (and f32x4) form is exact; the others are computed in f64 and rounded. */
@inline function hasF32(op: i32): bool {
  return op == BINARY_ADD || op == BINARY_SUB || op == BINARY_MUL || op == BINARY_DIV || op == BINARY_MAXIMUM || op == BINARY_MINIMUM;
}

@inline function opF32(op: i32, a: f32, b: f32): f32 {
  if (op == BINARY_ADD) return a + b;
  if (op == BINARY_SUB) return a - b;
  if (op == BINARY_MUL) return a * b;
  if (op == BINARY_DIV) return a / b;
  if (op == BINARY_MAXIMUM) return max<f32>(a, b);
  if (op == BINARY_MINIMUM) return min<f32>(a, b);
  return <f32>binaryF64(op, <f64>a, <f64>b);
}

@inline function opF32x4(op: i32, a: v128, b: v128): v128 {
  if (op == BINARY_ADD) return f32x4.add(a, b);
  if (op == BINARY_SUB) return f32x4.sub(a, b);
  if (op == BINARY_MUL) return f32x4.mul(a, b);
  if (op == BINARY_DIV) return f32x4.div(a, b);
  if (op == BINARY_MAXIMUM) return f32x4.max(a, b);
  return f32x4.min(a, b);
}

@inline function opI32(op: i32, a: i32, b: i32): i32 {
  if (op == BINARY_ADD) return a + b;
  if (op == BINARY_SUB) return a - b;
  if (op == BINARY_MUL) return a * b;
  if (op == BINARY_MAXIMUM) return max<i32>(a, b);
  if (op == BINARY_MINIMUM) return min<i32>(a, b);
  return toInt32(binaryF64(op, <f64>a, <f64>b));
}

/** One row of float32: SIMD where both inputs are contiguous or one is a broadcast scalar. */
@inline export function binaryRowF32(op: i32, n: i32, pa: usize, sa: i32, pb: usize, sb: i32, po: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD && hasF32(op)) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, opF32x4(op, v128.load(pa + o), v128.load(pb + o)));
      }
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(pb);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, opF32x4(op, v128.load(pa + o), vb));
      }
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(pa);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, opF32x4(op, va, v128.load(pb + o)));
      }
    }
  }
  for (; i < n; i++) {
    store<f32>(po + (<usize>i << 2), opF32(op, load<f32>(pa + (<usize>(i * sa) << 2)), load<f32>(pb + (<usize>(i * sb) << 2))));
  }
}

@inline export function binaryRowI32(op: i32, n: i32, pa: usize, sa: i32, pb: usize, sb: i32, po: usize): void {
  for (let i = 0; i < n; i++) {
    store<i32>(po + (<usize>i << 2), opI32(op, load<i32>(pa + (<usize>(i * sa) << 2)), load<i32>(pb + (<usize>(i * sb) << 2))));
  }
}

@inline export function binaryRowBool(op: i32, n: i32, pa: usize, sa: i32, pb: usize, sb: i32, po: usize): void {
  for (let i = 0; i < n; i++) {
    const v = binaryF64(op, <f64>load<u8>(pa + <usize>(i * sa)), <f64>load<u8>(pb + <usize>(i * sb)));
    store<u8>(po + <usize>i, v != 0 ? 1 : 0);
  }
}

// One call per op with a constant `op` (the generated ladders), so each inlined loop body is specialised to a single operation.
@inline function row(op: i32, dtype: i32, n: i32, pa: usize, sa: i32, pb: usize, sb: i32, po: usize): void {
  if (dtype == F32) binaryRowF32Of(op, n, pa, sa, pb, sb, po);
  else if (dtype == I32) binaryRowI32Of(op, n, pa, sa, pb, sb, po);
  else binaryRowBoolOf(op, n, pa, sa, pb, sb, po);
}

/** out = a op b over the strided block `p` (operands: a, b); out is contiguous. */
export function binary(op: i32, dtype: i32, p: usize, a: usize, b: usize, out: usize): void {
  const n = rowLen(p), rows = rowCount(p);
  const sa = innerStride(p, 0), sb = innerStride(p, 1);
  const shift: usize = dtype == 2 ? 0 : 2;
  resetOdometer(p, 2);
  let oa: i32 = 0, ob: i32 = 0;
  let po = out;
  for (let r = 0; r < rows; r++) {
    row(op, dtype, n, a + (<usize>oa << shift), sa, b + (<usize>ob << shift), sb, po);
    po += <usize>n << shift;
    const d = advance(p, 2);
    if (d >= 0) {
      oa += carryDelta(p, 0, d);
      ob += carryDelta(p, 1, d);
    }
  }
}

/** Every op of core's COMPARE_OPS, under its core name; nan compares false except for ne. */
export namespace Compare {
  @inline export function eq<T>(a: T, b: T): bool { return a == b; }
  @inline export function ne<T>(a: T, b: T): bool { return a != b; }
  @inline export function lt<T>(a: T, b: T): bool { return a < b; }
  @inline export function le<T>(a: T, b: T): bool { return a <= b; }
  @inline export function gt<T>(a: T, b: T): bool { return a > b; }
  @inline export function ge<T>(a: T, b: T): bool { return a >= b; }
}

@inline export function compareRow<T>(op: i32, n: i32, pa: usize, sa: i32, pb: usize, sb: i32, po: usize): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) {
    store<u8>(po + <usize>i, compareOp<T>(op, load<T>(pa + <usize>(i * sa) * sz), load<T>(pb + <usize>(i * sb) * sz)) ? 1 : 0);
  }
}

/** out (bool) = a cmp b over the strided block `p`. nan compares false except for ne. */
export function compare(op: i32, dtype: i32, p: usize, a: usize, b: usize, out: usize): void {
  const n = rowLen(p), rows = rowCount(p);
  const sa = innerStride(p, 0), sb = innerStride(p, 1);
  const shift: usize = dtype == 2 ? 0 : 2;
  resetOdometer(p, 2);
  let oa: i32 = 0, ob: i32 = 0;
  let po = out;
  for (let r = 0; r < rows; r++) {
    const pa = a + (<usize>oa << shift), pb = b + (<usize>ob << shift);
    if (dtype == F32) compareRowOf<f32>(op, n, pa, sa, pb, sb, po);
    else if (dtype == I32) compareRowOf<i32>(op, n, pa, sa, pb, sb, po);
    else compareRowOf<u8>(op, n, pa, sa, pb, sb, po);
    po += <usize>n;
    const d = advance(p, 2);
    if (d >= 0) {
      oa += carryDelta(p, 0, d);
      ob += carryDelta(p, 1, d);
    }
  }
}

/** out = cond ? a : b over the strided block `p` (operands: cond, a, b); values are copied. */
export function where(dtype: i32, p: usize, c: usize, a: usize, b: usize, out: usize): void {
  const n = rowLen(p), rows = rowCount(p);
  const sc = innerStride(p, 0), sa = innerStride(p, 1), sb = innerStride(p, 2);
  resetOdometer(p, 3);
  let oc: i32 = 0, oa: i32 = 0, ob: i32 = 0;
  let po = out;
  for (let r = 0; r < rows; r++) {
    if (dtype == 2) {
      for (let i = 0; i < n; i++) {
        const pick = load<u8>(c + <usize>(oc + i * sc)) != 0;
        store<u8>(po + <usize>i, pick ? load<u8>(a + <usize>(oa + i * sa)) : load<u8>(b + <usize>(ob + i * sb)));
      }
      po += <usize>n;
    } else {
      for (let i = 0; i < n; i++) {
        const pick = load<u8>(c + <usize>(oc + i * sc)) != 0;
        const v = pick ? load<u32>(a + (<usize>(oa + i * sa) << 2)) : load<u32>(b + (<usize>(ob + i * sb) << 2));
        store<u32>(po + (<usize>i << 2), v);
      }
      po += <usize>n << 2;
    }
    const d = advance(p, 3);
    if (d >= 0) {
      oc += carryDelta(p, 0, d);
      oa += carryDelta(p, 1, d);
      ob += carryDelta(p, 2, d);
    }
  }
}
