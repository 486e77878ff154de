import { sizeOf, type RandomSpec, type Shape } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { expectSame, onAll, randomData } from './helpers.js';

describe('fused logSoftmax / softmax', () => {
  const shapes: [Shape, number][] = [[[5], 0], [[3, 4], 1], [[3, 4], 0], [[2, 3, 4], 1], [[64, 10], 1], [[0, 3], 1], [[2, 0], 1], [[1, 1000], 1]];
  for (const name of ['logSoftmax', 'softmax'] as const) {
    it(`${name} matches backend-cpu bit for bit on every axis (f64 inside, rounded once)`, () => {
      shapes.forEach(([shape, axis], n) => {
        const x = randomData('float32', sizeOf(shape), n + 100);
        const [ref, outs] = onAll([[x, 'float32']], (be, [s]) => be.fused![name]!(s, shape, axis, 'float32'));
        outs.forEach((o) => expectSame(o, ref, `${name} ${JSON.stringify(shape)} axis ${axis}`));
      });
    });

    it(`${name}: rows holding nan, +inf or only -inf are nan everywhere, -inf entries of a finite row are handled`, () => {
      const rows = [
        [1, NaN, 2], [1, Infinity, 2], [-Infinity, -Infinity, -Infinity], [-Infinity, 0, 1], [1e30, -1e30, 0], [88, 89, 90],
      ];
      const x = Float32Array.from(rows.flat());
      const [ref, outs] = onAll([[x, 'float32']], (be, [s]) => be.fused![name]!(s, [rows.length, 3], 1, 'float32'));
      outs.forEach((o) => expectSame(o, ref));
      expect(Number.isNaN(outs[0][0]) && Number.isNaN(outs[0][3]) && Number.isNaN(outs[0][6])).toBe(true);
    });
  }
});

describe('random', () => {
  const kinds: RandomSpec[] = [
    { kind: 'uniform', key: [12345, 678], offset: 0, params: [0, 1] },
    { kind: 'uniform', key: [1, 2], offset: 2 ** 32 + 5, params: [-3, 7] },
    { kind: 'normal', key: [9, 9], offset: 17, params: [0.5, 2] },
    { kind: 'bernoulli', key: [4, 2], offset: 3, params: [0.3, 0] },
  ];
  for (const spec of kinds) {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      it(`${spec.kind} ${dtype} equals backend-cpu bit for bit`, () => {
        for (const size of [0, 1, 3, 4, 1001]) {
          const [ref, outs] = onAll([], (be) => be.ops.random(spec, size, dtype));
          outs.forEach((o) => expectSame(o, ref, `${spec.kind} size ${size}`));
        }
      });
    }
  }
});
