import { REDUCE_OPS, type DType } from '@logit/core';
import { describe, it } from 'vitest';
import { array, checkKernel, seeded } from '../helpers.js';

// float sums accumulate in f32 (in tree order for long rows) against backend-cpu's doubles.
const TOL = { rtol: 2e-5, atol: 1e-5 };

describe.each(REDUCE_OPS)('reduce %s', (op) => {
  it('float32 over every set of axes of a (5, 7, 3) tensor', async () => {
    const x = seeded(105, 11, 0.5, 1.5);
    for (const axes of [[], [0], [1], [2], [0, 2], [1, 2], [0, 1, 2]]) {
      await checkKernel(`${op} axes ${axes}`, [x], (be, [s]) => be.ops.reduce(op, s, [5, 7, 3], axes, 'float32'), TOL);
    }
  });

  it('float32 long rows (one workgroup per row), contiguous and strided', async () => {
    const x = seeded(3 * 1000, 12, 0.99, 1.01);
    await checkKernel(`${op} long rows`, [x], (be, [s]) => be.ops.reduce(op, s, [3, 1000], [1], 'float32'), TOL);
    await checkKernel(`${op} long strided rows`, [x], (be, [s]) => be.ops.reduce(op, s, [1000, 3], [0], 'float32'), TOL);
  });

  it('nan propagates, inf stays, and empty reductions give the identity', async () => {
    const x = new Float32Array([1, NaN, 3, -Infinity, 2, 5, Infinity, 1, 0]);
    await checkKernel(`${op} nan/inf`, [x], (be, [s]) => be.ops.reduce(op, s, [3, 3], [1], 'float32'), TOL);
    const big = seeded(600, 2);
    big[417] = NaN;
    await checkKernel(`${op} nan in a long row`, [big], (be, [s]) => be.ops.reduce(op, s, [600], [0], 'float32'), TOL);
    await checkKernel(`${op} empty axis`, [new Float32Array(0)], (be, [s]) => be.ops.reduce(op, s, [0, 4], [0], 'float32'));
    await checkKernel(`${op} empty output`, [new Float32Array(0)], (be, [s]) => be.ops.reduce(op, s, [4, 0], [0], 'float32'));
  });

  it.each(['int32', 'bool'] as DType[])('%s, exact (wrapping int32 products; empty int32 max/min are 0)', async (dtype) => {
    const values = dtype === 'int32' ? [3, -7, 2147483647, 5, 0, -2, 9, 11, -1, 65536, 65536, 2] : [1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1];
    const x = array(dtype, values);
    for (const axes of [[0], [1], [0, 1]]) {
      await checkKernel(`${op} ${dtype} axes ${axes}`, [x], (be, [s]) => be.ops.reduce(op, s, [3, 4], axes, dtype));
    }
    await checkKernel(`${op} ${dtype} empty`, [array(dtype, [])], (be, [s]) => be.ops.reduce(op, s, [0, 2], [0], dtype));
  });
});

describe.each(['argmax', 'argmin'] as const)('%s', (op) => {
  it('float32: first occurrence on ties, the first nan wins, short and long rows', async () => {
    const x = new Float32Array([1, 3, 3, 0, NaN, 2, NaN, 5, -Infinity, -Infinity, -Infinity, -Infinity]);
    await checkKernel(`${op} ties/nan`, [x], (be, [s]) => be.ops.argReduce(op, s, [3, 4], 1, 'float32'));
    await checkKernel(`${op} axis 0`, [x], (be, [s]) => be.ops.argReduce(op, s, [3, 4], 0, 'float32'));
    const long = seeded(2 * 700, 4);
    long[300] = 9;
    long[650] = 9;
    long[700 + 20] = -9;
    long[700 + 500] = NaN;
    await checkKernel(`${op} long`, [long], (be, [s]) => be.ops.argReduce(op, s, [2, 700], 1, 'float32'));
  });

  it('int32 and bool', async () => {
    await checkKernel(`${op} int32`, [array('int32', [4, -1, 4, 7, 7, -3])], (be, [s]) => be.ops.argReduce(op, s, [2, 3], 1, 'int32'));
    await checkKernel(`${op} bool`, [array('bool', [0, 1, 1, 0, 0, 0])], (be, [s]) => be.ops.argReduce(op, s, [2, 3], 1, 'bool'));
  });
});
