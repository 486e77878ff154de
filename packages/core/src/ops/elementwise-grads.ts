import type { BinaryOp, UnaryOp } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { where } from './elementwise.js';
import { zerosOf } from './dispatch.js';

/**
 * Gradient rules of the elementwise primitives, in one table (tinygrad style). Each rule gets
 * the upstream gradient and the tensor it saved (the input x, or the output when `save: 'out'`).
 */
interface UnaryRule {
  save: 'x' | 'out';
  grad: (g: Tensor, s: Tensor) => Tensor;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const unaryGrads: { [K in UnaryOp]: UnaryRule | null } = {
  neg: { save: 'x', grad: (g) => g.neg() },
  abs: { save: 'x', grad: (g, x) => g.mul(x.sign()) },
  sign: { save: 'x', grad: (g) => zerosOf(g) },
  exp: { save: 'out', grad: (g, out) => g.mul(out) },
  log: { save: 'x', grad: (g, x) => g.div(x) },
  log1p: { save: 'x', grad: (g, x) => g.div(x.add(1)) },
  expm1: { save: 'out', grad: (g, out) => g.mul(out.add(1)) },
  sqrt: { save: 'out', grad: (g, out) => g.div(out.mul(2)) },
  reciprocal: { save: 'out', grad: (g, out) => g.mul(out.square()).neg() },
  square: { save: 'x', grad: (g, x) => g.mul(x.mul(2)) },
  // PyTorch passes the gradient where the output is not <= 0, so a nan input gets it whole
  relu: { save: 'out', grad: (g, out) => where(out.le(0), 0, g) },
  sigmoid: { save: 'out', grad: (g, out) => g.mul(out.mul(out.neg().add(1))) },
  tanh: { save: 'out', grad: (g, out) => g.mul(out.square().neg().add(1)) },
  sin: { save: 'x', grad: (g, x) => g.mul(x.cos()) },
  cos: { save: 'x', grad: (g, x) => g.mul(x.sin()).neg() },
  erf: { save: 'x', grad: (g, x) => g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI)) },
  floor: { save: 'x', grad: (g) => zerosOf(g) },
  ceil: { save: 'x', grad: (g) => zerosOf(g) },
  round: { save: 'x', grad: (g) => zerosOf(g) },
  logicalNot: null,
};

type BinaryRule = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null];

export const binaryGrads: { [K in BinaryOp]: BinaryRule } = {
  add: (g) => [g, g],
  sub: (g) => [g, g.neg()],
  mul: (g, a, b) => [g.mul(b), g.mul(a)],
  div: (g, _a, b, out) => [g.div(b), g.mul(out.div(b)).neg()],
  // PyTorch masks the local derivative: d/da is 0 where b == 0; d/db is 0 where a == 0 and b >= 0
  pow: (g, a, b, out) => [
    g.mul(where(b.eq(0), 0, b.mul(a.pow(b.sub(1))))),
    g.mul(where(a.eq(0).mul(b.ge(0)), 0, out.mul(a.log()))),
  ],
  // ties split the gradient in half; a nan on either side passes it whole to both, as in PyTorch
  maximum: (g, a, b) => [where(a.eq(b), g.div(2), where(a.lt(b), 0, g)), where(a.eq(b), g.div(2), where(a.gt(b), 0, g))],
  minimum: (g, a, b) => [where(a.eq(b), g.div(2), where(a.gt(b), 0, g)), where(a.eq(b), g.div(2), where(a.lt(b), 0, g))],
};
