import { BINARY_OPS, type BinaryOp, type Tensor } from '@logit/core';
import type { Case, InputSpec } from '../types.js';
import { defineCase, EDGE_VALUES, input, ints, shapeName } from './define.js';

const TFJS_NAME: Record<BinaryOp, string> = { add: 'add', sub: 'sub', mul: 'mul', div: 'div', pow: 'pow', maximum: 'maximum', minimum: 'minimum' };

/** Broadcast patterns: equal shapes, trailing vector, both sides broadcasting, scalar tensor, empty, K-dim. */
const PATTERNS: readonly [readonly number[], readonly number[]][] = [
  [[3, 4], [3, 4]],
  [[3, 4], [4]],
  [[2, 1, 3], [1, 4, 1]],
  [[4, 1], [1, 5]],
  [[], [2, 3]],
  [[0, 3], [3]],
  [[2, 3, 1, 2], [3, 4, 1]],
];

/** pow needs a positive base for a real result; everything else uses the default range. */
const LEFT_RANGE: Partial<Record<BinaryOp, readonly [number, number]>> = { pow: [0.3, 2.5] };
const RIGHT_RANGE: Partial<Record<BinaryOp, readonly [number, number]>> = { div: [0.5, 2], pow: [-1.5, 2.5] };

/** What TensorFlow.js does differently on the edge values, as observed (the report says whether it still does). */
const EDGE_DIFFERS: Partial<Record<BinaryOp, string>> = {
  pow: 'tfjs takes the gradient wrt the exponent as 0 where the base is <= 0; PyTorch gives log(base) * base^exp, nan for a negative base',
  maximum: 'tfjs maximum does not propagate nan, and at ties sends the gradient to one input',
  minimum: 'tfjs minimum does not propagate nan, and at ties sends the gradient to one input',
};

const call = (op: BinaryOp) => (xs: Tensor[]): Tensor => (xs[0] as unknown as Record<string, (o: Tensor | number) => Tensor>)[op](xs[1]);

function binaryCases(op: BinaryOp): Case[] {
  const tfjs = { fn: (tf: Record<string, (a: unknown, b: unknown) => unknown>, [a, b]: unknown[]) => tf[TFJS_NAME[op]](a, b) };
  const cases = PATTERNS.map(([sa, sb]) =>
    defineCase('binary', {
      name: `${op} ${shapeName(sa)} ${shapeName(sb)}`, op,
      inputs: [input(sa, { range: LEFT_RANGE[op] }), input(sb, { range: RIGHT_RANGE[op] })],
      run: call(op),
      tfjs: (op === 'maximum' || op === 'minimum') && shapeName(sa) !== shapeName(sb)
        ? { ...tfjs, differs: `tfjs's ${op} gradient does not sum over broadcast dims (tf.grad throws a shape error)` }
        : tfjs,
    }),
  );
  const edgeB = EDGE_VALUES.map((_, i) => [2, -1, 0.5, Infinity, NaN, -0, 0, 3, -2, 1e-30, 1e30, 0][i]);
  cases.push(
    defineCase('binary', {
      name: `${op} edge values`, op,
      inputs: [input([EDGE_VALUES.length], { values: EDGE_VALUES }), input([EDGE_VALUES.length], { values: edgeB })],
      run: call(op), fd: { skip: 'edge values' }, signedZeros: op !== 'pow',
      tfjs: { ...tfjs, differs: EDGE_DIFFERS[op] },
    }),
    defineCase('binary', {
      name: `${op} tensor and number`, op, inputs: [input([2, 3], { range: LEFT_RANGE[op] })],
      run: ([a]) => (a as unknown as Record<string, (o: number) => Tensor>)[op](op === 'pow' ? 1.5 : 0.75),
    }),
  );
  if (op === 'pow') {
    // C's pow, which PyTorch uses: 1 ** y and (-1) ** ±inf are 1 even for nan/inf y (Math.pow gives nan)
    cases.push(
      defineCase('binary', {
        name: 'pow C semantics (1 ** nan, (-1) ** inf)', op, grad: false,
        inputs: [
          input([10], { values: [1, 1, 1, -1, -1, NaN, 2, 0, 0, -2] }),
          input([10], { values: [NaN, Infinity, -Infinity, Infinity, -Infinity, 0, NaN, -1, 0, 0.5] }),
        ],
        run: call(op),
        tfjs: { ...tfjs, differs: 'tfjs follows Math.pow, so 1 ** nan and (-1) ** inf are nan; PyTorch gives 1' },
      }),
    );
  }
  if (op === 'maximum' || op === 'minimum') {
    // ties: PyTorch splits the gradient evenly between the two inputs; TensorFlow.js gives it all to one
    const ties: InputSpec[] = [input([4], { values: [1, 2, -3, 0.5] }), input([4], { values: [1, -2, -3, 0.25] })];
    cases.push(
      defineCase('binary', {
        name: `${op} ties`, op, inputs: ties, run: call(op), fd: { skip: 'ties are a kink' },
        tfjs: { ...tfjs, differs: 'at ties tfjs sends the whole gradient to the first input; PyTorch splits it in half' },
      }),
    );
  }
  if (op !== 'div' && op !== 'pow') {
    cases.push(
      defineCase('binary', {
        name: `${op} int32 ${shapeName([3, 4])} ${shapeName([4])}`, op, dtypes: ['int32'], grad: false,
        inputs: [ints([3, 4]), ints([4])], run: call(op), tfjs,
      }),
    );
  }
  return cases;
}

export const binaryCasesAll: Case[] = BINARY_OPS.flatMap(binaryCases);
