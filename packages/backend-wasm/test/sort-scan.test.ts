import { SCAN_OPS, sizeOf, type DType, type Shape } from '@logit/core';
import { describe, it } from 'vitest';
import { randomData } from '@logit/conformance';
import { expectSame } from '@logit/conformance/vitest';
import { onAll } from './builds.js';

// scan accumulates in doubles in input order, as backend-cpu does, and argsort is a permutation:
// both must match backend-cpu bit for bit. Rows up to 20,000 elements run the merge sort's
// later passes; strided axes read rows through the inner stride.
const CASES: [Shape, number][] = [
  [[1], 0], [[7], 0], [[3, 5], 1], [[3, 5], 0], [[2, 4, 3], 1], [[2, 0, 3], 1], [[0, 4], 1], [[4, 1], 1],
  [[2, 33], 1], [[3, 1000], 1], [[700, 3], 0], [[1, 20000], 1],
];

describe('scan', () => {
  for (const op of SCAN_OPS) {
    for (const dtype of ['float32', 'int32'] as DType[]) {
      it(`${op} ${dtype}, forward and reverse, matches backend-cpu bit for bit`, () => {
        CASES.forEach(([shape, axis], n) => {
          // products of many values overflow: keep them near 1 so the comparison sees real values
          const x = randomData(dtype, sizeOf(shape), 300 + n, n % 2 === 0);
          if (op === 'prod' && dtype === 'float32') for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) x[i] = 1 + x[i] / 1000;
          for (const reverse of [false, true]) {
            const [ref, outs] = onAll([[x, dtype]], (be, [s]) => be.ops.scan(op, s, shape, axis, reverse, dtype));
            outs.forEach((o) => expectSame(o, ref, `${op} ${JSON.stringify(shape)} axis ${axis} reverse ${reverse}`));
          }
        });
      });
    }
  }
});

describe('argsort', () => {
  for (const dtype of ['float32', 'int32'] as DType[]) {
    it(`${dtype}: the same stable permutation as backend-cpu (ties, nan, -0, both directions)`, () => {
      CASES.forEach(([shape, axis], n) => {
        const x = randomData(dtype, sizeOf(shape), 500 + n, true);
        if (dtype === 'float32') for (let i = 0; i < x.length; i += 3) x[i] = Math.round(x[i]); // ties, and -0 next to 0
        for (const descending of [false, true]) {
          const [ref, outs] = onAll([[x, dtype]], (be, [s]) => be.ops.argsort(s, shape, axis, descending, dtype));
          outs.forEach((o) => expectSame(o, ref, `${JSON.stringify(shape)} axis ${axis} descending ${descending}`));
        }
      });
    });
  }
});
