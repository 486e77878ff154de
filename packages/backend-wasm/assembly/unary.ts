// Elementwise ops of one input, plus cast and fill. Op codes follow UNARY_OPS in @logit/core.
// Like backend-cpu, every op is defined on doubles (fnF64) and the result is stored in the
// dtype; float32 ops whose f32 result is provably the same (neg, abs, sqrt, reciprocal, square,
// relu, floor, ceil, round) run as f32 SIMD, the transcendental ones in f64 via AS's Math.

import { BOOL, F32, I32, toInt32 } from './util';
import { erf } from './erf';

const NEG = 0, ABS = 1, SIGN = 2, EXP = 3, LOG = 4, LOG1P = 5, EXPM1 = 6, SQRT = 7, RECIPROCAL = 8,
  SQUARE = 9, RELU = 10, SIGMOID = 11, TANH = 12, SIN = 13, COS = 14, ERF = 15, FLOOR = 16,
  CEIL = 17, ROUND = 18, LOGICAL_NOT = 19;

/** sigmoid without overflow: exp only ever sees a non-positive argument. */
@inline function sigmoid(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

@inline function fnF64(op: i32, x: f64): f64 {
  switch (op) {
    case NEG: return -x;
    case ABS: return Math.abs(x);
    case SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0; // sign(nan) = 0, as PyTorch 1.13
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case LOG1P: return Math.log1p(x);
    case EXPM1: return Math.expm1(x);
    case SQRT: return Math.sqrt(x);
    case RECIPROCAL: return 1 / x;
    case SQUARE: return x * x;
    case RELU: return x > 0 ? x : x == x ? 0 : NaN;
    case SIGMOID: return sigmoid(x);
    case TANH: return Math.tanh(x);
    case SIN: return Math.sin(x);
    case COS: return Math.cos(x);
    case ERF: return erf(x);
    case FLOOR: return Math.floor(x);
    case CEIL: return Math.ceil(x);
    case ROUND: return nearest<f64>(x); // round half to even, like torch.round
    default: return x == 0 ? 1 : 0;
  }
}

@inline function hasF32x4(op: i32): bool {
  return op == NEG || op == ABS || op == SQRT || op == RECIPROCAL || op == SQUARE || op == RELU ||
    op == FLOOR || op == CEIL || op == ROUND;
}

@inline function fnF32x4(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    case RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    case SQUARE: return f32x4.mul(x, x);
    case RELU: return f32x4.max(x, f32x4.splat(0)); // max keeps nan and turns -0 into +0, as relu does
    case FLOOR: return f32x4.floor(x);
    case CEIL: return f32x4.ceil(x);
    default: return f32x4.nearest(x);
  }
}

@inline function loop(op: i32, dtype: i32, n: i32, x: usize, out: usize): void {
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
      store<f32>(out + o, <f32>fnF64(op, <f64>load<f32>(x + o)));
    }
  } else if (dtype == I32) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      const v = load<i32>(x + o);
      store<i32>(out + o, op == SQUARE ? v * v : toInt32(fnF64(op, <f64>v)));
    }
  } else {
    for (let i = 0; i < n; i++) store<u8>(out + <usize>i, fnF64(op, <f64>load<u8>(x + <usize>i)) != 0 ? 1 : 0);
  }
}

function loopOf(op: i32, dtype: i32, n: i32, x: usize, out: usize): void {
  switch (op) {
    case NEG: loop(NEG, dtype, n, x, out); break;
    case ABS: loop(ABS, dtype, n, x, out); break;
    case SIGN: loop(SIGN, dtype, n, x, out); break;
    case EXP: loop(EXP, dtype, n, x, out); break;
    case LOG: loop(LOG, dtype, n, x, out); break;
    case LOG1P: loop(LOG1P, dtype, n, x, out); break;
    case EXPM1: loop(EXPM1, dtype, n, x, out); break;
    case SQRT: loop(SQRT, dtype, n, x, out); break;
    case RECIPROCAL: loop(RECIPROCAL, dtype, n, x, out); break;
    case SQUARE: loop(SQUARE, dtype, n, x, out); break;
    case RELU: loop(RELU, dtype, n, x, out); break;
    case SIGMOID: loop(SIGMOID, dtype, n, x, out); break;
    case TANH: loop(TANH, dtype, n, x, out); break;
    case SIN: loop(SIN, dtype, n, x, out); break;
    case COS: loop(COS, dtype, n, x, out); break;
    case ERF: loop(ERF, dtype, n, x, out); break;
    case FLOOR: loop(FLOOR, dtype, n, x, out); break;
    case CEIL: loop(CEIL, dtype, n, x, out); break;
    case ROUND: loop(ROUND, dtype, n, x, out); break;
    default: loop(LOGICAL_NOT, dtype, n, x, out);
  }
}

/** out[i] = op(x[i]) for n contiguous elements. */
export function unary(op: i32, dtype: i32, n: i32, x: usize, out: usize): void {
  if (dtype == F32) loopOf(op, F32, n, x, out);
  else if (dtype == I32) loopOf(op, I32, n, x, out);
  else loopOf(op, BOOL, n, x, out);
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
