import { REDUCE_OPS, sizeOf, type ArgReduceOp, type ReduceOp, type Shape } from '@logit/core';
import { axisSubsets, randomData, uniformData } from '../data.js';
import type { KernelCase } from '../types.js';
import { ALL_DTYPES, call, fmtShape, kernelCase } from './define.js';

// reduce over every set of axes of shapes with size-0 and size-1 dims; argmax/argmin along every
// axis, with ties (first occurrence) and nan (the first nan wins) on 1-D and n-D inputs.

const SHAPES: readonly Shape[] = [[], [1], [7], [0], [3, 4], [4, 0], [0, 3], [2, 3, 5], [3, 1, 4], [64, 130], [2, 3, 4, 5]];

function reduceCase(op: ReduceOp): KernelCase {
  return kernelCase('reduce', `reduce ${op}, every axis set`, ALL_DTYPES, (dtype) => [
    ...SHAPES.flatMap((shape, n) => {
      const x = randomData(dtype, sizeOf(shape), n + 40, n % 2 === 0);
      return axisSubsets(shape.length).map((axes) =>
        call(`${fmtShape(shape)} axes [${axes}]`, [x], (be, [s], d) => be.ops.reduce(op, s, shape, axes, d)));
    }),
    // long rows of one sign: a float32 sum of 3000 terms must still be within a few ulps of the double sum
    call('long rows [3,3000] and columns [3000,3]', [uniformData(dtype, 9000, 12, 0.99, 1.01)], (be, [s], d) => be.ops.reduce(op, s, [3, 3000], [1], d)),
    call('long strided rows', [uniformData(dtype, 9000, 13, 0.99, 1.01)], (be, [s], d) => be.ops.reduce(op, s, [3000, 3], [0], d)),
  ], {
    // a float32 sum in another order than the double one is a few ulps off per term: scale with the row length
    tol: { float32: { rtol: 2e-5, atol: 1e-5 } },
  });
}

/** Values with ties and nan placed to catch "last occurrence" and "nan never wins" bugs, 1-D and 2-D. */
const TIES_1D = [2, 5, 1, 5, 5, -1, 0, 5];
const ARG_SHAPES: readonly Shape[] = [[1], [7], [3, 4], [4, 0], [2, 3, 5], [3, 1, 4], [64, 130], [2, 3, 4, 5]];

function argCase(op: ArgReduceOp): KernelCase {
  const sign = op === 'argmax' ? 1 : -1;
  return kernelCase('argReduce', `argReduce ${op}, every axis, ties and nan`, ALL_DTYPES, (dtype) => [
    ...ARG_SHAPES.flatMap((shape, n) => {
      const x = randomData(dtype, sizeOf(shape), n + 60, true);
      return shape.flatMap((len, axis) => (len === 0 ? [] : [call(`${fmtShape(shape)} axis ${axis}`, [x], (be, [s], d) => be.ops.argReduce(op, s, shape, axis, d))]));
    }),
    ...(dtype === 'bool' ? [] : [
      call('1-D ties: the first occurrence', [TIES_1D.map((v) => v * sign)], (be, [s], d) => be.ops.argReduce(op, s, [8], 0, d)),
      call('2-D ties along both axes', [[...TIES_1D, ...TIES_1D.slice().reverse()].map((v) => v * sign)], (be, [s], d) => be.ops.argReduce(op, s, [2, 8], 1, d)),
      call('2-D ties along axis 0', [[3, 3, 1, 3, 3, 3].map((v) => v * sign)], (be, [s], d) => be.ops.argReduce(op, s, [3, 2], 0, d)),
      call('a long row with two maxima far apart', [(() => { const a = Array.from(uniformData('float64', 1400, 4, -1, 1)); a[300] = a[1000] = 9 * sign; return a; })()],
        (be, [s], d) => be.ops.argReduce(op, s, [1400], 0, d)),
    ]),
    ...(dtype === 'float32' || dtype === 'float64'
      ? [call('nan wins, the first of several', [[1, NaN, 3, NaN, 7 * sign, 2, NaN, 5]], (be, [s], d) => be.ops.argReduce(op, s, [2, 4], 1, d))]
      : []),
  ]);
}

export const reduceKernelCases = (): KernelCase[] => REDUCE_OPS.map(reduceCase);
export const argReduceKernelCases = (): KernelCase[] => (['argmax', 'argmin'] as const).map(argCase);
