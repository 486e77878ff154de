import { COMPARE_OPS, tidy, where, type CompareOp, type DType, type Tensor } from '@logit/core';
import type { Case } from '../types.js';
import { bools, defineCase, EDGE_VALUES, input, ints } from './define.js';

const TFJS_NAME: Record<CompareOp, string> = { eq: 'equal', ne: 'notEqual', lt: 'less', le: 'lessEqual', gt: 'greater', ge: 'greaterEqual' };

const cmp = (op: CompareOp) => (xs: Tensor[]): Tensor => (xs[0] as unknown as Record<string, (o: Tensor) => Tensor>)[op](xs[1]);

function compareCases(op: CompareOp): Case[] {
  const tfjs = { fn: (tf: Record<string, (a: unknown, b: unknown) => unknown>, [a, b]: unknown[]) => tf[TFJS_NAME[op]](a, b) };
  // ties and nan on purpose: half the pairs are equal; nan compares false except for ne
  const left = [1, 2, 3, NaN, -0, Infinity, -Infinity, 5];
  const right = [1, 3, 2, NaN, 0, Infinity, 0, NaN];
  return [
    defineCase('compare', {
      name: `${op} ties and nan`, op, grad: false, inputs: [input([8], { values: left }), input([8], { values: right })], run: cmp(op),
      tfjs,
    }),
    defineCase('compare', { name: `${op} broadcast [3,1] [4]`, op, grad: false, inputs: [input([3, 1]), input([4])], run: cmp(op), tfjs }),
    defineCase('compare', { name: `${op} int32`, op, dtypes: ['int32'], grad: false, inputs: [ints([6], [1, 2, 3, -4, 5, 0]), ints([6], [1, 3, 2, -4, 0, 0])], run: cmp(op), tfjs }),
  ];
}

const castTo = (to: DType) => (xs: Tensor[]): Tensor => xs[0].to(to);

export const compareCasesAll: Case[] = [
  ...COMPARE_OPS.flatMap(compareCases),
  defineCase('compare', { name: 'isnan edge values', op: 'isnan', grad: false, inputs: [input([EDGE_VALUES.length], { values: EDGE_VALUES })], run: ([x]) => x.isnan(), tfjs: { fn: (tf, [x]) => tf.isNaN(x) } }),
  defineCase('compare', { name: 'logicalNot bool', op: 'logicalNot', dtypes: ['bool'], grad: false, inputs: [bools([4], [1, 0, 1, 0])], run: ([x]) => x.logicalNot(), tfjs: { fn: (tf, [x]) => tf.logicalNot(x) } }),
  defineCase('compare', { name: 'logicalNot float', op: 'logicalNot', grad: false, inputs: [input([6], { values: [0, -0, 1, NaN, -2, Infinity] })], run: ([x]) => x.logicalNot() }),
  // where: cond broadcasts against both branches; gradients flow to the chosen branch only
  defineCase('where', {
    name: 'where broadcast [3,1] [1,4] [4]', op: 'where', inputs: [bools([3, 1], [1, 0, 1]), input([1, 4]), input([4])],
    run: ([c, a, b]) => where(c, a, b),
    tfjs: { fn: (tf, [c, a, b]) => tf.where(tf.broadcastTo(c, [3, 4]), tf.broadcastTo(a, [3, 4]), tf.broadcastTo(b, [3, 4])) },
  }),
  defineCase('where', { name: 'where scalar branch', op: 'where', inputs: [bools([2, 2], [1, 0, 0, 1]), input([2, 2])], run: ([c, a]) => a.where(c, 0.5) }),
  defineCase('where', { name: 'where int32', op: 'where', dtypes: ['int32'], grad: false, inputs: [bools([4], [1, 0, 0, 1]), ints([4]), ints([4])], run: ([c, a, b]) => where(c, a, b) }),
  // cast: float -> int truncates toward zero, anything -> bool is x != 0
  defineCase('cast', { name: 'cast float to int32', op: 'cast', grad: false, inputs: [input([6], { values: [1.7, -1.7, 0.5, -0.5, 1e6, -0] })], run: castTo('int32'), tfjs: { fn: (tf, [x]) => tf.cast(x, 'int32') } }),
  defineCase('cast', { name: 'cast float to bool', op: 'cast', grad: false, inputs: [input([5], { values: [0, -0, 0.1, NaN, -Infinity] })], run: castTo('bool') }),
  defineCase('cast', { name: 'cast int32 to float32', op: 'cast', dtypes: ['int32'], grad: false, inputs: [ints([5], [0, -3, 7, 16777217, -2147483648])], run: castTo('float32') }),
  defineCase('cast', { name: 'cast bool to float32', op: 'cast', dtypes: ['bool'], grad: false, inputs: [bools([3], [1, 0, 1])], run: castTo('float32') }),
  defineCase('cast', { name: 'cast float32 to float64 and back', op: 'cast', dtypes: ['float32'], requires: ['float64'], inputs: [input([2, 3])], run: ([x]) => tidy(() => x.to('float64').mul(3).to('float32')), fd: { skip: 'rounded to float32 mid-computation' } }),
  defineCase('cast', { name: 'cast float to same dtype', op: 'cast', inputs: [input([3])], run: ([x]) => tidy(() => x.to(x.dtype).mul(2)) }),
];
