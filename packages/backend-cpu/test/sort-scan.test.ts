import { SCAN_OPS, sizeOf, type DType, type Storage, type TypedArray } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { randomData, ravel, toDType, unravel } from '@logit/conformance';
import { runKernelSync } from '@logit/conformance/vitest';
import { createCpuBackend } from '../src/index.js';

const be = createCpuBackend();
const size = sizeOf;
const store = (dtype: DType, v: number): number => toDType(v, dtype);
const run = (inputs: [TypedArray, DType][], kernel: (...s: Storage[]) => Storage): TypedArray => runKernelSync(be, inputs, (xs) => kernel(...xs));

// The reference backend's scan and argsort against definitions written out here: a scan is a
// running sum/product in doubles; a stable sort is a permutation under which values never go
// down (nan above everything, -0 equal to 0) and equal values keep their input order.

const SHAPES: [number[], number][] = [[[7], 0], [[3, 5], 1], [[3, 5], 0], [[2, 4, 3], 1], [[2, 0, 3], 1], [[4, 1], 1], [[1], 0]];

describe('scan', () => {
  const dtypes: DType[] = ['float32', 'float64', 'int32'];
  it.each(SCAN_OPS.flatMap((op) => dtypes.flatMap((d) => [false, true].map((rev) => [op, d, rev] as const))))('%s %s reverse %s', (op, dtype, reverse) => {
    SHAPES.forEach(([shape, axis], n) => {
      const x = randomData(dtype, size(shape), 70 + n, true);
      const got = run([[x, dtype]], (s) => be.ops.scan(op, s, shape, axis, reverse, dtype));
      const want = new Array<number>(size(shape)).fill(0);
      for (let i = 0; i < size(shape); i++) {
        const idx = unravel(i, shape);
        const len = shape.length ? shape[axis] : 1;
        let acc = op === 'sum' ? 0 : 1;
        const j0 = shape.length ? idx[axis] : 0;
        for (let j = reverse ? len - 1 : 0; reverse ? j >= j0 : j <= j0; j += reverse ? -1 : 1) {
          const at = shape.length ? ravel(idx.map((v, d) => (d === axis ? j : v)), shape) : 0;
          acc = op === 'sum' ? acc + x[at] : dtype === 'int32' ? Math.imul(acc, x[at]) : acc * x[at];
        }
        want[i] = store(dtype, acc);
      }
      expect(Array.from(got), `${JSON.stringify(shape)} axis ${axis}`).toEqual(want);
    });
  });
});

/** -1, 0, 1: the order argsort must produce (nan last, -0 equal to 0). */
function order(a: number, b: number): number {
  const na = Number.isNaN(a);
  const nb = Number.isNaN(b);
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

describe('argsort', () => {
  const dtypes: DType[] = ['float32', 'float64', 'int32'];
  it.each(dtypes.flatMap((d) => [false, true].map((desc) => [d, desc] as const)))('%s descending %s: a stable sorting permutation', (dtype, descending) => {
    for (const [shape, axis] of [...SHAPES, [[3, 300], 1], [[300, 2], 0]] as [number[], number][]) {
      const x = randomData(dtype, size(shape), 9 + shape.length, true);
      if (dtype !== 'int32') for (let i = 0; i < x.length; i += 7) x[i] = Math.round(x[i]); // ties
      const got = run([[x, dtype]], (s) => be.ops.argsort(s, shape, axis, descending, dtype));
      expect(got).toBeInstanceOf(Int32Array);
      const len = shape.length ? shape[axis] : 1;
      for (let i = 0; i < size(shape); i++) {
        const idx = unravel(i, shape);
        if (shape.length && idx[axis] !== 0) continue;
        const at = (j: number) => (shape.length ? ravel(idx.map((v, d) => (d === axis ? j : v)), shape) : 0);
        const perm = Array.from({ length: len }, (_, j) => got[at(j)]);
        expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: len }, (_, j) => j));
        for (let j = 1; j < len; j++) {
          const c = order(x[at(perm[j - 1])], x[at(perm[j])]) * (descending ? -1 : 1);
          expect(c, `${JSON.stringify(shape)} position ${j}`).toBeLessThanOrEqual(0);
          if (c === 0) expect(perm[j - 1]).toBeLessThan(perm[j]);
        }
      }
    }
  });
});
