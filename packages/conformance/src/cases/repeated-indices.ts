import { gather, indexSelect, nn } from '@logit/core';
import type { Case } from '../types.js';
import { defineCase, input, ints, shapeName } from './define.js';

// Repeated indices in every index-taking op: a gradient (or scatterAdd) must accumulate every
// occurrence, not keep the last. Patterns: all indices equal, repeats far apart, adjacent repeats,
// along every dim of 1-D, 2-D and 3-D inputs.

/** Index values of `n` entries into an axis of size `len`, per pattern. */
const PATTERNS: Record<string, (n: number, len: number) => number[]> = {
  'all equal': (n, len) => new Array<number>(n).fill(len - 1),
  'repeats far apart': (n, len) => Array.from({ length: n }, (_, i) => (i * 2) % Math.min(len, 3)),
  'adjacent repeats': (n, len) => Array.from({ length: n }, (_, i) => Math.floor(i / 2) % len),
};

const SHAPES: readonly number[][] = [[5], [3, 4], [2, 3, 4]];

/** gather's index: the input's shape with `extra` entries along `dim` (so indices repeat). */
function gatherCases(): Case[] {
  return SHAPES.flatMap((shape) => shape.flatMap((len, dim) => Object.entries(PATTERNS).map(([p, make]) => {
    const ishape = shape.map((d, i) => (i === dim ? d + 2 : d));
    const n = ishape.reduce((a, b) => a * b, 1);
    return defineCase('indices', {
      name: `gather ${shapeName(shape)} dim ${dim}, ${p}`, op: 'gather',
      inputs: [input(shape), ints(ishape, make(n, len))], run: ([x, i]) => gather(x, dim, i),
    });
  })));
}

function indexSelectCases(): Case[] {
  return SHAPES.flatMap((shape) => shape.flatMap((len, dim) => Object.entries(PATTERNS).map(([p, make]) =>
    defineCase('indices', {
      name: `indexSelect ${shapeName(shape)} dim ${dim}, ${p}`, op: 'indexSelect',
      inputs: [input(shape), ints([6], make(6, len))], run: ([x, i]) => indexSelect(x, dim, i),
    }))));
}

/** scatterAdd itself, called on the kernel: int32 sums must be exact, float ones within rounding. */
function scatterAddCases(): Case[] {
  return [[12], [3, 8]].flatMap((ishape) => Object.entries(PATTERNS).map(([p, make]) => {
    const axis = ishape.length - 1;
    const outShape = ishape.map((d, i) => (i === axis ? 4 : d));
    const n = ishape.reduce((a, b) => a * b, 1);
    return defineCase('indices', {
      name: `scatterAdd kernel ${shapeName(ishape)} into ${shapeName(outShape)}, ${p}`, op: 'scatterAdd', grad: false,
      dtypes: ['float32', 'float64', 'int32'],
      inputs: [ints(ishape, make(n, 4)), input(ishape, { range: [-3, 3] })],
      kernel: (be, [idx, src], { dtype }) => ({ storage: be.ops.scatterAdd(idx, ishape, src, outShape, axis, dtype), shape: outShape, dtype }),
    });
  }));
}

/** Index ops of nn: embedding rows and class targets that repeat. */
const nnCases: Case[] = [
  ...Object.entries(PATTERNS).map(([p, make]) =>
    defineCase('indices', {
      name: `embedding, ${p} token ids`, op: 'nn.functional.embedding',
      inputs: [ints([2, 5], make(10, 4)), input([4, 3])], run: ([i, w]) => nn.functional.embedding(i, w),
    })),
  defineCase('indices', {
    name: 'embedding, repeated ids and a repeated paddingIdx', op: 'nn.functional.embedding',
    inputs: [ints([7], [1, 0, 1, 1, 3, 0, 1]), input([4, 3])], run: ([i, w]) => nn.functional.embedding(i, w, { paddingIdx: 1 }),
    fd: { skip: "the paddingIdx row's gradient is 0 by definition, not the derivative" },
  }),
  ...(['mean', 'sum'] as const).flatMap((reduction) => [
    defineCase('indices', {
      name: `crossEntropy, every target the same class, weighted, ${reduction}`, op: 'nn.CrossEntropyLoss',
      inputs: [input([6, 4]), ints([6], [2, 2, 2, 2, 2, 2]), input([4], { range: [0.5, 2], grad: false })],
      run: ([x, t, w]) => nn.functional.crossEntropy(x, t, { weight: w, reduction }),
    }),
    defineCase('indices', {
      name: `nllLoss, repeated targets, weighted, ${reduction}`, op: 'nn.NLLLoss',
      inputs: [input([6, 4]), ints([6], [0, 3, 0, 3, 0, 1]), input([4], { range: [0.5, 2], grad: false })],
      run: ([x, t, w]) => nn.functional.nllLoss(x, t, { weight: w, reduction }),
    }),
  ]),
];

export const repeatedIndexCasesAll: Case[] = [...gatherCases(), ...indexSelectCases(), ...scatterAddCases(), ...nnCases];

