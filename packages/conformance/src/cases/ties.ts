import { nn, type DType, type Tensor } from '@logit/core';
import type { Case, InputSpec } from '../types.js';
import { defineCase, input, shapeName } from './define.js';

// Ties in every arg- and sort-like op, on 1-D and n-D inputs, along every dim and over the whole
// tensor: the first occurrence wins (PyTorch's argmax/argmin, the index max(dim) and max
// pooling send the gradient to). Values are small integers, so the ties are exact in every dtype.

interface TieOp {
  /** The support-matrix row. */
  op: string;
  /** The op along `dim`, or over the whole tensor when dim is null. */
  run: (x: Tensor, dim: number | null) => Tensor;
  /** Whether the gradient is checked (it must reach the first occurrence only). */
  grad: boolean;
  dtypes: readonly DType[];
  /** Negate the values so the ties sit at the minimum (argmin, min). */
  atMin?: boolean;
}

/** One entry per arg- or sort-like op of the API: a new one (sort, topk) is one line here. */
export const TIE_OPS: readonly TieOp[] = [
  { op: 'argmax', run: (x, d) => (d === null ? x.argmax() : x.argmax(d)), grad: false, dtypes: ['float32', 'float64', 'int32'] },
  { op: 'argmin', run: (x, d) => (d === null ? x.argmin() : x.argmin(d)), grad: false, dtypes: ['float32', 'float64', 'int32'], atMin: true },
  { op: 'max', run: (x, d) => (d === null ? x.max() : x.max(d).values), grad: true, dtypes: ['float32', 'float64'] },
  { op: 'min', run: (x, d) => (d === null ? x.min() : x.min(d).values), grad: true, dtypes: ['float32', 'float64'], atMin: true },
  { op: 'max.indices', run: (x, d) => (d === null ? x.argmax() : x.max(d).indices), grad: false, dtypes: ['float32', 'float64', 'int32'] },
  { op: 'min.indices', run: (x, d) => (d === null ? x.argmin() : x.min(d).indices), grad: false, dtypes: ['float32', 'float64', 'int32'], atMin: true },
];

/** Shapes and values with ties at the start, in the middle and at the end of rows, and whole rows equal. */
const TIED: readonly { shape: number[]; values: number[] }[] = [
  { shape: [7], values: [3, 1, 3, 2, 3, 0, 1] },
  { shape: [4], values: [5, 5, 5, 5] },
  { shape: [5], values: [1, 2, 0, 4, 4] },
  { shape: [3, 4], values: [2, 2, 1, 0, 0, 3, 3, 3, 1, 1, 1, 1] },
  { shape: [2, 3, 4], values: [1, 4, 4, 0, 4, 1, 2, 4, 0, 0, 3, 3, 2, 2, 2, 2, 1, 3, 3, 1, 0, 5, 0, 5] },
];

function tieCases(t: TieOp): Case[] {
  return TIED.flatMap(({ shape, values }) => {
    const x: InputSpec = input(shape, { values: t.atMin ? values.map((v) => -v) : values });
    const dims: (number | null)[] = [null, ...shape.map((_, d) => d)];
    return dims.map((dim) =>
      defineCase('ties', {
        name: `${t.op} ties ${shapeName(shape)} ${dim === null ? 'over all' : `dim ${dim}`}`, op: t.op, dtypes: t.dtypes, grad: t.grad,
        inputs: [x], run: ([v]) => t.run(v, dim), fd: { skip: 'ties are a kink' },
      }));
  });
}

export const tieCasesAll: Case[] = [
  ...TIE_OPS.flatMap(tieCases),
  // max pooling: whole windows equal, and equal maxima in different taps of overlapping windows
  defineCase('ties', {
    name: 'maxPool2d ties: the gradient goes to the first tap of each window', op: 'nn.MaxPool2d', fd: { skip: 'ties are a kink' },
    inputs: [input([1, 1, 4, 4], { values: [1, 1, 2, 2, 1, 1, 2, 2, 3, 0, 3, 3, 0, 3, 3, 3] })],
    run: ([x]) => nn.functional.maxPool2d(x, 2, { stride: 1 }),
  }),
];
