import { logSoftmax, softmax } from '@logit/core';
import type { Case } from '../types.js';
import { defineCase, input } from './define.js';

// The fused logSoftmax/softmax kernels where a backend has them, else core's composition: run
// both ways by the runner. Rows of ±inf and nan come out as PyTorch computes them.
const EDGE_ROWS = [1, 2, 3, 1000, -1000, 0, -Infinity, 0, 1, NaN, 1, 2, Infinity, 0, 1, -Infinity, -Infinity, -Infinity];

export const softmaxCasesAll: Case[] = (['logSoftmax', 'softmax'] as const).flatMap((op) => {
  const fn = op === 'logSoftmax' ? logSoftmax : softmax;
  return [
    defineCase('softmax', { name: `${op} dim 1 [3,5]`, op, inputs: [input([3, 5])], run: ([x]) => fn(x, 1), tfjs: { fn: (tf, [x]) => tf[op](x, 1) } }),
    defineCase('softmax', { name: `${op} dim 0 [4,3]`, op, inputs: [input([4, 3])], run: ([x]) => fn(x, 0) }),
    defineCase('softmax', { name: `${op} dim 1 of 3-D [2,4,3]`, op, inputs: [input([2, 4, 3])], run: ([x]) => x[op](1) }),
    defineCase('softmax', { name: `${op} dim -1 4-D`, op, inputs: [input([2, 2, 1, 3])], run: ([x]) => fn(x, -1), tfjs: { fn: (tf, [x]) => tf[op](x, -1) } }),
    defineCase('softmax', { name: `${op} scalar`, op, inputs: [input([])], run: ([x]) => fn(x, 0) }),
    defineCase('softmax', { name: `${op} empty rows [0,4]`, op, inputs: [input([0, 4])], run: ([x]) => fn(x, 1) }),
    defineCase('softmax', { name: `${op} wide logits`, op, inputs: [input([2, 6], { range: [-30, 30] })], run: ([x]) => fn(x, 1) }),
    defineCase('softmax', {
      name: `${op} edge rows (huge, -inf, nan, +inf, all -inf)`, op, inputs: [input([6, 3], { values: EDGE_ROWS })], run: ([x]) => fn(x, 1),
      fd: { skip: 'edge values' },
      tfjs: { fn: (tf, [x]) => tf[op](x, 1) },
    }),
  ];
});
