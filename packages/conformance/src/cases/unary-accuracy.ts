import type { Tensor, UnaryOp } from '@logit/core';
import type { Case, Tolerance } from '../types.js';
import { defineCase, input } from './define.js';

// Accuracy over each unary op's whole input range, held to units in the last place of every
// result: saturation regions and tails (sigmoid and tanh at large |x|, erf beyond 3, exp down
// to float32's smallest normal, log of tiny and huge values, expm1 and log1p near 0) have tiny
// or near-1 results that an absolute tolerance would wave through.

type Op = Exclude<UnaryOp, 'logicalNot'>;

/** n points evenly spaced in [lo, hi]. */
const lin = (lo: number, hi: number, n = 64): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
/** n points evenly spaced in log scale between lo and hi (both > 0), with both signs when `signed`. */
const geo = (lo: number, hi: number, n = 48, signed = false): number[] => {
  const pts = Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
  return signed ? [...pts, ...pts.map((v) => -v)] : pts;
};

// float32 allowances: 0 for exact ops, 1 for correctly rounded IEEE ones (sqrt, 1/x, x*x), 4 for
// the transcendental ones; exp and what is built on it (expm1, sigmoid) get 64: a GPU computes
// exp2(x * log2(e)), and the rounding of that product alone is |x| / 2 ulps at |x| near 88 (WGSL
// allows 3 + 2|x|). float64 gets 8x as many.
interface Range {
  /** The inputs: saturation regions, tails and the neighbourhoods of special points. */
  xs: number[];
  /** float32 ulps allowed; an op computed in doubles and rounded once is within 0.5. */
  ulps: number;
  /** An absolute floor near an argument-dependent zero of the result (sin, cos), where ulps of a tiny result are no measure. */
  atol?: number;
}

// Typed over UNARY_OPS: an op added to the contract does not compile until its ranges are here.
const RANGES: Record<Op, Range> = {
  neg: { xs: [...geo(1e-30, 1e30, 24, true), 0], ulps: 0 },
  abs: { xs: [...geo(1e-30, 1e30, 24, true), 0], ulps: 0 },
  sign: { xs: [...geo(1e-30, 1e30, 24, true), 0], ulps: 0 },
  exp: { xs: [...lin(-87, 88, 120), ...geo(1e-8, 1e-2, 16, true)], ulps: 64 },
  log: { xs: [...geo(1.2e-38, 3e38, 80), ...lin(0.999, 1.001, 21)], ulps: 4 },
  log1p: { xs: [...geo(1e-8, 1e-2, 24, true), ...lin(-0.99, 10, 40), ...geo(10, 1e30, 16)], ulps: 4 },
  expm1: { xs: [...geo(1e-8, 1e-2, 24, true), ...lin(-80, 88, 60)], ulps: 64 },
  sqrt: { xs: geo(1.2e-38, 3e38, 80), ulps: 1 },
  reciprocal: { xs: geo(1e-37, 1e37, 40, true), ulps: 1 },
  square: { xs: geo(1e-18, 1e18, 40, true), ulps: 1 },
  relu: { xs: [...geo(1e-30, 1e30, 24, true), 0], ulps: 0 },
  // 1 / (1 + e^-x): e^x / (1 + e^x) for x < 0 keeps the tiny tail (down to float32's smallest normal)
  sigmoid: { xs: [...lin(-87, 20, 108), ...geo(1e-8, 1e-2, 16, true)], ulps: 64 },
  tanh: { xs: [...lin(-20, 20, 81), ...geo(1e-8, 1e-2, 16, true)], ulps: 8 },
  sin: { xs: [...lin(-100, 100, 101), ...geo(1e-8, 1e-2, 16, true)], ulps: 4, atol: 2 ** -22 },
  cos: { xs: [...lin(-100, 100, 101), ...geo(1e-8, 1e-2, 16, true)], ulps: 4, atol: 2 ** -22 },
  // erf's tail: 1 - erf(x) is tiny beyond 3, but erf itself rounds to 1 in float32 from ~3.9
  erf: { xs: [...lin(-6, 6, 97), ...geo(1e-8, 1e-2, 16, true)], ulps: 8 },
  floor: { xs: [...lin(-5, 5, 41), 1e30, -1e30, 8388607.5, -8388607.5], ulps: 0 },
  ceil: { xs: [...lin(-5, 5, 41), 1e30, -1e30, 8388607.5, -8388607.5], ulps: 0 },
  round: { xs: [...lin(-5, 5, 41), 1e30, -1e30, 8388607.5, -8388607.5, 0.49999997], ulps: 0 },
};

const ulpTol = (r: Range): Partial<Record<'float32' | 'float64', Tolerance>> => ({
  float32: { rtol: 0, atol: r.atol ?? 0, ulps: r.ulps },
  float64: { rtol: 0, atol: r.atol ?? 0, ulps: Math.max(r.ulps, 1) * 8 },
});

const unaryOp = (op: Op) => ([x]: Tensor[]): Tensor => (x as unknown as Record<string, () => Tensor>)[op]();

export const unaryAccuracyCasesAll: Case[] = [
  ...(Object.entries(RANGES) as [Op, Range][]).map(([op, r]) =>
    defineCase('accuracy', {
      name: `${op} in ulps over its whole range`, op, grad: false, inputs: [input([r.xs.length], { values: r.xs })], run: unaryOp(op), tol: ulpTol(r),
    })),
];
