import type { DType } from '@logit/core';
import { describe, it } from 'vitest';
import { array, checkKernel, seeded } from '../helpers.js';

const iota = (dtype: DType, n: number) => array(dtype, Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i) as number));
const DTYPES: DType[] = ['float32', 'int32', 'bool'];

describe.each(DTYPES)('layout kernels, %s', (dtype) => {
  it('permute of a 4-d tensor, the identity and a transpose', async () => {
    const x = iota(dtype, 2 * 3 * 4 * 5);
    for (const perm of [[3, 1, 0, 2], [0, 1, 2, 3], [0, 1, 3, 2]]) {
      await checkKernel(`permute ${perm}`, [x], (be, [s]) => be.ops.permute(s, [2, 3, 4, 5], perm, dtype));
    }
  });

  it('expand from size-1 dims, new leading dims and a scalar', async () => {
    await checkKernel('expand', [iota(dtype, 3)], (be, [s]) => be.ops.expand(s, [3, 1], [2, 3, 4], dtype));
    await checkKernel('expand scalar', [iota(dtype, 1)], (be, [s]) => be.ops.expand(s, [], [5], dtype));
    await checkKernel('expand to size 0', [iota(dtype, 3)], (be, [s]) => be.ops.expand(s, [3], [0, 3], dtype));
  });

  it('slice with steps, and setSlice into a strided window', async () => {
    const x = iota(dtype, 6 * 7);
    await checkKernel('slice', [x], (be, [s]) => be.ops.slice(s, [6, 7], [1, 2], [2, 3], [3, 2], dtype));
    await checkKernel('slice empty', [x], (be, [s]) => be.ops.slice(s, [6, 7], [1, 2], [1, 1], [0, 2], dtype));
    const src = iota(dtype, 6).map((v) => (dtype === 'bool' ? 1 - v : v + 100));
    await checkKernel('setSlice', [x, src], (be, [b, s]) => be.ops.setSlice(b, [6, 7], s, [3, 2], [1, 2], [2, 3], dtype));
  });

  it('concat along the first, middle and last axis, with an empty input', async () => {
    const a = iota(dtype, 2 * 3 * 2);
    const b = iota(dtype, 2 * 1 * 2).map((v) => (dtype === 'bool' ? 1 - v : v + 50));
    const empty = iota(dtype, 0);
    await checkKernel('concat axis 1', [a, b, empty], (be, xs) => be.ops.concat(xs, [[2, 3, 2], [2, 1, 2], [2, 0, 2]], 1, dtype));
    await checkKernel('concat axis 0', [a, a], (be, xs) => be.ops.concat(xs, [[2, 3, 2], [2, 3, 2]], 0, dtype));
    await checkKernel('concat axis 2', [a, a], (be, xs) => be.ops.concat(xs, [[2, 3, 2], [2, 3, 2]], 2, dtype));
  });

  it('fill (int32 truncates, bool is value != 0) and a size-0 fill', async () => {
    for (const v of [0, 2.7, -1.5, Number.NaN, Infinity]) {
      await checkKernel(`fill ${v}`, [], (be) => be.ops.fill(v, 7, dtype));
    }
    await checkKernel('fill empty', [], (be) => be.ops.fill(1, 0, dtype));
  });

  it('gather along each axis', async () => {
    const x = iota(dtype, 3 * 4);
    const idx0 = array('int32', [2, 0, 1, 1, 0, 2]);
    await checkKernel('gather axis 0', [x, idx0], (be, [s, i]) => be.ops.gather(s, [3, 4], 0, i, [2, 3], dtype));
    const idx1 = array('int32', [3, 3, 0, 1, 2, 0]);
    await checkKernel('gather axis 1', [x, idx1], (be, [s, i]) => be.ops.gather(s, [3, 4], 1, i, [3, 2], dtype));
  });

  it('scatterAdd with repeated indices', async () => {
    const idx = array('int32', [0, 2, 0, 1, 2, 2, 0, 0]);
    const src = dtype === 'float32' ? seeded(8, 9) : dtype === 'int32' ? array('int32', [1, -2, 3, 2147483647, 5, 6, 7, 8]) : array('bool', [0, 1, 0, 0, 1, 0, 0, 0]);
    await checkKernel('scatterAdd axis 0', [idx, src], (be, [i, s]) => be.ops.scatterAdd(i, [4, 2], s, [3, 2], 0, dtype), { rtol: 1e-6 });
    await checkKernel('scatterAdd axis 1', [idx, src], (be, [i, s]) => be.ops.scatterAdd(i, [2, 4], s, [2, 3], 1, dtype), { rtol: 1e-6 });
  });
});
