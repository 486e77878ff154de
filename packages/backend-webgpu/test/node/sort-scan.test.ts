import { SCAN_OPS, sizeOf, type Shape } from '@logit/core';
import { describe, it } from 'vitest';
import { arrayOf, uniformData } from '@logit/conformance';
import { checkKernel } from '../backends.js';

const array = arrayOf;
const seeded = (n: number, seed: number, lo = -2, hi = 2) => uniformData('float32', n, seed, lo, hi) as Float32Array;

// argsort must give backend-cpu's permutation exactly: rows up to one 2048-element block take the
// bitonic kernel alone; longer rows add merge passes (20,000 elements: 10 blocks, 4 passes),
// strided rows go through the row layout. scan accumulates in f32 (chunked for long rows).
const SORT_CASES: [Shape, number][] = [
  [[1], 0], [[2], 0], [[7], 0], [[3, 5], 1], [[5, 3], 0], [[2, 4, 3], 1], [[4, 1], 1], [[3000, 5], 1],
  [[2, 2048], 1], [[2, 2049], 1], [[3, 5000], 1], [[4100, 2], 0], [[1, 20000], 0],
];

function withTies(n: number, seed: number): Float32Array {
  const x = seeded(n, seed, -4, 4);
  for (let i = 0; i < n; i += 3) x[i] = Math.round(x[i]);
  for (let i = 5; i < n; i += 97) x[i] = NaN;
  for (let i = 11; i < n; i += 89) x[i] = i % 2 ? -0 : Infinity;
  return x;
}

describe('argsort', () => {
  it('float32, both directions, short and long rows, strided axes', async () => {
    for (const [n, [shape, axis]] of SORT_CASES.entries()) {
      const x = withTies(sizeOf(shape), 30 + n);
      for (const descending of [false, true]) {
        await checkKernel(`argsort ${JSON.stringify(shape)} axis ${axis} desc ${descending}`, [x], (be, [s]) => be.ops.argsort(s, shape, axis, descending, 'float32'));
      }
    }
  });

  it('int32 with extremes and ties', async () => {
    const v = Array.from({ length: 3 * 2500 }, (_, i) => (i % 17 === 0 ? 2147483647 : i % 19 === 0 ? -2147483648 : ((i * 7919) % 23) - 11));
    for (const descending of [false, true]) {
      await checkKernel(`argsort int32 desc ${descending}`, [array('int32', v)], (be, [s]) => be.ops.argsort(s, [3, 2500], 1, descending, 'int32'));
    }
  });
});

describe('scan', () => {
  // sums carry their rounding error (TwoSum), so they equal backend-cpu's double accumulation
  // rounded once; products accumulate in f32
  const tol = (op: string) => (op === 'sum' ? {} : { rtol: 1e-5, atol: 1e-6 });
  it.each(SCAN_OPS)('%s float32 and int32, forward and reverse, per-thread and per-workgroup rows', async (op) => {
    const cases: [Shape, number][] = [[[7], 0], [[3, 5], 1], [[5, 3], 0], [[2, 300, 3], 1], [[2, 5000], 1], [[600, 2], 0]];
    for (const [n, [shape, axis]] of cases.entries()) {
      // products: values near 1, so a long product stays finite
      const x = op === 'prod' ? seeded(sizeOf(shape), 60 + n, 0.999, 1.001) : seeded(sizeOf(shape), 60 + n);
      const xi = array('int32', Array.from(x, (v) => Math.round(v * 3)));
      for (const reverse of [false, true]) {
        await checkKernel(`${op} ${JSON.stringify(shape)} rev ${reverse}`, [x], (be, [s]) => be.ops.scan(op, s, shape, axis, reverse, 'float32'), tol(op));
        await checkKernel(`${op} int32 ${JSON.stringify(shape)} rev ${reverse}`, [xi], (be, [s]) => be.ops.scan(op, s, shape, axis, reverse, 'int32'));
      }
    }
    const edge = new Float32Array([1, NaN, 2, 3, Infinity, 1, -Infinity, 2]);
    await checkKernel(`${op} nan/inf`, [edge], (be, [s]) => be.ops.scan(op, s, [2, 4], 1, false, 'float32'));
  });
});
