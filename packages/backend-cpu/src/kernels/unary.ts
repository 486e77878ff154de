import type { DType, TypedArray, UnaryOp } from '@logit/core';
import { erf } from './erf.js';
import { scratch, finish } from './util.js';

type Fn = (x: number) => number;

/** Round half to even, like torch.round. */
function roundHalfEven(x: number): number {
  const r = Math.round(x); // half rounds toward +inf
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** sigmoid without overflow: exp only ever sees a non-positive argument. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const FNS: Record<UnaryOp, Fn> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // PyTorch 1.13: sign(nan) = 0
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  relu: (x) => (x > 0 ? x : x === x ? 0 : NaN),
  sigmoid,
  tanh: Math.tanh,
  sin: Math.sin,
  cos: Math.cos,
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  logicalNot: (x) => (x === 0 ? 1 : 0),
};

/** int32 ops whose double result could pass 2^53 before the store wraps it. */
const INT_FNS: Partial<Record<UnaryOp, Fn>> = { square: (x) => Math.imul(x, x) };

/** Elementwise op of one input; computed in doubles, rounded (float32) or wrapped (int32) on store. */
export function unary(op: UnaryOp, x: TypedArray, size: number, dtype: DType): TypedArray {
  const f = (dtype === 'int32' && INT_FNS[op]) || FNS[op];
  const out = scratch(dtype, size);
  for (let i = 0; i < size; i++) out[i] = f(x[i]);
  return finish(dtype, out);
}
