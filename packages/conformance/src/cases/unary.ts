import { UNARY_OPS, type Tensor, type UnaryOp } from '@logit/core';
import type { Case, TfjsOracle } from '../types.js';
import { defineCase, EDGE_VALUES, ELEMENTWISE_SHAPES, input, shapeName } from './define.js';

// The primitive unary ops through their Tensor methods. logicalNot is in compare.ts (bool output).
type Differentiable = Exclude<UnaryOp, 'logicalNot'>;

/** Domain of generated inputs where an op is smooth and finite. */
const RANGE: Partial<Record<UnaryOp, readonly [number, number]>> = {
  log: [0.1, 3], sqrt: [0.1, 3], reciprocal: [0.5, 3], log1p: [-0.5, 3],
};

/** Ops with a kink or a step: finite differences are meaningless at the edge values. */
const TFJS_NAME: Record<Differentiable, string> = {
  neg: 'neg', abs: 'abs', sign: 'sign', exp: 'exp', log: 'log', log1p: 'log1p', expm1: 'expm1', sqrt: 'sqrt',
  reciprocal: 'reciprocal', square: 'square', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', sin: 'sin',
  cos: 'cos', erf: 'erf', floor: 'floor', ceil: 'ceil', round: 'round',
};

/**
 * Where TensorFlow.js is known to differ from PyTorch on the edge values (recorded, not skipped):
 * its relu and sign are computed without nan propagation on some paths, and its sigmoid and erf
 * use float32 approximations that saturate differently at huge magnitudes.
 */
const TFJS_EDGE_DIFFERS: Partial<Record<Differentiable, string>> = {
  abs: "tfjs's abs gradient at nan is nan; PyTorch's is 0 (sign(nan) = 0 in PyTorch)",
  relu: "tfjs's relu gradient at nan is nan; PyTorch 1.13 (and Logit) pass the gradient through: 1",
  round: 'tfjs round(-0.5) is +0; PyTorch keeps the sign (-0)',
};

const SIGNED_ZERO: ReadonlySet<Differentiable> = new Set(['neg', 'abs', 'floor', 'ceil', 'round', 'sin', 'tanh', 'sqrt', 'expm1', 'log1p', 'relu']);

function unaryCases(op: Differentiable): Case[] {
  const call = (xs: Tensor[]): Tensor => (xs[0] as unknown as Record<string, () => Tensor>)[op]();
  const tfjs = (differs?: string): TfjsOracle => ({ fn: (tf, [x]) => tf[TFJS_NAME[op]](x), differs });
  const cases = ELEMENTWISE_SHAPES.map((shape) =>
    defineCase('unary', { name: `${op} ${shapeName(shape)}`, op, inputs: [input(shape, { range: RANGE[op] })], run: call, tfjs: tfjs() }),
  );
  cases.push(
    defineCase('unary', {
      name: `${op} edge values`, op, inputs: [input([EDGE_VALUES.length], { values: EDGE_VALUES })], run: call,
      fd: { skip: 'edge values include infinities, nan and kinks' }, signedZeros: SIGNED_ZERO.has(op),
      tfjs: tfjs(TFJS_EDGE_DIFFERS[op]),
    }),
  );
  return cases;
}

export const unaryCasesAll: Case[] = (UNARY_OPS.filter((o) => o !== 'logicalNot') as Differentiable[]).flatMap(unaryCases);

/** rsqrt, clamp and clone: Tensor ops composed from primitives in core. */
export const composedUnaryCases: Case[] = [
  defineCase('unary', { name: 'rsqrt [3,4]', op: 'rsqrt', inputs: [input([3, 4], { range: [0.2, 3] })], run: ([x]) => x.rsqrt(), tfjs: { fn: (tf, [x]) => tf.rsqrt(x) } }),
  defineCase('unary', { name: 'clamp [3,4] min -0.5 max 0.7', op: 'clamp', inputs: [input([3, 4])], run: ([x]) => x.clamp(-0.5, 0.7), tfjs: { fn: (tf, [x]) => tf.clipByValue(x, -0.5, 0.7) } }),
  defineCase('unary', { name: 'clamp min only [5]', op: 'clamp', inputs: [input([5])], run: ([x]) => x.clamp(0.1, null) }),
  defineCase('unary', {
    name: 'clamp edge values', op: 'clamp', inputs: [input([EDGE_VALUES.length], { values: EDGE_VALUES })], run: ([x]) => x.clamp(-1, 1),
    fd: { skip: 'edge values' },
  }),
  defineCase('unary', { name: 'clone [2,3]', op: 'clone', inputs: [input([2, 3])], run: ([x]) => x.clone() }),
];
