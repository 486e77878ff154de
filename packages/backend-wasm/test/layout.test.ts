import { sizeOf, stridesOf, type Shape } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { DTYPES, expectSame, onAll, randomData, rng } from './helpers.js';

function perms(n: number): number[][] {
  if (n === 0) return [[]];
  return perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('permute / expand / slice / setSlice / concat', () => {
  for (const dtype of DTYPES) {
    it(`permute ${dtype}: every permutation of rank <= 4 matches exactly`, () => {
      for (const shape of [[], [5], [2, 3], [0, 3], [2, 3, 4], [3, 1, 2, 5]] as Shape[]) {
        const x = randomData(dtype, sizeOf(shape), 3, true);
        for (const perm of perms(shape.length)) {
          const [ref, outs] = onAll([[x, dtype]], (be, [s]) => be.ops.permute(s, shape, perm, dtype));
          outs.forEach((o) => expectSame(o, ref, `permute ${JSON.stringify(shape)} ${perm}`));
        }
      }
    });

    it(`expand ${dtype} matches exactly`, () => {
      const cases: [Shape, Shape][] = [[[], [3, 2]], [[1], [4]], [[3, 1], [3, 5]], [[1, 4], [2, 3, 4]], [[2, 1, 3], [2, 0, 3]], [[5], [5]]];
      for (const [shape, out] of cases) {
        const x = randomData(dtype, sizeOf(shape), 4, true);
        const [ref, outs] = onAll([[x, dtype]], (be, [s]) => be.ops.expand(s, shape, out, dtype));
        outs.forEach((o) => expectSame(o, ref, `expand ${JSON.stringify([shape, out])}`));
      }
    });

    it(`slice and setSlice ${dtype}: strided windows match exactly`, () => {
      const r = rng(8);
      for (const shape of [[9], [6, 7], [4, 5, 6], [3, 0, 2]] as Shape[]) {
        const x = randomData(dtype, sizeOf(shape), 5, true);
        for (let trial = 0; trial < 20; trial++) {
          const begin = shape.map((d) => Math.floor(r() * d));
          const step = shape.map(() => 1 + Math.floor(r() * 3));
          const win = shape.map((d, i) => Math.max(0, Math.ceil((d - begin[i]) / step[i]) - Math.floor(r() * 2)));
          const [ref, outs] = onAll([[x, dtype]], (be, [s]) => be.ops.slice(s, shape, begin, step, win, dtype));
          outs.forEach((o) => expectSame(o, ref, `slice ${JSON.stringify([shape, begin, step, win])}`));
          const src = randomData(dtype, sizeOf(win), trial, true);
          const [ref2, outs2] = onAll([[x, dtype], [src, dtype]], (be, [s, t]) => be.ops.setSlice(s, shape, t, win, begin, step, dtype));
          outs2.forEach((o) => expectSame(o, ref2, `setSlice ${JSON.stringify([shape, begin, step, win])}`));
        }
      }
    });

    it(`concat ${dtype} along every axis matches exactly`, () => {
      const base: Shape = [2, 3, 4];
      for (let axis = 0; axis < 3; axis++) {
        const shapes = [1, 0, 3].map((d) => base.map((v, i) => (i === axis ? d : v)));
        const xs = shapes.map((s, n) => randomData(dtype, sizeOf(s), n + 9, true));
        const [ref, outs] = onAll(xs.map((x) => [x, dtype] as const), (be, s) => be.ops.concat(s, shapes, axis, dtype));
        outs.forEach((o) => expectSame(o, ref, `concat axis ${axis}`));
      }
    });
  }
});

describe('gather / scatterAdd', () => {
  const cases: { x: Shape; index: Shape; axis: number }[] = [
    { x: [5], index: [7], axis: 0 },
    { x: [4, 6], index: [4, 3], axis: 1 },
    { x: [4, 6], index: [2, 6], axis: 0 },
    { x: [3, 4, 5], index: [3, 2, 5], axis: 1 },
    { x: [3, 4, 5], index: [2, 4, 3], axis: 2 },
    { x: [64, 10], index: [64, 1], axis: 1 },
    { x: [3, 4], index: [0, 4], axis: 0 },
  ];
  for (const dtype of DTYPES) {
    it(`gather ${dtype} matches exactly`, () => {
      cases.forEach(({ x, index, axis }, n) => {
        const r = rng(n + 70);
        const xd = randomData(dtype, sizeOf(x), n, true);
        const idx = Int32Array.from({ length: sizeOf(index) }, () => Math.floor(r() * x[axis]));
        const [ref, outs] = onAll([[xd, dtype], [idx, 'int32']], (be, [s, i]) => be.ops.gather(s, x, axis, i, index, dtype));
        outs.forEach((o) => expectSame(o, ref, `gather ${JSON.stringify({ x, index, axis })}`));
      });
    });

    it(`scatterAdd ${dtype} matches exactly (repeated indices accumulate in doubles)`, () => {
      cases.forEach(({ x, index, axis }, n) => {
        const r = rng(n + 80);
        const src = randomData(dtype, sizeOf(index), n + 1, dtype !== 'float32');
        const idx = Int32Array.from({ length: sizeOf(index) }, () => Math.floor(r() * x[axis]));
        const [ref, outs] = onAll([[idx, 'int32'], [src, dtype]], (be, [i, s]) => be.ops.scatterAdd(i, index, s, x, axis, dtype));
        outs.forEach((o) => expectSame(o, ref, `scatterAdd ${JSON.stringify({ x, index, axis })}`));
      });
    });
  }

  it('gather reads the right elements (independent of backend-cpu)', () => {
    const x = Float32Array.from({ length: 12 }, (_, i) => i);
    const [, outs] = onAll([[x, 'float32'], [Int32Array.from([2, 0, 1, 1]), 'int32']], (be, [s, i]) => be.ops.gather(s, [3, 4], 1, i, [2, 2], 'float32'));
    const xs = stridesOf([3, 4]);
    expect(Array.from(outs[0])).toEqual([2 * xs[1], 0, 4 + 1, 4 + 1]);
  });
});
