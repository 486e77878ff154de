import { REDUCE_OPS, sizeOf, type Shape } from '@logit/core';
import { describe, it } from 'vitest';
import { DTYPES, expectSame, onAll, randomData } from './helpers.js';

const SHAPES: Shape[] = [[], [1], [7], [0], [3, 4], [4, 0], [0, 3], [2, 3, 5], [3, 1, 4], [64, 130], [2, 3, 4, 5]];

/** Every sorted subset of the axes of a rank. */
function axisSets(rank: number): number[][] {
  const sets: number[][] = [];
  for (let mask = 0; mask < 1 << rank; mask++) sets.push([...Array(rank).keys()].filter((d) => mask & (1 << d)));
  return sets;
}

describe('reduce', () => {
  for (const op of REDUCE_OPS) {
    for (const dtype of DTYPES) {
      it(`${op} ${dtype} matches backend-cpu bit for bit over every axis set`, () => {
        // doubles accumulate in input order on both backends, so even float32 sums agree exactly
        SHAPES.forEach((shape, n) => {
          const x = randomData(dtype, sizeOf(shape), n + 40, n % 2 === 0);
          for (const axes of axisSets(shape.length)) {
            const [ref, outs] = onAll([[x, dtype]], (be, [s]) => be.ops.reduce(op, s, shape, axes, dtype));
            outs.forEach((o) => expectSame(o, ref, `${op} ${JSON.stringify(shape)} axes ${axes}`));
          }
        });
      });
    }
  }
});

describe('argReduce', () => {
  for (const op of ['argmax', 'argmin'] as const) {
    for (const dtype of DTYPES) {
      it(`${op} ${dtype} matches backend-cpu (first on ties, nan wins)`, () => {
        SHAPES.forEach((shape, n) => {
          const x = randomData(dtype, sizeOf(shape), n + 60, true);
          for (let axis = 0; axis < shape.length; axis++) {
            if (shape[axis] === 0) continue; // core rejects argmax over an empty dim
            const [ref, outs] = onAll([[x, dtype]], (be, [s]) => be.ops.argReduce(op, s, shape, axis, dtype));
            outs.forEach((o) => expectSame(o, ref, `${op} ${JSON.stringify(shape)} axis ${axis}`));
          }
        });
      });
    }
  }
});
