import { tidy, type ArgReduceOp, type ReduceOp, type Tensor } from '@logit/core';
import type { Case } from '../types.js';
import { defineCase, input, ints } from './define.js';

// nan in the middle, ties for max/argmax, infinities: the values reductions get wrong
const EDGE = [1, NaN, 3, 3, -Infinity, 2];
const TIES = [2, 5, 5, 1, -1, 5, 5, 0];

export const reduceCasesAll: Case[] = [
  defineCase('reduce', { name: 'sum all [3,4]', op: 'sum', inputs: [input([3, 4])], run: ([x]) => x.sum(), tfjs: { fn: (tf, [x]) => tf.sum(x) } }),
  defineCase('reduce', { name: 'sum dim 1 [3,4]', op: 'sum', inputs: [input([3, 4])], run: ([x]) => x.sum(1), tfjs: { fn: (tf, [x]) => tf.sum(x, 1) } }),
  defineCase('reduce', { name: 'sum dims [0,2] keepdim [2,3,4]', op: 'sum', inputs: [input([2, 3, 4])], run: ([x]) => x.sum([0, 2], true), tfjs: { fn: (tf, [x]) => tf.sum(x, [0, 2], true) } }),
  defineCase('reduce', { name: 'sum dims [1,3] [2,3,2,4]', op: 'sum', inputs: [input([2, 3, 2, 4])], run: ([x]) => x.sum([1, 3]), tfjs: { fn: (tf, [x]) => tf.sum(x, [1, 3]) } }),
  defineCase('reduce', { name: 'sum scalar', op: 'sum', inputs: [input([])], run: ([x]) => x.sum() }),
  defineCase('reduce', { name: 'sum over empty dim [0,3]', op: 'sum', inputs: [input([0, 3])], run: ([x]) => x.sum(0) }),
  defineCase('reduce', { name: 'sum int32', op: 'sum', dtypes: ['int32'], grad: false, inputs: [ints([3, 4])], run: ([x]) => x.sum(1) }),
  defineCase('reduce', { name: 'sum edge values', op: 'sum', grad: false, inputs: [input([2, 3], { values: EDGE })], run: ([x]) => x.sum(1) }),
  defineCase('reduce', { name: 'sum of huge magnitudes', op: 'sum', inputs: [input([4], { values: [1e30, 3e30, -2e30, 1e-30] })], run: ([x]) => x.sum(), fd: { skip: 'huge magnitudes' } }),
  defineCase('reduce', { name: 'mean dim -1 [2,5]', op: 'mean', inputs: [input([2, 5])], run: ([x]) => x.mean(-1), tfjs: { fn: (tf, [x]) => tf.mean(x, -1) } }),
  defineCase('reduce', { name: 'mean all [2,3,2]', op: 'mean', inputs: [input([2, 3, 2])], run: ([x]) => x.mean(), tfjs: { fn: (tf, [x]) => tf.mean(x) } }),
  defineCase('reduce', { name: 'mean over empty [0]', op: 'mean', grad: false, inputs: [input([0])], run: ([x]) => x.mean() }),
  // max/min propagate nan (PyTorch); TensorFlow.js drops it
  ...(['max', 'min'] as const).flatMap((op) => [
    defineCase('reduce', { name: `${op} all [3,4]`, op, inputs: [input([3, 4])], run: ([x]) => x[op](), tfjs: { fn: (tf, [x]) => tf[op](x) } }),
    defineCase('reduce', { name: `${op} dim 0 [3,4]`, op, inputs: [input([3, 4])], run: ([x]) => tidy(() => x[op](0).values), tfjs: { fn: (tf, [x]) => tf[op](x, 0) } }),
    defineCase('reduce', { name: `${op} dim 0 [3,4] indices`, op, grad: false, inputs: [input([3, 4])], run: ([x]) => tidy(() => x[op](0).indices), tfjs: { fn: (tf, [x]) => tf[op === 'max' ? 'argMax' : 'argMin'](x, 0) } }),
    defineCase('reduce', { name: `${op} dim 1 keepdim ties`, op, inputs: [input([2, 4], { values: TIES })], run: ([x]) => tidy(() => x[op](1, true).values), fd: { skip: 'ties are a kink' } }),
    defineCase('reduce', { name: `${op} dim 1 keepdim ties indices (first)`, op, grad: false, inputs: [input([2, 4], { values: TIES })], run: ([x]) => tidy(() => x[op](1, true).indices) }),
    defineCase('reduce', {
      name: `${op} with nan [2,3]`, op, inputs: [input([2, 3], { values: EDGE })], run: ([x]) => tidy(() => x[op](1).values), fd: { skip: 'nan' },
      tfjs: {
        fn: (tf, [x]) => tf[op](x, 1),
        differs: `the forward agrees (nan propagates), but tfjs's ${op} gradient goes to the elements equal to the result, which a nan never is; PyTorch sends it to the nan's index`,
      },
    }),
    defineCase('reduce', { name: `a${op} dims [0,2] [2,3,2]`, op: `a${op}`, inputs: [input([2, 3, 2])], run: ([x]) => x[op === 'max' ? 'amax' : 'amin']([0, 2]), tfjs: { fn: (tf, [x]) => tf[op](x, [0, 2]) } }),
    defineCase('reduce', { name: `a${op} ties (gradient split evenly)`, op: `a${op}`, inputs: [input([6], { values: [1, 4, 4, -2, 4, 0] })], run: ([x]) => x[op === 'max' ? 'amax' : 'amin'](0), fd: { skip: 'ties are a kink' } }),
    defineCase('reduce', { name: `${op} int32`, op, dtypes: ['int32'], grad: false, inputs: [ints([3, 4])], run: ([x]) => tidy(() => x[op](1).values) }),
  ]),
  ...(['argmax', 'argmin'] as const satisfies readonly ArgReduceOp[]).flatMap((op) => [
    defineCase('reduce', { name: `${op} dim 1 [3,5]`, op, grad: false, inputs: [input([3, 5])], run: ([x]) => x[op](1), tfjs: { fn: (tf, [x]) => tf[op === 'argmax' ? 'argMax' : 'argMin'](x, 1) } }),
    defineCase('reduce', { name: `${op} all [2,3,2]`, op, grad: false, inputs: [input([2, 3, 2])], run: ([x]) => x[op]() }),
    defineCase('reduce', {
      name: `${op} ties take the first`, op, grad: false, inputs: [input([2, 4], { values: op === 'argmax' ? TIES : TIES.map((v) => -v) })], run: ([x]) => x[op](1),
      tfjs: { fn: (tf, [x]) => tf[op === 'argmax' ? 'argMax' : 'argMin'](x, 1) },
    }),
    defineCase('reduce', {
      name: `${op} nan wins`, op, grad: false, inputs: [input([2, 3], { values: EDGE })], run: ([x]) => x[op](1, true),
      tfjs: { fn: (tf, [x]) => tf.expandDims(tf[op === 'argmax' ? 'argMax' : 'argMin'](x, 1), 1), differs: `tfjs ${op} never selects nan; PyTorch returns the index of the first nan` },
    }),
    defineCase('reduce', { name: `${op} int32`, op, dtypes: ['int32'], grad: false, inputs: [ints([3, 4])], run: ([x]) => x[op](0) }),
  ]),
  defineCase('reduce', { name: 'logsumexp dim 1 [3,4]', op: 'logsumexp', inputs: [input([3, 4])], run: ([x]) => x.logsumexp(1), tfjs: { fn: (tf, [x]) => tf.logSumExp(x, 1) } }),
  defineCase('reduce', { name: 'logsumexp large values', op: 'logsumexp', inputs: [input([2, 3], { values: [1000, 1001, 999, -1000, -1e4, -999] })], run: ([x]) => x.logsumexp(-1, true), tfjs: { fn: (tf, [x]) => tf.logSumExp(x, -1, true) } }),
];

/** Reduce ops that no Tensor method reaches: called on the kernel directly. */
const kernelReduce = (op: ReduceOp, shape: number[], axes: number[]): Case =>
  defineCase('reduce', {
    name: `reduce ${op} kernel axes [${axes}] [${shape}]`, op: `reduce.${op}`, grad: false, inputs: [input(shape, { range: [0.5, 1.5] })],
    kernel: (be, [x], { dtype }) => ({ storage: be.ops.reduce(op, x, shape, axes, dtype), shape: shape.filter((_, i) => !axes.includes(i)), dtype }),
    run: undefined,
  });

reduceCasesAll.push(kernelReduce('prod', [3, 4], [1]), kernelReduce('prod', [2, 3, 2], [0, 2]), kernelReduce('prod', [0, 2], [0]), kernelReduce('prod', [], []));

export type { Tensor };
