import type { BinaryOp, CompareOp, UnaryOp } from '@logit/core';

/**
 * Every elementwise op as a WGSL expression, in one table. `f` computes in f32 (x, or a and b);
 * `i` is the int32 form where the op has an exact integer meaning. Without an `i` form an int32
 * op computes in f32 and stores by toI32 (as backend-cpu's Int32Array store does), and bool
 * ops compute on 0/1 in f32 and store (v != 0), as backend-cpu does.
 */
export interface OpSnippet {
  f: string;
  i?: string;
}

export const UNARY: Record<UnaryOp, OpSnippet> = {
  neg: { f: '-x', i: '-x' },
  abs: { f: 'abs(x)', i: 'abs(x)' },
  sign: { f: 'select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0)', i: 'sign(x)' }, // sign(nan) = 0 (PyTorch 1.13)
  exp: { f: 'expF(x)' },
  log: { f: 'logF(x)' },
  log1p: { f: 'log1pF(x)' },
  expm1: { f: 'expm1F(x)' },
  sqrt: { f: 'sqrtF(x)' },
  reciprocal: { f: 'divF(1.0, x)' },
  square: { f: 'x * x', i: 'x * x' },
  relu: { f: 'select(0.0, x, x > 0.0 || isNan(x))', i: 'max(x, 0)' },
  sigmoid: { f: 'sigmoidF(x)' },
  tanh: { f: 'tanhF(x)' },
  sin: { f: 'sinCosF(x, false)' },
  cos: { f: 'sinCosF(x, true)' },
  erf: { f: 'erfF(x)' },
  floor: { f: 'floor(x)', i: 'x' },
  ceil: { f: 'ceil(x)', i: 'x' },
  round: { f: 'round(x)', i: 'x' }, // WGSL round is half-to-even, like torch.round
  logicalNot: { f: 'select(0.0, 1.0, !notZero(x))', i: 'select(0, 1, x == 0)' },
};

export const BINARY: Record<BinaryOp, OpSnippet> = {
  add: { f: 'a + b', i: 'a + b' },
  sub: { f: 'a - b', i: 'a - b' },
  mul: { f: 'a * b', i: 'a * b' },
  div: { f: 'divF(a, b)', i: 'divI(a, b)' },
  pow: { f: 'powF(a, b)', i: 'powI(a, b)' },
  maximum: { f: 'maxF(a, b)', i: 'max(a, b)' },
  minimum: { f: 'minF(a, b)', i: 'min(a, b)' },
};

/** Comparisons give a WGSL bool; nan is false for all but 'ne', tested by bits, not assumed. */
export const COMPARE: Record<CompareOp, OpSnippet> = {
  eq: { f: '!isNan(a) && !isNan(b) && a == b', i: 'a == b' },
  ne: { f: 'isNan(a) || isNan(b) || a != b', i: 'a != b' },
  lt: { f: '!isNan(a) && !isNan(b) && a < b', i: 'a < b' },
  le: { f: '!isNan(a) && !isNan(b) && a <= b', i: 'a <= b' },
  gt: { f: '!isNan(a) && !isNan(b) && a > b', i: 'a > b' },
  ge: { f: '!isNan(a) && !isNan(b) && a >= b', i: 'a >= b' },
};
