// Elementwise ops of one input, plus cast and fill. Op codes and the per-op dispatch are generated
// from UNARY_OPS in @logit/core (assembly/generated/ops.ts): UnaryF64 below must name every op.
// Like backend-cpu, every op is defined on doubles (UnaryF64) and the result is stored in the
// dtype; float32 ops whose f32 result is provably the same (neg, abs, sqrt, reciprocal, square,
// relu, floor, ceil, round) run as f32 SIMD, the transcendental ones in f64 via AS's Math.

import { BOOL, F32, I32, toInt32 } from './util';
import { erf as erfF64 } from './erf';
import {
  UNARY_ABS, UNARY_CEIL, UNARY_FLOOR, UNARY_NEG, UNARY_RECIPROCAL, UNARY_RELU, UNARY_ROUND, UNARY_SQRT,
  UNARY_SQUARE, unaryF64, unaryLoopOf,
} from './generated/ops';

/** sigmoid without overflow: exp only ever sees a non-positive argument. */
@inline function sigmoidF64(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Every op of core's UNARY_OPS on a double, under its core name. */
export namespace UnaryF64 {
  @inline export function neg(x: f64): f64 { return -x; }
  @inline export function abs(x: f64): f64 { return Math.abs(x); }
  @inline export function sign(x: f64): f64 { return x > 0 ? 1 : x < 0 ? -1 : 0; } // sign(nan) = 0, as PyTorch 1.13
  @inline export function exp(x: f64): f64 { return Math.exp(x); }
  @inline export function log(x: f64): f64 { return Math.log(x); }
  @inline export function log1p(x: f64): f64 { return Math.log1p(x); }
  @inline export function expm1(x: f64): f64 { return Math.expm1(x); }
  @inline export function sqrt(x: f64): f64 { return Math.sqrt(x); }
  @inline export function reciprocal(x: f64): f64 { return 1 / x; }
  @inline export function square(x: f64): f64 { return x * x; }
  @inline export function relu(x: f64): f64 { return x > 0 ? x : x == x ? 0 : NaN; }
  @inline export function sigmoid(x: f64): f64 { return sigmoidF64(x); }
  @inline export function tanh(x: f64): f64 { return Math.tanh(x); }
  @inline export function sin(x: f64): f64 { return Math.sin(x); }
  @inline export function cos(x: f64): f64 { return Math.cos(x); }
  @inline export function erf(x: f64): f64 { return erfF64(x); }
  @inline export function floor(x: f64): f64 { return Math.floor(x); }
  @inline export function ceil(x: f64): f64 { return Math.ceil(x); }
  @inline export function round(x: f64): f64 { return nearest<f64>(x); } // round half to even, like torch.round
  @inline export function logicalNot(x: f64): f64 { return x == 0 ? 1 : 0; }
}

@inline function hasF32x4(op: i32): bool {
  return op == UNARY_NEG || op == UNARY_ABS || op == UNARY_SQRT || op == UNARY_RECIPROCAL || op == UNARY_SQUARE ||
    op == UNARY_RELU || op == UNARY_FLOOR || op == UNARY_CEIL || op == UNARY_ROUND;
}

@inline function fnF32x4(op: i32, x: v128): v128 {
  switch (op) {
    case UNARY_NEG: return f32x4.neg(x);
    case UNARY_ABS: return f32x4.abs(x);
    case UNARY_SQRT: return f32x4.sqrt(x);
    case UNARY_RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    case UNARY_SQUARE: return f32x4.mul(x, x);
    case UNARY_RELU: return f32x4.max(x, f32x4.splat(0)); // max keeps nan and turns -0 into +0, as relu does
    case UNARY_FLOOR: return f32x4.floor(x);
    case UNARY_CEIL: return f32x4.ceil(x);
    case UNARY_ROUND: return f32x4.nearest(x);
    default: return unreachable();
  }
}

@inline export function unaryLoop(op: i32, dtype: i32, n: i32, x: usize, out: usize): void {
  if (dtype == F32) {
    let i = 0;
    if (ASC_FEATURE_SIMD && hasF32x4(op)) {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, fnF32x4(op, v128.load(x + o)));
      }
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, <f32>unaryF64(op, <f64>load<f32>(x + o)));
    }
  } else if (dtype == I32) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      const v = load<i32>(x + o);
      store<i32>(out + o, op == UNARY_SQUARE ? v * v : toInt32(unaryF64(op, <f64>v)));
    }
  } else {
    for (let i = 0; i < n; i++) store<u8>(out + <usize>i, unaryF64(op, <f64>load<u8>(x + <usize>i)) != 0 ? 1 : 0);
  }
}

/** out[i] = op(x[i]) for n contiguous elements. */
export function unary(op: i32, dtype: i32, n: i32, x: usize, out: usize): void {
  if (dtype == F32) unaryLoopOf(op, F32, n, x, out);
  else if (dtype == I32) unaryLoopOf(op, I32, n, x, out);
  else unaryLoopOf(op, BOOL, n, x, out);
}

/** Converts n elements: float -> int32 truncates (wrapping, nan -> 0), anything -> bool is x != 0. */
export function cast(from: i32, to: i32, n: i32, x: usize, out: usize): void {
  if (from == to) {
    memory.copy(out, x, <usize>n << (from == BOOL ? 0 : 2));
    return;
  }
  for (let i = 0; i < n; i++) {
    const ix = <usize>i << (from == BOOL ? 0 : 2);
    const io = <usize>i << (to == BOOL ? 0 : 2);
    if (from == F32) {
      const v = load<f32>(x + ix);
      if (to == I32) store<i32>(out + io, toInt32(<f64>v));
      else store<u8>(out + io, v != 0 ? 1 : 0);
    } else if (from == I32) {
      const v = load<i32>(x + ix);
      if (to == F32) store<f32>(out + io, <f32>v);
      else store<u8>(out + io, v != 0 ? 1 : 0);
    } else {
      const v = load<u8>(x + ix);
      if (to == F32) store<f32>(out + io, <f32>v);
      else store<i32>(out + io, <i32>v);
    }
  }
}

/** n copies of a 32-bit pattern. */
export function fill32(bits: u32, n: i32, out: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = i32x4.splat(bits);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  }
  for (; i < n; i++) store<u32>(out + (<usize>i << 2), bits);
}

/** n copies of a byte. */
export function fill8(v: u8, n: i32, out: usize): void {
  memory.fill(out, v, <usize>n);
}
